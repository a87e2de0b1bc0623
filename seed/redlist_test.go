package seed

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRedList_Good(t *testing.T) {
	got, err := ParseRedList("lists/harbour-films.yaml", readTestdata(t, "red/harbour-films.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	src := "trivia-harbour-films"
	want := &Catalog{
		Articles: []Article{{ID: src, Publisher: "Harbour Film Club", Headline: "Films about the sea, for typed answers"}},
		Questions: []Question{
			{ID: "harbour-films-1", Prompt: "Who directed The Lighthouse Tailor?", Answer: "Ingrid Sole", Accept: []string{"Sole"}, Hard: true, Source: src},
			{ID: "harbour-films-2", Prompt: "In which year was The Lighthouse Tailor released?", Answer: "1987", Hard: true, Source: src},
			{ID: "harbour-films-3", Prompt: "How many lighthouses does Halvor keep: one or two?", Answer: "one", Accept: []string{"1"}, Hard: true, Source: src},
			{ID: "harbour-films-4", Prompt: "Is The Net Mender shorter than a quarter of an hour?", Answer: "true", Accept: []string{"yes"}, Hard: true, Source: src},
			{ID: "harbour-films-5", Prompt: "Which sea-going job does Captain Sigrid have?", Answer: "captain", Accept: []string{"ship's captain"}, Hard: true, Source: src},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseRedList (-want +got):\n%s", diff)
	}
}

func TestParseRedList_Defaults(t *testing.T) {
	// Without AUTHOR and DESCRIPTION the list is cited by its file name; names that are
	// not IDs are turned into one.
	got, err := ParseRedList("Old Films (2019).yml", []byte("What is a reel?:\n- a spool of film\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := &Catalog{
		Articles:  []Article{{ID: "trivia-old-films-2019", Publisher: "Red trivia list", Headline: "Old Films (2019).yml"}},
		Questions: []Question{{ID: "old-films-2019-1", Prompt: "What is a reel?", Answer: "a spool of film", Hard: true, Source: "trivia-old-films-2019"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseRedList (-want +got):\n%s", diff)
	}
}

// TestParseRedList_Bad feeds broken trivia lists and checks each mistake is reported at
// its line.
func TestParseRedList_Bad(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want []wantProblem
	}{
		{"not a mapping", doc(
			`- Who directed it?`,
			`- Ingrid Sole`,
		), []wantProblem{{1, "maps each question to a list of answers"}}},
		{"answers not a list", doc(
			`AUTHOR: me`,
			`Who directed it?: Ingrid Sole`,
		), []wantProblem{{2, "the answers must be a list"}}},
		{"empty answer list", doc(
			`Who directed it?: []`,
		), []wantProblem{{1, "the question has no answers"}}},
		{"question without answers", doc(
			`Who directed it?:`,
			`Which year?:`,
			`- 1987`,
		), []wantProblem{{1, "the answers must be a list"}}},
		{"answers that are not scalars or are empty", doc(
			`Who directed it?:`,
			`- [Ingrid, Sole]`,
			`- {name: Sole}`,
			`- ~`,
			`- ""`,
			`- Ingrid Sole`,
		), []wantProblem{
			{2, "answer 1 must be text, a number or true/false"},
			{3, "answer 2 must be text"},
			{4, "answer 3 is empty"},
			{5, "answer 4 is empty"},
		}},
		{"duplicate question", doc(
			`Who directed it?:`,
			`- Ingrid Sole`,
			`Which year?:`,
			`- 1987`,
			`Who directed it?:`,
			`- Sole`,
		), []wantProblem{{5, "the same question is asked at line 1"}}},
		{"over-limit text", doc(
			// YAML wants keys over 1024 characters written explicitly, after "? ".
			`? `+strings.Repeat("q", 2001)+`?`,
			`: - short`,
			`Who?:`,
			`- `+strings.Repeat("a", 81),
		), []wantProblem{
			{1, "question is too long: 2002 characters, limit 2000"},
			{4, "answer 1 is too long: 81 characters, limit 80"},
		}},
		{"list keys of the wrong kind", doc(
			`AUTHOR: [a, b]`,
			`DESCRIPTION:`,
			`  long: text`,
			`CONFIG: fast`,
			`Who?:`,
			`- me`,
		), []wantProblem{
			{1, "AUTHOR must be text"},
			{3, "DESCRIPTION must be text"},
			{4, "CONFIG must be a mapping"},
		}},
		{"config checked as Red does", doc(
			`CONFIG:`,
			`  delay: 2`,
			`  timeout: 0`,
			`  max_score: 2.5`,
			`  bot_plays: "no"`,
			`  payout_multiplier: -1`,
			`  colour: red`,
			`Who?:`,
			`- me`,
		), []wantProblem{
			{2, "CONFIG delay must be a number of at least 4"},
			{3, "CONFIG timeout must be a number above 0"},
			{4, "CONFIG max_score must be a whole number of at least 1"},
			{5, "CONFIG bot_plays must be true or false"},
			{6, "CONFIG payout_multiplier must be a number of 0 or more"},
			{7, `unknown CONFIG key "colour"`},
		}},
		{"question that is not text", doc(
			`? [a, b]`,
			`: - c`,
			`Who?:`,
			`- me`,
		), []wantProblem{{1, "a question must be text"}}},
		{"no questions", doc(
			`AUTHOR: me`,
			`DESCRIPTION: nothing yet`,
		), []wantProblem{{1, "holds no questions"}}},
		{"empty file", doc(``), []wantProblem{{0, "the trivia list is empty"}}},
		{"invalid YAML", doc(
			`Who?:`,
			`- me`,
			`Which: year?: 1987`,
		), []wantProblem{{3, "mapping values are not allowed"}}},
		{"invalid UTF-8", []byte("Who?:\n- caf\xe9\n"), []wantProblem{{2, "invalid UTF-8"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseRedList("bad.yaml", tt.data)
			if c != nil {
				t.Error("ParseRedList returned a catalog with the problems")
			}
			checkProblems(t, err, "bad.yaml", tt.want)
		})
	}
}

func TestLoad_RedListBesideTOML(t *testing.T) {
	files := map[string][]byte{
		"lighthouse.toml":    readTestdata(t, "lighthouse.toml"),
		"harbour-films.yaml": readTestdata(t, "red/harbour-films.yaml"),
	}
	c, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{Articles: 2, Films: 1, People: 3, Facts: 3, Questions: 7}
	if diff := cmp.Diff(want, c.Counts()); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

func TestLoad_RedListsWithTheSameName(t *testing.T) {
	list := []byte("Who?:\n- me\n")
	_, err := Load(map[string][]byte{"a/films.yaml": list, "b/films.yml": list})
	checkProblems(t, err, "b/films.yml", []wantProblem{
		{1, `duplicate article id "trivia-films" (first defined at a/films.yaml:1)`},
		{1, `duplicate question id "films-1" (first defined at a/films.yaml:1)`},
	})
}
