package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLI_AskFlagsAnywhere: a flag after the question is a flag, not words of the
// question; "--" keeps a dash-led argument as words.
func TestCLI_AskFlagsAnywhere(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	r := filmbot(t, "", nil, "", "ask", "-db", db, "Who plays Yong Mi?", "-json").must(t, 0)
	var got askJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("ask QUESTION -json printed %q, not JSON: %v", r.stdout, err)
	}
	if !got.Found || !strings.Contains(got.Answer, "Han Jong Sim") {
		t.Errorf("ask QUESTION -json = %+v, want the answer", got)
	}
	r = filmbot(t, "", nil, "", "ask", "Who", "-db", db, "plays", "Yong", "Mi?").must(t, 0)
	if !strings.Contains(r.stdout, "Han Jong Sim") {
		t.Errorf("flags between words: %q", r.stdout)
	}
	// After "--" everything is the question, dashes and all.
	r = filmbot(t, "", nil, "", "ask", "-db", db, "-json", "--", "-json", "who plays Yong Mi?").must(t, 0)
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("ask -json -- -json …: %q: %v", r.stdout, err)
	}
	// An unknown flag anywhere is refused, not asked.
	r = filmbot(t, "", nil, "", "ask", "-db", db, "Who plays Yong Mi?", "-jsn").must(t, 2)
	if r.stdout != "" || !strings.Contains(r.stderr, "-jsn") {
		t.Errorf("unknown flag: stdout %q stderr %q", r.stdout, r.stderr)
	}
}

// TestCLI_AskJSONAlwaysJSON: with -json, a question the command line gets wrong is still
// answered with one JSON object, and exit 2.
func TestCLI_AskJSONAlwaysJSON(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	for name, q := range map[string]string{"too long": strings.Repeat("why ", 300), "empty": " "} {
		r := filmbot(t, "", nil, "", "ask", "-db", db, "-json", q).must(t, 2)
		var got askJSON
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Errorf("%s: stdout %q is not the documented object: %v", name, r.stdout, err)
			continue
		}
		if got.Found || got.Answer == "" || got.Sources == nil {
			t.Errorf("%s: %+v, want found=false with the problem as the answer", name, got)
		}
		// Without -json: nothing on stdout, the problem on stderr.
		r = filmbot(t, "", nil, "", "ask", "-db", db, q).must(t, 2)
		if r.stdout != "" || r.stderr == "" {
			t.Errorf("%s without -json: stdout %q stderr %q", name, r.stdout, r.stderr)
		}
	}
}

// TestCLI_OutputRefusesExisting: backup and compact agree: an existing OUT is refused
// and left alone unless -force, which replaces it with a whole store.
func TestCLI_OutputRefusesExisting(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	filmbot(t, "", nil, "", "ask", "-db", db, "Who plays Yong Mi?").must(t, 0)
	want, _ := storeState(t, db)
	for _, cmd := range []string{"backup", "compact"} {
		t.Run(cmd, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.db")
			if err := os.WriteFile(out, []byte("keep me"), 0o600); err != nil {
				t.Fatal(err)
			}
			r := filmbot(t, "", nil, "", cmd, "-db", db, out).must(t, 1)
			if !strings.Contains(r.stderr, "already exists") || !strings.Contains(r.stderr, "-force") {
				t.Errorf("%s over an existing OUT: %q", cmd, r.stderr)
			}
			if b, _ := os.ReadFile(out); string(b) != "keep me" {
				t.Errorf("%s changed the existing OUT without -force", cmd)
			}
			filmbot(t, "", nil, "", cmd, "-db", db, out, "-force").must(t, 0)
			if got, _ := storeState(t, out); got != want {
				t.Errorf("%s -force wrote %s, want %s", cmd, got, want)
			}
			if _, err := os.Stat(out + ".tmp"); err == nil {
				t.Errorf("%s left %s.tmp", cmd, out)
			}
			filmbot(t, "", nil, "", cmd, "-db", db, "-force", db).must(t, 1) // never over the store
		})
	}
}

// TestCLI_ReseedArticleOtherFilm: importing an article again under another -film is
// refused, the store unchanged, unless -move says so.
func TestCLI_ReseedArticleOtherFilm(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	article := filepath.Join(dir, "article.txt")
	text := "Film Notes Daily\nA quiet week at the pictures\n\n" +
		"The producers screened the film for a school in Antwerp last spring. " +
		"The screening sold out within an hour.\n"
	if err := os.WriteFile(article, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	db := dbIn(t)
	filmbot(t, "", nil, "", "reseed", "-db", db, "-article", article, "-film", "Comrade Kim Goes Flying").must(t, 0)
	// Again for the same film: fine, it replaces its own facts.
	filmbot(t, "", nil, "", "reseed", "-db", db, "-article", article, "-film", "Comrade Kim Goes Flying").must(t, 0)
	before, gen := storeState(t, db)

	r := filmbot(t, "", nil, "", "reseed", "-db", db, "-article", article, "-film", "Another Film Entirely").must(t, 1)
	if !strings.Contains(r.stderr, "Comrade Kim Goes Flying") || !strings.Contains(r.stderr, "-move") || !strings.Contains(r.stderr, "nothing was changed") {
		t.Errorf("re-import under another film: %q", r.stderr)
	}
	if after, gen2 := storeState(t, db); after != before || gen2 != gen {
		t.Errorf("a refused import changed the store: %s gen %d → %s gen %d", before, gen, after, gen2)
	}
	filmbot(t, "", nil, "", "reseed", "-db", db, "-article", article, "-film", "Another Film Entirely", "-move").must(t, 0)
	if _, gen2 := storeState(t, db); gen2 != gen+1 {
		t.Errorf("-move did not install: generation %d, want %d", gen2, gen+1)
	}
}

// TestCLI_ConsoleTranscript: with input that is not a terminal, the console prints each
// line it reads before its reply, so the output reads as a transcript; "#" lines are
// comments, so a commented example can be pasted as it is.
func TestCLI_ConsoleTranscript(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	in := "# a question for /ask\nWho plays Yong Mi?\n\n# a slash command\n/fact\n"
	r := filmbot(t, "", nil, in, "console", "-db", db).must(t, 0)
	q := strings.Index(r.stdout, "> Who plays Yong Mi?\n")
	a := strings.Index(r.stdout, "Han Jong Sim")
	f := strings.Index(r.stdout, "> /fact\n")
	if q < 0 || a < q || f < a {
		t.Errorf("want each line echoed before its reply, in order:\n%s", r.stdout)
	}
	// Comments are echoed with the transcript, never asked.
	if !strings.Contains(r.stdout, "> # a question for /ask\n> Who plays") || strings.Contains(r.stdout, "I don't know") {
		t.Errorf("a comment line was not echoed as it is, or was asked:\n%s", r.stdout)
	}
}

// TestCLI_ReseedInterrupted: a reseed interrupted before its commit says that nothing
// was changed, and nothing was; an uninterrupted one reports progress ending at 100%.
func TestCLI_ReseedInterrupted(t *testing.T) {
	t.Parallel()
	wd, _ := os.Getwd()
	small := filepath.Join(wd, "commands", "testdata", "small.toml")
	db := dbIn(t)
	filmbot(t, "", nil, "", "ask", "-db", db, "Who plays Yong Mi?").must(t, 0)
	before, gen := storeState(t, db)

	// Interrupted (SIGINT ends run's context) before anything is committed.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr strings.Builder
	env := func(string) string { return "" }
	if code := run(ctx, []string{"reseed", "-db", db, small}, env, strings.NewReader(""), &stdout, &stderr); code != exitFail {
		t.Errorf("interrupted reseed: exit %d, want %d", code, exitFail)
	}
	if !strings.Contains(stderr.String(), "interrupted") || !strings.Contains(stderr.String(), "nothing was changed") {
		t.Errorf("interrupted reseed says:\n%s", stderr.String())
	}
	if strings.Contains(stdout.String(), "Reseeded") {
		t.Errorf("interrupted reseed reported success: %q", stdout.String())
	}
	if after, gen2 := storeState(t, db); after != before || gen2 != gen {
		t.Errorf("an interrupted reseed changed the store: %s gen %d → %s gen %d", before, gen, after, gen2)
	}

	r := filmbot(t, "", nil, "", "reseed", "-db", db, small).must(t, 0)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "filmbot reseed: 100%") {
		t.Errorf("reseed progress does not end at 100%%:\n%s", r.stderr)
	}
	for _, l := range lines {
		if strings.Contains(l, "25%") || strings.Contains(l, "75%") {
			t.Errorf("a one-batch seed reported a quarter it never stopped at: %q", l)
		}
	}
}
