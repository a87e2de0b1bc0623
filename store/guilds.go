package store

import (
	"time"
)

// GuildStore is the per-guild trivia data: scores, the answer log, settings, games in
// progress and the questions each channel was asked lately. Store serves it from the
// bbolt file for one process; pgstore serves it from PostgreSQL for several processes
// sharing one database. storetest.Conformance holds both to the same behaviour.
//
// Every method is safe for concurrent use. RecordAnswer returns only once the answer and
// its points are durable, so an acknowledgement sent after it is honest; it adds the
// points inside the same transaction as the answer, never read-then-write.
type GuildStore interface {
	// StartGame stores g as its channel's running game with a new ID and marks its
	// questions as asked in the channel; ErrGameRunning when the channel has a game.
	StartGame(g GameRecord) (GameRecord, error)
	// SaveGame replaces the running game g; ErrNotFound when it is no longer running.
	SaveGame(g GameRecord) error
	// EndGame removes game id from channel (nothing when it is gone) and prunes answers
	// of games that ended more than AnswerRetention before now.
	EndGame(channel, id string, now time.Time) error
	// Games returns every running game.
	Games() ([]GameRecord, error)
	// RecordAnswer stores a and adds its points to the user's score in a.Guild;
	// ErrAnswered when the user already answered that question of that game.
	RecordAnswer(a Answer) error
	// Answers returns the stored answers of game (every game when empty), ordered by
	// game, user and question.
	Answers(game string) ([]Answer, error)
	// Score returns user's score in guild, or ErrNotFound.
	Score(guild, user string) (Score, error)
	// Leaderboard returns the top n of guild (of every guild when empty) and user's own
	// place, ranked as Store.Leaderboard documents.
	Leaderboard(guild string, n int, user string) (top []Ranked, me Ranked, err error)
	// ResetScores deletes every score in guild and returns how many users had one.
	ResetScores(guild string) (int, error)
	// TriviaSettings returns guild's settings, the zero value when it has none.
	TriviaSettings(guild string) (TriviaSettings, error)
	// SaveTriviaSettings replaces guild's settings.
	SaveTriviaSettings(guild string, ts TriviaSettings) error
	// RecentQuestions returns, for each question asked in channel, a number that grows
	// with each question asked there.
	RecentQuestions(channel string) (map[string]uint64, error)
}

var _ GuildStore = (*Store)(nil)

// RecordAnswer records a through the store's own AnswerLog (group commit across every
// caller): it returns once the transaction holding a has committed.
func (s *Store) RecordAnswer(a Answer) error {
	s.answerLogOnce.Do(func() { s.answerLog = NewAnswerLog(s) })
	return s.answerLog.Record(a)
}

// Validate reports why a cannot be stored, or nil: every GuildStore refuses the same
// answers.
func (a Answer) Validate() error { return validAnswer(a) }
