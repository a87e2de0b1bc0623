package commands

import (
	"context"
	"testing"

	"filmbot/internal/catalogtest"
)

// BenchmarkFilmCard renders the /film card for a known title on a 100k-film store, through
// Handle (routing, lookups, rendering, Fit), as the bot calls it.
func BenchmarkFilmCard(b *testing.B) {
	cat := catalogtest.Generate(100000, 5)
	f := newFixture(b, cat, nil)
	title := cat.Films[len(cat.Films)/2].Title
	req := command("film", map[string]string{"title": title})
	if r := f.handle(req); len(r.Data.Embeds) != 1 {
		b.Fatalf("no card for %q: %q", title, r.Data.Content)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		f.set.Handle(ctx, req)
	}
}

// BenchmarkFilmAutocomplete answers title autocomplete for a two-letter prefix on the
// 100k-film store.
func BenchmarkFilmAutocomplete(b *testing.B) {
	f := newFixture(b, catalogtest.Generate(100000, 5), nil)
	req := autocomplete("film", "title", "th")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		f.set.Handle(ctx, req)
	}
}

// BenchmarkAsk answers /ask on the embedded seed with the index already built.
func BenchmarkAsk(b *testing.B) {
	f := newFixture(b, nil, nil)
	req := command("ask", map[string]string{"question": "Who plays Yong Mi in Comrade Kim Goes Flying?"})
	ctx := context.Background()
	f.set.Handle(ctx, req)
	b.ReportAllocs()
	for b.Loop() {
		f.set.Handle(ctx, req)
	}
}
