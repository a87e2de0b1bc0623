package knowledge

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"filmbot/seed"
)

// sameTitles is the embedded seed with three films called "Harbor Lights".
func sameTitles(t *testing.T) *seed.Catalog {
	cat := embedded(t)
	src := cat.Articles[0].ID
	for _, f := range []struct {
		id   string
		year int
	}{{"harbor-lights-1934", 1934}, {"harbor-lights-1950", 1950}, {"harbor-lights-1972", 1972}} {
		cat.Films = append(cat.Films, seed.Film{ID: f.id, Title: "Harbor Lights", Year: f.year, Source: src})
	}
	return cat
}

func TestService_FindFilmSameTitle(t *testing.T) {
	s := open(t, sameTitles(t))
	ctx := context.Background()

	_, err := s.FindFilm(ctx, "harbor lights")
	var amb *AmbiguousFilmError
	if !errors.As(err, &amb) {
		t.Fatalf("FindFilm(a bare shared title) = %v, want an *AmbiguousFilmError", err)
	}
	var years []int
	for _, m := range amb.Films {
		years = append(years, m.Year)
	}
	if diff := cmp.Diff([]int{1934, 1950, 1972}, years); diff != "" {
		t.Errorf("ambiguous films' years (-want +got):\n%s", diff)
	}
	if errors.Is(err, ErrNoFilmName) {
		t.Error("an ambiguous title is not a missing name")
	}

	for name, want := range map[string]string{
		"Harbor Lights (1950)":    "harbor-lights-1950",
		"the 1934 harbor lights":  "harbor-lights-1934",
		"harbor lights 1972":      "harbor-lights-1972",
		"harbor-lights-1972":      "harbor-lights-1972", // the ID autocomplete submits
		"comrade kim goes flying": "comrade-kim-goes-flying",
	} {
		f, err := s.FindFilm(ctx, name)
		if err != nil || f.ID != want {
			t.Errorf("FindFilm(%q) = %q, %v; want %q", name, f.ID, err, want)
		}
	}
	var unknown *UnknownFilmError
	if _, err := s.FindFilm(ctx, "harbor lights (1999)"); !errors.As(err, &unknown) {
		t.Errorf("FindFilm(a shared title with a year none has) = %v, want an *UnknownFilmError", err)
	}
}
