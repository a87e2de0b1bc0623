package quiz

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"filmbot/fold"
	"filmbot/internal/moviedata"
	"filmbot/seed"
)

// smallCatalog has two decades of westerns and dramas, a title two films share, and a
// pair of actors who star together in two films.
func smallCatalog() *seed.Catalog {
	c := &seed.Catalog{Articles: []seed.Article{{ID: "a", Publisher: "P", Headline: "H"}}}
	person := func(name string) string {
		id := strings.ReplaceAll(strings.ToLower(name), " ", "-")
		for _, p := range c.People {
			if p.ID == id {
				return id
			}
		}
		c.People = append(c.People, seed.Person{ID: id, Name: name, Source: "a"})
		return id
	}
	film := func(id, title string, year int, genre, director string, cast ...string) {
		f := seed.Film{ID: id, Title: title, Year: year, Genres: []string{genre}, Source: "a"}
		if director != "" {
			f.Directors = []string{person(director)}
		}
		for _, n := range cast {
			f.Cast = append(f.Cast, seed.Credit{Person: person(n)})
		}
		c.Films = append(c.Films, f)
	}
	for i := range 8 {
		film(fmt.Sprintf("w%d", i), fmt.Sprintf("Dust Trail %d", i), 1950+i, "Western", fmt.Sprintf("Director W%d", i),
			fmt.Sprintf("Actor W%d", i), fmt.Sprintf("Actor W%d", i+1), "Rex Cole")
		film(fmt.Sprintf("d%d", i), fmt.Sprintf("Quiet Rooms %d", i), 1952+i, "Drama", fmt.Sprintf("Director D%d", i),
			fmt.Sprintf("Actor D%d", i), fmt.Sprintf("Actor D%d", i+1))
	}
	// Two films of one title, years apart, by different directors.
	film("storm-1951", "The Storm", 1951, "Drama", "Ada Vance", "Actor D1", "Actor D2")
	film("storm-1955", "The Storm", 1955, "Drama", "Bo Keller", "Actor D3", "Actor D4")
	// Rex Cole and Actor W3 also star together in w2 and w3.
	return c
}

// checkQuestion fails t for anything that makes q unplayable or accidentally right.
func checkQuestion(t *testing.T, ix *testIndex, q seed.Question) {
	t.Helper()
	films, names := ix.films, ix.names
	if len(q.Distractors) < seed.MinDistractors {
		t.Errorf("%s: %d distractors", q.ID, len(q.Distractors))
	}
	seen := map[string]bool{fold.String(q.Answer): true}
	for _, a := range q.Accept {
		seen[fold.String(a)] = true
	}
	for _, d := range q.Distractors {
		if seen[fold.String(d)] {
			t.Errorf("%s: distractor %q repeats the answer or another distractor", q.ID, d)
		}
		seen[fold.String(d)] = true
		if d == "" || len([]rune(d)) > seed.MaxAnswer {
			t.Errorf("%s: distractor %q does not fit a button", q.ID, d)
		}
	}
	if len([]rune(q.Answer)) > seed.MaxAnswer || len([]rune(q.Prompt)) > seed.MaxPrompt {
		t.Errorf("%s: answer or prompt over Discord's limits", q.ID)
	}
	f := films[q.Film]
	if f == nil || q.Source != f.Source {
		t.Fatalf("%s: film %q, source %q", q.ID, q.Film, q.Source)
	}
	inCast := func(f *seed.Film, name string) bool {
		key := fold.String(name)
		for _, c := range f.Cast {
			if ix.folded[c.Person] == key {
				return true
			}
		}
		return false
	}
	switch Kind(q) {
	case KindDirector:
		for _, d := range q.Distractors {
			for _, p := range f.Directors {
				if fold.String(names[p]) == fold.String(d) {
					t.Errorf("%s: distractor %q directed %s", q.ID, d, f.ID)
				}
			}
		}
	case KindActor:
		if !inCast(f, q.Answer) {
			t.Errorf("%s: answer %q is not in the cast", q.ID, q.Answer)
		}
		for _, d := range q.Distractors {
			if inCast(f, d) {
				t.Errorf("%s: distractor %q is in the cast", q.ID, d)
			}
		}
	case KindStars:
		a, b := names[f.Cast[0].Person], names[f.Cast[1].Person]
		for _, d := range q.Distractors {
			for _, o := range ix.byLabel[d] {
				if inCast(o, a) && inCast(o, b) {
					t.Errorf("%s: distractor %q stars both %s and %s", q.ID, d, a, b)
				}
			}
		}
	case KindYear:
		if q.Answer != strconv.Itoa(f.Year) {
			t.Errorf("%s: answer %q, film of %d", q.ID, q.Answer, f.Year)
		}
		for _, o := range ix.byTitle[fold.String(f.Title)] {
			for _, d := range q.Distractors {
				if d == strconv.Itoa(o.Year) {
					t.Errorf("%s: distractor year %s is the year of %s, of the same title", q.ID, d, o.ID)
				}
			}
		}
	default:
		t.Errorf("%s: not a generated kind", q.ID)
	}
}

// testIndex is a catalog looked up the ways checkQuestion needs.
type testIndex struct {
	films            map[string]*seed.Film
	names, folded    map[string]string // person ID → name, folded name
	byLabel, byTitle map[string][]*seed.Film
}

func index(cat *seed.Catalog) *testIndex {
	ix := &testIndex{
		films: make(map[string]*seed.Film), names: make(map[string]string), folded: make(map[string]string),
		byLabel: make(map[string][]*seed.Film), byTitle: make(map[string][]*seed.Film),
	}
	for i := range cat.Films {
		f := &cat.Films[i]
		ix.films[f.ID] = f
		ix.byLabel[label(f)] = append(ix.byLabel[label(f)], f)
		ix.byTitle[fold.String(f.Title)] = append(ix.byTitle[fold.String(f.Title)], f)
	}
	for _, p := range cat.People {
		ix.names[p.ID], ix.folded[p.ID] = p.Name, fold.String(p.Name)
	}
	return ix
}

func TestGenerate(t *testing.T) {
	cat := smallCatalog()
	qs := Generate(cat, 7)
	ix := index(cat)
	kinds := map[string]int{}
	byID := map[string]seed.Question{}
	for _, q := range qs {
		checkQuestion(t, ix, q)
		kinds[Kind(q)]++
		byID[q.ID] = q
	}
	// Every film has a director, a cast of two or more and a year.
	n := len(cat.Films)
	if diff := cmp.Diff(map[string]int{KindDirector: n, KindActor: n, KindStars: n, KindYear: n}, kinds); diff != "" {
		t.Errorf("questions by kind (-want +got):\n%s", diff)
	}
	// A shared title names the film by its director, and the year question leaves the
	// other film's year out.
	if got, want := byID["storm-1951-qy"].Prompt, "In what year did The Storm, directed by Ada Vance, come out?"; got != want {
		t.Errorf("same-title year prompt = %q, want %q", got, want)
	}
	if got, want := byID["w0-qd"].Prompt, "Who directed Dust Trail 0 (1950)?"; got != want {
		t.Errorf("director prompt = %q, want %q", got, want)
	}
	// Directors of the same era and genre come first.
	for _, d := range byID["w0-qd"].Distractors {
		if !strings.HasPrefix(d, "Director W") {
			t.Errorf("w0-qd distractor %q is not a western director of the 1950s", d)
		}
	}

	// Deterministic for a seed; another seed draws other distractors.
	if diff := cmp.Diff(qs, Generate(cat, 7)); diff != "" {
		t.Errorf("Generate is not deterministic (-first +second):\n%s", diff)
	}
	if cmp.Equal(qs, Generate(cat, 8)) {
		t.Error("seeds 7 and 8 gave the same questions")
	}

	// The result installs beside the catalog's own questions, and a film with
	// hand-written questions gets no generated ones.
	cat.Questions = append(cat.Questions, seed.Question{ID: "w1-qd", Film: "w2", Prompt: "Hand-written?", Answer: "Yes", Hard: true})
	again := Generate(cat, 7)
	cat.Questions = append(cat.Questions, again...)
	if err := cat.Validate(); err != nil {
		t.Errorf("catalog with generated questions: %v", err)
	}
	if len(again) != len(qs)-5 {
		t.Errorf("with w1-qd taken and w2 curated, %d questions, want %d", len(again), len(qs)-5)
	}
	for _, q := range again {
		if q.Film == "w2" {
			t.Errorf("generated %s about a film with a curated question", q.ID)
		}
	}
}

// TestGenerate_TooFew leaves out questions the catalog cannot give enough wrong answers
// for, rather than asking them with two buttons.
func TestGenerate_TooFew(t *testing.T) {
	c := &seed.Catalog{
		Articles: []seed.Article{{ID: "a", Publisher: "P", Headline: "H"}},
		People:   []seed.Person{{ID: "p", Name: "Pat Doe", Source: "a"}, {ID: "q", Name: "Quin Roe", Source: "a"}},
		Films: []seed.Film{
			{ID: "f", Title: "F", Year: 1990, Directors: []string{"p"}, Cast: []seed.Credit{{Person: "q"}}, Source: "a"},
			{ID: "g", Title: "F", Year: 1990, Source: "a"},
		},
	}
	for _, q := range Generate(c, 1) {
		t.Errorf("question %s %q from a catalog too small to have distractors", q.ID, q.Prompt)
	}
}

// TestGenerate_Dataset generates the questions of the whole Wikipedia movie data and
// checks every one.
func TestGenerate_Dataset(t *testing.T) {
	cat := moviedata.Catalog(t)
	qs := Generate(cat, 1)
	ix := index(cat)
	kinds := map[string]int{}
	for _, q := range qs {
		kinds[Kind(q)]++
		checkQuestion(t, ix, q)
	}
	for kind, n := range kinds {
		if n < 20000 {
			t.Errorf("only %d %s questions from 36,000 films", n, kind)
		}
	}
}
