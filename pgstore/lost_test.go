package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"filmbot/internal/pgtest"
	"filmbot/store"
)

// The lost-answers check runs in two processes sharing one database, as two filmbot
// processes with different shards would: the parent starts two copies of this test
// binary (lostChild, started from TestMain), each with its own pool, 32 goroutines answering across
// 8 guilds. Each child writes what it acknowledged to a file; the parent adds both up
// and compares with what PostgreSQL holds.

const (
	lostGoroutines = 32
	lostGuilds     = 8
	lostPlayers    = 4 // per guild, shared by every goroutine of that guild in both processes
)

// Environment of a child process.
const (
	envLostURL  = "FILMBOT_LOST_URL"
	envLostProc = "FILMBOT_LOST_PROC"
	envLostMode = "FILMBOT_LOST_MODE" // "ok" or "read-then-write"
	envLostN    = "FILMBOT_LOST_N"    // answers per goroutine
	envLostOut  = "FILMBOT_LOST_OUT"
	envLostFor  = "FILMBOT_LOST_FOR" // when set, answer for this long instead of N each
)

// acked is what one process acknowledged, by guild and user.
type acked map[string]store.Score // key: guild + "/" + user

// recordReadThenWrite is the deliberately broken recorder the check must catch: it reads
// the score in one statement and writes the sum back in another, so concurrent answers
// overwrite each other's points.
func recordReadThenWrite(s *Store, a store.Answer) error {
	ctx, cancel := s.call()
	defer cancel()
	var points, answered int64
	err := s.pool.QueryRow(ctx, "SELECT points, answered FROM trivia_scores WHERE guild = $1 AND user_id = $2",
		a.Guild, a.User).Scan(&points, &answered)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	_, err = s.pool.Exec(ctx, `
		INSERT INTO trivia_scores (guild, user_id, points, correct, answered, games, best_streak)
		VALUES ($1, $2, $3, 0, $4, 0, 0)
		ON CONFLICT (guild, user_id) DO UPDATE SET points = EXCLUDED.points, answered = EXCLUDED.answered`,
		a.Guild, a.User, points+int64(a.Points), answered+1)
	return err
}

// lostChild is one answering process, run by TestMain when runLostAnswers started it.
func lostChild() error {
	var proc, n int
	if _, err := fmt.Sscan(os.Getenv(envLostProc)+" "+os.Getenv(envLostN), &proc, &n); err != nil {
		return fmt.Errorf("child environment: %w", err)
	}
	s, err := Open(context.Background(), os.Getenv(envLostURL), Options{MaxConns: 8})
	if err != nil {
		return err
	}
	defer s.Close()
	record := s.RecordAnswer
	if os.Getenv(envLostMode) == "read-then-write" {
		record = func(a store.Answer) error { return recordReadThenWrite(s, a) }
	}
	var until time.Time
	if d, err := time.ParseDuration(os.Getenv(envLostFor)); err == nil {
		until = time.Now().Add(d)
	}
	got, err := hammer(proc, n, until, record)
	if err != nil {
		return err
	}
	out, err := json.Marshal(got)
	if err != nil {
		return err
	}
	return os.WriteFile(os.Getenv(envLostOut), out, 0o600)
}

// hammer has lostGoroutines goroutines record n answers each (or as many as they can
// until until, when it is not zero) and returns what was acknowledged.
func hammer(proc, n int, until time.Time, record func(store.Answer) error) (acked, error) {
	var (
		mu   sync.Mutex
		got  = make(acked)
		wg   sync.WaitGroup
		errs = make(chan error, lostGoroutines)
	)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range lostGoroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			guild := fmt.Sprint("guild-", i%lostGuilds)
			game := fmt.Sprint("p", proc, "-game-", i) // each goroutine plays its own game
			for k := 0; until.IsZero() && k < n || !until.IsZero() && time.Now().Before(until); k++ {
				a := store.Answer{
					Guild: guild, Game: game, Question: k / lostPlayers, QuestionID: fmt.Sprint("q", k/lostPlayers),
					User: fmt.Sprint("player-", i%lostGuilds, "-", k%lostPlayers), Points: 1 + (i*7+k*13)%20, At: at,
				}
				a.Correct = a.Points > 5
				if err := record(a); err != nil {
					errs <- fmt.Errorf("record %+v: %w", a, err)
					return
				}
				mu.Lock()
				key := a.Guild + "/" + a.User
				sc := got[key]
				sc.User = a.User
				sc.Points += int64(a.Points)
				sc.Answered++
				got[key] = sc
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	return got, <-errs
}

// runLostAnswers runs two child processes recording n answers per goroutine with mode's
// recorder, and returns the descriptions of every score that differs from what the two
// acknowledged, and how many answers were acknowledged.
func runLostAnswers(t testing.TB, mode string, n int, soak time.Duration) (s *Store, diffs []string, total acked) {
	t.Helper()
	url := pgtest.DB(t)
	s = openURL(t, url) // applies the migrations before the children race to
	dir := t.TempDir()
	var cmds []*exec.Cmd
	for proc := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envLostURL+"="+url, envLostMode+"="+mode,
			fmt.Sprint(envLostProc, "=", proc), fmt.Sprint(envLostN, "=", n),
			envLostOut+"="+filepath.Join(dir, fmt.Sprint(proc, ".json")))
		if soak > 0 {
			cmd.Env = append(cmd.Env, envLostFor+"="+soak.String())
		}
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	want := make(acked)
	for proc, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v", proc, err)
		}
		data, err := os.ReadFile(filepath.Join(dir, fmt.Sprint(proc, ".json")))
		if err != nil {
			t.Fatal(err)
		}
		var got acked
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatal(err)
		}
		for k, sc := range got {
			w := want[k]
			w.User = sc.User
			w.Points += sc.Points
			w.Answered += sc.Answered
			want[k] = w
		}
	}
	for k, w := range want {
		guild, user := k[:len(k)-len(w.User)-1], w.User
		got, err := s.Score(guild, user)
		if err != nil {
			t.Fatalf("score of %s: %v", k, err)
		}
		if got.Points != w.Points || got.Answered != w.Answered {
			diffs = append(diffs, fmt.Sprintf("%s: acknowledged %d points in %d answers, stored %d in %d",
				k, w.Points, w.Answered, got.Points, got.Answered))
		}
	}
	return s, diffs, want
}

// TestLostAnswers checks that two processes × 32 goroutines lose no acknowledged answer:
// stored points equal acknowledged points for every player, and the global totals agree.
func TestLostAnswers(t *testing.T) {
	const n = 60
	s, diffs, want := runLostAnswers(t, "ok", n, 0)
	for _, d := range diffs {
		t.Error(d)
	}
	var answers, points int64
	for _, w := range want {
		answers += w.Answered
		points += w.Points
	}
	if answers != 2*lostGoroutines*n {
		t.Errorf("%d answers acknowledged, want %d", answers, 2*lostGoroutines*n)
	}
	var stored int64
	if err := s.pool.QueryRow(context.Background(), "SELECT sum(points) FROM trivia_totals").Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != points {
		t.Errorf("global totals hold %d points, %d acknowledged", stored, points)
	}
	checkRankHistogram(t, s)
	t.Logf("%d answers acknowledged by 2 processes", answers)
}

// TestLostAnswers_CatchesReadThenWrite is the test of the test: the same check on the
// read-then-write recorder must report lost points.
func TestLostAnswers_CatchesReadThenWrite(t *testing.T) {
	_, diffs, _ := runLostAnswers(t, "read-then-write", 30, 0)
	if len(diffs) == 0 {
		t.Fatal("the check found no lost answers in the read-then-write recorder")
	}
	t.Logf("caught %d players with lost points, e.g. %s", len(diffs), diffs[0])
}

// BenchmarkLostAnswersSoak is the lost-answers check as a 5 s soak: two processes × 32
// goroutines across 8 guilds answering as fast as they can for 5 s. It reports the
// acknowledged answers per second of both together and fails on any lost answer. Run it
// with -benchtime 1x: each iteration is a whole soak.
func BenchmarkLostAnswersSoak(b *testing.B) {
	const soak = 5 * time.Second
	for range b.N {
		_, diffs, want := runLostAnswers(b, "ok", 0, soak)
		for _, d := range diffs {
			b.Error(d)
		}
		var answers int64
		for _, w := range want {
			answers += w.Answered
		}
		b.ReportMetric(float64(answers)/soak.Seconds(), "answers/s")
		b.ReportMetric(float64(len(diffs)), "lost-players")
	}
}
