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
		},
	}
	ix := New(cat)
	for q, want := range map[string]string{
		"who directed treasure island (1950)?":   "Byron Haskin",
		"who directed the 1934 treasure island":  "Victor Fleming",
		"Treasure Island 1990: who directed it?": "Fraser Heston",
	} {
		if a := ix.Ask(q, ""); !a.Found || !strings.Contains(a.Text, want) {
			t.Errorf("Ask(%q) = found %v %q, want %q", q, a.Found, a.Text, want)
		}
	}
	a := ix.Ask("who directed treasure island", "")
	if a.Found || !strings.Contains(a.Text, "1934, 1950 and 1990") {
		t.Errorf("bare ambiguous title: found %v %q, want the years listed", a.Found, a.Text)
	}
}
