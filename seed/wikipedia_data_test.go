package seed_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"filmbot/internal/moviedata"
	"filmbot/seed"
)

// TestLoad_WikipediaDataset loads the real dataset and checks its counts against the raw
// files, read here with encoding/json alone, and a sample of films.
func TestLoad_WikipediaDataset(t *testing.T) {
	cat := moviedata.Catalog(t)

	hrefs := make(map[string]bool)
	noHref, entries := 0, 0
	names := make(map[string]bool)
	for _, name := range moviedata.Files(t) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var films []struct {
			Href string   `json:"href"`
			Cast []string `json:"cast"`
		}
		if err := json.Unmarshal(data, &films); err != nil {
			t.Fatal(err)
		}
		for _, f := range films {
			entries++
			if f.Href == "" {
				noHref++
			} else {
				hrefs[f.Href] = true
			}
			for _, c := range f.Cast {
				names[c] = true
			}
		}
	}
	if entries != 36273 {
		t.Errorf("the files hold %d films, the README says 36,273", entries)
	}
	// One film per page name, and one per entry without one.
	if got, want := len(cat.Films), len(hrefs)+noHref; got != want {
		t.Errorf("%d films, want %d (%d page names and %d entries without one)", got, want, len(hrefs), noHref)
	}
	// One article per film; people at least every cast name that is a name.
	if len(cat.Articles) != len(cat.Films) {
		t.Errorf("%d articles for %d films, want one each", len(cat.Articles), len(cat.Films))
	}
	if len(cat.People) < len(names)-200 {
		t.Errorf("%d people for %d distinct cast names", len(cat.People), len(names))
	}

	byTitle := make(map[string][]seed.Film)
	people := make(map[string]string)
	for _, p := range cat.People {
		people[p.ID] = p.Name
	}
	for _, f := range cat.Films {
		byTitle[f.Title] = append(byTitle[f.Title], f)
		if utf8.RuneCountInString(f.Title) > seed.MaxTitle {
			t.Errorf("film %s title has %d characters", f.ID, utf8.RuneCountInString(f.Title))
		}
	}
	var years []int
	for _, f := range byTitle["Treasure Island"] {
		years = append(years, f.Year)
	}
	slices.Sort(years)
	if diff := cmp.Diff([]int{1917, 1918, 1920, 1934, 1950, 1972, 1972, 1973, 1990}, years); diff != "" {
		t.Errorf("Treasure Island years (-want +got):\n%s", diff)
	}

	directed := func(title string, year int) []string {
		t.Helper()
		for _, f := range byTitle[title] {
			if f.Year == year {
				var out []string
				for _, d := range f.Directors {
					out = append(out, people[d])
				}
				return out
			}
		}
		t.Errorf("no film %s (%d)", title, year)
		return nil
	}
	for _, tt := range []struct {
		title string
		year  int
		want  []string
	}{
		{"Treasure Island", 1950, []string{"Byron Haskin"}},
		{"Treasure Island", 1934, []string{"Victor Fleming"}},
		{"Toy Story 2", 1999, []string{"John Lasseter", "Ash Brannon", "Lee Unkrich"}},
		{"Home from the Hill", 1960, []string{"Vincente Minnelli"}},
	} {
		if diff := cmp.Diff(tt.want, directed(tt.title, tt.year)); diff != "" {
			t.Errorf("directors of %s (%d) (-want +got):\n%s", tt.title, tt.year, diff)
		}
	}
}
