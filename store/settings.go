package store

// Per-guild trivia settings.
//
//	trivia-settings / <guild ID> → JSON TriviaSettings

import (
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

var bucketTriviaSettings = []byte("trivia-settings")

// TriviaSettings are a guild's trivia defaults. Zero fields mean "use the built-in
// default", so a guild that never changed anything needs no record, and HideAnswers is
// phrased so that its zero value is the usual behaviour (answers revealed).
type TriviaSettings struct {
	// Seconds is the default time allowed per question.
	Seconds int `json:"seconds,omitempty"`
	// Questions is the default number of questions in a game.
	Questions int `json:"questions,omitempty"`
	// HideAnswers keeps the right answer out of each question's reveal.
	HideAnswers bool `json:"hide_answers,omitempty"`
}

// TriviaSettings returns guild's trivia settings; the zero value when it has none.
func (s *Store) TriviaSettings(guild string) (TriviaSettings, error) {
	var ts TriviaSettings
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTriviaSettings)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(guild))
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(v, &ts); err != nil {
			return fmt.Errorf("trivia settings of guild %s: %w", guild, err)
		}
		return nil
	})
	return ts, err
}

// SaveTriviaSettings replaces guild's trivia settings.
func (s *Store) SaveTriviaSettings(guild string, ts TriviaSettings) error {
	if guild == "" {
		return errors.New("store: trivia settings need a guild")
	}
	v, err := json.Marshal(ts)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketTriviaSettings)
		if err != nil {
			return err
		}
		return b.Put([]byte(guild), v)
	})
}
