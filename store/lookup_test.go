package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"filmbot/fold"
	"filmbot/internal/catalogtest"
	"filmbot/seed"
)

// titlesCatalog is a small catalog whose titles exercise the ranking rules.
func titlesCatalog() *seed.Catalog {
	c := &seed.Catalog{
		Articles: []seed.Article{{ID: "a", Publisher: "Lonely Planet", Headline: "Films"}},
		People:   []seed.Person{{ID: "p", Name: "Anders Riis Christensen", Source: "a"}},
	}
	films := []struct {
		id, title string
		aliases   []string
	}{
		{"comrade-kim", "Comrade Kim Goes Flying", []string{"Kim Goes Flying"}},
		{"kimono", "The Kimono", nil},
		{"kims-game", "Kim's Game", nil},
		{"kimberley", "Kimberley Road", nil},
		{"kim", "Kim", nil},
		{"skimming", "Skimming", nil},
		{"amelie", "Amélie", []string{"Le Fabuleux Destin d'Amélie Poulain"}},
		{"amelia", "Amelia", nil},
	}
	for i, f := range films {
		c.Films = append(c.Films, seed.Film{
			ID: f.id, Title: f.title, Aliases: f.aliases, Year: 2000 + i,
			Directors: []string{"p"}, Source: "a",
		})
	}
	return c
}

func TestStore_SearchTitles(t *testing.T) {
	s := mustSeed(t, titlesCatalog())
	m := func(id, title string, year int, matched string) TitleMatch {
		return TitleMatch{FilmID: id, Title: title, Year: year, Matched: matched}
	}
	kim := m("kim", "Kim", 2004, "Kim")
	kimsGame := m("kims-game", "Kim's Game", 2002, "Kim's Game")
	kimberley := m("kimberley", "Kimberley Road", 2003, "Kimberley Road")
	comradeAlias := m("comrade-kim", "Comrade Kim Goes Flying", 2000, "Kim Goes Flying")
	kimono := m("kimono", "The Kimono", 2001, "The Kimono")
	amelie := m("amelie", "Amélie", 2006, "Amélie")
	amelia := m("amelia", "Amelia", 2007, "Amelia")
	amelieAlias := m("amelie", "Amélie", 2006, "Le Fabuleux Destin d'Amélie Poulain")

	tests := []struct {
		query string
		limit int
		want  []TitleMatch
	}{
		// Exact first, then titles starting with the query (shorter first), then titles
		// with a later word starting with it; "Skimming" has no word starting "kim".
		{"kim", 25, []TitleMatch{kim, kimsGame, kimberley, comradeAlias, kimono}},
		{"KIM", 25, []TitleMatch{kim, kimsGame, kimberley, comradeAlias, kimono}},
		{"  Kim!", 2, []TitleMatch{kim, kimsGame}},
		{"kim goes", 25, []TitleMatch{comradeAlias}},
		{"goes fly", 25, []TitleMatch{m("comrade-kim", "Comrade Kim Goes Flying", 2000, "Kim Goes Flying")}},
		{"comrade kim", 25, []TitleMatch{m("comrade-kim", "Comrade Kim Goes Flying", 2000, "Comrade Kim Goes Flying")}},
		// Accents fold both ways; the film matched by title and alias appears once.
		{"amelie", 25, []TitleMatch{amelie}},
		{"Amélie", 25, []TitleMatch{amelie}},
		{"AMELI", 25, []TitleMatch{amelia, amelie}},
		{"fabuleux", 25, []TitleMatch{amelieAlias}},
		{"le fab", 25, []TitleMatch{amelieAlias}},
		{"poulain", 25, []TitleMatch{amelieAlias}},
		{"xyz", 25, nil},
		{"kim goes walking", 25, nil},
		{"imo", 25, nil},
	}
	for _, tt := range tests {
		got, err := s.SearchTitles(context.Background(), tt.query, tt.limit)
		if err != nil {
			t.Errorf("SearchTitles(%q): %v", tt.query, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, ignoreLabel); diff != "" {
			t.Errorf("SearchTitles(%q, %d) (-want +got):\n%s", tt.query, tt.limit, diff)
		}
	}
}

// rankTitles is the ranking rule written the slow, obvious way: every film's best match,
// from the title's start or a later word that is not a stop word, by (exact, whole title before later word, title length, folded text from the matched
// word, seed order), the first limit films.
func rankTitles(films []seed.Film, query string, limit int) []TitleMatch {
	q := fold.String(query)
	type ranked struct {
		exact, word bool
		length      int
		text        string
		seq         int
		m           TitleMatch
	}
	less := func(a, b ranked) int {
		switch {
		case a.exact != b.exact:
			if a.exact {
				return -1
			}
			return 1
		case a.word != b.word:
			if !a.word {
				return -1
			}
			return 1
		case a.length != b.length:
			return a.length - b.length
		case a.text != b.text:
			return strings.Compare(a.text, b.text)
		}
		return a.seq - b.seq
	}
	var all []ranked
	for seq, f := range films {
		var best *ranked
		for i, name := range append([]string{f.Title}, f.Aliases...) {
			folded := fold.String(name)
			words := strings.Split(folded, " ")
			for w := range words {
				text := strings.Join(words[w:], " ")
				if folded == "" || !strings.HasPrefix(text, q) || w > 0 && stopWord(words[w]) {
					continue
				}
				r := ranked{exact: w == 0 && text == q, word: w > 0, length: len(folded), text: text, seq: seq,
					m: TitleMatch{FilmID: f.ID, Title: f.Title, Year: f.Year, Matched: name}}
				if i == 0 {
					r.m.Matched = f.Title
				}
				if best == nil || less(r, *best) < 0 {
					best = &r
				}
			}
		}
		if best != nil {
			all = append(all, *best)
		}
	}
	slices.SortFunc(all, less)
	var out []TitleMatch
	for _, r := range all[:min(limit, len(all))] {
		out = append(out, r.m)
	}
	return out
}

// TestStore_SearchTitlesGenerated checks the index against the slow ranking on a
// generated catalog, including the 25-result cap.
func TestStore_SearchTitlesGenerated(t *testing.T) {
	cat := catalogtest.Generate(3000, 0)
	s := mustSeed(t, cat)
	queries := []string{
		"", "t", "the", "The Last", "gold", "golden r", "kim", "comrade", "amelie", "AMÉLIE",
		"sao p", "São Paulo", "pyongyang", "cafe", "eclair", "river", "of", "2", "zzz",
		"goes flying", cat.Films[17].Title, cat.Films[2999].Title,
	}
	for _, f := range cat.Films {
		if len(f.Aliases) > 0 {
			queries = append(queries, f.Aliases[0], fold.String(f.Aliases[0])[:5])
			break
		}
	}
	for _, q := range queries {
		for _, limit := range []int{25, 100, 0, 7, 1} {
			want := limit
			if limit <= 0 || limit > 25 {
				want = 25
			}
			got, err := s.SearchTitles(context.Background(), q, limit)
			if err != nil {
				t.Fatalf("SearchTitles(%q): %v", q, err)
			}
			if diff := cmp.Diff(rankTitles(cat.Films, q, want), got, ignoreLabel); diff != "" {
				t.Errorf("SearchTitles(%q, %d) (-want +got):\n%s", q, limit, diff)
			}
		}
	}
	if got, _ := s.SearchTitles(context.Background(), "the", 100); len(got) != 25 {
		t.Errorf(`SearchTitles("the", 100) gave %d results, want the cap of 25`, len(got))
	}
}

func TestStore_FindFilm(t *testing.T) {
	cat := titlesCatalog()
	s := mustSeed(t, cat)
	tests := []struct {
		name   string
		wantID string
	}{
		{"Comrade Kim Goes Flying", "comrade-kim"},
		{"comrade kim goes flying!", "comrade-kim"},
		{"KIM GOES FLYING", "comrade-kim"},
		{"amelie", "amelie"},
		{"le fabuleux destin d’amélie poulain", "amelie"},
		{"Kim", "kim"},
		{"Kim Goes", ""},
		{"Comrade Kim", ""},
		{"", ""},
		{"!!", ""},
	}
	for _, tt := range tests {
		f, err := s.FindFilm(context.Background(), tt.name)
		if tt.wantID == "" {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("FindFilm(%q) = %q, %v; want ErrNotFound", tt.name, f.ID, err)
			}
			continue
		}
		if err != nil || f.ID != tt.wantID {
			t.Errorf("FindFilm(%q) = %q, %v; want %q", tt.name, f.ID, err, tt.wantID)
		}
	}
}

func TestStore_Lookups(t *testing.T) {
	cat := catalogtest.Generate(120, 4)
	// A fact about a person only, and one film with no facts or questions.
	cat.Facts = append(cat.Facts, seed.Fact{ID: "person-only", Person: cat.People[0].ID, Text: "A person fact.", Source: cat.Articles[0].ID})
	bare := seed.Film{ID: "bare", Title: "Bare Film", Source: cat.Articles[0].ID}
	cat.Films = append(cat.Films, bare)
	s := mustSeed(t, cat)

	for _, want := range []seed.Film{cat.Films[0], cat.Films[77], bare} {
		got, err := s.Film(context.Background(), want.ID)
		if err != nil {
			t.Fatalf("Film(%q): %v", want.ID, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Film(%q) (-want +got):\n%s", want.ID, diff)
		}
	}
	for _, want := range []seed.Person{cat.People[0], cat.People[len(cat.People)-1]} {
		got, err := s.Person(context.Background(), want.ID)
		if err != nil || !cmp.Equal(want, got) {
			t.Errorf("Person(%q) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
	if got, err := s.Article(context.Background(), cat.Articles[0].ID); err != nil || !cmp.Equal(cat.Articles[0], got) {
		t.Errorf("Article = %+v, %v; want %+v", got, err, cat.Articles[0])
	}

	film := cat.Films[42]
	var wantFacts []seed.Fact
	for _, f := range cat.Facts {
		if f.Film == film.ID {
			wantFacts = append(wantFacts, f)
		}
	}
	gotFacts, err := s.FilmFacts(context.Background(), film.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantFacts, gotFacts); diff != "" {
		t.Errorf("FilmFacts (-want +got):\n%s", diff)
	}
	if got, err := s.FilmFacts(context.Background(), bare.ID); err != nil || len(got) != 0 {
		t.Errorf("FilmFacts(bare) = %v, %v; want none", got, err)
	}

	var wantQs []seed.Question
	for _, q := range cat.Questions {
		if q.Film == film.ID {
			wantQs = append(wantQs, q)
		}
	}
	gotQs, err := s.Questions(context.Background(), film.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantQs, gotQs); diff != "" {
		t.Errorf("Questions(film) (-want +got):\n%s", diff)
	}
	allQs, err := s.Questions(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cat.Questions, allQs); diff != "" {
		t.Errorf(`Questions("") (-want +got):\n%s`, diff)
	}

	for _, id := range []string{"no-such-id", ""} {
		if _, err := s.Film(context.Background(), id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Film(%q) error = %v, want ErrNotFound", id, err)
		}
		if _, err := s.Person(context.Background(), id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Person(%q) error = %v, want ErrNotFound", id, err)
		}
		if _, err := s.Article(context.Background(), id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Article(%q) error = %v, want ErrNotFound", id, err)
		}
	}
	if _, err := s.FilmFacts(context.Background(), "no-such-film"); !errors.Is(err, ErrNotFound) {
		t.Errorf("FilmFacts(unknown) error = %v, want ErrNotFound", err)
	}
	if _, err := s.Questions(context.Background(), "no-such-film"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Questions(unknown) error = %v, want ErrNotFound", err)
	}
}

func TestStore_RandomFact(t *testing.T) {
	cat := catalogtest.Generate(40, 3)
	cat.Films = append(cat.Films, seed.Film{ID: "bare", Title: "Bare Film", Source: cat.Articles[0].ID})
	s := mustSeed(t, cat)
	r := rand.New(rand.NewPCG(1, 2))

	// Every fact comes up, and only real ones.
	want := make(map[string]seed.Fact)
	for _, f := range cat.Facts {
		want[f.ID] = f
	}
	seen := make(map[string]bool)
	for range 40 * len(cat.Facts) {
		f, err := s.RandomFact(context.Background(), "", r)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want[f.ID], f); diff != "" {
			t.Fatalf("RandomFact returned a fact unlike the seed's (-want +got):\n%s", diff)
		}
		seen[f.ID] = true
	}
	if len(seen) != len(cat.Facts) {
		t.Errorf("RandomFact drew %d distinct facts of %d", len(seen), len(cat.Facts))
	}

	film := cat.Films[7].ID
	seenFilm := make(map[string]bool)
	for range 100 {
		f, err := s.RandomFact(context.Background(), film, r)
		if err != nil {
			t.Fatal(err)
		}
		if f.Film != film {
			t.Fatalf("RandomFact(%q) returned a fact about %q", film, f.Film)
		}
		seenFilm[f.ID] = true
	}
	if len(seenFilm) != 3 {
		t.Errorf("RandomFact(%q) drew %d distinct facts of 3", film, len(seenFilm))
	}
	if _, err := s.RandomFact(context.Background(), "nil-rand-ok", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("RandomFact(unknown film) error = %v, want ErrNotFound", err)
	}
	if _, err := s.RandomFact(context.Background(), "bare", r); !errors.Is(err, ErrNotFound) {
		t.Errorf("RandomFact(film without facts) error = %v, want ErrNotFound", err)
	}
	if _, err := s.RandomFact(context.Background(), "", nil); err != nil {
		t.Errorf("RandomFact with a nil generator: %v", err)
	}

	empty := mustOpen(t, t.TempDir()+"/empty.db", Options{})
	if _, err := empty.RandomFact(context.Background(), "", r); !errors.Is(err, ErrNotFound) {
		t.Errorf("RandomFact on an unseeded store: error %v, want ErrNotFound", err)
	}
}

func TestStore_LookupsOnUnseeded(t *testing.T) {
	s := mustOpen(t, t.TempDir()+"/empty.db", Options{})
	if got, err := s.SearchTitles(context.Background(), "kim", 25); err != nil || len(got) != 0 {
		t.Errorf("SearchTitles on an unseeded store = %v, %v", got, err)
	}
	if _, err := s.FindFilm(context.Background(), "kim"); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindFilm on an unseeded store: error %v, want ErrNotFound", err)
	}
	if qs, err := s.Questions(context.Background(), ""); err != nil || len(qs) != 0 {
		t.Errorf("Questions on an unseeded store = %v, %v", qs, err)
	}
}

// ignoreLabel leaves labels out of comparisons of search results; sametitle_test.go
// checks them.
var ignoreLabel = cmpopts.IgnoreFields(TitleMatch{}, "Label")
