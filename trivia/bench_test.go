package trivia_test

import (
	"testing"

	"filmbot/trivia/triviatest"
)

// BenchmarkButtonAnswer is one player's button answer in process on a real store with
// fsync on: decode the interaction, check and store the answer with its points (one
// fsynced commit), encode the "Locked in" reply. p50 and p99 are reported in microseconds.
func BenchmarkButtonAnswer(b *testing.B) {
	set, id := triviatest.OpenQuestion(b, "testdata/quiz.toml", nil)
	triviatest.Latency(b, set, id)
}

// BenchmarkButtonAnswerParallel is many players answering at once (32 goroutines per
// CPU): acknowledged answers per second, each acknowledged only after its commit.
func BenchmarkButtonAnswerParallel(b *testing.B) {
	set, id := triviatest.OpenQuestion(b, "testdata/quiz.toml", nil)
	triviatest.Parallel(b, set, id)
}
