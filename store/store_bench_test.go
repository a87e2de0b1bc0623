package store

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"filmbot/fold"
	"filmbot/internal/catalogtest"
	"filmbot/seed"
)

// The benchmarks share one generated catalog of 100,000 films with 5 facts each, and one
// store seeded with it, built on first use (a few seconds) and removed by TestMain.
const (
	benchFilms = 100_000
	benchFacts = 5
)

var bench struct {
	once  sync.Once
	dir   string
	cat   *seed.Catalog
	store *Store
	err   error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.store != nil {
		bench.store.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// benchStore returns the shared seeded store and its catalog.
func benchStore(b *testing.B) (*Store, *seed.Catalog) {
	b.Helper()
	bench.once.Do(func() {
		bench.cat = catalogtest.Generate(benchFilms, benchFacts)
		if bench.dir, bench.err = os.MkdirTemp("", "filmbot-bench-"); bench.err != nil {
			return
		}
		if bench.store, bench.err = Open(filepath.Join(bench.dir, "filmbot.db"), Options{}); bench.err != nil {
			return
		}
		_, bench.err = bench.store.Reseed(context.Background(), bench.cat, nil)
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.store, bench.cat
}

// typedQueries returns what people type into the title box: prefixes of titles of
// several lengths, from the start and from a later word, with accents and capitals.
func typedQueries(cat *seed.Catalog) []string {
	var qs []string
	for i := 0; len(qs) < 1000; i++ {
		f := cat.Films[(i*7919)%len(cat.Films)]
		title := []rune(f.Title)
		n := 1 + i%12
		if n > len(title) {
			n = len(title)
		}
		qs = append(qs, string(title[:n]))
		if words := fold.Words(f.Title); len(words) > 1 && i%3 == 0 {
			w := words[1+i%(len(words)-1)]
			qs = append(qs, w[:min(len(w), 1+i%5)])
		}
	}
	return qs
}

func BenchmarkSearchTitles(b *testing.B) {
	s, cat := benchStore(b)
	for _, bc := range []struct {
		name    string
		queries []string
	}{
		{"typed", typedQueries(cat)},
		{"one-letter", []string{"t", "s", "g", "a"}},
		{"accented", []string{"Amél", "São", "Pyŏng", "Zürich", "Café"}},
		{"no-match", []string{"zzq", "golden qx", "qwerty"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			results := 0
			i := 0
			for b.Loop() {
				ms, err := s.SearchTitles(context.Background(), bc.queries[i%len(bc.queries)], 25)
				if err != nil {
					b.Fatal(err)
				}
				results += len(ms)
				i++
			}
			b.ReportMetric(float64(results)/float64(i), "results/op")
		})
	}
}

// BenchmarkFilmCard measures the store's share of a /film card: the film by title, its
// directors and cast, and its facts.
func BenchmarkFilmCard(b *testing.B) {
	s, cat := benchStore(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		title := cat.Films[(i*7919)%len(cat.Films)].Title
		i++
		f, err := s.FindFilm(context.Background(), title)
		if err != nil {
			b.Fatal(err)
		}
		for _, id := range f.Directors {
			if _, err := s.Person(context.Background(), id); err != nil {
				b.Fatal(err)
			}
		}
		for _, c := range f.Cast {
			if _, err := s.Person(context.Background(), c.Person); err != nil {
				b.Fatal(err)
			}
		}
		if facts, err := s.FilmFacts(context.Background(), f.ID); err != nil || len(facts) != benchFacts {
			b.Fatal(len(facts), err)
		}
	}
}

func BenchmarkRandomFact(b *testing.B) {
	s, _ := benchStore(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.RandomFact(context.Background(), "", nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKnowledge measures reading the whole catalog, as the answer engine does after a
// reseed.
func BenchmarkKnowledge(b *testing.B) {
	s, _ := benchStore(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Knowledge(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen opens and closes a copy of the seeded store.
func BenchmarkOpen(b *testing.B) {
	s, _ := benchStore(b)
	path := filepath.Join(b.TempDir(), "copy.db")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Backup(f); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.ReportAllocs()
	for b.Loop() {
		c, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

// BenchmarkReseed replaces the 100,000-film knowledge of a seeded store with itself while a
// reader keeps looking films up. Besides the reseed's time it reports the reader's lookups
// (FindFilm then SearchTitles) during the reseeds: how many were answered per reseed, and
// the 99th percentile and slowest wait, next to the slowest wait of the same reader with
// no reseed running (a reseed that blocked readers would show a wait near its own length).
// It also reports the store file's size after the first seed and after the reseeds.
func BenchmarkReseed(b *testing.B) {
	_, cat := benchStore(b)
	path := filepath.Join(b.TempDir(), "filmbot.db")
	s, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Reseed(context.Background(), cat, nil); err != nil {
		b.Fatal(err)
	}
	firstSize := fileSize(b, path)

	// read looks films up until stop closes, and returns how long each lookup took.
	read := func(stop <-chan struct{}) []time.Duration {
		var waits []time.Duration
		for i := 0; ; i++ {
			select {
			case <-stop:
				return waits
			default:
			}
			start := time.Now()
			if _, err := s.FindFilm(context.Background(), cat.Films[(i*7919)%len(cat.Films)].Title); err != nil {
				b.Error(err)
				return waits
			}
			if _, err := s.SearchTitles(context.Background(), "the", 25); err != nil {
				b.Error(err)
				return waits
			}
			waits = append(waits, time.Since(start))
			time.Sleep(100 * time.Microsecond) // leave the writer a core
		}
	}
	reading := func() (stop func() []time.Duration) {
		ch, done := make(chan struct{}), make(chan []time.Duration)
		go func() { done <- read(ch) }()
		return func() []time.Duration { close(ch); return <-done }
	}

	stop := reading()
	time.Sleep(500 * time.Millisecond)
	idle := stop()

	stop = reading()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := s.Reseed(context.Background(), cat, nil); err != nil {
			b.Fatal(err)
		}
		n++
	}
	busy := stop()

	µs := func(d time.Duration) float64 { return float64(d.Microseconds()) }
	slices.Sort(idle)
	slices.Sort(busy)
	if len(busy) > 0 {
		b.ReportMetric(µs(busy[len(busy)*99/100]), "p99-lookup-µs")
		b.ReportMetric(µs(busy[len(busy)-1]), "max-lookup-µs")
	}
	if len(idle) > 0 {
		b.ReportMetric(µs(idle[len(idle)-1]), "idle-max-lookup-µs")
	}
	b.ReportMetric(float64(len(busy))/float64(n), "lookups/reseed")
	b.ReportMetric(float64(firstSize)/1e6, "first-file-MB")
	b.ReportMetric(float64(fileSize(b, path))/1e6, "file-MB")
}

func fileSize(b *testing.B, path string) int64 {
	b.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// steadyReseeds is how many reseeds of the same catalog follow the first seed in
// BenchmarkStoreSize: the file stops growing after the first of them.
const steadyReseeds = 3

// BenchmarkStoreSize measures the store file for the 100,000-film catalog: after the first
// seed (first-file-MB), in steady state after three more reseeds of the same catalog into
// the same file (steady-file-MB, the figure the 300 MB target is about), the pages the
// knowledge itself takes (live-MB), and a compacted copy of the steady file (compact-MB);
// the time per op is one Compact of it. Run it with -benchtime 1x: each op seeds a new
// file four times.
func BenchmarkStoreSize(b *testing.B) {
	_, cat := benchStore(b)
	b.ReportAllocs()
	var first, steady, live, compacted int64
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		path := filepath.Join(dir, "filmbot.db")
		s, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for i := range 1 + steadyReseeds {
			if _, err := s.Reseed(context.Background(), cat, nil); err != nil {
				b.Fatal(err)
			}
			if i == 0 {
				first = fileSize(b, path)
			}
		}
		steady = fileSize(b, path)
		live = knowledgeBytes(b, s)
		out := filepath.Join(dir, "compact.db")
		b.StartTimer()
		if err := s.Compact(out); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		compacted = fileSize(b, out)
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(first)/1e6, "first-file-MB")
	b.ReportMetric(float64(steady)/1e6, "steady-file-MB")
	b.ReportMetric(float64(live)/1e6, "live-MB")
	b.ReportMetric(float64(compacted)/1e6, "compact-MB")
}

// knowledgeBytes returns the bytes of the pages the knowledge buckets take, and logs each
// bucket's share (shown with -v).
func knowledgeBytes(b *testing.B, s *Store) int64 {
	b.Helper()
	var n int64
	mb := func(v int) float64 { return float64(v) / 1e6 }
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, name := range knowledgeBuckets {
			bk := tx.Bucket(name)
			st := bk.Stats()
			var keys, values int
			bk.ForEach(func(k, v []byte) error { keys += len(k); values += len(v); return nil })
			b.Logf("%-24s %7d keys  %4d leaf + %2d branch pages  in use %5.1f + %3.1f MB  of %5.1f MB  keys %4.1f MB  values %5.1f MB",
				name, st.KeyN, st.LeafPageN+st.LeafOverflowN, st.BranchPageN, mb(st.LeafInuse), mb(st.BranchInuse),
				mb(st.LeafAlloc+st.BranchAlloc), mb(keys), mb(values))
			n += int64(st.LeafAlloc + st.BranchAlloc)
		}
		st := s.db.Stats()
		b.Logf("freelist: %d free pages, %d pending, %.1f MB free, %.2f MB written per commit",
			st.FreePageN, st.PendingPageN, mb(st.FreeAlloc), mb(st.FreelistInuse))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
