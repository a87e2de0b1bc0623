// Package moviedata finds the Wikipedia movie data (../shared/datasets/wikipedia-movies,
// or $FILMBOT_SHARED/datasets/wikipedia-movies) for tests and benchmarks, and loads it once
// per test binary: parsing 36,000 films takes seconds, and several tests of a package
// read them.
//
// Outside CI a missing dataset skips the test with a message; under CI=true it fails, so
// a CI run never passes without the real data.
package moviedata

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"filmbot/seed"
)

// Dir returns the dataset's folder, skipping or failing tb when it is missing.
func Dir(tb testing.TB) string {
	tb.Helper()
	shared := os.Getenv("FILMBOT_SHARED")
	if shared == "" {
		// Tests run in their package's folder, one or two levels below the repository.
		for _, up := range []string{"..", filepath.Join("..", ".."), filepath.Join("..", "..", "..")} {
			if _, err := os.Stat(filepath.Join(up, "shared", "datasets", "wikipedia-movies")); err == nil {
				shared = filepath.Join(up, "shared")
				break
			}
		}
	}
	dir := filepath.Join(shared, "datasets", "wikipedia-movies")
	if _, err := os.Stat(filepath.Join(dir, "movies-1950s.json")); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("the Wikipedia movie data is missing under CI (set FILMBOT_SHARED): %v", err)
		}
		tb.Skipf("the Wikipedia movie data is not here (set FILMBOT_SHARED to the shared folder): %v", err)
	}
	return dir
}

// Files returns the dataset's 13 decade files, in order.
func Files(tb testing.TB) []string {
	tb.Helper()
	names, err := filepath.Glob(filepath.Join(Dir(tb), "movies-*.json"))
	if err != nil || len(names) == 0 {
		tb.Fatalf("no movie data files in %s: %v", Dir(tb), err)
	}
	return names
}

var (
	once   sync.Once
	loaded *seed.Catalog
	errLd  error
)

// Catalog returns the whole dataset as seed.LoadFiles reads it, loaded once per process.
// Callers must not change it.
func Catalog(tb testing.TB) *seed.Catalog {
	tb.Helper()
	names := Files(tb)
	once.Do(func() { loaded, errLd = seed.LoadFiles(names) })
	if errLd != nil {
		tb.Fatalf("loading the movie data: %v", errLd)
	}
	return loaded
}
