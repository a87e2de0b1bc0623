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

// TestReseed_MovieData installs a Wikipedia movie data attachment: its films, what the
// import counted, and a problem at its JSON line for a bad one.
func TestReseed_MovieData(t *testing.T) {
	good := []byte(`[
  {"title": "Harbor Lights", "year": 1950, "cast": ["Mara Quill"], "genres": [], "href": "Harbor_Lights",
   "extract": "Harbor Lights is a 1950 American film directed by Cecil Vantry."},
  {"title": "Quiet Dunes", "year": 1958, "cast": [], "genres": ["Comedy"]}
]
`)
	bad := []byte("[\n  {\"title\": \"Harbor Lights\",\n   \"year\": 19500}\n]\n")
	ff := &fakeFetch{files: map[string][]byte{"https://cdn.test/good.json": good, "https://cdn.test/bad.json": bad}}
	f := newFixture(t, nil, func(d *Deps) { d.Fetch = ff.fetch })

	d, _ := runThen(t, f.handle(reseedReq(ownerID, homeGuild, &Attachment{Filename: "bad.json", URL: "https://cdn.test/bad.json", Size: len(bad)})))
	if !strings.Contains(d.Content, "bad.json:3: ") {
		t.Errorf("result = %q, want the problem at line 3", d.Content)
	}
	d, _ = runThen(t, f.handle(reseedReq(ownerID, homeGuild, &Attachment{Filename: "good.json", URL: "https://cdn.test/good.json", Size: len(good)})))
	for _, want := range []string{"Reseeded from good.json", "2 films", "1 film without a cast", "1 film without an extract"} {
		if !strings.Contains(d.Content, want) {
			t.Errorf("result %q does not say %q", d.Content, want)
		}
	}
	r := f.handle(command("film", map[string]string{"title": "harbor lights"}))
	if len(r.Data.Embeds) != 1 || r.Data.Embeds[0].Title != "Harbor Lights (1950)" {
		t.Fatalf("/film after the reseed = %q", render.Text(r.Data))
	}
	if e := r.Data.Embeds[0]; e.Footer == nil || !strings.Contains(e.Footer.Text, "Wikipedia") ||
		!strings.Contains(e.Footer.Text, "CC BY-SA") {
		t.Errorf("card footer %+v does not name Wikipedia and the text's licence", e.Footer)
	}
	// An answer quoting the extract credits it the same way.
	r = f.handle(command("ask", map[string]string{"question": "who directed harbor lights?"}))
	if text := render.Text(r.Data); !strings.Contains(text, "Cecil Vantry") || !strings.Contains(text, "CC BY-SA") {
		t.Errorf("/ask about the extract = %q, want its director and the licence credit", text)
	}
}
