package pgstore_test

import (
	"context"
	"testing"

	"filmbot/internal/pgtest"
	"filmbot/pgstore"
	"filmbot/store"
	"filmbot/trivia/triviatest"
)

// These benchmarks are trivia's button answer (trivia/bench_test.go) with the scores in
// PostgreSQL: decode the click, check it, record the answer (one committed statement),
// encode "Locked in".

// postgresGuilds keeps per-guild data in a fresh PostgreSQL database, the knowledge in
// bbolt.
func postgresGuilds(b *testing.B) func(*store.Store) store.GuildStore {
	return func(*store.Store) store.GuildStore {
		pg, err := pgstore.Open(context.Background(), pgtest.DB(b), pgstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { pg.Close() })
		return pg
	}
}

// BenchmarkButtonAnswerPostgres is one player's button answer at a time; p50 and p99 in
// microseconds.
func BenchmarkButtonAnswerPostgres(b *testing.B) {
	set, id := triviatest.OpenQuestion(b, "../trivia/testdata/quiz.toml", postgresGuilds(b))
	triviatest.Latency(b, set, id)
}

// BenchmarkButtonAnswerPostgresParallel is many players answering at once (32 goroutines
// per CPU): acknowledged answers per second.
func BenchmarkButtonAnswerPostgresParallel(b *testing.B) {
	set, id := triviatest.OpenQuestion(b, "../trivia/testdata/quiz.toml", postgresGuilds(b))
	triviatest.Parallel(b, set, id)
}
