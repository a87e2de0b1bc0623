package catalogtest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"filmbot/fold"
	"filmbot/seed"
)

func TestGenerate_Deterministic(t *testing.T) {
	a, b := Generate(300, 3), Generate(300, 3)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two calls differ (-first +second):\n%s", diff)
	}
}

func TestGenerate_Counts(t *testing.T) {
	tests := []struct {
		films, facts int
		want         seed.Counts
	}{
		{1, 0, seed.Counts{Articles: 1, Films: 1, People: 6, Facts: 0, Questions: 2}},
		{10, 5, seed.Counts{Articles: 1, Films: 10, People: 6, Facts: 50, Questions: 20}},
		{2500, 2, seed.Counts{Articles: 3, Films: 2500, People: 1250, Facts: 5000, Questions: 5000}},
	}
	for _, tt := range tests {
		c := Generate(tt.films, tt.facts)
		if diff := cmp.Diff(tt.want, c.Counts()); diff != "" {
			t.Errorf("Generate(%d, %d) counts (-want +got):\n%s", tt.films, tt.facts, diff)
		}
	}
}

// TestGenerate_References checks every ID is unique and every reference resolves, which
// is what a store and the seed validator rely on.
func TestGenerate_References(t *testing.T) {
	for _, tag := range []string{"", "gen-b"} {
		c := Tagged(3000, 4, tag)
		ids := map[string]bool{}
		unique := func(kind, id string) {
			t.Helper()
			if id == "" || ids[kind+id] {
				t.Errorf("%s ID %q empty or repeated", kind, id)
			}
			ids[kind+id] = true
		}
		for _, a := range c.Articles {
			unique("article", a.ID)
		}
		for _, p := range c.People {
			unique("person", p.ID)
		}
		titles := map[string]bool{}
		for _, f := range c.Films {
			unique("film", f.ID)
			for _, name := range append([]string{f.Title}, f.Aliases...) {
				if k := fold.String(name); titles[k] {
					t.Errorf("title or alias %q folds like another", name)
				} else {
					titles[k] = true
				}
			}
		}
		ref := func(kind, id string) {
			t.Helper()
			if !ids[kind+id] {
				t.Errorf("dangling %s reference %q", kind, id)
			}
		}
		for _, p := range c.People {
			ref("article", p.Source)
		}
		for _, f := range c.Films {
			ref("article", f.Source)
			for _, d := range f.Directors {
				ref("person", d)
			}
			for _, cr := range f.Cast {
				ref("person", cr.Person)
			}
		}
		for _, fc := range c.Facts {
			unique("fact", fc.ID)
			ref("film", fc.Film)
			ref("article", fc.Source)
			if fc.Person != "" {
				ref("person", fc.Person)
			}
		}
		for _, q := range c.Questions {
			unique("question", q.ID)
			ref("film", q.Film)
			if len(q.Distractors) != 3 {
				t.Errorf("question %s has %d distractors, want 3", q.ID, len(q.Distractors))
			}
		}
	}
}

func TestTagged_Distinct(t *testing.T) {
	a, b := Tagged(50, 1, "a"), Tagged(50, 1, "b")
	for i := range a.Films {
		if a.Films[i].ID == b.Films[i].ID {
			t.Fatalf("film %d has the same ID %q in both tagged catalogs", i, a.Films[i].ID)
		}
	}
}

func TestGenerate_ASCIIIDs(t *testing.T) {
	c := Generate(2000, 1)
	for _, p := range c.People {
		for _, r := range p.ID {
			if r > 127 {
				t.Fatalf("person ID %q is not ASCII", p.ID)
			}
		}
	}
}
