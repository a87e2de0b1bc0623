package pgstore

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"filmbot/store"
)

// maxGameQuestions bounds a game's questions so that each question's place in the
// channel's recent order fits below the game's sequence number (see StartGame).
const maxGameQuestions = 1 << 16

// StartGame stores g as its channel's running game with a new ID, and marks its questions
// as asked in the channel, in one transaction; store.ErrGameRunning when the channel
// already has a game. IDs come from one sequence, so games of every process differ.
func (s *Store) StartGame(g store.GameRecord) (store.GameRecord, error) {
	if g.Channel == "" || g.Guild == "" {
		return store.GameRecord{}, errors.New("pgstore: a game needs a guild and a channel")
	}
	if len(g.Questions) >= maxGameQuestions {
		return store.GameRecord{}, fmt.Errorf("pgstore: a game of %d questions is too long", len(g.Questions))
	}
	// A question asked twice in one game counts at its last place, as in bbolt.
	last := make(map[string]int, len(g.Questions))
	for i, q := range g.Questions {
		last[q] = i
	}
	var qs []string
	var order []int64
	for i, q := range g.Questions {
		if last[q] == i {
			qs, order = append(qs, q), append(order, int64(i))
		}
	}
	ctx, cancel := s.call()
	defer cancel()
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var seq int64
		if err := tx.QueryRow(ctx, "SELECT nextval('trivia_game_ids')").Scan(&seq); err != nil {
			return err
		}
		g.ID = strconv.FormatInt(seq, 36)
		tag, err := tx.Exec(ctx, `
			INSERT INTO trivia_games (channel, id, guild, record) VALUES ($1, $2, $3, $4)
			ON CONFLICT (channel) DO NOTHING`, g.Channel, g.ID, g.Guild, g)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrGameRunning
		}
		// Later games have higher sequence numbers, so seq·2¹⁶ + position grows with
		// every question asked in the channel.
		_, err = tx.Exec(ctx, `
			INSERT INTO trivia_recent (channel, question, n)
			SELECT $1, q, $2::bigint * 65536 + i FROM unnest($3::text[], $4::bigint[]) AS u(q, i)
			ON CONFLICT (channel, question) DO UPDATE SET n = EXCLUDED.n`,
			g.Channel, seq, qs, order)
		return err
	})
	if errors.Is(err, store.ErrGameRunning) {
		return store.GameRecord{}, err
	}
	if err != nil {
		return store.GameRecord{}, fmt.Errorf("pgstore: start game: %w", err)
	}
	return g, nil
}

// SaveGame replaces the stored state of the running game g; store.ErrNotFound when g is
// no longer its channel's game.
func (s *Store) SaveGame(g store.GameRecord) error {
	ctx, cancel := s.call()
	defer cancel()
	tag, err := s.pool.Exec(ctx, "UPDATE trivia_games SET record = $3 WHERE channel = $1 AND id = $2",
		g.Channel, g.ID, g)
	if err != nil {
		return fmt.Errorf("pgstore: save game: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
}

// EndGame removes game id from channel (nothing when it is already gone) and, in the
// same transaction, deletes the answers of games that ended more than
// store.AnswerRetention before now.
func (s *Store) EndGame(channel, id string, now time.Time) error {
	ctx, cancel := s.call()
	defer cancel()
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM trivia_games WHERE channel = $1 AND id = $2", channel, id)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO trivia_closed (game, ended_at) VALUES ($1, $2)
			ON CONFLICT (game) DO UPDATE SET ended_at = EXCLUDED.ended_at`, id, now); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			WITH old AS (
				DELETE FROM trivia_closed WHERE ended_at < $1 RETURNING game
			), a AS (
				DELETE FROM trivia_answers WHERE game IN (SELECT game FROM old)
			)
			DELETE FROM trivia_players WHERE game IN (SELECT game FROM old)`,
			now.Add(-store.AnswerRetention))
		return err
	})
	if err != nil {
		return fmt.Errorf("pgstore: end game: %w", err)
	}
	return nil
}

// Games returns every running game, of every process; callers that run only some
// guilds pick theirs.
func (s *Store) Games() ([]store.GameRecord, error) {
	ctx, cancel := s.call()
	defer cancel()
	rows, err := s.pool.Query(ctx, "SELECT record FROM trivia_games ORDER BY channel")
	if err != nil {
		return nil, fmt.Errorf("pgstore: games: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[store.GameRecord])
	if err != nil {
		return nil, fmt.Errorf("pgstore: games: %w", err)
	}
	return out, nil
}

// RecentQuestions returns, for each question asked in channel, a number that grows with
// each question asked there.
func (s *Store) RecentQuestions(channel string) (map[string]uint64, error) {
	ctx, cancel := s.call()
	defer cancel()
	rows, err := s.pool.Query(ctx, "SELECT question, n FROM trivia_recent WHERE channel = $1", channel)
	if err != nil {
		return nil, fmt.Errorf("pgstore: recent questions: %w", err)
	}
	defer rows.Close()
	out := make(map[string]uint64)
	for rows.Next() {
		var q string
		var n int64
		if err := rows.Scan(&q, &n); err != nil {
			return nil, fmt.Errorf("pgstore: recent questions: %w", err)
		}
		out[q] = uint64(n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: recent questions: %w", err)
	}
	return out, nil
}
