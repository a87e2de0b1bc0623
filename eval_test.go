package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"filmbot/answer/qaset"
)

// sharedDir returns the team's shared folder ($FILMBOT_SHARED or ../shared), skipping the
// test when it is missing outside CI and failing it under CI=true.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("FILMBOT_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "qa")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared folder missing under CI: %v", err)
		}
		t.Skipf("shared folder not found (set FILMBOT_SHARED): %v", err)
	}
	return dir
}

// articleTitles reads which film each dev article is imported as, from the table in
// qa/articles/SOURCES.md ("| file.txt | Title | …").
func articleTitles(t *testing.T, dir string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "SOURCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) > 3 && strings.HasSuffix(strings.TrimSpace(cells[1]), ".txt") {
			titles[strings.TrimSpace(cells[1])] = strings.TrimSpace(cells[2])
		}
	}
	if len(titles) == 0 {
		t.Fatal("SOURCES.md names no articles")
	}
	return titles
}

type floor struct{ right, refused, wrong float64 }

func readFloors(t *testing.T) map[string]floor {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("answer", "testdata", "floors.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	floors := map[string]floor{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			t.Fatalf("floors.tsv:%d: want set<TAB>right<TAB>refused<TAB>wrong", n)
		}
		var v [3]float64
		for i := range v {
			if v[i], err = strconv.ParseFloat(f[i+1], 64); err != nil {
				t.Fatalf("floors.tsv:%d: %v", n, err)
			}
		}
		floors[f[0]] = floor{v[0], v[1], v[2]}
	}
	return floors
}

// TestEval_Floors runs `filmbot eval`'s evaluation on the shared dev sets and fails when a
// score drops below its floor in answer/testdata/floors.tsv.
func TestEval_Floors(t *testing.T) {
	dir := sharedDir(t)
	floors := readFloors(t)
	ctx := context.Background()
	var misses bytes.Buffer
	scores := map[string]qaset.Score{}
	for _, name := range []string{"ask-dev", "ask-chat-dev"} {
		s, err := evaluate(ctx, &misses, "", "", []string{filepath.Join(dir, "qa", name+".tsv")})
		if err != nil {
			t.Fatal(err)
		}
		scores[name] = s
	}
	adir := filepath.Join(dir, "qa", "articles")
	for file, title := range articleTitles(t, adir) {
		set := filepath.Join(adir, strings.TrimSuffix(file, ".txt")+".tsv")
		s, err := evaluate(ctx, &misses, filepath.Join(adir, file), title, []string{set})
		if err != nil {
			t.Fatal(err)
		}
		scores["articles"] = scores["articles"].Plus(s)
	}
	t.Logf("misses:\n%s", misses.String())
	for name, f := range floors {
		s, ok := scores[name]
		if !ok {
			t.Errorf("floors.tsv names %q, which the test does not run", name)
			continue
		}
		t.Logf("%s: %v", name, s)
		right, refused, wrong := s.Rates()
		if right < f.right || refused < f.refused || wrong > f.wrong {
			t.Errorf("%s: %v; floor is right ≥ %v%%, refused ≥ %v%%, wrong ≤ %v%%", name, s, f.right, f.refused, f.wrong)
		}
	}
}

// TestEval_Command runs the subcommand itself on a small set written here: the summary
// line ends the output and a miss is printed with the answer given.
func TestEval_Command(t *testing.T) {
	set := filepath.Join(t.TempDir(), "set.tsv")
	data := "Who plays Yong Mi?\tHan Jong Sim\nWho plays Yong Mi?\tnobody of that name\nWhat was the budget?\tUNKNOWN\n"
	if err := os.WriteFile(set, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"eval", set}, func(string) string { return "" }, strings.NewReader(""), &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	got := out.String()
	if !strings.Contains(got, set+":2: Who plays Yong Mi?") {
		t.Errorf("the miss on line 2 is not printed:\n%s", got)
	}
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if want := "answered right 1/2 (50%), refused 1/1 (100%), wrong when answering 1/2 (50%)"; lines[len(lines)-1] != want {
		t.Errorf("summary = %q, want %q", lines[len(lines)-1], want)
	}
}
