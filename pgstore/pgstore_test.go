package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"filmbot/internal/pgtest"
	"filmbot/store"
	"filmbot/store/storetest"
)

func TestMain(m *testing.M) {
	if os.Getenv(envLostURL) != "" {
		if err := lostChild(); err != nil {
			fmt.Fprintln(os.Stderr, "lost-answers child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	pgtest.Main(m)
}

// openTest opens a Store on a fresh database, closed when t ends.
func openTest(tb testing.TB) *Store {
	tb.Helper()
	return openURL(tb, pgtest.DB(tb))
}

func openURL(tb testing.TB, url string) *Store {
	tb.Helper()
	s, err := Open(context.Background(), url, Options{})
	if err != nil {
		tb.Fatalf("open pgstore: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// TestConformance holds the PostgreSQL store to the behaviour of the bbolt one.
func TestConformance(t *testing.T) {
	storetest.Conformance(t, func(t *testing.T) store.GuildStore { return openTest(t) })
}

// TestOpen_migrations checks that a second Open applies nothing again, and that a
// database migrated past this build is refused.
func TestOpen_migrations(t *testing.T) {
	url := pgtest.DB(t)
	s := openURL(t, url)
	if err := s.SaveTriviaSettings("g", store.TriviaSettings{Seconds: 42}); err != nil {
		t.Fatal(err)
	}
	again := openURL(t, url)
	if ts, err := again.TriviaSettings("g"); err != nil || ts.Seconds != 42 {
		t.Fatalf("after reopening: settings %+v, %v; want the saved ones", ts, err)
	}
	var n int
	if err := s.pool.QueryRow(context.Background(), "SELECT count(*) FROM filmbot_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if n != len(files) {
		t.Errorf("filmbot_migrations has %d rows after two opens, want one per migration (%d)", n, len(files))
	}
	if _, err := s.pool.Exec(context.Background(), "INSERT INTO filmbot_migrations (version, name) VALUES (9999, 'future')"); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), url, Options{}); !errors.Is(err, ErrSchema) {
		t.Errorf("Open of a database from a newer filmbot: %v, want ErrSchema", err)
	}
}

// TestOpen_badURL checks that a malformed URL is refused without echoing it (it may hold
// a password).
func TestOpen_badURL(t *testing.T) {
	_, err := Open(context.Background(), "postgres://user:sekrit@[::1", Options{})
	if err == nil {
		t.Fatal("Open of a malformed URL: no error")
	}
	if got := err.Error(); strings.Contains(got, "sekrit") {
		t.Errorf("error %q repeats the password", got)
	}
}

// TestLeaderboard_rankFromBelow checks both ways of counting a global rank against
// ranks computed here: players above the median are ranked by counting those above
// them, players below it by counting from below (which needs the statistics ANALYZE
// gathers and an exact player count, kept by RecordAnswer and ResetScores).
func TestLeaderboard_rankFromBelow(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	points := map[string]int64{}
	for i := range 300 {
		user := fmt.Sprint("u", i)
		a := store.Answer{Guild: fmt.Sprint("g", i%3), Game: "game", User: user, Points: (i * 37) % 101, Correct: true, Streak: 1, At: at}
		if err := s.RecordAnswer(a); err != nil {
			t.Fatal(err)
		}
		points[user] += int64(a.Points)
	}
	// Resetting g2 drops its players' totals: the player count must follow.
	if _, err := s.ResetScores("g2"); err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if i%3 == 2 {
			delete(points, fmt.Sprint("u", i))
		}
	}
	if _, err := s.pool.Exec(ctx, "ANALYZE trivia_totals"); err != nil {
		t.Fatal(err)
	}
	var hasStats bool
	if err := s.pool.QueryRow(ctx, `SELECT count(*) > 0 FROM pg_stats WHERE tablename = 'trivia_totals'
		AND attname = 'points' AND histogram_bounds IS NOT NULL`).Scan(&hasStats); err != nil || !hasStats {
		t.Fatalf("no histogram for trivia_totals.points after ANALYZE (%v): the count from below goes untested", err)
	}
	var players int64
	if err := s.pool.QueryRow(ctx, "SELECT players FROM trivia_counts").Scan(&players); err != nil {
		t.Fatal(err)
	}
	if players != int64(len(points)) {
		t.Fatalf("trivia_counts says %d players, want %d", players, len(points))
	}
	for user, p := range points {
		want := 1
		for _, q := range points {
			if q > p {
				want++
			}
		}
		_, me, err := s.Leaderboard("", 5, user)
		if err != nil {
			t.Fatal(err)
		}
		if me.Rank != want {
			t.Errorf("rank of %s with %d points = %d, want %d", user, p, me.Rank, want)
		}
	}
}
