package pgstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

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
	if n != 1 {
		t.Errorf("filmbot_migrations has %d rows after two opens, want 1", n)
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
