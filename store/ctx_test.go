package store

import (
	"context"
	"errors"
	"testing"

	"filmbot/internal/catalogtest"
)

// A lookup given a context that is already done returns its error without reading, and
// with a live context the same lookup succeeds (so the check is what refused it).
func TestStore_LookupsCheckContext(t *testing.T) {
	cat := catalogtest.Generate(3, 2)
	s := mustSeed(t, cat)
	f := cat.Films[0]
	lookups := map[string]func(ctx context.Context) error{
		"Film":         func(ctx context.Context) error { _, err := s.Film(ctx, f.ID); return err },
		"FindFilm":     func(ctx context.Context) error { _, err := s.FindFilm(ctx, f.Title); return err },
		"Person":       func(ctx context.Context) error { _, err := s.Person(ctx, cat.People[0].ID); return err },
		"Article":      func(ctx context.Context) error { _, err := s.Article(ctx, cat.Articles[0].ID); return err },
		"FilmFacts":    func(ctx context.Context) error { _, err := s.FilmFacts(ctx, f.ID); return err },
		"RandomFact":   func(ctx context.Context) error { _, err := s.RandomFact(ctx, f.ID, nil); return err },
		"Questions":    func(ctx context.Context) error { _, err := s.Questions(ctx, f.ID); return err },
		"Knowledge":    func(ctx context.Context) error { _, err := s.Knowledge(ctx); return err },
		"SearchTitles": func(ctx context.Context) error { _, err := s.SearchTitles(ctx, f.Title, 5); return err },
		"FilmsTitled":  func(ctx context.Context) error { _, err := s.FilmsTitled(ctx, f.Title); return err },
		"Generation":   func(ctx context.Context) error { _, err := s.Generation(ctx); return err },
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for name, lookup := range lookups {
		if err := lookup(done); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context = %v, want context.Canceled", name, err)
		}
		if err := lookup(context.Background()); err != nil {
			t.Errorf("%s = %v", name, err)
		}
	}
}
