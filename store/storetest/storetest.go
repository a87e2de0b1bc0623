// Package storetest opens real, seeded stores for other packages' tests.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"filmbot/seed"
	"filmbot/store"
)

// Open creates a store in a fresh temporary directory, installs cat in it and returns it.
// The store is closed when the test ends, after bbolt's consistency check has passed.
// A nil cat leaves the store unseeded.
func Open(tb testing.TB, cat *seed.Catalog) *store.Store {
	tb.Helper()
	s, err := store.Open(filepath.Join(tb.TempDir(), "filmbot.db"), store.Options{})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.Check(); err != nil {
			tb.Errorf("store consistency check: %v", err)
		}
		if err := s.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	if cat != nil {
		if _, err := s.Reseed(context.Background(), cat, nil); err != nil {
			tb.Fatalf("seed store: %v", err)
		}
	}
	return s
}
