package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"filmbot/store"
)

// Conformance runs the behaviour every store.GuildStore must share (the bbolt Store and
// pgstore's PostgreSQL store) against stores that open makes: each subtest gets a fresh,
// empty one.
func Conformance(t *testing.T, open func(t *testing.T) store.GuildStore) {
	t.Run("Games", func(t *testing.T) { conformGames(t, open(t)) })
	t.Run("RecentQuestions", func(t *testing.T) { conformRecent(t, open(t)) })
	t.Run("RecordAnswer", func(t *testing.T) { conformRecord(t, open(t)) })
	t.Run("Prune", func(t *testing.T) { conformPrune(t, open(t)) })
	t.Run("Leaderboard", func(t *testing.T) { conformLeaderboard(t, open(t)) })
	t.Run("ResetScores", func(t *testing.T) { conformReset(t, open(t)) })
	t.Run("Settings", func(t *testing.T) { conformSettings(t, open(t)) })
	t.Run("Concurrent", func(t *testing.T) { conformConcurrent(t, open(t)) })
}

// t0 is a fixed time with whole microseconds, which every engine stores exactly.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func mustStart(t *testing.T, s store.GuildStore, g store.GameRecord) store.GameRecord {
	t.Helper()
	g, err := s.StartGame(g)
	if err != nil {
		t.Fatalf("StartGame(%s): %v", g.Channel, err)
	}
	return g
}

func mustRecord(t *testing.T, s store.GuildStore, a store.Answer) {
	t.Helper()
	if err := s.RecordAnswer(a); err != nil {
		t.Fatalf("RecordAnswer(%+v): %v", a, err)
	}
}

func conformGames(t *testing.T, s store.GuildStore) {
	if _, err := s.StartGame(store.GameRecord{Channel: "c1"}); err == nil {
		t.Errorf("StartGame without a guild: no error")
	}
	g := store.GameRecord{Guild: "g1", Channel: "c1", StartedBy: "u1", Film: "f1",
		Questions: []string{"q1", "q2"}, StartedAt: t0, Index: -1}
	a := mustStart(t, s, g)
	if a.ID == "" {
		t.Fatalf("StartGame gave no ID")
	}
	if _, err := s.StartGame(g); !errors.Is(err, store.ErrGameRunning) {
		t.Errorf("second StartGame in c1: %v, want ErrGameRunning", err)
	}
	b := mustStart(t, s, store.GameRecord{Guild: "g2", Channel: "c2", Questions: []string{"q1"}, StartedAt: t0, Index: -1})
	if b.ID == a.ID {
		t.Errorf("two games share the ID %q", a.ID)
	}

	a.Index, a.MessageID, a.Deadline = 0, "m1", t0.Add(20*time.Second)
	if err := s.SaveGame(a); err != nil {
		t.Fatalf("SaveGame: %v", err)
	}
	stale := a
	stale.ID = "no-such-game"
	if err := s.SaveGame(stale); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SaveGame of a game not running: %v, want ErrNotFound", err)
	}
	games, err := s.Games()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]store.GameRecord{}
	for _, g := range games {
		got[g.Channel] = g
	}
	want := map[string]store.GameRecord{"c1": a, "c2": b}
	if d := cmp.Diff(want, got, cmp.Comparer(func(x, y time.Time) bool { return x.Equal(y) })); d != "" {
		t.Errorf("Games (-want +got):\n%s", d)
	}

	if err := s.EndGame("c1", "no-such-game", t0); err != nil {
		t.Errorf("EndGame of another ID: %v", err)
	}
	if games, _ := s.Games(); len(games) != 2 {
		t.Errorf("EndGame of another ID removed a game: %d left", len(games))
	}
	if err := s.EndGame("c1", a.ID, t0); err != nil {
		t.Fatalf("EndGame: %v", err)
	}
	if err := s.EndGame("c1", a.ID, t0); err != nil {
		t.Errorf("EndGame twice: %v", err)
	}
	games, _ = s.Games()
	if len(games) != 1 || games[0].Channel != "c2" {
		t.Errorf("after EndGame(c1) Games = %+v, want only c2", games)
	}
	c := mustStart(t, s, g)
	if c.ID == a.ID || c.ID == b.ID {
		t.Errorf("a new game in c1 reused the ID %q", c.ID)
	}
}

func conformRecent(t *testing.T, s store.GuildStore) {
	if r, err := s.RecentQuestions("c1"); err != nil || len(r) != 0 {
		t.Fatalf("RecentQuestions of a new channel = %v, %v; want empty", r, err)
	}
	a := mustStart(t, s, store.GameRecord{Guild: "g", Channel: "c1", Questions: []string{"q1", "q2", "q3"}, Index: -1})
	if err := s.EndGame("c1", a.ID, t0); err != nil {
		t.Fatal(err)
	}
	mustStart(t, s, store.GameRecord{Guild: "g", Channel: "c1", Questions: []string{"q4", "q1"}, Index: -1})
	mustStart(t, s, store.GameRecord{Guild: "g", Channel: "c2", Questions: []string{"q9"}, Index: -1})
	r, err := s.RecentQuestions("c1")
	if err != nil {
		t.Fatal(err)
	}
	if len(r) != 4 {
		t.Fatalf("RecentQuestions(c1) = %v, want 4 questions", r)
	}
	// Asked order: q2, q3 (first game, q1 again later), q4, q1.
	order := []string{"q2", "q3", "q4", "q1"}
	for i := 1; i < len(order); i++ {
		if r[order[i-1]] >= r[order[i]] {
			t.Errorf("RecentQuestions(c1): %s=%d not below %s=%d; want order %v", order[i-1], r[order[i-1]], order[i], r[order[i]], order)
		}
	}
	if _, ok := r["q9"]; ok {
		t.Errorf("RecentQuestions(c1) holds c2's question q9")
	}
}

func conformRecord(t *testing.T, s store.GuildStore) {
	for _, bad := range []store.Answer{
		{Game: "x", User: "u"},
		{Guild: "g", User: "u"},
		{Guild: "g", Game: "x"},
		{Guild: "g", Game: "x", User: "u", Points: -1},
		{Guild: "g", Game: "x", User: "u", Question: -1},
		{Guild: "g", Game: "x", User: "u\x00v"},
	} {
		if err := s.RecordAnswer(bad); err == nil || errors.Is(err, store.ErrAnswered) {
			t.Errorf("RecordAnswer(%+v) = %v, want a validation error", bad, err)
		}
	}
	if _, err := s.Score("g", "u"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Score after refused answers: %v, want ErrNotFound", err)
	}
	answers := []store.Answer{
		{Guild: "g", Game: "ga", Question: 0, QuestionID: "q1", User: "u1", Correct: true, Points: 100, Streak: 1, At: t0},
		{Guild: "g", Game: "ga", Question: 1, QuestionID: "q2", User: "u1", Correct: true, Points: 150, Streak: 2, At: t0.Add(time.Second)},
		{Guild: "g", Game: "ga", Question: 2, QuestionID: "q3", User: "u1", Correct: false, At: t0.Add(2 * time.Second)},
		{Guild: "g", Game: "ga", Question: 0, QuestionID: "q1", User: "u2", Correct: false, At: t0.Add(time.Millisecond)},
		{Guild: "g", Game: "gb", Question: 0, QuestionID: "q7", User: "u1", Correct: true, Points: 80, Streak: 1, At: t0.Add(time.Hour)},
		{Guild: "h", Game: "gc", Question: 0, QuestionID: "q7", User: "u1", Correct: true, Points: 5, Streak: 1, At: t0.Add(time.Hour)},
	}
	for _, a := range answers {
		mustRecord(t, s, a)
	}
	dup := answers[1]
	dup.Points = 1000
	if err := s.RecordAnswer(dup); !errors.Is(err, store.ErrAnswered) {
		t.Errorf("second answer to the same question: %v, want ErrAnswered", err)
	}
	got, err := s.Score("g", "u1")
	if err != nil {
		t.Fatal(err)
	}
	want := store.Score{User: "u1", Points: 330, Correct: 3, Answered: 4, Games: 2, BestStreak: 2}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Score(g, u1) (-want +got):\n%s", d)
	}
	if got, _ := s.Score("h", "u1"); got.Points != 5 || got.Games != 1 {
		t.Errorf("Score(h, u1) = %+v, want 5 points in 1 game", got)
	}

	stored, err := s.Answers("ga")
	if err != nil {
		t.Fatal(err)
	}
	wantGA := []store.Answer{answers[0], answers[1], answers[2], answers[3]}
	if d := cmp.Diff(wantGA, utc(stored)); d != "" {
		t.Errorf("Answers(ga) (-want +got):\n%s", d)
	}
	all, err := s.Answers("")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(append(wantGA, answers[4], answers[5]), utc(all)); d != "" {
		t.Errorf("Answers(\"\") (-want +got):\n%s", d)
	}
}

// utc puts every answer's time in UTC, since engines may hand times back in local time.
func utc(as []store.Answer) []store.Answer {
	for i := range as {
		as[i].At = as[i].At.UTC()
	}
	return as
}

func conformPrune(t *testing.T, s store.GuildStore) {
	old := mustStart(t, s, store.GameRecord{Guild: "g", Channel: "c", Questions: []string{"q"}, Index: -1})
	mustRecord(t, s, store.Answer{Guild: "g", Game: old.ID, User: "u", Correct: true, Points: 10, Streak: 1, At: t0})
	if err := s.EndGame("c", old.ID, t0); err != nil {
		t.Fatal(err)
	}
	recent := mustStart(t, s, store.GameRecord{Guild: "g", Channel: "c", Questions: []string{"q"}, Index: -1})
	mustRecord(t, s, store.Answer{Guild: "g", Game: recent.ID, User: "u", Points: 0, At: t0.Add(time.Hour)})
	if err := s.EndGame("c", recent.ID, t0.Add(store.AnswerRetention-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if as, _ := s.Answers(old.ID); len(as) != 1 {
		t.Errorf("answers of a game ended less than AnswerRetention ago were pruned: %v", as)
	}
	later := mustStart(t, s, store.GameRecord{Guild: "g", Channel: "c", Questions: []string{"q"}, Index: -1})
	if err := s.EndGame("c", later.ID, t0.Add(store.AnswerRetention+time.Minute)); err != nil {
		t.Fatal(err)
	}
	if as, _ := s.Answers(old.ID); len(as) != 0 {
		t.Errorf("answers of a game ended more than AnswerRetention ago are kept: %v", as)
	}
	if as, _ := s.Answers(recent.ID); len(as) != 1 {
		t.Errorf("answers of the recent game: %v, want its 1 answer", as)
	}
	if sc, err := s.Score("g", "u"); err != nil || sc.Points != 10 || sc.Answered != 2 {
		t.Errorf("Score after pruning = %+v, %v; want 10 points from 2 answers (scores are kept)", sc, err)
	}
}

// play records one answer per entry: user → points, in a game of its own per guild.
func play(t *testing.T, s store.GuildStore, guild string, pts map[string]int) {
	t.Helper()
	for u, p := range pts {
		mustRecord(t, s, store.Answer{Guild: guild, Game: "game-" + guild, User: u, Correct: p > 0, Points: p, Streak: min(p, 1), At: t0})
	}
}

func conformLeaderboard(t *testing.T, s store.GuildStore) {
	if top, me, err := s.Leaderboard("g1", 10, "u1"); err != nil || len(top) != 0 || me.Rank != 0 || me.User != "u1" {
		t.Errorf("Leaderboard of an empty guild = %v, %+v, %v; want nothing, u1 unranked", top, me, err)
	}
	play(t, s, "g1", map[string]int{"a": 50, "b": 30, "c": 30, "d": 10, "e": 0})
	play(t, s, "g2", map[string]int{"a": 5, "d": 100, "f": 40})
	rankedOf := func(top []store.Ranked) []string {
		var out []string
		for _, r := range top {
			out = append(out, fmt.Sprintf("%d %s %d", r.Rank, r.User, r.Points))
		}
		return out
	}
	top, me, err := s.Leaderboard("g1", 3, "d")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"1 a 50", "2 b 30", "2 c 30"}, rankedOf(top)); d != "" {
		t.Errorf("Leaderboard(g1, 3) (-want +got):\n%s", d)
	}
	if me.Rank != 4 || me.Points != 10 || me.User != "d" {
		t.Errorf("Leaderboard(g1) me = %+v, want d at rank 4 with 10", me)
	}
	top, me, err = s.Leaderboard("", 10, "f")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"1 d 110", "2 a 55", "3 f 40", "4 b 30", "4 c 30", "6 e 0"}, rankedOf(top)); d != "" {
		t.Errorf("global Leaderboard (-want +got):\n%s", d)
	}
	wantMe := store.Ranked{Rank: 3, Score: store.Score{User: "f", Points: 40, Correct: 1, Answered: 1, Games: 1, BestStreak: 1}}
	if d := cmp.Diff(wantMe, me); d != "" {
		t.Errorf("global Leaderboard me (-want +got):\n%s", d)
	}
	if top[0].Answered != 2 || top[0].Games != 2 || top[0].Correct != 2 {
		t.Errorf("global total of d = %+v, want 2 answered, 2 right, 2 games", top[0])
	}
	if _, me, _ := s.Leaderboard("", 10, "nobody"); me.Rank != 0 {
		t.Errorf("rank of a user with no score = %d, want 0", me.Rank)
	}
}

func conformReset(t *testing.T, s store.GuildStore) {
	if _, err := s.ResetScores(""); err == nil {
		t.Errorf("ResetScores without a guild: no error")
	}
	play(t, s, "g1", map[string]int{"a": 50, "b": 30})
	play(t, s, "g2", map[string]int{"a": 7})
	mustRecord(t, s, store.Answer{Guild: "g1", Game: "other", User: "a", Correct: true, Points: 1, Streak: 9, At: t0})
	n, err := s.ResetScores("g1")
	if err != nil || n != 2 {
		t.Fatalf("ResetScores(g1) = %d, %v; want 2", n, err)
	}
	if top, _, _ := s.Leaderboard("g1", 10, ""); len(top) != 0 {
		t.Errorf("g1 leaderboard after reset: %v", top)
	}
	top, _, err := s.Leaderboard("", 10, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Ranked{{Rank: 1, Score: store.Score{User: "a", Points: 7, Correct: 1, Answered: 1, Games: 1, BestStreak: 1}}}
	if d := cmp.Diff(want, top); d != "" {
		t.Errorf("global leaderboard after resetting g1 (-want +got):\n%s", d)
	}
	if n, err := s.ResetScores("g1"); err != nil || n != 0 {
		t.Errorf("second ResetScores(g1) = %d, %v; want 0", n, err)
	}
	// Answers stay, so a game running through the reset refuses a repeat answer.
	if err := s.RecordAnswer(store.Answer{Guild: "g1", Game: "other", User: "a", At: t0}); !errors.Is(err, store.ErrAnswered) {
		t.Errorf("repeat answer after reset: %v, want ErrAnswered", err)
	}
}

func conformSettings(t *testing.T, s store.GuildStore) {
	if ts, err := s.TriviaSettings("g"); err != nil || ts != (store.TriviaSettings{}) {
		t.Errorf("TriviaSettings of a new guild = %+v, %v; want zero", ts, err)
	}
	if err := s.SaveTriviaSettings("", store.TriviaSettings{Seconds: 30}); err == nil {
		t.Errorf("SaveTriviaSettings without a guild: no error")
	}
	want := store.TriviaSettings{Seconds: 30, Questions: 5, HideAnswers: true}
	if err := s.SaveTriviaSettings("g", want); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveTriviaSettings("h", store.TriviaSettings{Seconds: 15}); err != nil {
		t.Fatal(err)
	}
	got, err := s.TriviaSettings("g")
	if d := cmp.Diff(want, got); err != nil || d != "" {
		t.Errorf("TriviaSettings(g): %v (-want +got):\n%s", err, d)
	}
	want.HideAnswers = false
	if err := s.SaveTriviaSettings("g", want); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.TriviaSettings("g"); got != want {
		t.Errorf("TriviaSettings(g) after replacing = %+v, want %+v", got, want)
	}
}

// conformConcurrent has many goroutines answer at once, some answering the same question
// twice, and checks the totals equal what was acknowledged.
func conformConcurrent(t *testing.T, s store.GuildStore) {
	const workers, each = 16, 20
	var wg sync.WaitGroup
	acked := make([]int, workers)
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// 4 users in 2 games: two workers answer for each user in each game, so
			// every question is tried twice and one of the two must be refused.
			user := fmt.Sprintf("u%d", w%4)
			game := fmt.Sprintf("game%d", (w/4)%2)
			for q := range each {
				a := store.Answer{Guild: "g", Game: game, Question: q, User: user,
					Correct: true, Points: 1 + q, Streak: 1, At: t0}
				err := s.RecordAnswer(a)
				switch {
				case err == nil:
					acked[w] += a.Points
				case !errors.Is(err, store.ErrAnswered):
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("RecordAnswer: %v", err)
	}
	total := 0
	for _, n := range acked {
		total += n
	}
	top, _, err := s.Leaderboard("g", 10, "")
	if err != nil {
		t.Fatal(err)
	}
	stored := int64(0)
	for _, r := range top {
		stored += r.Points
	}
	if stored != int64(total) {
		t.Errorf("stored points %d, acknowledged %d", stored, total)
	}
	// Every (game, user, question) is stored once: 2 games × 4 users × each.
	if as, _ := s.Answers(""); len(as) != 2*4*each {
		t.Errorf("%d answers stored, want %d", len(as), 2*4*each)
	}
}
