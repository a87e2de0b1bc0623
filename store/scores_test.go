package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	bolt "go.etcd.io/bbolt"
)

// openTriviaStore opens an empty store in a temporary directory, with fsync on as in
// production, and checks its consistency when the test ends.
func openTriviaStore(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(filepath.Join(tb.TempDir(), "trivia.db"), Options{})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Check(); err != nil {
			tb.Errorf("consistency check: %v", err)
		}
		if err := s.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return s
}

func TestAnswerLog_Record(t *testing.T) {
	s := openTriviaStore(t)
	log := NewAnswerLog(s)
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	answers := []Answer{
		{Guild: "g1", Game: "a", Question: 0, QuestionID: "q1", User: "u1", Correct: true, Points: 15, Streak: 1, At: at},
		{Guild: "g1", Game: "a", Question: 0, QuestionID: "q1", User: "u2", Correct: false, Points: 0, At: at},
		{Guild: "g1", Game: "a", Question: 1, QuestionID: "q2", User: "u1", Correct: true, Points: 14, Streak: 2, At: at},
		{Guild: "g1", Game: "b", Question: 0, QuestionID: "q3", User: "u1", Correct: true, Points: 10, Streak: 1, At: at},
		{Guild: "g2", Game: "c", Question: 0, QuestionID: "q3", User: "u1", Correct: true, Points: 12, Streak: 1, At: at},
	}
	for _, a := range answers {
		if err := log.Record(a); err != nil {
			t.Fatalf("Record(%+v): %v", a, err)
		}
	}
	// A second answer to the same question is refused and changes nothing.
	again := answers[0]
	again.Points = 99
	if err := log.Record(again); !errors.Is(err, ErrAnswered) {
		t.Fatalf("second answer: got %v, want ErrAnswered", err)
	}

	got, err := s.Score("g1", "u1")
	if err != nil {
		t.Fatal(err)
	}
	want := Score{User: "u1", Points: 39, Correct: 3, Answered: 3, Games: 2, BestStreak: 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("score g1/u1 (-want +got):\n%s", diff)
	}
	if _, err := s.Score("g2", "u2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("score of a user with no answers in g2: got %v, want ErrNotFound", err)
	}
	stored, err := s.Answers("")
	if err != nil {
		t.Fatal(err)
	}
	opt := cmpopts.SortSlices(func(a, b Answer) bool {
		return fmt.Sprint(a.Game, a.User, a.Question) < fmt.Sprint(b.Game, b.User, b.Question)
	})
	if diff := cmp.Diff(answers, stored, opt); diff != "" {
		t.Errorf("stored answers (-want +got):\n%s", diff)
	}
}

func TestAnswerLog_RecordInvalid(t *testing.T) {
	s := openTriviaStore(t)
	log := NewAnswerLog(s)
	for _, a := range []Answer{
		{Game: "a", User: "u"},
		{Guild: "g", User: "u"},
		{Guild: "g", Game: "a"},
		{Guild: "g", Game: "a", User: "u\x00v"},
		{Guild: "g", Game: "a", User: "u", Question: -1},
		{Guild: "g", Game: "a", User: "u", Question: 70000},
		{Guild: "g", Game: "a", User: "u", Points: -3},
	} {
		if err := log.Record(a); err == nil {
			t.Errorf("Record(%+v) = nil, want an error", a)
		}
	}
	if got, _ := s.Answers(""); len(got) != 0 {
		t.Errorf("invalid answers stored: %+v", got)
	}
}

func TestStore_Leaderboard(t *testing.T) {
	s := openTriviaStore(t)
	log := NewAnswerLog(s)
	// points per user in g1, and some in g2
	for i, a := range []struct {
		guild, user string
		points      int
		correct     bool
	}{
		{"g1", "ann", 30, true}, {"g1", "bob", 20, true}, {"g1", "cat", 20, true},
		{"g1", "dan", 10, true}, {"g1", "eve", 0, false}, {"g2", "dan", 50, true},
		{"g2", "fay", 5, true},
	} {
		err := log.Record(Answer{Guild: a.guild, Game: "x", Question: i, User: a.user, Points: a.points, Correct: a.correct})
		if err != nil {
			t.Fatal(err)
		}
	}
	type row struct {
		User   string
		Points int64
		Rank   int
	}
	rows := func(rs []Ranked) []row {
		var out []row
		for _, r := range rs {
			out = append(out, row{r.User, r.Points, r.Rank})
		}
		return out
	}
	tests := []struct {
		name, guild, user string
		n                 int
		want              []row
		me                row
	}{
		{"server top 3", "g1", "eve", 3, []row{{"ann", 30, 1}, {"bob", 20, 2}, {"cat", 20, 2}}, row{"eve", 0, 5}},
		{"server caller in top", "g1", "bob", 10,
			[]row{{"ann", 30, 1}, {"bob", 20, 2}, {"cat", 20, 2}, {"dan", 10, 4}, {"eve", 0, 5}}, row{"bob", 20, 2}},
		{"caller without score", "g2", "ann", 10, []row{{"dan", 50, 1}, {"fay", 5, 2}}, row{"ann", 0, 0}},
		{"global sums guilds", "", "fay", 2, []row{{"dan", 60, 1}, {"ann", 30, 2}}, row{"fay", 5, 5}},
		{"empty guild", "g3", "ann", 10, nil, row{"ann", 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top, me, err := s.Leaderboard(tt.guild, tt.n, tt.user)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rows(top)); diff != "" {
				t.Errorf("top (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.me, rows([]Ranked{me})[0]); diff != "" {
				t.Errorf("caller (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStore_ResetScores(t *testing.T) {
	s := openTriviaStore(t)
	log := NewAnswerLog(s)
	for i, g := range []string{"g1", "g1", "g2"} {
		if err := log.Record(Answer{Guild: g, Game: "x", User: fmt.Sprint("u", i), Points: 10, Correct: true}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.ResetScores("g1")
	if err != nil || n != 2 {
		t.Fatalf("ResetScores(g1) = %d, %v; want 2, nil", n, err)
	}
	if got, _ := s.Scores("g1"); len(got) != 0 {
		t.Errorf("g1 scores after reset: %+v", got)
	}
	if got, _ := s.Scores("g2"); len(got) != 1 {
		t.Errorf("g2 scores after resetting g1: %+v, want 1 left", got)
	}
	if n, err := s.ResetScores("g1"); err != nil || n != 0 {
		t.Errorf("second reset = %d, %v; want 0, nil", n, err)
	}
	// Scoring goes on after a reset.
	if err := log.Record(Answer{Guild: "g1", Game: "y", User: "u0", Points: 7}); err != nil {
		t.Fatal(err)
	}
	if sc, err := s.Score("g1", "u0"); err != nil || sc.Points != 7 {
		t.Errorf("score after reset and one answer = %+v, %v; want 7 points", sc, err)
	}
}

// recordFunc stores one answer and its points; nil means the answer is acknowledged.
type recordFunc func(s *Store, a Answer) error

// recordReadThenWrite is the deliberately broken recorder the concurrency check must
// catch: it reads the score in one transaction and writes it in another, so concurrent
// answers overwrite each other's points.
func recordReadThenWrite(s *Store, a Answer) error {
	var sc Score
	err := s.db.View(func(tx *bolt.Tx) error {
		if b := nestedBucket(tx, bucketTriviaScores, a.Guild); b != nil {
			if v := b.Get([]byte(a.User)); v != nil {
				var err error
				sc, err = decodeScore(a.User, v)
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		scores, err := tx.CreateBucketIfNotExists(bucketTriviaScores)
		if err != nil {
			return err
		}
		guild, err := scores.CreateBucketIfNotExists([]byte(a.Guild))
		if err != nil {
			return err
		}
		sc.User = a.User
		sc.Points += int64(a.Points)
		sc.Answered++
		return guild.Put([]byte(a.User), encodeScore(sc))
	})
}

// hammer has 64 goroutines record perGoroutine answers each across 8 guilds, 4 players per
// guild shared by 8 goroutines each, and returns the points and answers acknowledged per
// guild and user. It counts answers rather than running for a duration, so the test does
// the same work however busy the machine is.
func hammer(t *testing.T, s *Store, record recordFunc, perGoroutine int) map[[2]string]Score {
	t.Helper()
	const goroutines, guilds, players = 64, 8, 4
	var (
		mu    sync.Mutex
		acked = make(map[[2]string]Score)
		total atomic.Int64
		wg    sync.WaitGroup
	)
	for i := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			guild := fmt.Sprint("guild-", i%guilds)
			game := fmt.Sprint("game-", i) // each goroutine plays its own game
			for n := range perGoroutine {
				a := Answer{
					Guild: guild, Game: game, Question: n / players, QuestionID: fmt.Sprint("q", n/players),
					User: fmt.Sprint("player-", i%guilds, "-", n%players), Points: 1 + (i*7+n*13)%20,
				}
				a.Correct = a.Points > 5
				if err := record(s, a); err != nil {
					t.Errorf("record %+v: %v", a, err)
					return
				}
				mu.Lock()
				k := [2]string{a.Guild, a.User}
				sc := acked[k]
				sc.User = a.User
				sc.Points += int64(a.Points)
				sc.Answered++
				acked[k] = sc
				mu.Unlock()
				total.Add(1)
			}
		}()
	}
	wg.Wait()
	t.Logf("%d answers acknowledged", total.Load())
	return acked
}

// lostAnswers compares acknowledged points and answer counts with the stored scores and
// describes every difference.
func lostAnswers(s *Store, acked map[[2]string]Score) ([]string, error) {
	var diffs []string
	for k, want := range acked {
		got, err := s.Score(k[0], k[1])
		if err != nil {
			return nil, err
		}
		if got.Points != want.Points || got.Answered != want.Answered {
			diffs = append(diffs, fmt.Sprintf("%s/%s: acknowledged %d points in %d answers, stored %d in %d",
				k[0], k[1], want.Points, want.Answered, got.Points, got.Answered))
		}
	}
	return diffs, nil
}

func TestAnswerLog_NoLostAnswersUnderConcurrency(t *testing.T) {
	s := openTriviaStore(t)
	log := NewAnswerLog(s)
	acked := hammer(t, s, func(_ *Store, a Answer) error { return log.Record(a) }, 60)
	diffs, err := lostAnswers(s, acked)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Error(d)
	}
	if len(acked) == 0 {
		t.Fatal("no answers acknowledged")
	}
}

// TestLostAnswers_CatchesReadThenWrite is the test of the test: the same check, run on a
// recorder that reads and writes in separate transactions, must report lost points.
func TestLostAnswers_CatchesReadThenWrite(t *testing.T) {
	s := openTriviaStore(t)
	acked := hammer(t, s, recordReadThenWrite, 30)
	diffs, err := lostAnswers(s, acked)
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) == 0 {
		t.Fatal("the check found no lost answers in the read-then-write recorder")
	}
	t.Logf("caught %d users with lost points, e.g. %s", len(diffs), diffs[0])
}
