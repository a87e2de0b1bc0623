package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"filmbot/internal/catalogtest"
)

func TestStore_StartGame(t *testing.T) {
	s := openTriviaStore(t)
	at := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	g1, err := s.StartGame(GameRecord{Guild: "g", Channel: "c1", StartedBy: "u", Questions: []string{"q1", "q2"}, StartedAt: at, Index: -1})
	if err != nil {
		t.Fatal(err)
	}
	if g1.ID == "" {
		t.Fatal("StartGame gave the game no ID")
	}
	if _, err := s.StartGame(GameRecord{Guild: "g", Channel: "c1", Questions: []string{"q3"}}); !errors.Is(err, ErrGameRunning) {
		t.Fatalf("second game in c1: got %v, want ErrGameRunning", err)
	}
	g2, err := s.StartGame(GameRecord{Guild: "g", Channel: "c2", Questions: []string{"q1"}, Index: -1})
	if err != nil {
		t.Fatal(err)
	}
	if g2.ID == g1.ID {
		t.Fatalf("two games share the ID %q", g1.ID)
	}
	if _, err := s.StartGame(GameRecord{Channel: "c3"}); err == nil {
		t.Error("a game without a guild was accepted")
	}

	g1.Index, g1.MessageID, g1.Deadline = 0, "m1", at.Add(20*time.Second)
	if err := s.SaveGame(g1); err != nil {
		t.Fatal(err)
	}
	got, err := s.Game("c1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(g1, got); diff != "" {
		t.Errorf("stored game (-want +got):\n%s", diff)
	}
	all, err := s.Games()
	if err != nil || len(all) != 2 {
		t.Fatalf("Games() = %d games, %v; want 2", len(all), err)
	}

	// Saving or ending a game that is not the channel's current one does nothing.
	stale := g1
	stale.ID = "other"
	if err := s.SaveGame(stale); !errors.Is(err, ErrNotFound) {
		t.Errorf("saving a stale game: got %v, want ErrNotFound", err)
	}
	if err := s.EndGame("c1", "other", at); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Game("c1"); err != nil {
		t.Errorf("ending another game removed c1's: %v", err)
	}
	if err := s.EndGame("c1", g1.ID, at); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Game("c1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("game after EndGame: got %v, want ErrNotFound", err)
	}
	if err := s.SaveGame(g1); !errors.Is(err, ErrNotFound) {
		t.Errorf("saving an ended game: got %v, want ErrNotFound", err)
	}
	if _, err := s.StartGame(GameRecord{Guild: "g", Channel: "c1", Questions: []string{"q2"}}); err != nil {
		t.Errorf("new game after the old one ended: %v", err)
	}
}

func TestStore_RecentQuestions(t *testing.T) {
	s := openTriviaStore(t)
	for _, qs := range [][]string{{"a", "b"}, {"c", "a"}} {
		g, err := s.StartGame(GameRecord{Guild: "g", Channel: "c", Questions: qs})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.EndGame("c", g.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.RecentQuestions("c")
	if err != nil {
		t.Fatal(err)
	}
	// b was asked first, then c, then a (asked again last).
	if !(got["b"] < got["c"] && got["c"] < got["a"]) || len(got) != 3 {
		t.Errorf("recent order = %v, want b < c < a", got)
	}
	if other, _ := s.RecentQuestions("elsewhere"); len(other) != 0 {
		t.Errorf("another channel has recent questions %v", other)
	}
}

func TestStore_EndGamePrunesOldAnswers(t *testing.T) {
	s := openTriviaStore(t)
	log := NewAnswerLog(s)
	day0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	play := func(channel string, end time.Time) string {
		t.Helper()
		g, err := s.StartGame(GameRecord{Guild: "g", Channel: channel, Questions: []string{"q"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := log.Record(Answer{Guild: "g", Game: g.ID, User: "u", Points: 10, Correct: true}); err != nil {
			t.Fatal(err)
		}
		if err := s.EndGame(channel, g.ID, end); err != nil {
			t.Fatal(err)
		}
		return g.ID
	}
	old := play("c1", day0)
	recent := play("c2", day0.Add(AnswerRetention-time.Hour))
	if got, _ := s.Answers(old); len(got) != 1 {
		t.Fatalf("answers of the old game before pruning: %d, want 1", len(got))
	}
	play("c3", day0.Add(AnswerRetention+time.Minute)) // ends a game, pruning the old one
	if got, _ := s.Answers(old); len(got) != 0 {
		t.Errorf("answers of a game that ended %v ago were kept", AnswerRetention+time.Minute)
	}
	if got, _ := s.Answers(recent); len(got) != 1 {
		t.Errorf("answers of a game within retention: %d, want 1", len(got))
	}
	if sc, err := s.Score("g", "u"); err != nil || sc.Points != 30 || sc.Games != 3 {
		t.Errorf("score after pruning = %+v, %v; want 30 points in 3 games", sc, err)
	}
}

func TestStore_TriviaSettings(t *testing.T) {
	s := openTriviaStore(t)
	got, err := s.TriviaSettings("g")
	if err != nil || got != (TriviaSettings{}) {
		t.Fatalf("settings of a new guild = %+v, %v; want zero", got, err)
	}
	want := TriviaSettings{Seconds: 30, Questions: 5, HideAnswers: true}
	if err := s.SaveTriviaSettings("g", want); err != nil {
		t.Fatal(err)
	}
	if got, err := s.TriviaSettings("g"); err != nil || got != want {
		t.Errorf("settings = %+v, %v; want %+v", got, err, want)
	}
	if got, _ := s.TriviaSettings("other"); got != (TriviaSettings{}) {
		t.Errorf("another guild's settings = %+v, want zero", got)
	}
	if err := s.SaveTriviaSettings("", want); err == nil {
		t.Error("settings without a guild were saved")
	}
}

func TestStore_TriviaDataSurvivesReseedAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trivia.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	settings := TriviaSettings{Seconds: 15}
	if err := s.SaveTriviaSettings("g", settings); err != nil {
		t.Fatal(err)
	}
	g, err := s.StartGame(GameRecord{Guild: "g", Channel: "c", Questions: []string{"q"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := NewAnswerLog(s).Record(Answer{Guild: "g", Game: g.ID, User: "u", Points: 12, Correct: true}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.Reseed(context.Background(), catalogtest.Generate(3, 2), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.TriviaSettings("g"); err != nil || got != settings {
		t.Errorf("settings after reseed and reopen = %+v, %v; want %+v", got, err, settings)
	}
	if sc, err := s.Score("g", "u"); err != nil || sc.Points != 12 {
		t.Errorf("score after reseed and reopen = %+v, %v; want 12 points", sc, err)
	}
	if got, err := s.Game("c"); err != nil || got.ID != g.ID {
		t.Errorf("running game after reseed and reopen = %+v, %v; want game %s", got, err, g.ID)
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}
