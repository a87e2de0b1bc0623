// Package pgstore keeps filmbot's per-guild trivia data (scores, the answer log,
// settings, games in progress, recently asked questions) in PostgreSQL, so that several
// filmbot processes, each running its own range of gateway shards, share it. It is the
// only package that imports pgx; the knowledge stays in each process's bbolt file.
//
// # Basics
//
// [Open] connects a pool to the database named by a connection string (a URL or
// key=value pairs, as libpq takes them) and applies the embedded migrations
// (migrations/NNNN_name.sql) that the database has not had yet, under an advisory lock so
// that processes starting together apply each one once. The [Store] it returns serves
// [store.GuildStore], and storetest.Conformance holds it to the bbolt store's behaviour.
//
// [Store.RecordAnswer] is one statement: the answer, the player's first-answer row, the
// guild score and the global total are written together by data-modifying CTEs, each
// increment an INSERT … ON CONFLICT DO UPDATE that adds to the stored value. The statement
// commits (and PostgreSQL flushes its WAL) before RecordAnswer returns, so "locked in" is
// only ever sent for a durable answer, and no increment reads a value it later writes back.
// The global leaderboard reads trivia_totals, which that same statement keeps in step, so
// it is one indexed query however many guilds there are.
//
// # Caveats
//
//   - Methods take no context (the GuildStore interface predates PostgreSQL): each call
//     is bounded by Options.Timeout instead, and Close cancels calls in flight.
//   - A database migrated by a newer filmbot is refused with [ErrSchema] rather than
//     used with tables this build does not know.
//   - Rank is 1 + the number of players with more points. The global rank is read from
//     a histogram of the totals (rank.go) that every answer updates in its own
//     transaction, so it costs two small index range sums however many players there
//     are (BenchmarkLeaderboardGlobal); guild ranks are counted, guilds being small.
package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"filmbot/store"
)

// ErrSchema is returned by Open when the database holds migrations this build does not
// know: a newer filmbot migrated it.
var ErrSchema = errors.New("pgstore: database schema is newer than this filmbot")

//go:embed migrations/*.sql
var migrations embed.FS

// Options tune Open. The zero value is usable.
type Options struct {
	// MaxConns bounds the pool; 0 means 16, enough for answers from many guilds at once
	// without holding a server process per goroutine.
	MaxConns int32
	// Timeout bounds every call; 0 means 10 seconds.
	Timeout time.Duration
}

// Store is per-guild trivia data in PostgreSQL. It is safe for concurrent use.
type Store struct {
	pool    *pgxpool.Pool
	answers answerQueue
	timeout time.Duration
	ctx     context.Context
	cancel  context.CancelFunc
}

var _ store.GuildStore = (*Store)(nil)

// Open connects to the database at url and brings its schema up to date.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's message may quote the URL, password included: name only the problem.
		return nil, errors.New("pgstore: database-url is not a valid PostgreSQL connection string")
	}
	cfg.MaxConns = 16
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: connect: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	s := &Store{pool: pool, timeout: opts.Timeout}
	if s.timeout <= 0 {
		s.timeout = 10 * time.Second
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// Close cancels calls in flight and closes the pool.
func (s *Store) Close() error {
	s.cancel()
	s.pool.Close()
	return nil
}

// Pool returns the connection pool, for the other parts of filmbot that keep shared state
// in the same database (the knowledge generations).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// call returns the context one call runs under.
func (s *Store) call() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.ctx, s.timeout)
}

// migrationLock is the advisory lock key migrations run under ("filmbot" in ASCII).
const migrationLock = 0x66696c6d626f74

// migrate applies, in one transaction, every embedded migration newer than the
// database's latest.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS filmbot_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	var have int
	if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM filmbot_migrations").Scan(&have); err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	known := 0
	for _, name := range names {
		base := path.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("pgstore: migration %s has no version number", base)
		}
		known = max(known, v)
		if v <= have {
			continue
		}
		sql, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, string(sql)); err != nil {
			return fmt.Errorf("pgstore: migration %s: %w", base, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO filmbot_migrations (version, name) VALUES ($1, $2)", v, base); err != nil {
			return fmt.Errorf("pgstore: migration %s: %w", base, err)
		}
	}
	if have > known {
		return fmt.Errorf("%w: it has migration %d, this build knows up to %d", ErrSchema, have, known)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	return nil
}

// recordSQL stores an answer and adds it to the player's guild score and global total in
// one statement, and says whether it created the player's global total (a new player)
// and what that total is now, for the rank histogram (rank.go). Every CTE after the first reads only the rows the first inserted, so a
// repeated answer changes nothing; each increment happens inside ON CONFLICT DO UPDATE,
// under the row's lock.
const recordSQL = `
WITH a AS (
	INSERT INTO trivia_answers (game, user_id, q, guild, question_id, correct, points, streak, at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
	ON CONFLICT DO NOTHING
	RETURNING 1
), p AS (
	INSERT INTO trivia_players (game, user_id)
	SELECT $1, $2 FROM a
	ON CONFLICT DO NOTHING
	RETURNING 1
), d AS (
	SELECT $7::bigint AS points, $6::boolean::int AS correct, (SELECT count(*) FROM p) AS games,
		$8::bigint AS streak
	FROM a
), s AS (
	INSERT INTO trivia_scores AS t (guild, user_id, points, correct, answered, games, best_streak)
	SELECT $4, $2, points, correct, 1, games, streak FROM d
	ON CONFLICT (guild, user_id) DO UPDATE SET
		points = t.points + EXCLUDED.points,
		correct = t.correct + EXCLUDED.correct,
		answered = t.answered + 1,
		games = t.games + EXCLUDED.games,
		best_streak = greatest(t.best_streak, EXCLUDED.best_streak)
	RETURNING 1
), g AS (
	INSERT INTO trivia_totals AS t (user_id, points, correct, answered, games, best_streak)
	SELECT $2, points, correct, 1, games, streak FROM d
	ON CONFLICT (user_id) DO UPDATE SET
		points = t.points + EXCLUDED.points,
		correct = t.correct + EXCLUDED.correct,
		answered = t.answered + 1,
		games = t.games + EXCLUDED.games,
		best_streak = greatest(t.best_streak, EXCLUDED.best_streak)
	RETURNING xmax = 0 AS inserted, t.points
)
SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM s) + (SELECT count(*) FROM g),
	coalesce((SELECT bool_or(inserted) FROM g), false), coalesce((SELECT max(points) FROM g), 0)`

// RecordAnswer stores a and adds its points to the user's score; it returns once the
// transaction holding it has committed, store.ErrAnswered when that question of that game
// already has the user's answer. Answers that arrive while commits are running share the
// next one (see record.go), so each commit's WAL flush serves many of them.
func (s *Store) RecordAnswer(a store.Answer) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.answers.record(s, a)
}

func recordArgs(a store.Answer) []any {
	return []any{a.Game, a.User, a.Question, a.Guild, a.QuestionID, a.Correct, a.Points, a.Streak, a.At}
}

// recordResult turns recordSQL's row count (or error) into RecordAnswer's result.
func recordResult(n int, err error) error {
	switch {
	case err != nil:
		return fmt.Errorf("pgstore: record answer: %w", err)
	case n == 0:
		return store.ErrAnswered
	case n != 3:
		return fmt.Errorf("pgstore: record answer wrote %d of 3 rows", n)
	}
	return nil
}

// Answers returns the stored answers of game, or of every game when game is empty.
func (s *Store) Answers(game string) ([]store.Answer, error) {
	ctx, cancel := s.call()
	defer cancel()
	rows, err := s.pool.Query(ctx, `
		SELECT guild, game, q, question_id, user_id, correct, points, streak, at
		FROM trivia_answers WHERE $1 = '' OR game = $1
		ORDER BY game COLLATE "C", user_id COLLATE "C", q`, game)
	if err != nil {
		return nil, fmt.Errorf("pgstore: answers: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Answer, error) {
		var a store.Answer
		err := r.Scan(&a.Guild, &a.Game, &a.Question, &a.QuestionID, &a.User, &a.Correct, &a.Points, &a.Streak, &a.At)
		a.At = a.At.UTC()
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("pgstore: answers: %w", err)
	}
	return out, nil
}

// Score returns user's score in guild, or store.ErrNotFound.
func (s *Store) Score(guild, user string) (store.Score, error) {
	ctx, cancel := s.call()
	defer cancel()
	sc := store.Score{User: user}
	err := s.pool.QueryRow(ctx, `
		SELECT points, correct, answered, games, best_streak FROM trivia_scores
		WHERE guild = $1 AND user_id = $2`, guild, user).
		Scan(&sc.Points, &sc.Correct, &sc.Answered, &sc.Games, &sc.BestStreak)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Score{}, store.ErrNotFound
	}
	if err != nil {
		return store.Score{}, fmt.Errorf("pgstore: score: %w", err)
	}
	return sc, nil
}

// leaderboardSQL takes the top $2 of a score table and the row of user $3, each with its
// rank. {from} is the table and {where} restricts it to one guild ($1) or not at all.
const leaderboardSQL = `
SELECT user_id, points, correct, answered, games, best_streak, me,
	1 + (SELECT count(*) FROM {from} o WHERE {where_o} o.points > x.points) AS rank
FROM (
	(SELECT user_id, points, correct, answered, games, best_streak, false AS me FROM {from}
	 WHERE {where} true
	 ORDER BY points DESC, correct DESC, user_id COLLATE "C" LIMIT $2)
	UNION ALL
	(SELECT user_id, points, correct, answered, games, best_streak, true FROM {from}
	 WHERE {where} user_id = $3)
) x
ORDER BY me, points DESC, correct DESC, user_id COLLATE "C"`

var guildLeaderboardSQL = strings.NewReplacer("{from}", "trivia_scores",
	"{where_o}", "o.guild = $1 AND", "{where}", "guild = $1 AND").Replace(leaderboardSQL)

// globalLeaderboardSQL is leaderboardSQL over trivia_totals, with the rank read from the
// histogram (rank.go): the players in the blocks above the player's block, plus those at
// the higher totals within it. Both sums read at most a few hundred small rows, and both
// are exact: the histogram changes in the transactions that change the totals.
const globalLeaderboardSQL = `
SELECT user_id, points, correct, answered, games, best_streak, me,
	1 + (SELECT coalesce(sum(players), 0) FROM trivia_rank_blocks WHERE block > x.points / 512)
	  + (SELECT coalesce(sum(players), 0) FROM trivia_rank_points
	     WHERE points > x.points AND points < (x.points / 512 + 1) * 512) AS rank
FROM (
	(SELECT user_id, points, correct, answered, games, best_streak, false AS me FROM trivia_totals
	 ORDER BY points DESC, correct DESC, user_id COLLATE "C" LIMIT $1)
	UNION ALL
	(SELECT user_id, points, correct, answered, games, best_streak, true FROM trivia_totals
	 WHERE user_id = $2)
) x
ORDER BY me, points DESC, correct DESC, user_id COLLATE "C"`

// Leaderboard returns the top n of guild, or of every guild when guild is empty, and
// user's own place (Rank 0 when they have no score), in one query.
func (s *Store) Leaderboard(guild string, n int, user string) ([]store.Ranked, store.Ranked, error) {
	ctx, cancel := s.call()
	defer cancel()
	q, args := guildLeaderboardSQL, []any{guild, max(n, 0), user}
	if guild == "" {
		q, args = globalLeaderboardSQL, args[1:]
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, store.Ranked{}, fmt.Errorf("pgstore: leaderboard: %w", err)
	}
	defer rows.Close()
	var top []store.Ranked
	me := store.Ranked{Score: store.Score{User: user}}
	for rows.Next() {
		var r store.Ranked
		var isMe bool
		if err := rows.Scan(&r.User, &r.Points, &r.Correct, &r.Answered, &r.Games, &r.BestStreak, &isMe, &r.Rank); err != nil {
			return nil, store.Ranked{}, fmt.Errorf("pgstore: leaderboard: %w", err)
		}
		if isMe {
			me = r
		} else {
			top = append(top, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, store.Ranked{}, fmt.Errorf("pgstore: leaderboard: %w", err)
	}
	return top, me, nil
}

// ResetScores deletes every score in guild, takes them out of the global totals, and
// returns how many users had one, in one transaction. Answers stay (see store.Store).
func (s *Store) ResetScores(guild string) (int, error) {
	if guild == "" {
		return 0, errors.New("pgstore: reset scores needs a guild")
	}
	ctx, cancel := s.call()
	defer cancel()
	var n int
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The players' locks first, in key order, as answers take them (record.go).
		rows, err := tx.Query(ctx, "SELECT user_id FROM trivia_scores WHERE guild = $1", guild)
		if err != nil {
			return err
		}
		names, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		keys := make([]int32, 0, len(names))
		for _, u := range names {
			keys = append(keys, playerKey(u))
		}
		slices.Sort(keys)
		locks := &pgx.Batch{}
		for _, k := range slices.Compact(keys) {
			locks.Queue("SELECT pg_advisory_xact_lock($1, $2)", int32(playerLock), k)
		}
		if err := tx.SendBatch(ctx, locks).Close(); err != nil {
			return err
		}
		before, err := totalsOf(ctx, tx, names)
		if err != nil {
			return err
		}
		var users []string
		err = tx.QueryRow(ctx, `
			WITH del AS (
				DELETE FROM trivia_scores WHERE guild = $1
				RETURNING user_id, points, correct, answered, games
			), upd AS (
				UPDATE trivia_totals t SET
					points = t.points - del.points,
					correct = t.correct - del.correct,
					answered = t.answered - del.answered,
					games = t.games - del.games
				FROM del WHERE t.user_id = del.user_id
				RETURNING 1
			)
			SELECT coalesce(array_agg(user_id), '{}') FROM del`, guild).Scan(&users)
		if err != nil {
			return err
		}
		n = len(users)
		if n == 0 {
			return nil
		}
		// A best streak cannot be subtracted: take the best of the guilds left, and
		// drop the totals of users who have no guild left.
		if _, err := tx.Exec(ctx, `
			UPDATE trivia_totals t SET best_streak = coalesce(
				(SELECT max(best_streak) FROM trivia_scores s WHERE s.user_id = t.user_id), 0)
			WHERE t.user_id = ANY($1)`, users); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			DELETE FROM trivia_totals t WHERE t.user_id = ANY($1)
			AND NOT EXISTS (SELECT 1 FROM trivia_scores s WHERE s.user_id = t.user_id)`, users); err != nil {
			return err
		}
		after, err := totalsOf(ctx, tx, users)
		if err != nil {
			return err
		}
		// Move every player in the rank histogram from their total before to the one
		// after (or out of it), last, as answers do.
		ranks := rankDelta{}
		for u, old := range before {
			if now, ok := after[u]; ok {
				ranks.move(old, now, false)
			} else {
				ranks[old]--
			}
		}
		b := &pgx.Batch{}
		if ranks.queue(b); b.Len() == 0 {
			return nil
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return 0, fmt.Errorf("pgstore: reset scores: %w", err)
	}
	return n, nil
}

// totalsOf returns the global points total of each of users who has one.
func totalsOf(ctx context.Context, tx pgx.Tx, users []string) (map[string]int64, error) {
	rows, err := tx.Query(ctx, "SELECT user_id, points FROM trivia_totals WHERE user_id = ANY($1)", users)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	var u string
	var p int64
	_, err = pgx.ForEachRow(rows, []any{&u, &p}, func() error {
		out[u] = p
		return nil
	})
	return out, err
}

// TriviaSettings returns guild's trivia settings; the zero value when it has none.
func (s *Store) TriviaSettings(guild string) (store.TriviaSettings, error) {
	ctx, cancel := s.call()
	defer cancel()
	var ts store.TriviaSettings
	err := s.pool.QueryRow(ctx, "SELECT record FROM trivia_settings WHERE guild = $1", guild).Scan(&ts)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return store.TriviaSettings{}, fmt.Errorf("pgstore: trivia settings of guild %s: %w", guild, err)
	}
	return ts, nil
}

// SaveTriviaSettings replaces guild's trivia settings.
func (s *Store) SaveTriviaSettings(guild string, ts store.TriviaSettings) error {
	if guild == "" {
		return errors.New("pgstore: trivia settings need a guild")
	}
	ctx, cancel := s.call()
	defer cancel()
	_, err := s.pool.Exec(ctx, `
		INSERT INTO trivia_settings (guild, record) VALUES ($1, $2)
		ON CONFLICT (guild) DO UPDATE SET record = EXCLUDED.record`, guild, ts)
	if err != nil {
		return fmt.Errorf("pgstore: save trivia settings: %w", err)
	}
	return nil
}
