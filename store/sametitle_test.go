package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"filmbot/seed"
)

// sameTitles is a catalog with three Treasure Islands, two of them in one year, and a
// film whose title is a year.
func sameTitles() *seed.Catalog {
	c := &seed.Catalog{
		Articles: []seed.Article{{ID: "a", Publisher: "Wikipedia", Headline: "Films"}},
		People: []seed.Person{
			{ID: "ann", Name: "Ann Hale", Source: "a"},
			{ID: "bo", Name: "Bo Marsh", Source: "a"},
			{ID: "cy", Name: "Cy Ward", Source: "a"},
		},
	}
	add := func(id, title string, year int, cast ...string) {
		f := seed.Film{ID: id, Title: title, Year: year, Source: "a"}
		for _, p := range cast {
			f.Cast = append(f.Cast, seed.Credit{Person: p, Role: "R"})
		}
		c.Films = append(c.Films, f)
	}
	add("ti-1950", "Treasure Island", 1950, "ann")
	add("ti-1934", "Treasure Island", 1934, "ann")
	add("ti-1972-a", "Treasure Island", 1972, "ann", "bo")
	add("ti-1972-b", "Treasure Island", 1972, "ann", "cy")
	add("ti-1972-c", "Treasure Island", 1972)
	add("the-storm", "The Storm", 1999)
	add("nineteen-17", "1917", 2019)
	add("long", strings.Repeat("Long title words ", 6)+"end", 1990)
	return c
}

func TestStore_FilmsTitled(t *testing.T) {
	s := mustSeed(t, sameTitles())
	got, err := s.FilmsTitled(context.Background(), "  TREASURE island ")
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, m := range got {
		labels = append(labels, m.FilmID+" "+m.Label)
	}
	want := []string{
		"ti-1934 Treasure Island (1934)",
		"ti-1950 Treasure Island (1950)",
		"ti-1972-a Treasure Island (1972, with Bo Marsh)",
		"ti-1972-b Treasure Island (1972, with Cy Ward)",
		"ti-1972-c Treasure Island (1972, no. 3)",
	}
	if diff := cmp.Diff(want, labels); diff != "" {
		t.Errorf("FilmsTitled (-want +got):\n%s", diff)
	}
	if got, err := s.FilmsTitled(context.Background(), "treasure"); err != nil || len(got) != 0 {
		t.Errorf("FilmsTitled(a title's start) = %v, %v; want none", got, err)
	}
}

func TestStore_FindFilmWithYear(t *testing.T) {
	s := mustSeed(t, sameTitles())
	tests := []struct{ name, want string }{
		{"treasure island (1950)", "ti-1950"},
		{"Treasure Island (1934 film)", "ti-1934"},
		{"treasure island 1934", "ti-1934"},
		{"the 1934 treasure island", "ti-1934"},
		{"1950's Treasure Island", "ti-1950"},
		{"the 1999 storm", "the-storm"}, // "The Storm" keeps its article
		{"the storm (1999)", "the-storm"},
		{"1917", "nineteen-17"},        // a title that is a year is a title
		{"treasure island", "ti-1950"}, // bare: the first in seed order
	}
	for _, tt := range tests {
		f, err := s.FindFilm(context.Background(), tt.name)
		if err != nil || f.ID != tt.want {
			t.Errorf("FindFilm(%q) = %q, %v; want %q", tt.name, f.ID, err, tt.want)
		}
	}
	for _, name := range []string{"treasure island (1951)", "the 1950 storm", "treasure (1950)", "(1950)"} {
		if f, err := s.FindFilm(context.Background(), name); !errors.Is(err, ErrNotFound) {
			t.Errorf("FindFilm(%q) = %q, %v; want ErrNotFound", name, f.ID, err)
		}
	}
}

func TestStore_LabelsUniqueAndShort(t *testing.T) {
	s := mustSeed(t, sameTitles())
	seen := map[string]string{}
	for _, q := range []string{"treasure", "the storm", "1917", "long"} {
		ms, err := s.SearchTitles(context.Background(), q, 25)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if n := utf8.RuneCountInString(m.Label); n < 1 || n > 100 {
				t.Errorf("label %q has %d characters, want 1 to 100", m.Label, n)
			}
			if other, dup := seen[m.Label]; dup && other != m.FilmID {
				t.Errorf("label %q names both %s and %s", m.Label, other, m.FilmID)
			}
			seen[m.Label] = m.FilmID
		}
	}
	if len(seen) != 8 {
		t.Errorf("searches found %d labels, want one per film (8): %v", len(seen), seen)
	}
}

func TestSplitYear(t *testing.T) {
	tests := []struct {
		in    string
		title string
		year  int
		ok    bool
	}{
		{"Treasure Island (1950)", "Treasure Island", 1950, true},
		{"treasure island [1950]", "treasure island", 1950, true},
		{"treasure island 1950", "treasure island", 1950, true},
		{"The 1934 Treasure Island", "Treasure Island", 1934, true},
		{"1934's treasure island", "treasure island", 1934, true},
		{"Treasure Island", "", 0, false},
		{"1917", "", 0, false},
		{"(1950)", "", 0, false},
	}
	for _, tt := range tests {
		title, year, ok := SplitYear(tt.in)
		if title != tt.title || year != tt.year || ok != tt.ok {
			t.Errorf("SplitYear(%q) = %q, %d, %v; want %q, %d, %v", tt.in, title, year, ok, tt.title, tt.year, tt.ok)
		}
	}
}
