package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filmbot/config"
	"filmbot/seed"
	"filmbot/store"
	"filmbot/trivia"
)

// A game started from piped input plays out after the input ends: its questions, reveals
// and standings are printed, drawn as a reader sees them (no raw mentions, timestamps or
// bold markers), closed questions offer no buttons, and no game is left behind.
func TestConsole_TriviaPlaysOut(t *testing.T) {
	cat, err := seed.Default()
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "filmbot.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Reseed(t.Context(), cat, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	c := &cli{
		ctx: context.Background(), env: func(string) string { return "" },
		stdin:  strings.NewReader("/trivia start questions: 2\n"),
		stdout: &out, stderr: &errb,
	}
	// Questions close quickly so the test does not wait out real question times.
	cfg := config.Default()
	cfg.DB = db
	code := c.converse(cfg, slog.New(slog.DiscardHandler), trivia.Timing{Question: 30 * time.Millisecond})
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errb.String())
	}
	text := out.String()
	start, q1, q2, over := strings.Index(text, "Trivia! 2 questions"), strings.Index(text, "Question 1 of 2"),
		strings.Index(text, "Question 2 of 2"), strings.Index(text, "Trivia over")
	if start < 0 || q1 < start || q2 < q1 || over < q2 {
		t.Errorf("want the announcement, both questions and the standings, in that order:\n%s", text)
	}
	for _, raw := range []string{"<@", "<t:", "**"} {
		if strings.Contains(text, raw) {
			t.Errorf("output shows raw markup %q:\n%s", raw, text)
		}
	}
	if !strings.Contains(text, "started by you.") {
		t.Errorf("the console user's mention is not drawn as \"you\":\n%s", text)
	}
	for _, msg := range strings.Split(text, "\n\n") {
		if strings.Contains(msg, "· closed") && strings.Contains(msg, "[") {
			t.Errorf("a closed question still offers buttons:\n%s", msg)
		}
	}
	st, err = store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	games, err := st.Games()
	if err != nil {
		t.Fatal(err)
	}
	if len(games) != 0 {
		t.Errorf("the console left %d games behind", len(games))
	}
}

// Typed /film lines: a title with no letters or digits names no film; a mistyped option
// name is a usage error, not part of the title; a tab works like a space.
func TestCLI_ConsoleFilmNames(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	for _, tt := range []struct {
		line string
		card bool
	}{
		{"/film title: !!!", false},
		{"/film title: ???", false},
		{"/film title: \u200b", false},
		{"/film title: \xff\xfe", false},
		{"/film titel: Comrade Kim Goes Flying", false},
		{"/film\ttitle: Comrade Kim Goes Flying", true},
	} {
		r := filmbot(t, "", nil, tt.line+"\n", "console", "-db", db).must(t, 0)
		if got := strings.Contains(r.stdout, "Comrade Kim Goes Flying (2012)\n"); got != tt.card {
			t.Errorf("%q shows the card: %v, want %v\n%s", tt.line, got, tt.card, r.stdout)
		}
	}
}
