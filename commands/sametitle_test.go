package commands

import (
	"strings"
	"testing"

	"filmbot/console/render"
	"filmbot/seed"
)

func TestFilm_SameTitle(t *testing.T) {
	cat := embedded(t)
	src := cat.Articles[0].ID
	for _, year := range []int{1972, 1934, 1950} {
		cat.Films = append(cat.Films, seed.Film{ID: "harbor-lights-" + string(rune('0'+year%10)), Title: "Harbor Lights", Year: year, Source: src})
	}
	// Two of one title and year: their choices must still differ.
	cat.Films = append(cat.Films, seed.Film{ID: "harbor-lights-b", Title: "Harbor Lights", Year: 1950, Source: src})
	f := newFixture(t, cat, nil)

	r := f.handle(command("film", map[string]string{"title": "harbor lights"}))
	if !isEphemeral(r) || len(r.Data.Embeds) != 0 {
		t.Fatalf("/film with a shared title = %+v, want an ephemeral question", r.Data)
	}
	for _, want := range []string{"4 films", "1934, 1950, 1972", "Harbor Lights (1934)"} {
		if !strings.Contains(r.Data.Content, want) {
			t.Errorf("/film reply %q does not say %q", r.Data.Content, want)
		}
	}

	r = f.handle(command("film", map[string]string{"title": "Harbor Lights (1934)"}))
	if len(r.Data.Embeds) != 1 || r.Data.Embeds[0].Title != "Harbor Lights (1934)" {
		t.Errorf("/film title:Harbor Lights (1934) = %q, want its card", render.Text(r.Data))
	}

	r = f.handle(autocomplete("film", "title", "harbor"))
	names := map[string]bool{}
	for _, c := range r.Data.Choices {
		if names[c.Name] {
			t.Errorf("two choices are named %q", c.Name)
		}
		names[c.Name] = true
	}
	if len(names) != 4 || !names["Harbor Lights (1934)"] {
		t.Errorf("choices %v, want one per film, labelled with the year", names)
	}
	if f.log.String() != "" {
		t.Errorf("a shared title is not an error to log:\n%s", f.log)
	}
}
