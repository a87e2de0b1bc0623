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

// TestLeaderboard_rankHistogram checks global ranks, read from the rank histogram,
// against ranks computed here, with totals spread over several histogram blocks, ties,
// players whose total stays in its block and players who cross into the next, and a
// reset guild whose players leave the histogram or move down in it.
func TestLeaderboard_rankHistogram(t *testing.T) {
	s := openTest(t)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	points := map[string]int64{}
	for q := range 4 {
		for i := range 200 {
			user := fmt.Sprint("u", i)
			// Guild by player and round, so some players have scores in two guilds.
			a := store.Answer{Guild: fmt.Sprint("g", (i+q/2)%3), Game: "game", Question: q, User: user,
				Points: (i * 37 * (q + 1)) % 401, Correct: true, Streak: 1, At: at}
			if i%50 == 7 {
				a.Points = 0 // ties at zero, and players who never leave it
			}
			if err := s.RecordAnswer(a); err != nil {
				t.Fatal(err)
			}
			points[user] += int64(a.Points)
		}
	}
	checkRankHistogram(t, s)
	if _, err := s.ResetScores("g2"); err != nil {
		t.Fatal(err)
	}
	checkRankHistogram(t, s)
	// What is left of each player: their answers outside g2.
	points = map[string]int64{}
	answers, err := s.Answers("")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range answers {
		if a.Guild != "g2" {
			points[a.User] += int64(a.Points)
		}
	}
	blocks := map[int64]bool{}
	for _, p := range points {
		blocks[p/rankBlock] = true
	}
	if len(blocks) < 3 {
		t.Fatalf("totals fall in %d histogram blocks; the test needs at least 3", len(blocks))
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

// checkRankHistogram fails t unless the rank histogram counts exactly the players at
// each total and in each block that trivia_totals holds.
func checkRankHistogram(tb testing.TB, s *Store) {
	tb.Helper()
	ctx := context.Background()
	for _, q := range []string{`
		SELECT count(*) FROM (
			(SELECT points, count(*) FROM trivia_totals GROUP BY points
			 EXCEPT ALL SELECT points, players FROM trivia_rank_points WHERE players <> 0)
			UNION ALL
			(SELECT points, players FROM trivia_rank_points WHERE players <> 0
			 EXCEPT ALL SELECT points, count(*) FROM trivia_totals GROUP BY points)) d`, `
		SELECT count(*) FROM (
			(SELECT points / 512, count(*) FROM trivia_totals GROUP BY points / 512
			 EXCEPT ALL SELECT block, players FROM trivia_rank_blocks WHERE players <> 0)
			UNION ALL
			(SELECT block, players FROM trivia_rank_blocks WHERE players <> 0
			 EXCEPT ALL SELECT points / 512, count(*) FROM trivia_totals GROUP BY points / 512)) d`,
	} {
		var wrong int
		if err := s.pool.QueryRow(ctx, q).Scan(&wrong); err != nil {
			tb.Fatal(err)
		}
		if wrong != 0 {
			tb.Errorf("rank histogram disagrees with trivia_totals in %d rows:%s", wrong, q)
		}
	}
}
