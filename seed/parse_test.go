package seed

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wantProblem is a problem a test expects: its line and a phrase its message holds.
type wantProblem struct {
	Line   int
	Phrase string
}

// problemsOf returns the problems in err, failing the test when err is not Problems.
func problemsOf(t *testing.T, err error) Problems {
	t.Helper()
	if err == nil {
		t.Fatal("no error, want problems")
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %T %q is not Problems", err, err)
	}
	return ps
}

// checkProblems compares problems with what was expected, in order: the same file, the
// same line and a message containing the phrase.
func checkProblems(t *testing.T, err error, file string, want []wantProblem) {
	t.Helper()
	got := problemsOf(t, err)
	var gotLines, wantLines []wantProblem
	for _, p := range got {
		if p.File != file {
			t.Errorf("problem %q names file %q, want %q", p, p.File, file)
		}
		gotLines = append(gotLines, wantProblem{Line: p.Line})
	}
	for _, w := range want {
		wantLines = append(wantLines, wantProblem{Line: w.Line})
	}
	if diff := cmp.Diff(wantLines, gotLines); diff != "" {
		t.Fatalf("problem lines (-want +got):\n%s\nproblems:\n%s", diff, err)
	}
	for i, w := range want {
		if !strings.Contains(got[i].Msg, w.Phrase) {
			t.Errorf("problem %d is %q, want it to say %q", i, got[i], w.Phrase)
		}
	}
}

// doc joins lines into a file, so a table can show each line's number by its place.
func doc(lines ...string) []byte {
	return []byte(strings.Join(lines, "\n") + "\n")
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParse_Good(t *testing.T) {
	got, err := Parse("lighthouse.toml", readTestdata(t, "lighthouse.toml"))
	if err != nil {
		t.Fatal(err)
	}
	want := &Catalog{
		Articles: []Article{{
			ID:        "harbour-review-tailor",
			Publisher: "The Harbour Review",
			Headline:  "A tailor, a lighthouse and a very long winter",
			Date:      "1988-02-14",
			URL:       "https://example.org/reviews/lighthouse-tailor",
		}},
		Films: []Film{{
			ID:        "the-lighthouse-tailor",
			Title:     "The Lighthouse Tailor",
			Aliases:   []string{"Fyrskredderen"},
			Year:      1987,
			Genres:    []string{"drama", "comedy"},
			Countries: []string{"Norway", "Iceland"},
			Directors: []string{"ingrid-sole"},
			Cast: []Credit{
				{Person: "anders-vik", Role: "Tailor Halvor", RoleAliases: []string{"Halvor"}, Description: "a tailor without a shop"},
				{Person: "greta-lund", Role: "Captain Sigrid"},
			},
			Watch:     []Watch{{Service: "Kanopy", Kind: "stream", Since: "2019", Note: "restored print"}},
			Locations: []string{"Lofoten", "Reykjavík"},
			Synopsis:  "A tailor who has lost his shop takes a winter job keeping a lighthouse and mends the coats of every sailor who comes ashore.",
			Source:    "harbour-review-tailor",
		}},
		People: []Person{
			{ID: "ingrid-sole", Name: "Ingrid Sole", Aliases: []string{"I. Sole"}, Bio: "A director from Bergen who made three films about the sea.", Source: "harbour-review-tailor"},
			{ID: "anders-vik", Name: "Anders Vik", Source: "harbour-review-tailor"},
			{ID: "greta-lund", Name: "Greta Lund", Source: "harbour-review-tailor"},
		},
		Facts: []Fact{
			{ID: "tailor-shot-in-winter", Film: "the-lighthouse-tailor", Text: "The Lighthouse Tailor was filmed in a single winter on the Lofoten islands.", Source: "harbour-review-tailor", Tags: []string{"production", "location"}},
			{ID: "tailor-halvor", Film: "the-lighthouse-tailor", Person: "anders-vik", Character: "Tailor Halvor", Text: "Anders Vik learned to sew for the part of Halvor.", Source: "harbour-review-tailor", Tags: []string{"cast", "character"}},
			{ID: "sole-sea-films", Person: "ingrid-sole", Text: "Ingrid Sole's three films all take place at sea or on the shore.", Source: "harbour-review-tailor"},
		},
		Questions: []Question{
			{ID: "tailor-director", Film: "the-lighthouse-tailor", Prompt: "Who directed The Lighthouse Tailor?", Answer: "Ingrid Sole", Accept: []string{"Sole"}, Distractors: []string{"Anders Vik", "Greta Lund", "Halvor Berg"}, Source: "harbour-review-tailor"},
			{ID: "tailor-job", Film: "the-lighthouse-tailor", Prompt: "What job does Halvor take for the winter?", Answer: "Lighthouse keeper", Accept: []string{"keeping a lighthouse"}, Hard: true},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

// TestParse_Bad feeds seed files with mistakes and checks that every mistake is reported
// at the line to fix, in line order.
func TestParse_Bad(t *testing.T) {
	article := []string{
		`[[article]]`,
		`id = "a"`,
		`publisher = "P"`,
		`headline = "H"`,
	} // lines 1-4 of files that need an article
	withArticle := func(lines ...string) []byte { return doc(append(article, lines...)...) }
	long := func(n int) string { return strings.Repeat("x", n) }
	distinct := func(n int) string { // n different quoted answers: "d1", "d2", …
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `"d%d", `, i+1)
		}
		return b.String()
	}

	tests := []struct {
		name string
		data []byte
		want []wantProblem
	}{
		{"syntax error", doc(
			`[[film]]`,
			`id = "unterminated`,
		), []wantProblem{{2, "new lines"}}},
		{"unknown keys and tables are all reported", withArticle(
			`rating = 5`,
			`[[film]]`,
			`id = "f"`,
			`title = "T"`,
			`source = "a"`,
			`tagline = "x"`,
			`[[film.cast]]`,
			`person = "p"`,
			`actor = "x"`,
			`[[movie]]`,
			`id = "m"`,
			`[[person]]`,
			`id = "p"`,
			`name = "N"`,
			`source = "a"`,
		), []wantProblem{
			{5, `unknown key "rating" in [[article]]`},
			{10, `unknown key "tagline" in [[film]]`},
			{11, `missing required key "role"`},
			{13, `unknown key "actor" in [[film.cast]]`},
			{14, `unknown table [[movie]]`},
		}},
		{"unknown key outside any table", doc(
			`title = "x"`,
			`[[article]]`,
			`id = "a"`,
			`publisher = "P"`,
			`headline = "H"`,
		), []wantProblem{{1, `unknown key "title" outside any table`}}},
		{"wrong types are all reported", withArticle(
			`date = 2016-06-01`,
			`[[film]]`,
			`id = 7`,
			`year = "2012"`,
			`genres = ["drama", 3]`,
			`[[question]]`,
			`hard = "yes"`,
		), []wantProblem{
			{5, `"date" must be a string; write dates in quotes`},
			{7, `"id" must be a string, not a whole number`},
			{8, `"year" must be a whole number, not a string`},
			{9, `"genres entry" must be a string, not a whole number`},
			{11, `"hard" must be true or false, not a string`},
		}},
		{"plain table instead of a list entry", doc(
			`[film]`,
			`id = "f"`,
		), []wantProblem{{1, "[film] must be written [[film]]"}}},
		{"key set twice", withArticle(
			`headline = "again"`,
		), []wantProblem{{5, `"headline" is set twice in [[article]] (first at line 4)`}}},
		{"cast before its film", doc(
			`[[film.cast]]`,
			`person = "p"`,
		), []wantProblem{{1, "[[film.cast]] comes before any [[film]]"}}},
		{"list header after an inline list", withArticle(
			`[[film]]`,
			`id = "f"`,
			`cast = [{ person = "p", role = "r" }]`,
			`[[film.cast]]`,
		), []wantProblem{{8, `cannot add to "cast", which line 7 sets with`}}},
		{"dotted key", withArticle(
			`[[film]]`,
			`title.en = "x"`,
		), []wantProblem{{6, `"title" is a string, so "title.en" cannot have parts`}}},
		{"number too large", withArticle(
			`[[film]]`,
			`year = 99999999999999999999`,
		), []wantProblem{{6, "too large"}}},
		{"invalid UTF-8", []byte("[[article]]\nid = \"a\"\nheadline = \"caf\xe9\"\n"),
			[]wantProblem{{3, "invalid UTF-8"}}},
		{"missing required keys at the table header", withArticle(
			`[[film]]`,
			`year = 2001`,
			`[[film.watch]]`,
			`kind = "stream"`,
			`[[person]]`,
			`[[fact]]`,
			`id = "x"`,
			`[[question]]`,
			`id = "q"`,
			`hard = true`,
		), []wantProblem{
			{5, `missing required key "id"`},
			{5, `missing required key "title"`},
			{5, `missing required key "source"`},
			{7, `missing required key "service"`},
			{9, `missing required key "id"`},
			{9, `missing required key "name"`},
			{9, `missing required key "source"`},
			{10, `missing required key "text"`},
			{10, "a fact needs a film or a person"},
			{10, `missing required key "source"`},
			{12, `missing required key "prompt"`},
			{12, `missing required key "answer"`},
		}},
		{"blank required values are reported at their own line", doc(
			`[[article]]`,
			`id = "a"`,
			`publisher = "   "`,
			`headline = ""`,
			`[[film]]`,
			`id = "f"`,
			`title = " "`,
			`source = "a"`,
			`[[film.cast]]`,
			`person = "p"`,
			`role = "\t"`,
			`[[film.watch]]`,
			`service = ""`,
			`[[person]]`,
			`id = "p"`,
			`name = "  "`,
			`source = "a"`,
			`[[fact]]`,
			`id = "x"`,
			`film = "f"`,
			`text = "   "`,
			`source = " "`,
			`[[question]]`,
			`id = "q"`,
			`prompt = " "`,
			`answer = ""`,
			`hard = true`,
		), []wantProblem{
			{3, `required key "publisher" is blank`},
			{4, `required key "headline" is blank`},
			{7, `required key "title" is blank`},
			{11, `required key "role" is blank`},
			{13, `required key "service" is blank`},
			{16, `required key "name" is blank`},
			{21, `required key "text" is blank`},
			{22, `required key "source" is blank`},
			{25, `required key "prompt" is blank`},
			{26, `required key "answer" is blank`},
		}},
		{"unknown references", withArticle(
			`[[film]]`,
			`id = "f"`,
			`title = "T"`,
			`directors = ["nobody"]`,
			`source = "no-article"`,
			`[[film.cast]]`,
			`person = "ghost"`,
			`role = "R"`,
			`[[fact]]`,
			`id = "x"`,
			`film = "no-film"`,
			`person = "no-person"`,
			`text = "T"`,
			`source = "a"`,
			`[[question]]`,
			`id = "q"`,
			`film = "no-film"`,
			`prompt = "P"`,
			`answer = "A"`,
			`hard = true`,
			`source = "gone"`,
		), []wantProblem{
			{8, `directors[0] "nobody" is not a known person`},
			{9, `source "no-article" is not a known article`},
			{11, `person "ghost" is not a known person`},
			{15, `film "no-film" is not a known film`},
			{16, `person "no-person" is not a known person`},
			{21, `film "no-film" is not a known film`},
			{25, `source "gone" is not a known article`},
		}},
		{"duplicate IDs", withArticle(
			`[[article]]`,
			`id = "a"`,
			`publisher = "P"`,
			`headline = "Other"`,
		), []wantProblem{{6, `duplicate article id "a" (first defined at bad.toml:2)`}}},
		{"ID characters and length", withArticle(
			`[[person]]`,
			`id = "Kim Jong"`,
			`name = "N"`,
			`source = "a"`,
			`[[person]]`,
			`id = "`+long(65)+`"`,
			`name = "N"`,
			`source = "a"`,
		), []wantProblem{
			{6, `id "Kim Jong" may use only lower-case letters`},
			{10, "too long: 65 characters, limit 64"},
		}},
		{"text over Discord's limits", withArticle(
			`[[film]]`,
			`id = "f"`,
			`title = "`+long(101)+`"`,
			`aliases = ["ok", "`+long(101)+`"]`,
			`synopsis = "`+long(4097)+`"`,
			`source = "a"`,
			`[[fact]]`,
			`id = "x"`,
			`film = "f"`,
			`text = "`+long(1025)+`"`,
			`source = "a"`,
			`[[question]]`,
			`id = "q"`,
			`prompt = "`+long(2001)+`"`,
			`answer = "`+long(81)+`"`,
			`distractors = ["b", "c", "`+strings.Repeat("y", 81)+`"]`,
		), []wantProblem{
			{7, "title is too long: 101 characters, limit 100"},
			{8, "aliases[1] is too long: 101 characters, limit 100"},
			{9, "synopsis is too long: 4097 characters, limit 4096"},
			{14, "text is too long: 1025 characters, limit 1024"},
			{18, "prompt is too long: 2001 characters, limit 2000"},
			{19, "answer is too long: 81 characters, limit 80"},
			{20, "distractors[2] is too long"},
		}},
		{"limits count characters, not bytes", withArticle(
			`[[film]]`,
			`id = "f"`,
			`title = "`+strings.Repeat("é", 101)+`"`,
			`source = "a"`,
		), []wantProblem{{7, "title is too long: 101 characters"}}},
		{"short texts are one line", withArticle(
			`[[person]]`,
			`id = "p"`,
			`name = "Two\nLines"`,
			`source = "a"`,
		), []wantProblem{{7, "name must be one line"}}},
		{"bad article date and url", doc(
			`[[article]]`,
			`id = "a"`,
			`publisher = "P"`,
			`headline = "H"`,
			`date = "1 June 2016"`,
			`url = "lonelyplanet.com/news"`,
		), []wantProblem{
			{5, `date "1 June 2016" is not a date written YYYY-MM-DD`},
			{6, `url "lonelyplanet.com/news" is not an http or https address`},
		}},
		{"bad film values", withArticle(
			`[[film]]`,
			`id = "f"`,
			`title = "T"`,
			`year = 12`,
			`genres = ["drama", ""]`,
			`source = "a"`,
			`[[film.watch]]`,
			`service = "Vimeo"`,
			`kind = "vhs"`,
		), []wantProblem{
			{8, "year 12 is not a year a film was made"},
			{9, "genres[1] is empty"},
			{13, `kind "vhs" is not one of stream, rent, buy, festival, cinema, tv`},
		}},
		{"entries on their own lines", withArticle(
			`[[film]]`,
			`id = "f"`,
			`title = "T"`,
			`countries = [`,
			`  "Norway",`,
			`  "",`,
			`]`,
			`source = "a"`,
		), []wantProblem{{10, "countries[1] is empty"}}},
		{"inline tables", withArticle(
			`[[film]]`,
			`id = "f"`,
			`title = "T"`,
			`source = "a"`,
			`cast = [`,
			`  { person = "p", role = "R" },`,
			`  { person = "p" },`,
			`]`,
			`[[person]]`,
			`id = "p"`,
			`name = "N"`,
			`source = "a"`,
		), []wantProblem{{11, `missing required key "role"`}}},
		{"fact character without a film", withArticle(
			`[[person]]`,
			`id = "p"`,
			`name = "N"`,
			`source = "a"`,
			`[[fact]]`,
			`id = "x"`,
			`person = "p"`,
			`character = "Halvor"`,
			`text = "T"`,
			`source = "a"`,
		), []wantProblem{{12, `character "Halvor" needs the film it is in`}}},
		{"fact character the film does not have", withArticle(
			`[[film]]`,
			`id = "f"`,
			`title = "T"`,
			`source = "a"`,
			`[[film.cast]]`,
			`person = "p"`,
			`role = "Comrade Yong Mi"`,
			`role_aliases = ["Yong Mi"]`,
			`[[film.cast]]`,
			`person = "p"`,
			`role = "Pak Jang Phil"`,
			`[[film]]`,
			`id = "g"`,
			`title = "No cast"`,
			`source = "a"`,
			`[[person]]`,
			`id = "p"`,
			`name = "N"`,
			`source = "a"`,
			`[[fact]]`,
			`id = "by-role"`,
			`film = "f"`,
			`character = "COMRADE YÓNG MI"`,
			`text = "T"`,
			`source = "a"`,
			`[[fact]]`,
			`id = "by-alias"`,
			`film = "f"`,
			`character = "yong mi"`,
			`text = "T"`,
			`source = "a"`,
			`[[fact]]`,
			`id = "nobody"`,
			`film = "f"`,
			`character = "Nobody"`,
			`text = "T"`,
			`source = "a"`,
			`[[fact]]`,
			`id = "no-cast"`,
			`film = "g"`,
			`character = "Nobody"`,
			`text = "T"`,
			`source = "a"`,
		), []wantProblem{
			{39, `film "f" has no character "Nobody"; its characters: "Comrade Yong Mi", "Pak Jang Phil"`},
			{45, `film "g" has no character "Nobody": it lists no cast`},
		}},
		{"questions", withArticle(
			`[[question]]`,
			`id = "few"`,
			`prompt = "P"`,
			`answer = "A"`,
			`distractors = ["B"]`,
			`[[question]]`,
			`id = "same"`,
			`prompt = "P"`,
			`answer = "Pyongyang"`,
			`distractors = ["Seoul", "PYONGYANG!", "seoul", ""]`,
			`[[question]]`,
			`id = "many"`,
			`prompt = "P"`,
			`answer = "A"`,
			`distractors = [`+distinct(25)+`]`,
		), []wantProblem{
			{9, "needs at least 3 distractors"},
			{14, `distractors[3] is empty`},
			{14, `distractors[1] "PYONGYANG!" is the answer`},
			{14, `distractors[2] "seoul" repeats distractors[0]`},
			{19, "25 distractors; at most 24"},
		}},
		{"empty file", doc(`# nothing yet`), []wantProblem{{0, "holds no articles, films"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("bad.toml", tt.data)
			if c != nil {
				t.Errorf("Parse returned a catalog with the problems")
			}
			checkProblems(t, err, "bad.toml", tt.want)
		})
	}
}

func TestParse_ByteOrderMark(t *testing.T) {
	data := append([]byte("\xef\xbb\xbf"), readTestdata(t, "lighthouse.toml")...)
	if _, err := Parse("bom.toml", data); err != nil {
		t.Errorf("a file starting with a byte-order mark: %v", err)
	}
}

func TestLoad_CrossFile(t *testing.T) {
	files := map[string][]byte{
		"multi/films.toml":    readTestdata(t, "multi/films.toml"),
		"multi/articles.toml": readTestdata(t, "multi/articles.toml"),
		"multi/quiz.yaml":     readTestdata(t, "multi/quiz.yaml"),
	}
	got, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	want := &Catalog{
		// Files are read in name order: articles.toml, films.toml, quiz.yaml.
		Articles: []Article{
			{ID: "quay-notes", Publisher: "Quay Notes", Headline: "Three short films from the harbour"},
			{ID: "trivia-quiz", Publisher: "Harbour Film Club", Headline: "Questions about short films"},
		},
		Films:  []Film{{ID: "net-mender", Title: "The Net Mender", Directors: []string{"olga-berg"}, Source: "quay-notes"}},
		People: []Person{{ID: "olga-berg", Name: "Olga Berg", Source: "quay-notes"}},
		Facts: []Fact{{ID: "net-mender-length", Film: "net-mender", Text: "The Net Mender runs eleven minutes.",
			Source: "quay-notes", Tags: []string{"runtime"}}},
		Questions: []Question{
			{ID: "quiz-1", Prompt: "How long is The Net Mender, in minutes?", Answer: "11", Accept: []string{"eleven"}, Hard: true, Source: "trivia-quiz"},
			{ID: "quiz-2", Prompt: "Who directed The Net Mender?", Answer: "Olga Berg", Accept: []string{"Berg"}, Hard: true, Source: "trivia-quiz"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load (-want +got):\n%s", diff)
	}

	// Each file alone is not a valid seed: films.toml cites what articles.toml defines.
	_, err = Parse("films.toml", files["multi/films.toml"])
	checkProblems(t, err, "films.toml", []wantProblem{
		{6, `directors[0] "olga-berg" is not a known person`},
		{7, `source "quay-notes" is not a known article`},
		{13, `source "quay-notes" is not a known article`},
	})
}

func TestLoad_Problems(t *testing.T) {
	a := doc(
		`[[article]]`,
		`id = "a"`,
		`publisher = "P"`,
		`headline = "H"`,
	)
	tests := []struct {
		name  string
		files map[string][]byte
		want  []Problem // Msg holds a phrase of the message
	}{
		{"duplicate ID in another file names the first", map[string][]byte{
			"one.toml": a,
			"two.toml": doc(`# a comment`, `[[article]]`, `id = "a"`, `publisher = "Q"`, `headline = "K"`),
		}, []Problem{{"two.toml", 3, `duplicate article id "a" (first defined at one.toml:2)`}}},
		{"problems from every file, in file order", map[string][]byte{
			"b.toml": doc(`[[film]]`, `id = "f"`, `title = "T"`, `source = "missing"`),
			"a.toml": doc(`[[person]]`, `id = "p"`, `name = "N"`, `source = "a"`),
		}, []Problem{
			{"a.toml", 4, `source "a" is not a known article`},
			{"b.toml", 4, `source "missing" is not a known article`},
		}},
		{"a broken file does not make references into it noise", map[string][]byte{
			"a.toml": doc(`[[article]]`, `id = "a"`, `publisher = "P"`, `headline = "H`),
			"b.toml": doc(`[[film]]`, `id = "f"`, `title = "T"`, `source = "a"`),
		}, []Problem{{"a.toml", 4, "new lines"}}},
		{"unknown extension", map[string][]byte{
			"seed.txt": []byte(`{}`),
			"a.toml":   a,
		}, []Problem{{"seed.txt", 0, "not a seed file"}}},
		{"no files", map[string][]byte{}, []Problem{{"", 0, "no seed files"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.files)
			if c != nil {
				t.Error("Load returned a catalog with the problems")
			}
			got := problemsOf(t, err)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				if got[i].File != w.File || got[i].Line != w.Line || !strings.Contains(got[i].Msg, w.Msg) {
					t.Errorf("problem %d is %q, want %s:%d: …%s…", i, got[i], w.File, w.Line, w.Msg)
				}
			}
		})
	}
}

// TestLoadFiles checks that files that cannot be read are reported and that every file
// that can be read is still checked.
func TestLoadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	adir := filepath.Join(dir, "adir")
	if err := os.Mkdir(adir, 0o755); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.toml")
	good := write("good.toml", readTestdata(t, "lighthouse.toml"))
	bad := write("bad.toml", doc(`[[article]]`, `id = "b"`, `publisher = " "`, `headline = "H"`))

	c, err := LoadFiles([]string{good})
	if err != nil || c.Counts().Films != 1 {
		t.Fatalf("LoadFiles(good) = %v, %v; want the lighthouse seed", c, err)
	}

	c, err = LoadFiles([]string{adir, missing, bad, good})
	if c != nil {
		t.Error("LoadFiles returned a catalog with the problems")
	}
	got := problemsOf(t, err)
	want := []Problem{
		{adir, 0, "cannot read: is a directory"},
		{bad, 3, `required key "publisher" is blank`},
		{missing, 0, "cannot read: no such file"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), err)
	}
	for i, w := range want {
		if got[i].File != w.File || got[i].Line != w.Line || !strings.Contains(got[i].Msg, w.Msg) {
			t.Errorf("problem %d is %q, want %s:%d: …%s…", i, got[i], w.File, w.Line, w.Msg)
		}
	}

	_, err = LoadFiles(nil)
	checkProblems(t, err, "", []wantProblem{{0, "no seed files given"}})
}

func TestProblems_Error(t *testing.T) {
	ps := Problems{
		{File: "a.toml", Line: 3, Msg: "unknown key"},
		{File: "b.yaml", Msg: "the trivia list is empty"},
		{Msg: "no seed files given"},
	}
	want := "a.toml:3: unknown key\nb.yaml: the trivia list is empty\nno seed files given"
	if got := ps.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
