package answer

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"filmbot/seed"
)

// qaLine is one line of a question set in the shared dev-set format: a question and the
// text its answer must hold, or UNKNOWN when the bot must refuse.
type qaLine struct {
	line     int
	question string
	expected string
}

// unknown reports whether the line expects a refusal.
func (l qaLine) unknown() bool { return l.expected == "UNKNOWN" }

// matches reports whether answer text holds the expected text: every '&' group must
// appear, each group satisfied by any of its '|' alternatives, case-insensitively.
func (l qaLine) matches(text string) bool {
	text = strings.ToLower(text)
	for _, group := range strings.Split(l.expected, "&") {
		ok := false
		for _, alt := range strings.Split(group, "|") {
			if strings.Contains(text, strings.ToLower(strings.TrimSpace(alt))) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// pass reports whether an answer passes the line.
func (l qaLine) pass(a Answer) bool {
	if l.unknown() {
		return !a.Found
	}
	return a.Found && l.matches(a.Text)
}

func parseQA(t testing.TB, data []byte) []qaLine {
	t.Helper()
	var lines []qaLine
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		q, want, ok := strings.Cut(text, "\t")
		if !ok || strings.TrimSpace(q) == "" || strings.TrimSpace(want) == "" {
			t.Fatalf("line %d: want question<TAB>expected, got %q", n, text)
		}
		lines = append(lines, qaLine{line: n, question: q, expected: strings.TrimSpace(want)})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// sharedFile reads a file from the team's shared folder (../shared from the repo root, or
// $FILMBOT_SHARED). Outside CI a missing shared folder skips the test; under CI it fails.
func sharedFile(t testing.TB, rel string) []byte {
	t.Helper()
	dir := os.Getenv("FILMBOT_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared")
	}
	data, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared file missing under CI: %v", err)
		}
		t.Skipf("shared file not found (set FILMBOT_SHARED): %v", err)
	}
	return data
}

func defaultCatalog(t testing.TB) *seed.Catalog {
	t.Helper()
	cat, err := seed.Default()
	if err != nil {
		t.Fatalf("embedded seed: %v", err)
	}
	return cat
}

// mustIndex builds an index from the embedded seed.
func mustIndex(t testing.TB) *Index {
	t.Helper()
	return New(defaultCatalog(t))
}

// runQA asks every line and returns the failures, with answerable and refusal tallies.
type qaResult struct {
	answerable, answered, unanswerable, refused int
	failures                                    []string
}

func runQA(ix *Index, lines []qaLine) qaResult {
	var r qaResult
	for _, l := range lines {
		a := ix.Ask(l.question, "")
		if l.unknown() {
			r.unanswerable++
		} else {
			r.answerable++
		}
		if l.pass(a) {
			if l.unknown() {
				r.refused++
			} else {
				r.answered++
			}
			continue
		}
		r.failures = append(r.failures, fmt.Sprintf("line %d: %s\n\twant %s\n\tgot  found=%v %s",
			l.line, l.question, l.expected, a.Found, a.Text))
	}
	return r
}

// TestAsk_DevSet runs the shared development set against the embedded seed: every line
// must pass.
func TestAsk_DevSet(t *testing.T) {
	lines := parseQA(t, sharedFile(t, filepath.Join("qa", "ask-dev.tsv")))
	if len(lines) == 0 {
		t.Fatal("dev set has no questions")
	}
	r := runQA(mustIndex(t), lines)
	for _, f := range r.failures {
		t.Error(f)
	}
	t.Logf("answerable %d/%d right, unanswerable %d/%d refused", r.answered, r.answerable, r.refused, r.unanswerable)
}

// TestAsk_Paraphrases runs our own question set (other phrasings of the same article) and
// holds the engine to 95% of it.
func TestAsk_Paraphrases(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "paraphrases.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := parseQA(t, data)
	r := runQA(mustIndex(t), lines)
	for _, f := range r.failures {
		t.Log(f)
	}
	total := r.answerable + r.unanswerable
	passed := r.answered + r.refused
	t.Logf("paraphrases: %d/%d pass; answerable %d/%d, unanswerable refused %d/%d",
		passed, total, r.answered, r.answerable, r.refused, r.unanswerable)
	if passed*100 < total*95 {
		t.Errorf("paraphrases: %d/%d pass, want at least 95%%", passed, total)
	}
}

func TestAnswer_String(t *testing.T) {
	tests := []struct {
		name string
		a    Answer
		want string
	}{
		{"found", Answer{Found: true, Text: "Yes.", Sources: []string{"P — H"}}, "Yes.\nSource: P — H"},
		{"two sources", Answer{Found: true, Text: "Yes.", Sources: []string{"A — B", "C — D"}}, "Yes.\nSource: A — B; C — D"},
		{"refusal", Answer{Text: "I don't know."}, "I don't know."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAsk_Shape checks what every reply carries, whatever the question.
func TestAsk_Shape(t *testing.T) {
	ix := mustIndex(t)
	tests := []struct {
		question, film string
		found          bool
	}{
		{"Who plays Pak Jang Phil?", "", true},
		{"who plays pak jang phil", "comrade-kim-goes-flying", true},
		{"Who plays Pak Jang Phil?", "COMRADE KIM GOES FLYING", true},
		{"Who plays Pak Jang Phil?", "Titanic", false},
		{"Who directed Titanic?", "", false},
		{"", "", false},
		{"@everyone who composed the score? <@&123>", "", false},
		{"<@&123> @here who plays Pak Jang Phil? @everyone", "", true},
		{"Who plays Yong Mi's father?", "", false},
		{"Who is Yong Mi's manager?", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.question+"/"+tt.film, func(t *testing.T) {
			a := ix.Ask(tt.question, tt.film)
			if a.Found != tt.found {
				t.Fatalf("Found = %v, want %v (text %q)", a.Found, tt.found, a.Text)
			}
			if a.Found {
				if a.FilmID != "comrade-kim-goes-flying" || len(a.Sources) != 1 ||
					a.Sources[0] != "Lonely Planet Writer — You can now stream North Korea’s first international rom com" {
					t.Errorf("film %q, sources %q: want the film and its article", a.FilmID, a.Sources)
				}
			} else if !strings.HasPrefix(a.Text, "I don't know") || len(a.Text) > 300 {
				t.Errorf("refusal %q: want a short plain I don't know", a.Text)
			}
			if strings.Contains(a.Text, "@") || strings.Contains(a.Text, "<") || !utf8.ValidString(a.Text) {
				t.Errorf("text %q echoes a mention or is not UTF-8", a.Text)
			}
		})
	}
}

// TestAsk_Honest checks replies a reader would call wrong even when a fact is near: a title
// is no one, a broader claim is not confirmed by a narrower first, an opinion is not in the
// data, and the answer names what the question asks (the co-director as such, both leads,
// the service, the article).
func TestAsk_Honest(t *testing.T) {
	ix := mustIndex(t)
	tests := []struct {
		question string
		found    bool
		want     []string // each must be in the text, case-insensitively
	}{
		{"Who is Comrade Kim?", false, nil},
		{"Who is Kim?", false, nil},
		{"Is it the first North Korean film?", false, nil},
		{"What was the first film shot in North Korea?", false, nil},
		{"Is it North Korea's first rom com?", true, []string{"first romantic comedy"}},
		{"Was it the first internationally financed film shot entirely in North Korea?", true, []string{"international financing"}},
		{"Who directed it?", true, []string{"Nicholas Bonner", "co-director", "no other director"}},
		{"Who are the co-directors?", true, []string{"Nicholas Bonner", "co-director"}},
		{"Who is the other director?", false, nil},
		{"Who is the lead actor?", true, []string{"Han Jong Sim", "Pak Chung Guk"}},
		{"Were the actors professional acrobats?", true, []string{"Han Jong Sim", "Pak Chung Guk", "acrobats"}},
		{"Is Nicholas Bonner North Korean?", true, []string{"British"}},
		{"What else has Pak Chung Guk acted in?", false, nil},
		{"Should I watch it?", false, nil},
		{"Is the film good?", false, nil},
		{"Is Pyongyang a nice backdrop?", true, []string{"backdrop"}},
		{"Did Yong Mi become an acrobat?", true, []string{"Pyongyang Circus"}},
		{"Where can I stream Comrade Kim Goes Flying?", true, []string{"Vimeo On Demand", "pay-per-view"}},
		{"do I have to pay to see it on vimeo", true, []string{"pay-per-view"}},
		{"Who published the article?", true, []string{"Lonely Planet Writer"}},
		{"What's the article's headline?", true, []string{"You can now stream"}},
		{"who's in it", true, []string{"Han Jong Sim"}},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a := ix.Ask(tt.question, "")
			if a.Found != tt.found {
				t.Fatalf("Found = %v, want %v (text %q)", a.Found, tt.found, a.Text)
			}
			for _, w := range tt.want {
				if !strings.Contains(strings.ToLower(a.Text), strings.ToLower(w)) {
					t.Errorf("text %q: want it to say %q", a.Text, w)
				}
			}
		})
	}
}

// TestAsk_ImportedArticle imports the raw seed article (sentence facts, no structure) into
// an empty catalog and runs the dev set over it: the engine must still answer most
// questions and refuse most it cannot.
func TestAsk_ImportedArticle(t *testing.T) {
	text := sharedFile(t, filepath.Join("seeds", "comrade-kim-goes-flying.txt"))
	lines := parseQA(t, sharedFile(t, filepath.Join("qa", "ask-dev.tsv")))
	cat, err := seed.ImportArticle("comrade-kim-goes-flying.txt", text, "Comrade Kim Goes Flying", nil)
	if err != nil {
		t.Fatalf("ImportArticle: %v", err)
	}
	if len(cat.Facts) == 0 {
		t.Fatal("import made no facts")
	}
	r := runQA(New(cat), lines)
	for _, f := range r.failures {
		t.Log(f)
	}
	t.Logf("imported article: answerable %d/%d right, unanswerable %d/%d refused",
		r.answered, r.answerable, r.refused, r.unanswerable)
	if r.answered*100 < r.answerable*40 { // 83% before the fitted model (15/18), 44% after: see docs/answer.md
		t.Errorf("answerable: %d/%d right, want at least 40%%", r.answered, r.answerable)
	}
	if r.refused*100 < r.unanswerable*80 {
		t.Errorf("unanswerable: %d/%d refused, want at least 80%%", r.refused, r.unanswerable)
	}
}

// TestAsk_Concurrent asks from many goroutines at once, as the bot's handlers do; run with
// -race it checks that Ask only reads the index.
func TestAsk_Concurrent(t *testing.T) {
	ix := mustIndex(t)
	questions := []string{"Who plays Yong Mi?", "Who directed it?", "Who plays Yong Mi's father?", "Where was it shot?"}
	want := make([]Answer, len(questions))
	for i, q := range questions {
		want[i] = ix.Ask(q, "")
	}
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 200; i++ {
				k := (g + i) % len(questions)
				if got := ix.Ask(questions[k], ""); got.Text != want[k].Text {
					done <- fmt.Errorf("Ask(%q) = %q concurrently, %q alone", questions[k], got.Text, want[k].Text)
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
