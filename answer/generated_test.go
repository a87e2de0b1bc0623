package answer

import (
	"fmt"
	"strings"
	"testing"

	"filmbot/internal/catalogtest"
	"filmbot/seed"
)

// TestAsk_GeneratedCatalog asks about films of a generated catalog of thousands, where
// titles share words and roles repeat across films: the film must be found by its title or
// the film option, and what the data holds answered, what it does not refused.
func TestAsk_GeneratedCatalog(t *testing.T) {
	cat := catalogtest.Generate(3000, 8)
	ix := New(cat)
	names := map[string]string{}
	for _, p := range cat.People {
		names[p.ID] = p.Name
	}
	tests, failed := 0, 0
	check := func(question, film, want string) {
		t.Helper()
		tests++
		a := ix.Ask(question, film)
		ok := a.Found && strings.Contains(a.Text, want)
		if want == "" {
			ok = !a.Found
		}
		if !ok {
			failed++
			if failed <= 10 {
				t.Errorf("Ask(%q, %q) = found %v %q, want %q", question, film, a.Found, a.Text, want)
			}
		}
	}
	for i := 0; i < len(cat.Films); i += 29 {
		f := &cat.Films[i]
		check(fmt.Sprintf("Who directed %s?", f.Title), "", names[f.Directors[0]])
		check(fmt.Sprintf("who plays %s in %s", f.Cast[1].Role, strings.ToUpper(f.Title)), "", names[f.Cast[1].Person])
		check(fmt.Sprintf("Where was %s shot?", f.Title), "", f.Locations[0])
		check("What year did it come out?", f.ID, fmt.Sprint(f.Year))
		check(fmt.Sprintf("How long is %s?", f.Title), "", "minutes")
		check(fmt.Sprintf("Who plays the grandmother's dog in %s?", f.Title), "", "")
		check(fmt.Sprintf("What did %s win at Cannes?", f.Title), "", "")
	}
	if failed > 0 {
		t.Errorf("%d of %d questions failed", failed, tests)
	}
}

// TestAsk_SeedAmongMany puts the seed film among thousands of generated ones (some titled
// like it, with roles named like its characters): a question that names the film, or one
// of its own characters, still finds it, and one that names no film is not answered from a
// guess.
func TestAsk_SeedAmongMany(t *testing.T) {
	ix := New(seed.Merge(defaultCatalog(t), catalogtest.Generate(3000, 4)))
	tests := []struct {
		question, film, want string
	}{
		{"Who directed Comrade Kim Goes Flying?", "", "Nicholas Bonner"},
		{"Where can I stream Comrade Kim Goes Flying?", "", "Vimeo"},
		{"Who plays Pak Jang Phil?", "", "Pak Chung Guk"},
		{"Who founded Koryo Tours?", "", "Bonner"},
		{"How old is Yong Mi?", "comrade-kim-goes-flying", "28"},
		{"Where was the film shot?", "", ""},
		{"Who composed the score for Comrade Kim Goes Flying?", "", ""},
	}
	for _, tt := range tests {
		a := ix.Ask(tt.question, tt.film)
		if tt.want == "" {
			if a.Found {
				t.Errorf("Ask(%q, %q) = %q, want a refusal", tt.question, tt.film, a.Text)
			}
			continue
		}
		if !a.Found || !strings.Contains(a.Text, tt.want) || a.FilmID != "comrade-kim-goes-flying" && a.FilmID != "" {
			t.Errorf("Ask(%q, %q) = found %v %q (film %q), want %q", tt.question, tt.film, a.Found, a.Text, a.FilmID, tt.want)
		}
	}
}
