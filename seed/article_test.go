package seed

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// factTexts returns the texts of the facts c holds from the article with ID source.
func factTexts(c *Catalog, source string) []string {
	var out []string
	for _, f := range c.Facts {
		if f.Source == source {
			out = append(out, f.Text)
		}
	}
	return out
}

func TestImportArticle_NewFilm(t *testing.T) {
	got, err := ImportArticle("net-mender.txt", readTestdata(t, "articles/net-mender.txt"), "The Net Mender", nil)
	if err != nil {
		t.Fatal(err)
	}
	art := "how-a-fishing-town-made-a-film-about-mending"
	texts := []string{
		"The Net Mender was shot in eleven days in the harbour of Svolvær.",
		"Its budget was 3.5 million kroner, most of it raised by the town itself.",
		// No "Olga Berg on the quay during filming.": the caption, its repeat and the
		// photo credit go together.
		"Director Olga Berg cast real fishermen in every role except one.",
		"Mr. Vik, who plays the harbour master, is a stage actor from Bergen.",
		"He said the fishermen taught him more than any drama school did!",
		"In a note to the crew, Berg wrote: “Nobody acts here. We only mend nets. The camera happens to be there.”",
		"The line became the film’s tagline.",
		`The film was first shown at the town hall on 4 Feb. 2021, then travelled to festivals in Tromsø and Kraków, where J. R. Lund of the jury called it "the quietest film of the year. And the warmest."`,
		"Berg’s next film, about a ferry, starts shooting in the spring.",
	}
	want := &Catalog{
		Articles: []Article{{ID: art, Publisher: "Quay Notes Staff", Headline: "How a fishing town made a film about mending nets"}},
		// The extractors read what the sentences state into the film's fields, each
		// cited to its sentence; the sentences stay facts.
		Films: []Film{{
			ID: "the-net-mender", Title: "The Net Mender", Source: art,
			Directors: []string{"olga-berg"},
			Cast:      []Credit{{Person: "mr-vik", Role: "the harbour master"}},
			Budget:    "3.5 million kroner",
			Premiere:  "at the town hall on 4 Feb. 2021",
			Cites: []Cite{
				{Field: "budget", Fact: art + "-2"}, {Field: "directors", Fact: art + "-3"},
				{Field: "cast", Fact: art + "-4"}, {Field: "premiere", Fact: art + "-8"},
			},
		}},
		People: []Person{{ID: "olga-berg", Name: "Olga Berg", Source: art}, {ID: "mr-vik", Name: "Mr. Vik", Source: art}},
	}
	for i, text := range texts {
		want.Facts = append(want.Facts, Fact{
			ID: fmt.Sprintf("%s-%d", art, i+1), Film: "the-net-mender",
			Text: text, Source: art, Tags: []string{ImportTag},
		})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ImportArticle (-want +got):\n%s", diff)
	}
}

func TestImportArticle_HeaderLines(t *testing.T) {
	got, err := ImportArticle("headers.txt", readTestdata(t, "articles/headers.txt"), "The Net Mender", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Article{{
		ID:        "mending-nets-on-film",
		Publisher: "The Harbour Review",
		Headline:  "Mending nets on film",
		Date:      "2021-03-02",
		URL:       "https://example.org/net-mender",
	}}
	if diff := cmp.Diff(want, got.Articles); diff != "" {
		t.Errorf("article (-want +got):\n%s", diff)
	}
	wantTexts := []string{
		"The Net Mender lasts eleven minutes and has no music at all.",
		"Its only sound is the wind and the gulls over the quay.",
	}
	if diff := cmp.Diff(wantTexts, factTexts(got, "mending-nets-on-film")); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
}

func TestImportArticle_Headline(t *testing.T) {
	tests := []struct {
		name, text          string
		publisher, headline string
	}{
		{"first line is the headline",
			"Nets and the people who mend them\n\nThe film is eleven minutes long. It has no music at all.\n",
			UnknownPublisher, "Nets and the people who mend them"},
		{"a short line before a longer one is a byline",
			"By Quay Notes\nNets and the people who mend them\nThe film is eleven minutes long. It has no music at all.\n",
			"By Quay Notes", "Nets and the people who mend them"},
		{"a headline followed by a sentence is not a byline",
			"Mending nets\nThe film is eleven minutes long. It has no music at all.\n",
			UnknownPublisher, "Mending nets"},
		{"a long line first is not a byline",
			"Nets and the people who mend them\nBy Quay Notes\n\nThe film is eleven minutes long. It has no music at all.\n",
			UnknownPublisher, "Nets and the people who mend them"},
		{"the headline repeated above the text is not a fact",
			"Nets and the people who mend them today\n\nNets and the people who mend them today\nThe film is eleven minutes long. It has no music at all.\n",
			UnknownPublisher, "Nets and the people who mend them today"},
		{"blank lines and Windows line ends around the headline",
			"\r\n\r\n  Mending nets  \r\n\r\nThe film is eleven minutes long. It has no music at all.\r\n",
			UnknownPublisher, "Mending nets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ImportArticle("a.txt", []byte(tt.text), "The Net Mender", nil)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{c.Articles[0].Publisher, c.Articles[0].Headline}
			if diff := cmp.Diff([]string{tt.publisher, tt.headline}, got); diff != "" {
				t.Errorf("publisher and headline (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"The film is eleven minutes long."}, factTexts(c, c.Articles[0].ID)[:1]); diff != "" {
				t.Errorf("first fact (-want +got):\n%s", diff)
			}
		})
	}
}

func TestImportArticle_KnownFilm(t *testing.T) {
	base, err := Parse("lighthouse.toml", readTestdata(t, "lighthouse.toml"))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := Parse("lighthouse.toml", readTestdata(t, "lighthouse.toml"))
	text := []byte("A winter in the lighthouse\n\nThe tailor's coats were made by hand for the film. Each took a week.\n")

	// The film is found by its alias, in any case and without accents mattering.
	got, err := ImportArticle("coats.txt", text, "FYRSKREDDEREN", base)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, base); diff != "" {
		t.Errorf("ImportArticle changed base (-before +after):\n%s", diff)
	}
	want := before.Counts()
	want.Articles++
	want.Facts += 2
	if diff := cmp.Diff(want, got.Counts()); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	fact := got.Facts[len(got.Facts)-2]
	if fact.Film != "the-lighthouse-tailor" || fact.Source != "a-winter-in-the-lighthouse" {
		t.Errorf("imported fact %+v: want film the-lighthouse-tailor and source a-winter-in-the-lighthouse", fact)
	}
}

func TestImportArticle_Reimport(t *testing.T) {
	base, err := Parse("lighthouse.toml", readTestdata(t, "lighthouse.toml"))
	if err != nil {
		t.Fatal(err)
	}
	text := readTestdata(t, "articles/net-mender.txt")
	once, err := ImportArticle("net-mender.txt", text, "The Net Mender", base)
	if err != nil {
		t.Fatal(err)
	}
	// Importing the same article again replaces what the first import made instead of
	// adding a second copy.
	twice, err := ImportArticle("net-mender.txt", text, "The Net Mender", once)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(once.Counts(), twice.Counts()); diff != "" {
		t.Errorf("counts after a second import (-once +twice):\n%s", diff)
	}
	art := once.Articles[len(once.Articles)-1].ID
	if diff := cmp.Diff(factTexts(once, art), factTexts(twice, art)); diff != "" {
		t.Errorf("facts after a second import (-once +twice):\n%s", diff)
	}
}

func TestImportArticle_CuratedArticle(t *testing.T) {
	// An article the curated seed already cites keeps its ID and its curated facts;
	// the import adds to them.
	base, err := Parse("lighthouse.toml", readTestdata(t, "lighthouse.toml"))
	if err != nil {
		t.Fatal(err)
	}
	text := []byte("The Harbour Review\nA tailor, a lighthouse and a very long winter\n\nThe lighthouse in the film still works today. Its keeper lives in the tower.\n")
	got, err := ImportArticle("review.txt", text, "The Lighthouse Tailor", base)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"The Lighthouse Tailor was filmed in a single winter on the Lofoten islands.",
		"Anders Vik learned to sew for the part of Halvor.",
		"Ingrid Sole's three films all take place at sea or on the shore.",
		"The lighthouse in the film still works today.",
		"Its keeper lives in the tower.",
	}
	if diff := cmp.Diff(want, factTexts(got, "harbour-review-tailor")); diff != "" {
		t.Errorf("facts citing the article (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(base.Articles, got.Articles); diff != "" {
		t.Errorf("articles (-want +got):\n%s", diff)
	}
}

func TestImportArticle_LongSentence(t *testing.T) {
	// A sentence over the fact limit is split at commas, never rejected.
	var b strings.Builder
	b.WriteString("A very long sentence\n\nThe crew")
	for i := 0; b.Len() < 3000; i++ {
		b.WriteString(", then they mended another net on the quay")
	}
	b.WriteString(".\n")
	c, err := ImportArticle("long.txt", []byte(b.String()), "The Net Mender", nil)
	if err != nil {
		t.Fatal(err)
	}
	texts := factTexts(c, c.Articles[0].ID)
	if len(texts) < 3 {
		t.Fatalf("got %d facts, want the sentence split in at least 3", len(texts))
	}
	for i, text := range texts {
		if n := utf8.RuneCountInString(text); n > MaxFact {
			t.Errorf("fact %d is %d characters, over %d", i, n, MaxFact)
		}
		if i < len(texts)-1 && !strings.HasSuffix(text, "net on the quay…") {
			t.Errorf("fact %d ends %q, want a cut after a clause and an ellipsis", i, text[len(text)-20:])
		}
		if i > 0 && !strings.HasPrefix(text, "…then they mended") {
			t.Errorf("fact %d starts %q, want an ellipsis and the next clause", i, text[:20])
		}
	}
}

func TestImportArticle_Problems(t *testing.T) {
	tests := []struct {
		name, text, film string
		want             []wantProblem
	}{
		{"empty", "\n\n  \n", "The Net Mender", []wantProblem{{0, "the article is empty"}}},
		{"headline only", "Mending nets\n", "The Net Mender", []wantProblem{{0, "no sentences to import"}}},
		{"no film", "Mending nets\n\nThe film is eleven minutes long. It has no music at all.\n", "  ", []wantProblem{{0, "needs the title of the film"}}},
		{"invalid UTF-8", "Mending nets\n\nThe film is eleven minutes long. It has no music at all.\nIt was made in Troms\xf8.\n", "The Net Mender",
			[]wantProblem{{4, "invalid UTF-8"}}},
		{"headline too long", "\n" + strings.Repeat("Long headline words ", 13) + "\n\nThe film is eleven minutes long. It has no music at all.\n", "The Net Mender",
			[]wantProblem{{2, "headline is too long: 259 characters, limit 256"}}},
		{"bad header values", "Date: 2 March 2021\nURL: example.org\nHeadline: Nets\n\nThe film is eleven minutes long. It has no music at all.\n", "The Net Mender",
			[]wantProblem{
				{1, `date "2 March 2021" is not a date written YYYY-MM-DD`},
				{2, `url "example.org" is not an http or https address`},
			}},
		{"film title too long", "Nets\n\nThe film is eleven minutes long. It has no music at all.\n", strings.Repeat("Net ", 30),
			[]wantProblem{{0, "title is too long: 119 characters, limit 100"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ImportArticle("article.txt", []byte(tt.text), tt.film, nil)
			if c != nil {
				t.Error("ImportArticle returned a catalog with the problems")
			}
			checkProblems(t, err, "article.txt", tt.want)
		})
	}
}

// TestImportArticle_NotProse feeds text that is not an article: each must be refused
// with a problem, never imported as facts.
func TestImportArticle_NotProse(t *testing.T) {
	seedFile := string(readTestdata(t, "lighthouse.toml"))
	prose := "Mending nets\n\nThe film is eleven minutes long. It has no music at all.\n"
	tests := []struct {
		name, file, text string
		want             []wantProblem
	}{
		{"a seed file by its name", "good.toml", prose, []wantProblem{{0, "a .toml file holds data, not an article"}}},
		{"a trivia list by its name", "films.YML", prose, []wantProblem{{0, "a .yml file holds data, not an article"}}},
		{"a JSON file by its name", "a.json", prose, []wantProblem{{0, "a .json file holds data, not an article"}}},
		{"a seed file's text", "a.txt", seedFile, []wantProblem{{3, "this is TOML data, not an article"}}},
		{"TOML after a comment", "a.txt", "# notes\n\n[[article]]\nid = \"a1\"\npublisher = \"P. Q.\"\n", []wantProblem{{3, "this is TOML data"}}},
		{"JSON", "a.txt", `{"headline": "Mending nets", "text": "The film is eleven minutes long. It has no music."}`, []wantProblem{{1, "this is JSON data"}}},
		{"binary", "a.txt", "Mending nets\n\nThe film is eleven minutes long.\x00\x01\x02 It has no music.\n", []wantProblem{{3, "binary data (a NUL byte)"}}},
		{"not UTF-8", "a.txt", "Mending nets\n\n\xff\xfe\x00\x00\n", []wantProblem{{3, "binary data"}}},
		{"one sentence", "a.txt", "Mending nets\n\nThe film is eleven minutes long.\n", []wantProblem{{0, "too few sentences to import (1, at least 2)"}}},
		{"a list with a sentence or two", "a.txt", "Cast and crew\n\nThe whole cast is listed below. Most of them are from Svolvær.\n\n" +
			"Olga Berg as the net mender who never speaks a word\n" +
			"Anders Vik as the harbour master in a blue wool coat\n" +
			"Greta Lund as the ferry captain who brings the post\n",
			[]wantProblem{{0, "only 2 of 5 pieces of text are whole sentences"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ImportArticle(tt.file, []byte(tt.text), "The Net Mender", nil)
			if c != nil {
				t.Errorf("ImportArticle returned a catalog: %v", c.Facts)
			}
			checkProblems(t, err, tt.file, tt.want)
		})
	}
}

// TestImportArticle_Captions checks that photo captions are recognised by their shape and
// dropped with their credits, and that text shaped otherwise is kept.
func TestImportArticle_Captions(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"caption, then caption and credit",
			"The crew mended nets.\n\nA gull on the quay at dawn.\nA gull on the quay at dawn. Image by Screengrab from YouTube\n\nThe film ends at sea.\n",
			[]string{"The crew mended nets.", "The film ends at sea."}},
		{"other credit words",
			"The crew mended nets.\n\nThe quay in winter, seen from the ferry.\nThe quay in winter, seen from the ferry. Photo: Quay Notes\n\nThe boat is red.\nThe boat is red. Credit: Olga Berg\n\nThe film ends at sea.\n",
			[]string{"The crew mended nets.", "The film ends at sea."}},
		{"caption above a credit line",
			"The crew mended nets.\n\nOlga Berg directing on the quay in the rain.\nPhoto by Anders Vik\n\nThe film ends at sea.\n",
			[]string{"The crew mended nets.", "The film ends at sea."}},
		{"a credit inside a paragraph takes only itself",
			"The crew came in spring.\n\nThey mended nets on the quay for eleven days in a row, and the\ntown came to watch them every single afternoon until the light went.\nScreengrab from the trailer\n\nThe film ends at sea.\n",
			[]string{"The crew came in spring.", "They mended nets on the quay for eleven days in a row, and the town came to watch them every single afternoon until the light went.", "The film ends at sea."}},
		{"a sentence that starts like a credit is no credit",
			"The crew mended nets.\n\nThe harbour shots are the best part.\nPhoto by photo, the film builds its world.\n",
			[]string{"The crew mended nets.", "The harbour shots are the best part.", "Photo by photo, the film builds its world."}},
		{"a line repeated without a credit is kept once",
			"The crew mended nets.\nThe crew mended nets.\n\nThe film ends at sea.\n",
			[]string{"The crew mended nets.", "The film ends at sea."}},
		{"a sentence that goes on after a repeat is kept",
			"The crew mended nets.\nThe crew mended nets. Then they went home.\n",
			[]string{"The crew mended nets.", "Then they went home."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ImportArticle("a.txt", []byte("Mending nets\n\n"+tt.body), "The Net Mender", nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, factTexts(c, c.Articles[0].ID)); diff != "" {
				t.Errorf("facts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"plain", "One two three. Four five six! Seven eight nine? Ten.",
			[]string{"One two three.", "Four five six!", "Seven eight nine?", "Ten."}},
		{"titles and initials", "Mr. Vik met Dr. Lund and J. R. R. Tolkien. Then he left.",
			[]string{"Mr. Vik met Dr. Lund and J. R. R. Tolkien.", "Then he left."}},
		{"numbers", "It cost 3.5 million. Version 2.0 followed in 2021. 1987 was the year.",
			[]string{"It cost 3.5 million.", "Version 2.0 followed in 2021.", "1987 was the year."}},
		{"lower case after a stop is no new sentence", "It runs approx. eleven minutes, i.e. short. Next.",
			[]string{"It runs approx. eleven minutes, i.e. short.", "Next."}},
		{"a quotation stays whole", "She said, “Go home. Now.” He went.",
			[]string{"She said, “Go home. Now.”", "He went."}},
		{"straight quotes too", `He wrote "No. Never." and left. Later he came back.`,
			[]string{`He wrote "No. Never." and left.`, "Later he came back."}},
		{"a quote left open is ignored", "He said “stop. Then it rained. It rained all day.",
			[]string{"He said “stop.", "Then it rained.", "It rained all day."}},
		{"brackets and closing quotes", "(It was cold.) The crew stayed. “Why?” she asked.",
			[]string{"(It was cold.)", "The crew stayed.", "“Why?” she asked."}},
		{"ellipsis", "It went on… And on.", []string{"It went on…", "And on."}},
		{"no stop at the end", "It ends without one", []string{"It ends without one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := paragraph{text: tt.text, starts: []int{0}, lines: []int{1}}
			var got []string
			for _, s := range p.sentences() {
				got = append(got, s.text)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("sentences (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		name, text string
		limit      int
		want       []string
	}{
		{"fits", "short enough", 20, []string{"short enough"}},
		{"at a clause", "first part, second part; third part", 25,
			[]string{"first part, second part…", "…third part"}},
		{"at a space", "aaaa bbbb cccc dddd", 12, []string{"aaaa bbbb…", "…cccc dddd"}},
		{"anywhere", "abcdefghijklm", 6, []string{"abcde…", "…fghi…", "…jklm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clip(tt.text, tt.limit)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("clip(%q, %d) (-want +got):\n%s", tt.text, tt.limit, diff)
			}
			for _, s := range got {
				if n := utf8.RuneCountInString(s); n > tt.limit {
					t.Errorf("piece %q is %d characters, over %d", s, n, tt.limit)
				}
			}
		})
	}
}

func TestSlug(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"Comrade Kim Goes Flying", 48, "comrade-kim-goes-flying"},
		{"You can now stream North Korea’s first international rom com", 48, "you-can-now-stream-north-koreas-first"},
		{"Amélie (2001)", 48, "amelie-2001"},
		{"김동무는 하늘을 날다", 48, ""},
		{"Supercalifragilistic", 8, "supercal"},
	}
	for _, tt := range tests {
		if got := slug(tt.in, tt.max); got != tt.want {
			t.Errorf("slug(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

// TestImportArticle_Shared imports the article the embedded seed was written from, when
// the shared folder is beside the repository (it is in CI and on the team's machines).
// The own-words articles above always run; this adds the real text's quirks: a byline,
// repeated captions with a photo credit, no-break spaces, a quotation over three
// sentences.
func TestImportArticle_Shared(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "seeds", "comrade-kim-goes-flying.txt")
	text, err := os.ReadFile(path)
	if err != nil {
		return // not beside this checkout; the own-words tests cover the rules
	}
	t.Run("comrade-kim-goes-flying.txt", func(t *testing.T) {
		base, err := Default()
		if err != nil {
			t.Fatal(err)
		}
		c, err := ImportArticle("comrade-kim-goes-flying.txt", text, "Comrade Kim Goes Flying", base)
		if err != nil {
			t.Fatal(err)
		}
		var imported []Fact
		for _, f := range c.Facts {
			if len(f.Tags) == 1 && f.Tags[0] == ImportTag {
				imported = append(imported, f)
			}
		}
		var films []string
		seen := map[string]bool{}
		for _, f := range imported {
			films = append(films, f.Film)
			if seen[f.Text] {
				t.Errorf("fact %q imported twice", f.Text)
			}
			seen[f.Text] = true
			if strings.Contains(f.Text, "Image by") || strings.Contains(f.Text, "\u00a0") {
				t.Errorf("fact %q carries a photo credit or a no-break space", f.Text)
			}
		}
		for _, id := range films {
			if id != base.Films[0].ID {
				t.Errorf("imported fact about film %q, want the seed's film %q", id, base.Films[0].ID)
			}
		}
		if got := c.Counts().Films; got != len(base.Films) {
			t.Errorf("%d films after import, want the seed's %d: the film is matched by title", got, len(base.Films))
		}
		// Photo captions, each followed by its repeat with "Image by Screengrab from
		// YouTube", are not facts.
		for _, caption := range []string{
			"Han Jong Sim (who plays Yong Mi) in the first North Korean rom com available for streaming.",
			"Pyongyang is a pleasant backdrop for the film in this screenshot.",
		} {
			if seen[caption] {
				t.Errorf("the photo caption %q was imported as a fact", caption)
			}
		}
		for _, want := range []string{
			"The film launched on Vimeo’s pay-per-view On Demand service on 1 June.",
			"In many ways, the film mimics early Hollywood classics with its cheeky humour and optimistic storyline.",
		} {
			if !seen[want] {
				t.Errorf("no fact %q", want)
			}
		}
		var quote string
		for text := range seen {
			if strings.Contains(text, "“We challenged") {
				quote = text
			}
		}
		if !strings.HasSuffix(quote, "cast and crew.”") {
			t.Errorf("the producers' statement is %q, want it whole, from the opening to the closing quote", quote)
		}
	})
}
