package store

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"filmbot/internal/moviedata"
	"filmbot/seed"
)

// Benchmarks on the real Wikipedia movie data; docs/bench/dataset.md has their figures.

// datasetBenchStore returns a store holding the whole dataset, and the catalog.
func datasetBenchStore(b *testing.B) (*Store, *seed.Catalog) {
	b.Helper()
	cat := moviedata.Catalog(b)
	s, err := Open(filepath.Join(b.TempDir(), "filmbot.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.Reseed(context.Background(), cat, nil); err != nil {
		b.Fatal(err)
	}
	return s, cat
}

// reportLatencies reports the 50th and 99th percentiles of ds in microseconds.
func reportLatencies(b *testing.B, ds []time.Duration) {
	b.Helper()
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	at := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Nanoseconds()) / 1000 }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

// BenchmarkDataset_Reseed installs the whole dataset, parsed once, in a store that
// already holds it: the store's part of `filmbot reseed`.
func BenchmarkDataset_Reseed(b *testing.B) {
	s, cat := datasetBenchStore(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Reseed(context.Background(), cat, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDataset_LoadFiles parses and validates the 13 dataset files: the seed's part
// of `filmbot reseed`.
func BenchmarkDataset_LoadFiles(b *testing.B) {
	names := moviedata.Files(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := seed.LoadFiles(names); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDataset_StoreSize reports the store file's size after the first reseed of the
// dataset and after five more, in one open store (as a bot reseeding from Discord) and
// with a reclaim after each (as `filmbot reseed` does).
func BenchmarkDataset_StoreSize(b *testing.B) {
	b.Run("open", func(b *testing.B) { storeSize(b, false) })
	b.Run("reclaimed", func(b *testing.B) { storeSize(b, true) })
}

func storeSize(b *testing.B, reclaim bool) {
	b.Helper()
	cat := moviedata.Catalog(b)
	b.ReportAllocs()
	var first, after float64
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "filmbot.db")
		s, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		size := func() float64 {
			b.Helper()
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			return float64(st.Size()) / 1e6
		}
		for i := range 6 {
			if _, err := s.Reseed(context.Background(), cat, nil); err != nil {
				b.Fatal(err)
			}
			if reclaim {
				if _, err := s.Reclaim(); err != nil {
					b.Fatal(err)
				}
			}
			if i == 0 {
				first = size()
			}
		}
		after = size()
		s.Close()
	}
	b.ReportMetric(first, "MB-first")
	b.ReportMetric(after, "MB-after-5-more")
}

// titleQueries returns what people type into autocomplete: the first 1 to 12 characters
// of real titles, and a few that match nothing.
func titleQueries(cat *seed.Catalog, n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	qs := make([]string, 0, n)
	for len(qs) < n {
		t := []rune(cat.Films[r.IntN(len(cat.Films))].Title)
		qs = append(qs, string(t[:min(len(t), 1+r.IntN(12))]))
		if len(qs)%50 == 0 {
			qs = append(qs, "zqxj")
		}
	}
	return qs
}

// latencyStore returns a store holding the dataset and what to ask it, the catalog read
// for it left to the collector: lookups are timed as a bot makes them, not beside a
// half-gigabyte heap a lookup never touches. (Run these benchmarks on their own: another
// benchmark of the package keeps the dataset in moviedata's cache.)
func latencyStore(b *testing.B, queries func(*seed.Catalog) []string) (*Store, []string) {
	b.Helper()
	cat, err := seed.LoadFiles(moviedata.Files(b))
	if err != nil {
		b.Fatal(err)
	}
	s, err := Open(filepath.Join(b.TempDir(), "filmbot.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.Reseed(context.Background(), cat, nil); err != nil {
		b.Fatal(err)
	}
	qs := queries(cat)
	runtime.GC()
	return s, qs
}

// BenchmarkDataset_SearchTitles is autocomplete on the dataset store.
func BenchmarkDataset_SearchTitles(b *testing.B) {
	s, qs := latencyStore(b, func(cat *seed.Catalog) []string { return titleQueries(cat, 4096) })
	var ds []time.Duration
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t0 := time.Now()
		if _, err := s.SearchTitles(context.Background(), qs[i%len(qs)], MaxTitleMatches); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
		i++
	}
	reportLatencies(b, ds)
}

// BenchmarkDataset_FilmLookup is what /film reads from the dataset store: the film by its
// title (with the year, for a shared one), its facts, and its directors' and cast's names.
func BenchmarkDataset_FilmLookup(b *testing.B) {
	s, names := latencyStore(b, func(cat *seed.Catalog) []string {
		r := rand.New(rand.NewPCG(3, 4))
		names := make([]string, 2048)
		for i := range names {
			f := cat.Films[r.IntN(len(cat.Films))]
			names[i] = f.Title + " (" + strconv.Itoa(f.Year) + ")"
		}
		return names
	})
	var ds []time.Duration
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t0 := time.Now()
		f, err := s.FindFilm(context.Background(), names[i%len(names)])
		if err != nil {
			b.Fatalf("FindFilm(%q): %v", names[i%len(names)], err)
		}
		if _, err := s.FilmFacts(context.Background(), f.ID); err != nil {
			b.Fatal(err)
		}
		for _, p := range f.Directors {
			if _, err := s.Person(context.Background(), p); err != nil {
				b.Fatal(err)
			}
		}
		for _, c := range f.Cast {
			if _, err := s.Person(context.Background(), c.Person); err != nil {
				b.Fatal(err)
			}
		}
		ds = append(ds, time.Since(t0))
		i++
	}
	reportLatencies(b, ds)
}
