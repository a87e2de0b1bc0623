package store

// Trivia games in progress, and which questions each channel was asked lately.
//
//	trivia-games  / <channel ID>                → JSON GameRecord (the channel's running game)
//	trivia-closed / <unix nanos BE> <game ID>   → nothing: when each game ended, for pruning
//	trivia-recent / <channel ID> / <question ID> → uvarint order in which it was last asked

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketTriviaGames  = []byte("trivia-games")
	bucketTriviaClosed = []byte("trivia-closed")
	bucketTriviaRecent = []byte("trivia-recent")
)

// ErrGameRunning is returned by StartGame when the channel already has a game.
var ErrGameRunning = errors.New("a trivia game is already running in this channel")

// AnswerRetention is how long the answers of a finished game are kept (scores are kept
// for good); older ones are deleted when a later game ends.
const AnswerRetention = 7 * 24 * time.Hour

// GameRecord is the durable state of a running trivia game: enough to close it cleanly
// after a restart.
type GameRecord struct {
	ID        string    `json:"id"`
	Guild     string    `json:"guild"`
	Channel   string    `json:"channel"`
	StartedBy string    `json:"started_by"`
	Film      string    `json:"film,omitempty"`
	Questions []string  `json:"questions"`
	StartedAt time.Time `json:"started_at"`
	// Index is the position of the question being asked, -1 before the first.
	Index int `json:"index"`
	// MessageID is the message that shows the current question (or the game's
	// announcement before the first).
	MessageID string    `json:"message_id,omitempty"`
	Deadline  time.Time `json:"deadline,omitzero"`
}

// StartGame stores g as the channel's running game, gives it a new ID and marks its
// questions as asked in the channel, in one transaction. It returns ErrGameRunning when
// the channel already has a game.
func (s *Store) StartGame(g GameRecord) (GameRecord, error) {
	if g.Channel == "" || g.Guild == "" {
		return GameRecord{}, errors.New("store: a game needs a guild and a channel")
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		games, err := tx.CreateBucketIfNotExists(bucketTriviaGames)
		if err != nil {
			return err
		}
		if games.Get([]byte(g.Channel)) != nil {
			return ErrGameRunning
		}
		seq, err := games.NextSequence()
		if err != nil {
			return err
		}
		g.ID = strconv.FormatUint(seq, 36)
		if err := putGame(games, g); err != nil {
			return err
		}
		recent, err := tx.CreateBucketIfNotExists(bucketTriviaRecent)
		if err != nil {
			return err
		}
		ch, err := recent.CreateBucketIfNotExists([]byte(g.Channel))
		if err != nil {
			return err
		}
		for _, q := range g.Questions {
			n, err := ch.NextSequence()
			if err != nil {
				return err
			}
			if err := ch.Put([]byte(q), binary.AppendUvarint(nil, n)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return GameRecord{}, err
	}
	return g, nil
}

func putGame(games *bolt.Bucket, g GameRecord) error {
	v, err := json.Marshal(g)
	if err != nil {
		return err
	}
	return games.Put([]byte(g.Channel), v)
}

// SaveGame replaces the stored state of the running game g. It returns ErrNotFound when
// g is no longer its channel's game.
func (s *Store) SaveGame(g GameRecord) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		games := tx.Bucket(bucketTriviaGames)
		if cur, err := gameIn(games, g.Channel); err != nil || cur.ID != g.ID {
			return errors.Join(ErrNotFound, err)
		}
		return putGame(games, g)
	})
}

// gameIn returns the game stored for channel in games (which may be nil).
func gameIn(games *bolt.Bucket, channel string) (GameRecord, error) {
	var g GameRecord
	if games == nil {
		return g, ErrNotFound
	}
	v := games.Get([]byte(channel))
	if v == nil {
		return g, ErrNotFound
	}
	if err := json.Unmarshal(v, &g); err != nil {
		return g, fmt.Errorf("game in channel %s: %w", channel, err)
	}
	return g, nil
}

// Game returns the game running in channel, or ErrNotFound.
func (s *Store) Game(channel string) (GameRecord, error) {
	var g GameRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		g, err = gameIn(tx.Bucket(bucketTriviaGames), channel)
		return err
	})
	return g, err
}

// Games returns every running game.
func (s *Store) Games() ([]GameRecord, error) {
	var out []GameRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		games := tx.Bucket(bucketTriviaGames)
		if games == nil {
			return nil
		}
		return games.ForEach(func(k, v []byte) error {
			var g GameRecord
			if err := json.Unmarshal(v, &g); err != nil {
				return fmt.Errorf("game in channel %s: %w", k, err)
			}
			out = append(out, g)
			return nil
		})
	})
	return out, err
}

// EndGame removes game id from its channel (doing nothing when it is already gone) and,
// in the same transaction, deletes the answers of games that ended more than
// AnswerRetention before now.
func (s *Store) EndGame(channel, id string, now time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		games := tx.Bucket(bucketTriviaGames)
		cur, err := gameIn(games, channel)
		if errors.Is(err, ErrNotFound) || (err == nil && cur.ID != id) {
			return nil
		}
		// A record that does not decode is deleted too: it can never be restored.
		if err := games.Delete([]byte(channel)); err != nil {
			return err
		}
		closed, err := tx.CreateBucketIfNotExists(bucketTriviaClosed)
		if err != nil {
			return err
		}
		key := binary.BigEndian.AppendUint64(nil, uint64(now.UnixNano()))
		if err := closed.Put(append(key, id...), nil); err != nil {
			return err
		}
		return pruneAnswers(tx, closed, now.Add(-AnswerRetention))
	})
}

// pruneAnswers deletes the answers of games that ended before cutoff.
func pruneAnswers(tx *bolt.Tx, closed *bolt.Bucket, cutoff time.Time) error {
	answers := tx.Bucket(bucketTriviaAnswers)
	limit := uint64(cutoff.UnixNano())
	c := closed.Cursor()
	for k, _ := c.First(); len(k) >= 8 && binary.BigEndian.Uint64(k) < limit; k, _ = c.First() {
		game := k[8:]
		if answers != nil && answers.Bucket(game) != nil {
			if err := answers.DeleteBucket(game); err != nil {
				return err
			}
		}
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// RecentQuestions returns, for each question asked in channel, a number that grows with
// each question asked there: lower means asked longer ago. Questions never asked there
// are absent.
func (s *Store) RecentQuestions(channel string) (map[string]uint64, error) {
	out := make(map[string]uint64)
	err := s.db.View(func(tx *bolt.Tx) error {
		b := nestedBucket(tx, bucketTriviaRecent, channel)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			n, size := binary.Uvarint(v)
			if size <= 0 {
				return fmt.Errorf("recent question %q in channel %s: %w", k, channel, errCorruptTrivia)
			}
			out[string(k)] = n
			return nil
		})
	})
	return out, err
}
