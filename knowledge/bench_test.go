package knowledge

import (
	"context"
	"testing"

	"filmbot/internal/catalogtest"
	"filmbot/store/storetest"
)

// benchService is a warm service over a store of films generated films.
func benchService(b *testing.B, films int) (*Service, []string) {
	b.Helper()
	cat := catalogtest.Generate(films, 2)
	s := New(storetest.Open(b, cat))
	if err := s.Warm(context.Background()); err != nil {
		b.Fatal(err)
	}
	titles := make([]string, len(cat.Films))
	for i, f := range cat.Films {
		titles[i] = f.Title
	}
	return s, titles
}

// BenchmarkService_Current is the cost every question pays to find the knowledge in
// memory: one read of the store's generation.
func BenchmarkService_Current(b *testing.B) {
	s, _ := benchService(b, 1000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Current(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkService_FindFilm resolves names the ways people give them.
func BenchmarkService_FindFilm(b *testing.B) {
	s, titles := benchService(b, 3000)
	ctx := context.Background()
	g, _ := s.Current(ctx)
	id := g.Catalog.Films[1234].ID
	for _, bc := range []struct{ name, film string }{
		{"id", id},
		{"title", titles[1234]},
		{"unknown", "Zzyzx Qwerty Plugh"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = s.FindFilm(ctx, bc.film)
			}
		})
	}
}

// BenchmarkService_SuggestFilms is one autocomplete keystroke.
func BenchmarkService_SuggestFilms(b *testing.B) {
	s, _ := benchService(b, 3000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SuggestFilms(ctx, "the", MaxSuggestions); err != nil {
			b.Fatal(err)
		}
	}
}
