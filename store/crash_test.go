package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filmbot/internal/catalogtest"
	"filmbot/internal/crashtest"
	"filmbot/seed"
)

// crashEnv names the store file a crash helper process reseeds.
const crashEnv = "FILMBOT_STORE_CRASH_HELPER"

// crashCatalog is generation i (0 or 1) of the two the crash helper installs in turn.
// Their titles are the same; every ID carries the generation's tag.
func crashCatalog(i int) *seed.Catalog {
	return catalogtest.Tagged(1000, 2, "gen-"+string(rune('a'+i)))
}

// TestCrashHelper is not a test: run by TestReseed_SurvivesSIGKILL in a child process, it
// reseeds the store named by crashEnv with the two crash catalogs in turn, forever, until
// it is killed. It returns at once when run as part of the suite.
func TestCrashHelper(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		return
	}
	s, err := Open(path, Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	// Start with the generation not installed, so a reseed that completes changes it.
	cats := [2]*seed.Catalog{crashCatalog(0), crashCatalog(1)}
	next := 0
	if f, err := s.FindFilm(context.Background(), cats[0].Films[0].Title); err == nil && strings.HasPrefix(f.ID, "gen-a-") {
		next = 1
	}
	for i := next; ; i++ {
		fmt.Println("reseeding")
		if _, err := s.Reseed(context.Background(), cats[i%2], nil); err != nil {
			fmt.Println("reseed:", err)
			os.Exit(2)
		}
	}
}

// TestReseed_SurvivesSIGKILL kills a process at random moments while it reseeds, and
// checks after each kill that the store opens, passes bbolt's check, and holds exactly
// one of the two generations, whole, with per-guild data untouched.
func TestReseed_SurvivesSIGKILL(t *testing.T) {
	t.Parallel() // mostly child processes and kill waits, on a store of its own
	const kills = 30
	cats := [2]*seed.Catalog{crashCatalog(0), crashCatalog(1)}
	path := filepath.Join(t.TempDir(), "filmbot.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reseed(context.Background(), cats[0], nil); err != nil {
		t.Fatal(err)
	}
	putGuildData(t, s)
	// How long one reseed takes here sets the range of kill times; it asserts nothing.
	start := time.Now()
	if _, err := s.Reseed(context.Background(), cats[1], nil); err != nil {
		t.Fatal(err)
	}
	cycle := time.Since(start)
	s.Close()

	r := crashtest.Rand(t) // kill times; FILMBOT_CRASH_SEED replays them
	seen := make(map[string]int)
	for kill := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		// Let the child run into a random moment of its first or second reseed, then kill it.
		crashtest.KillDuring(t, cmd, "reseeding", r, 2*cycle, func() {
			if kill != 0 {
				return
			}
			// While the child holds the store, another process cannot open it.
			if s, err := Open(path, Options{Timeout: 200 * time.Millisecond}); !errors.Is(err, ErrLocked) {
				t.Errorf("Open while another process holds the store: error %v, want ErrLocked", err)
				if err == nil {
					s.Close()
				}
			}
		})

		s, err := Open(path, Options{Timeout: 10 * time.Second})
		if err != nil {
			t.Fatalf("kill %d: Open after SIGKILL: %v", kill, err)
		}
		if err := s.Check(); err != nil {
			s.Close()
			t.Fatalf("kill %d: Check after SIGKILL: %v", kill, err)
		}
		got, err := s.Knowledge(context.Background())
		if err != nil {
			s.Close()
			t.Fatalf("kill %d: Knowledge after SIGKILL: %v", kill, err)
		}
		gen := ""
		for i, want := range cats {
			if reflect.DeepEqual(want, got) { // cmp.Equal is too slow for 2,000 films here
				gen = string(rune('a' + i))
			}
		}
		if gen == "" {
			t.Errorf("kill %d: store holds neither generation whole: %+v, first film %q",
				kill, got.Counts(), firstID(got.Films))
		}
		seen[gen]++
		// The indexes belong to the same generation as the records.
		f, err := s.FindFilm(context.Background(), cats[0].Films[567].Title)
		if err != nil || !strings.HasPrefix(f.ID, "gen-"+gen+"-") {
			t.Errorf("kill %d: FindFilm in generation %s gave %q, %v", kill, gen, f.ID, err)
		}
		if v := guildData(t, s); v != "42" {
			t.Errorf("kill %d: per-guild value = %q, want %q", kill, v, "42")
		}
		s.Close()
	}
	t.Logf("%d kills, one reseed ≈ %v; generations found after a kill: %v", kills, cycle, seen)
}

func firstID(films []seed.Film) string {
	if len(films) == 0 {
		return ""
	}
	return films[0].ID
}

// TestReseed_ReadersCarryOn holds a reseed's write transaction open, with everything
// written, until readers have answered lookups from the old knowledge; then lets it commit
// and checks they see the new. Were readers blocked by the writer, the reseed would never
// finish and the test would fail on its deadline.
func TestReseed_ReadersCarryOn(t *testing.T) {
	old, next := catalogtest.Tagged(3000, 3, "old"), catalogtest.Tagged(3000, 3, "new")
	s := mustSeed(t, old)
	title := old.Films[99].Title // the same title in both generations

	var (
		answered atomic.Int64
		// target, once set, is the count of answers at which reached is closed.
		target      atomic.Int64
		reached     = make(chan struct{})
		reachedOnce sync.Once
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				f, err := s.FindFilm(context.Background(), title)
				if err == nil {
					// Each lookup is one transaction: every result of one search must come
					// from one generation, whichever it is.
					var ms []TitleMatch
					ms, err = s.SearchTitles(context.Background(), "the", 25)
					for _, m := range ms {
						if m.FilmID[:4] != ms[0].FilmID[:4] && err == nil {
							err = fmt.Errorf("search mixes generations: %q and %q", ms[0].FilmID, m.FilmID)
						}
					}
					if f.ID[:4] != "old-" && f.ID[:4] != "new-" {
						err = fmt.Errorf("FindFilm gave %q, from neither generation", f.ID)
					}
				}
				if err != nil {
					errs <- err
					return
				}
				if n, want := answered.Add(1), target.Load(); want != 0 && n >= want {
					reachedOnce.Do(func() { close(reached) })
				}
			}
		})
	}

	duringWrite := int64(-1)
	s.beforeCommit = func() {
		// The write transaction is open and holds the whole new generation.
		before := answered.Load()
		target.Store(before + 200)
		select {
		case <-reached:
		case <-time.After(30 * time.Second): // a guard: readers blocked by the writer
			return
		}
		duringWrite = answered.Load() - before
		f, err := s.FindFilm(context.Background(), title)
		if err != nil || !strings.HasPrefix(f.ID, "old-") {
			t.Errorf("during the reseed FindFilm gave %q, %v; want the old film", f.ID, err)
		}
	}
	if _, err := s.Reseed(context.Background(), next, nil); err != nil {
		t.Fatal(err)
	}
	s.beforeCommit = nil
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if duringWrite < 200 {
		t.Errorf("readers answered %d lookups while the reseed was open, want at least 200", duringWrite)
	}
	if f, err := s.FindFilm(context.Background(), title); err != nil || !strings.HasPrefix(f.ID, "new-") {
		t.Errorf("after the reseed FindFilm gave %q, %v; want the new film", f.ID, err)
	}
}
