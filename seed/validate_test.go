package seed

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCatalog_Validate(t *testing.T) {
	good, err := Parse("lighthouse.toml", readTestdata(t, "lighthouse.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := good.Validate(); err != nil {
		t.Errorf("a parsed seed does not validate: %v", err)
	}

	// A catalog built in code has no lines, so problems name the record. Its credits may
	// lack a role, as imported movie data's do; a TOML seed's may not.
	c := &Catalog{
		Articles: []Article{{ID: "a", Publisher: "P", Headline: " "}},
		Films: []Film{
			{ID: "f", Source: "nope"},
			{ID: "f", Title: "Again", Source: "a", Cast: []Credit{{Person: "p"}}},
		},
		Facts: []Fact{{Text: "No ID and nothing it is about.", Source: "a"}},
	}
	want := []string{
		`film "f": duplicate film id "f"`,
		`article "a": required key "headline" is blank; write a value`,
		`film "f": missing required key "title"`,
		`film "f": source "nope" is not a known article`,
		`film "f" cast[0]: person "p" is not a known person`,
		`fact #1: missing required key "id"`,
		`fact #1: a fact needs a film or a person it is about`,
	}
	got := problemsOf(t, c.Validate())
	var msgs []string
	for _, p := range got {
		if p.File != "" || p.Line != 0 {
			t.Errorf("problem %q has a place, want none", p)
		}
		msgs = append(msgs, p.Msg)
	}
	if diff := cmp.Diff(want, msgs); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestMerge(t *testing.T) {
	a := &Catalog{Articles: []Article{{ID: "a"}}, Films: []Film{{ID: "f", Aliases: []string{"F"}}}}
	b := &Catalog{Articles: []Article{{ID: "b"}}, Questions: []Question{{ID: "q"}}}
	got := Merge(a, nil, b)
	want := &Catalog{
		Articles:  []Article{{ID: "a"}, {ID: "b"}},
		Films:     []Film{{ID: "f", Aliases: []string{"F"}}},
		Questions: []Question{{ID: "q"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Merge (-want +got):\n%s", diff)
	}
	got.Articles[0].ID = "changed"
	got.Films = append(got.Films, Film{ID: "g"})
	if a.Articles[0].ID != "a" || len(a.Films) != 1 {
		t.Errorf("changing the merged catalog changed an input: %+v", a)
	}
}
