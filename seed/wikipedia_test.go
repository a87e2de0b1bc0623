package seed

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// loadWikipediaFixtures loads the two decades of made-up films in testdata/wikipedia.
func loadWikipediaFixtures(t *testing.T) *Catalog {
	t.Helper()
	files := map[string][]byte{
		"movies-1950s.json": readTestdata(t, "wikipedia/movies-1950s.json"),
		"movies-1960s.json": readTestdata(t, "wikipedia/movies-1960s.json"),
	}
	cat, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// filmView is what the tests compare of an imported film, with people by name.
type filmView struct {
	ID, Title    string
	Aliases      []string
	Year         int
	Genres       []string
	Cast         []string
	Directors    []string
	Writers      []string
	Studios      []string
	Distributors []string
	BasedOn      string
	RemakeOf     string
	SequelTo     string
	Cites        []string // field=fact
	Source       string
}

func viewFilms(c *Catalog) []filmView {
	names := make(map[string]string)
	for _, p := range c.People {
		names[p.ID] = p.Name
	}
	people := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			out = append(out, names[id])
		}
		return out
	}
	var out []filmView
	for _, f := range c.Films {
		v := filmView{
			ID: f.ID, Title: f.Title, Aliases: f.Aliases, Year: f.Year, Genres: f.Genres,
			Directors: people(f.Directors), Writers: people(f.Writers), Studios: f.Studios,
			Distributors: f.Distributors, BasedOn: f.BasedOn, RemakeOf: f.RemakeOf,
			SequelTo: f.SequelTo, Source: f.Source,
		}
		for _, cr := range f.Cast {
			v.Cast = append(v.Cast, names[cr.Person])
		}
		for _, ct := range f.Cites {
			v.Cites = append(v.Cites, ct.Field+"="+ct.Fact)
		}
		out = append(out, v)
	}
	return out
}

func TestLoad_Wikipedia(t *testing.T) {
	cat := loadWikipediaFixtures(t)
	want := []filmView{
		{
			ID: "harbor-of-lanterns", Title: "Harbor of Lanterns", Year: 1952,
			// The 1960s list names the same article under another spelling and year:
			// one film, the year its article gives, the other title as an alias.
			Aliases: []string{"Harbour of Lanterns"},
			Genres:  []string{"Drama", "Noir"},
			// "voices of" is not a name, and the repeated name is one credit.
			Cast:         []string{"Mara Quill", "Otto Brennan"},
			Directors:    []string{"Cecil B. Vantry"},
			Writers:      []string{"Ada Fenwick", "Lou Marsh"},
			Studios:      []string{"Seabright Pictures"},
			Distributors: []string{"Metro-Goldwyn-Mayer"},
			BasedOn:      "the 1949 novel The Lantern Keeper by Hollis Greer",
			Cites: []string{
				"directors=harbor-of-lanterns-1", "writers=harbor-of-lanterns-1", "based_on=harbor-of-lanterns-1",
				"studios=harbor-of-lanterns-2", "distributors=harbor-of-lanterns-2",
			},
			Source: "wp-harbor-of-lanterns",
		},
		{
			ID: "the-copper-road-1953-film", Title: "The Copper Road", Year: 1953,
			Cast:         []string{"Otto Brennan"},
			Directors:    []string{"Jim O'Day", "Erich von Holt"},
			Distributors: []string{"Vistaline Releasing"},
			RemakeOf:     "the 1931 film of the same name",
			Cites: []string{
				"directors=the-copper-road-1953-film-2", "remake_of=the-copper-road-1953-film-2",
				"distributors=the-copper-road-1953-film-3",
			},
			Source: "wp-the-copper-road-1953-film",
		},
		{
			ID: "the-copper-road-1957-film", Title: "The Copper Road", Year: 1957, Genres: []string{"Western"},
			Source: "wp-the-copper-road-1957-film",
		},
		{
			// No page name: the ID comes from title and year, the source is the year's list.
			ID: "quiet-dunes-1958", Title: "Quiet Dunes", Year: 1958, Genres: []string{"Comedy"},
			Cast: []string{"Nell Ambry"}, Source: "wp-quiet-dunes-1958",
		},
		{
			ID: "the-copper-road-returns", Title: "The Copper Road Returns", Year: 1961, Genres: []string{"Western"},
			Cast:      []string{"Otto Brennan", "Nell Ambry"},
			Directors: []string{"Jim O'Day"},
			SequelTo:  "The Copper Road (1953)",
			Cites:     []string{"sequel_to=the-copper-road-returns-1", "directors=the-copper-road-returns-2"},
			Source:    "wp-the-copper-road-returns",
		},
		{
			// The listed title held style sheet text; the page name gives the real one.
			ID: "naked-lanterns-21-2-1964-film", Title: "Naked Lanterns 2½", Year: 1964, Genres: []string{"Comedy"},
			Cast: []string{"Mara Quill"}, Source: "wp-naked-lanterns-21-2-1964-film",
		},
	}
	if diff := cmp.Diff(want, viewFilms(cat)); diff != "" {
		t.Errorf("films (-want +got):\n%s", diff)
	}

	wantArticles := []Article{
		{ID: "wp-harbor-of-lanterns", Publisher: "Wikipedia", Headline: "Harbor of Lanterns", URL: "https://en.wikipedia.org/wiki/Harbor_of_Lanterns", License: WikipediaLicense},
		{ID: "wp-the-copper-road-1953-film", Publisher: "Wikipedia", Headline: "The Copper Road (1953 film)", URL: "https://en.wikipedia.org/wiki/The_Copper_Road_(1953_film)", License: WikipediaLicense},
		{ID: "wp-the-copper-road-1957-film", Publisher: "Wikipedia", Headline: "The Copper Road (1957 film)", URL: "https://en.wikipedia.org/wiki/The_Copper_Road_(1957_film)", License: WikipediaLicense},
		{ID: "wp-quiet-dunes-1958", Publisher: "Wikipedia", Headline: "List of American films of 1958", URL: "https://en.wikipedia.org/wiki/List_of_American_films_of_1958", License: WikipediaLicense},
		{ID: "wp-the-copper-road-returns", Publisher: "Wikipedia", Headline: "The Copper Road Returns", URL: "https://en.wikipedia.org/wiki/The_Copper_Road_Returns", License: WikipediaLicense},
		{ID: "wp-naked-lanterns-21-2-1964-film", Publisher: "Wikipedia", Headline: "Naked Lanterns 2½ (1964 film)", URL: "https://en.wikipedia.org/wiki/Naked_Lanterns_2½_(1964_film)", License: WikipediaLicense},
	}
	if diff := cmp.Diff(wantArticles, cat.Articles); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}

	// One person per exact name across films, whether from a cast or an extract.
	var names []string
	for _, p := range cat.People {
		names = append(names, p.Name)
	}
	wantNames := []string{"Mara Quill", "Otto Brennan", "Cecil B. Vantry", "Ada Fenwick", "Lou Marsh", "Jim O'Day", "Erich von Holt", "Nell Ambry"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("people (-want +got):\n%s", diff)
	}

	// Each sentence of an extract is a fact citing the film's article.
	var texts []string
	for _, f := range cat.Facts {
		if f.Film == "the-copper-road-1953-film" {
			if f.Source != "wp-the-copper-road-1953-film" {
				t.Errorf("fact %s cites %q, want the film's article", f.ID, f.Source)
			}
			texts = append(texts, f.Text)
		}
	}
	wantTexts := []string{
		"The Copper Road is a 1953 American Western film.",
		"Directed by Jim O'Day and Erich von Holt, it is a remake of the 1931 film of the same name.",
		"The film was released by Vistaline Releasing.",
	}
	if diff := cmp.Diff(wantTexts, texts); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}

	wantNotes := []string{
		"Wikipedia movie data: 6 films from 2 files",
		"2 films without an extract (no facts)",
		"1 film without a cast",
		`1 cast entry that is not a name ("(narrator)", "voices of") left out`,
		"1 film without genres",
		"1 film without a Wikipedia page (cited to its year's list of films)",
		"1 list entry for an article another entry already names (merged into that film)",
		"1 title with scraped markup, taken from the page name",
		"read from the extracts: based_on 1, directors 3, distributors 2, remake_of 1, sequel_to 1, studios 1, writers 1",
	}
	if diff := cmp.Diff(wantNotes, cat.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

// TestLoad_WikipediaBesideTOML loads movie data with a TOML seed whose IDs the data's
// would take: the data's give way, and references across the files resolve.
func TestLoad_WikipediaBesideTOML(t *testing.T) {
	files := map[string][]byte{
		"a.toml": doc(
			`[[article]]`, `id = "wp-quiet-dunes-1958"`, `publisher = "P"`, `headline = "H"`,
			`[[person]]`, `id = "nell-ambry"`, `name = "Nell Ambry (the other one)"`, `source = "wp-quiet-dunes-1958"`,
			`[[film]]`, `id = "quiet-dunes-1958"`, `title = "Quiet Dunes"`, `year = 1999`, `source = "wp-quiet-dunes-1958"`,
			`[[question]]`, `id = "q"`, `film = "harbor-of-lanterns"`, `prompt = "Who?"`, `answer = "A"`, `hard = true`,
		),
		"movies.json": readTestdata(t, "wikipedia/movies-1950s.json"),
	}
	cat, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range cat.Films {
		ids = append(ids, f.ID)
	}
	want := []string{"quiet-dunes-1958", "harbor-of-lanterns", "the-copper-road-1953-film", "the-copper-road-1957-film", "quiet-dunes-1958-2"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("film IDs (-want +got):\n%s", diff)
	}
	for _, p := range cat.People {
		if p.Name == "Nell Ambry" && p.ID == "nell-ambry" {
			t.Errorf("the data's Nell Ambry took the TOML seed's person ID")
		}
	}
}

// TestLoad_WikipediaProblems covers what a movie data file can get wrong: each problem at
// the line of the JSON that has it, nothing installed.
func TestLoad_WikipediaProblems(t *testing.T) {
	film := func(lines ...string) []byte {
		return doc(append(append([]string{"[", "  {"}, lines...), "  }", "]")...)
	}
	long := strings.Repeat("x", 101)
	tests := []struct {
		name string
		data []byte
		want []wantProblem
	}{
		{"not JSON", []byte("title: Heat\n"), []wantProblem{{1, "not valid JSON"}}},
		{"not an array", doc(`{`, `  "title": "Heat"`, `}`), []wantProblem{{1, "JSON array of films"}}},
		{"truncated", doc(`[`, `  {"title": "Heat", "year": 1995},`, `  {"title": "Ronin",`), []wantProblem{{4, "ends before"}}},
		{"bad syntax", doc(`[`, `  {"title": "Heat", "year": 1995},`, `  {"title": "Ronin" "year": 1998}`, `]`), []wantProblem{{3, "not valid JSON"}}},
		{"no title", film(`    "year": 1995,`, `    "cast": []`), []wantProblem{{2, "no title"}}},
		{"blank title", film(`    "title": "  ",`, `    "year": 1995`), []wantProblem{{3, "title is blank"}}},
		{"no year", film(`    "title": "Heat"`), []wantProblem{{2, "no year"}}},
		{"year out of range", film(`    "title": "Heat",`, `    "year": 19950`), []wantProblem{{4, "not a year a film was made"}}},
		{"year not whole", film(`    "title": "Heat",`, `    "year": 1995.5`), []wantProblem{{4, "not a whole number"}}},
		{"year as text", film(`    "title": "Heat",`, `    "year": "1995"`), []wantProblem{{4, "year must be a number"}}},
		{"cast not a list", film(`    "title": "Heat",`, `    "year": 1995,`, `    "cast": "Al Pacino"`), []wantProblem{{5, "cast must be a list of texts"}}},
		{"name too long", film(`    "title": "Heat",`, `    "year": 1995,`, `    "cast": ["`+long+`"]`), []wantProblem{{5, "cast[0] is too long: 101 characters, limit 100"}}},
		{"title too long", film(`    "title": "`+strings.Repeat("word ", 52)+`",`, `    "year": 1995`), []wantProblem{{3, "title is too long"}}},
		{"unknown key", film(`    "title": "Heat",`, `    "year": 1995,`, `    "director": "Michael Mann"`), []wantProblem{{5, `unknown key "director"`}}},
		{"not an object", doc(`[`, `  "Heat"`, `]`), []wantProblem{{2, "JSON object"}}},
		{"bad href", film(`    "title": "Heat",`, `    "year": 1995,`, `    "href": "Heat film?"`), []wantProblem{{5, "not a Wikipedia page name"}}},
		{"empty", doc(`[`, `]`), []wantProblem{{1, "holds no films"}}},
		{"text after", doc(`[`, `  {"title": "Heat", "year": 1995}`, `]`, `]`), []wantProblem{{4, "after the closing ]"}}},
		{"two problems", doc(`[`, `  {"title": "", "year": 1995},`, `  {"title": "Ronin", "year": 1066}`, `]`), []wantProblem{{2, "blank"}, {3, "not a year"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(map[string][]byte{"movies.json": tt.data})
			if c != nil {
				t.Error("Load returned a catalog with the problems")
			}
			checkProblems(t, err, "movies.json", tt.want)
		})
	}
}

// TestLoad_WikipediaByContent reads a JSON array under a name without the extension, as
// a /reseed attachment may have.
func TestLoad_WikipediaByContent(t *testing.T) {
	cat, err := Load(map[string][]byte{"movies": readTestdata(t, "wikipedia/movies-1960s.json")})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(cat.Films); got != 3 {
		t.Errorf("%d films, want 3", got)
	}
}

func TestReadLead(t *testing.T) {
	type credit struct {
		Field string
		Names []string
		Text  string
	}
	tests := []struct {
		sentence string
		want     []credit
	}{
		{"Gold Flats is a 1950 American adventure film directed by Ray Tallis, written by June Orr and Sid Kael, based on the novel Gold Flats by Peter Vane, produced by Walt Disney Productions and distributed by RKO Radio Pictures.",
			[]credit{
				{"directors", []string{"Ray Tallis"}, ""}, {"writers", []string{"June Orr", "Sid Kael"}, ""},
				{"studios", []string{"Walt Disney Productions"}, ""}, {"distributors", []string{"RKO Radio Pictures"}, ""},
				{"based_on", nil, "the novel Gold Flats by Peter Vane"},
			}},
		{"It was written and directed by D. W. Harlan.", []credit{{"directors", []string{"D. W. Harlan"}, ""}, {"writers", []string{"D. W. Harlan"}, ""}}},
		{"It was directed by Stanner E.V. Morrow and written by Ada C. deVille.", []credit{{"directors", []string{"Stanner E.V. Morrow"}, ""}, {"writers", []string{"Ada C. deVille"}, ""}}},
		{"The film was written by Lowell T. Hart Jr. It stars Nan Bell.", []credit{{"writers", []string{"Lowell T. Hart Jr."}, ""}}},
		{"The film was produced by Anna Lee Brandt and Columbia Pictures.", []credit{{"studios", []string{"Columbia Pictures"}, ""}, {"producers", []string{"Anna Lee Brandt"}, ""}}},
		{"It is a remake of the 1934 film directed by Hal Orme.", []credit{{"remake_of", nil, "the 1934 film"}}},
		{"It is based on the play written by Nora Vale.", []credit{{"based_on", nil, "the play"}}},
		{"The film, a sequel to Night Train (1941), stars Lee Ames.", []credit{{"sequel_to", nil, "Night Train (1941)"}}},
		{"The film was directed by and stars Buster Moss.", nil},
		{"Critics praised it.", nil},
	}
	for _, tt := range tests {
		var got []credit
		for _, c := range readLead(tt.sentence) {
			got = append(got, credit{c.field, c.names, c.text})
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("readLead(%q) (-want +got):\n%s", tt.sentence, diff)
		}
	}
}

func TestNotAName(t *testing.T) {
	for _, s := range []string{"(narrator)", "voices of", "and", ".", "nominee)", "[a]", "drag queens"} {
		if !notAName(s) {
			t.Errorf("notAName(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"Mara Quill", "will.i.am", "50 Cent", "k.d. Lang", "Cher"} {
		if notAName(s) {
			t.Errorf("notAName(%q) = true, want false", s)
		}
	}
}

// FuzzParseWikipedia feeds arbitrary bytes to the movie data reader: problems or a
// catalog, never a panic, and a catalog that validates.
func FuzzParseWikipedia(f *testing.F) {
	f.Add([]byte(`[{"title":"Heat","year":1995,"cast":["Al Pacino"],"genres":["Crime"],"href":"Heat_(1995_film)","extract":"Heat is a 1995 film directed by Michael Mann."}]`))
	f.Add([]byte(`[{"title":"","year":0}]`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := Load(map[string][]byte{"m.json": data})
		if err == nil {
			if err := cat.Validate(); err != nil {
				t.Fatalf("a loaded catalog does not validate: %v", err)
			}
			if !slices.ContainsFunc(cat.Notes, func(n string) bool { return strings.HasPrefix(n, "Wikipedia movie data:") }) {
				t.Fatalf("notes lack the count line: %q", cat.Notes)
			}
		}
	})
}
