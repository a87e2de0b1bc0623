package answer

import (
	"strings"
	"testing"

	"filmbot/seed"
)

func TestTitleSlot(t *testing.T) {
	tests := []struct{ text, want string }{
		{"who directed the host", "the host"},
		{"who starred in up", "up"},
		{"is her any good", "her"},
		{"when did it first come out", "it"},
		{"who s in the cast", "the cast"},
		{"what is comrade kim goes flying about", "comrade kim goes flying"},
		{"who plays yong mi", ""},
		{"where was it shot", "it"},
		{"did bong joon ho direct parasite", "parasite"},
		{"did it come out in 2012", ""},
	}
	for _, tt := range tests {
		if got := titleSlot(tt.text); got != tt.want {
			t.Errorf("titleSlot(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestAsk_UnknownTitles: a question whose title slot holds a film the data does not know
// is refused as not in the data, never answered from the one film it does know, even when
// the title is made of common words.
func TestAsk_UnknownTitles(t *testing.T) {
	ix := mustIndex(t)
	for _, q := range []string{"who directed the host?", "who starred in up", "is her any good", "when did parasite come out",
		"<@123456789012345678> who directed the host", "who is in the godfather", "did bong joon ho direct parasite"} {
		a := ix.Ask(q, "")
		if a.Found || !strings.Contains(a.Text, "not in my data") {
			t.Errorf("Ask(%q) = found %v %q, want a not-in-my-data refusal", q, a.Found, a.Text)
		}
	}
	for _, q := range []string{"who directed it", "who directed comrade kim goes flyng", "who's in the cast", "who made the movie"} {
		if a := ix.Ask(q, ""); !a.Found {
			t.Errorf("Ask(%q) refused: %q", q, a.Text)
		}
	}
}

// TestAsk_SameTitle: films sharing a title are told apart by the year the question gives,
// as "treasure island (1950)" or "the 1934 treasure island"; without one the reply lists
// the years.
func TestAsk_SameTitle(t *testing.T) {
	cat := &seed.Catalog{
		Articles: []seed.Article{{ID: "a", Publisher: "Test", Headline: "Islands"}},
		People: []seed.Person{{ID: "p34", Name: "Victor Fleming", Source: "a"}, {ID: "p50", Name: "Byron Haskin", Source: "a"},
			{ID: "p90", Name: "Fraser Heston", Source: "a"}},
		Films: []seed.Film{
			{ID: "ti-1934", Title: "Treasure Island", Year: 1934, Directors: []string{"p34"}, Source: "a"},
			{ID: "ti-1950", Title: "Treasure Island", Year: 1950, Directors: []string{"p50"}, Source: "a"},
			{ID: "ti-1990", Title: "Treasure Island", Year: 1990, Directors: []string{"p90"}, Source: "a"},
			{ID: "ti-1990b", Title: "Treasure Island", Year: 1990, Directors: []string{"p90"}, Source: "a"},
		},
	}
	ix := New(cat)
	for q, want := range map[string]string{
		"who directed treasure island (1950)?":  "Byron Haskin",
		"who directed the 1934 treasure island": "Victor Fleming",
	} {
		if a := ix.Ask(q, ""); !a.Found || !strings.Contains(a.Text, want) {
			t.Errorf("Ask(%q) = found %v %q, want %q", q, a.Found, a.Text, want)
		}
	}
	if a := ix.Ask("who directed treasure island (1990)", ""); a.Found {
		t.Errorf("two 1990 films: the year picks none, yet %q was answered: %q", "treasure island (1990)", a.Text)
	}
	a := ix.Ask("who directed treasure island", "")
	if a.Found || !strings.Contains(a.Text, "1934, 1950 and 1990 (2 films)") {
		t.Errorf("bare ambiguous title: found %v %q, want the years listed", a.Found, a.Text)
	}
}

// TestAsk_CastWithoutRoles: a cast list that names no characters (a dataset's) is rendered
// as names, never as "plays  in", and "who is in X" gets the list.
func TestAsk_CastWithoutRoles(t *testing.T) {
	cat := &seed.Catalog{
		Articles: []seed.Article{{ID: "w", Publisher: "Wikipedia", Headline: "Ambush"}},
		People: []seed.Person{{ID: "rt", Name: "Robert Taylor", Source: "w"}, {ID: "jh", Name: "John Hodiak", Source: "w"},
			{ID: "sw", Name: "Sam Wood", Source: "w"}},
		Films: []seed.Film{{ID: "ambush", Title: "Ambush", Year: 1950, Directors: []string{"sw"},
			Cast: []seed.Credit{{Person: "rt"}, {Person: "jh"}}, Source: "w"}},
	}
	ix := New(cat)
	a := ix.Ask("who is in ambush", "")
	if !a.Found || !strings.Contains(a.Text, "Robert Taylor") || !strings.Contains(a.Text, "John Hodiak") || strings.Contains(a.Text, " as ") {
		t.Errorf("who is in ambush: %+v, want both names and no roles", a)
	}
	for _, q := range []string{"does john hodiak act in ambush", "who is the main character of ambush", "who directed ambush"} {
		if a := ix.Ask(q, ""); strings.Contains(a.Text, "plays  ") || strings.Contains(a.Text, " is  ") {
			t.Errorf("%q: %q renders an empty role", q, a.Text)
		}
	}
}
