package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"filmbot/bot/fakediscord"
	"filmbot/control"
	"filmbot/internal/pgtest"
	"filmbot/store"
)

// binary is the filmbot built once for every test of the package that runs it. Those tests
// run in parallel (t.Parallel): each process has its own temporary folder, store,
// environment and loopback listeners, and most of their time is spent waiting on it.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "filmbot-cli-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "filmbot")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build filmbot:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	if err := pgtest.Stop(); err != nil && code == 0 {
		code = 1
	}
	os.Exit(code)
}

// result is one finished filmbot process.
type result struct {
	code           int
	stdout, stderr string
}

// filmbot runs the binary in dir (a temp dir when ""), with only the environment given
// (plus PATH and HOME), and stdin.
func filmbot(t *testing.T, dir string, env []string, stdin string, args ...string) result {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run filmbot %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

func (r result) must(t *testing.T, code int) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	return r
}

// dbIn returns a store path in a fresh directory.
func dbIn(t *testing.T) string {
	return filepath.Join(t.TempDir(), "filmbot.db")
}

// counts opens a store read-only and returns what it holds and its generation.
func storeState(t *testing.T, path string) (string, uint64) {
	t.Helper()
	st, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.Counts()
	if err != nil {
		t.Fatal(err)
	}
	g, err := st.Generation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%+v", c), g
}

func TestCLI_Ask(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	r := filmbot(t, "", nil, "", "ask", "-db", db, "Who plays Yong Mi in Comrade Kim Goes Flying?").must(t, 0)
	if !strings.Contains(r.stdout, "Han Jong Sim") || !strings.Contains(r.stdout, "\nSource: Lonely Planet") {
		t.Errorf("answer:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "created "+db+" from the embedded seed") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("a new store should be announced in one line; stderr:\n%s", r.stderr)
	}
	// The store now exists: no announcement, same answer.
	r2 := filmbot(t, "", nil, "", "ask", "-db", db, "Who plays Yong Mi in Comrade Kim Goes Flying?").must(t, 0)
	if r2.stderr != "" || r2.stdout != r.stdout {
		t.Errorf("second run: stdout %q stderr %q, want the same answer and nothing on stderr", r2.stdout, r2.stderr)
	}
	// -film scopes the question.
	r3 := filmbot(t, "", nil, "", "ask", "-db", db, "-film", "comrade kim goes flying", "Who directed it?").must(t, 0)
	if !strings.Contains(r3.stdout, "Bonner") {
		t.Errorf("-film answer: %s", r3.stdout)
	}
	// A film it does not have is an honest answer, exit 0, as README says.
	if r := filmbot(t, "", nil, "", "ask", "-db", db, "-film", "Star Wars", "Who directed it?").must(t, 0); !strings.Contains(r.stdout, "Star Wars") {
		t.Errorf("unknown -film: %q", r.stdout)
	}
	if r := filmbot(t, "", nil, "", "ask", "-db", db).must(t, 2); !strings.Contains(r.stderr, "no question") {
		t.Errorf("no question: %s", r.stderr)
	}
	filmbot(t, "", nil, "", "ask", "-db", db, strings.Repeat("why ", 300)).must(t, 2)
}

func TestCLI_AskJSON(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	tests := []struct {
		question string
		found    bool
		want     string
	}{
		{"Where can I stream Comrade Kim Goes Flying?", true, "Vimeo"},
		{"How much money did the film make?", false, ""},
	}
	for _, tt := range tests {
		r := filmbot(t, "", nil, "", "ask", "-json", "-db", db, tt.question).must(t, 0)
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		dec.DisallowUnknownFields()
		var got askJSON
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("%q: output %q is not the documented object: %v", tt.question, r.stdout, err)
		}
		if got.Found != tt.found || !strings.Contains(got.Answer, tt.want) || got.Sources == nil || (len(got.Sources) > 0) != tt.found {
			t.Errorf("%q: %+v, want found=%v with %q", tt.question, got, tt.found, tt.want)
		}
		if got.Found && got.Film != "Comrade Kim Goes Flying" {
			t.Errorf("%q: film %q", tt.question, got.Film)
		}
		if !strings.Contains(r.stdout, `"sources":[`) {
			t.Errorf("sources must be a list, even empty: %s", r.stdout)
		}
	}
}

func TestCLI_Check(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("[[article]]\nid = \"a\"\npublisher = \"P\"\nheadline = \"H\"\n\n[[film]]\nid = \"f\"\ntitel = \"x\"\nsource = \"a\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	r := filmbot(t, wd, nil, "", "check", "seed/data/comrade-kim-goes-flying.toml", "commands/testdata/small.toml").must(t, 0)
	if !strings.HasPrefix(r.stdout, "ok: ") {
		t.Errorf("good files: %q", r.stdout)
	}
	r = filmbot(t, "", nil, "", "check", bad).must(t, 1)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(bad) + `:\d+: .+`)
	for _, l := range lines {
		if !re.MatchString(l) {
			t.Errorf("problem line %q is not file:line: message", l)
		}
	}
	if !strings.Contains(r.stdout, bad+":8: ") {
		t.Errorf("the unknown key on line 8 is not reported:\n%s", r.stdout)
	}
	if r := filmbot(t, "", nil, "", "check", filepath.Join(dir, "missing.toml")).must(t, 1); !strings.Contains(r.stdout, "missing.toml: cannot read") {
		t.Errorf("missing file: %q", r.stdout)
	}
	filmbot(t, "", nil, "", "check").must(t, 2)

	// Files that cannot be read do not stop the others being checked, and a summary ends
	// the run.
	adir, missing := filepath.Join(dir, "adir"), filepath.Join(dir, "missing.toml")
	if err := os.Mkdir(adir, 0o755); err != nil {
		t.Fatal(err)
	}
	r = filmbot(t, "", nil, "", "check", adir, missing, bad).must(t, 1)
	wantLines := []string{adir + ": cannot read: ", bad + ":6: ", bad + ":8: ", missing + ": cannot read: "}
	lines = strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != len(wantLines) {
		t.Fatalf("got %d problem lines, want %d:\n%s", len(lines), len(wantLines), r.stdout)
	}
	for i, w := range wantLines {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("problem %d is %q, want it to start %q", i, lines[i], w)
		}
	}
	if got := strings.TrimSpace(r.stderr); got != "filmbot check: 3 files, 4 problems" {
		t.Errorf("summary %q, want \"filmbot check: 3 files, 4 problems\"", got)
	}
	r = filmbot(t, wd, nil, "", "check", "commands/testdata/small.toml").must(t, 0)
	if got := strings.TrimSpace(r.stderr); got != "filmbot check: 1 file, 0 problems" {
		t.Errorf("summary %q, want \"filmbot check: 1 file, 0 problems\"", got)
	}
}

func TestCLI_Reseed(t *testing.T) {
	t.Parallel()
	wd, _ := os.Getwd()
	small := filepath.Join(wd, "commands", "testdata", "small.toml")
	db := dbIn(t)

	// Files into a new store: no embedded seeding first, no announcement.
	r := filmbot(t, "", nil, "", "reseed", "-db", db, small).must(t, 0)
	if !strings.HasPrefix(r.stdout, "Reseeded from "+small) || !strings.Contains(r.stdout, "1 film, 1 person, 2 facts") {
		t.Errorf("stdout: %q", r.stdout)
	}
	if !strings.Contains(r.stderr, "is valid") {
		t.Errorf("no progress on stderr: %q", r.stderr)
	}
	if r := filmbot(t, "", nil, "", "ask", "-db", db, "Who directed The Small Film?").must(t, 0); !strings.Contains(r.stdout, "Ada Director") {
		t.Errorf("after reseed: %q", r.stdout)
	}
	counts, gen := storeState(t, db)

	// A bad file changes nothing.
	bad := filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(bad, []byte("[[film]]\nid = 3\n"), 0o644)
	r = filmbot(t, "", nil, "", "reseed", "-db", db, bad).must(t, 1)
	if !strings.Contains(r.stderr, bad+":2: ") || !strings.Contains(r.stderr, "nothing was changed") {
		t.Errorf("stderr: %q", r.stderr)
	}
	if c2, g2 := storeState(t, db); c2 != counts || g2 != gen {
		t.Errorf("a bad file changed the store: %s gen %d → %s gen %d", counts, gen, c2, g2)
	}

	// No files: the embedded seed.
	r = filmbot(t, "", nil, "", "reseed", "-db", db).must(t, 0)
	if !strings.HasPrefix(r.stdout, "Reseeded from the embedded seed") {
		t.Errorf("stdout: %q", r.stdout)
	}
	if _, g3 := storeState(t, db); g3 != gen+1 {
		t.Errorf("generation %d after the embedded reseed, want %d", g3, gen+1)
	}

	// Usage mistakes.
	filmbot(t, "", nil, "", "reseed", "-db", db, "-article", small).must(t, 2)
	filmbot(t, "", nil, "", "reseed", "-db", db, "-film", "X").must(t, 2)
}

func TestCLI_ReseedArticle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	article := filepath.Join(dir, "article.txt")
	text := "Film Notes Daily\nA quiet week for Comrade Kim Goes Flying\n\n" +
		"The producers of Comrade Kim Goes Flying screened it for a school in Antwerp last spring. " +
		"The screening sold out within an hour.\n"
	if err := os.WriteFile(article, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	db := dbIn(t)
	filmbot(t, "", nil, "", "ask", "-db", db, "Who plays Yong Mi?").must(t, 0) // create the store
	before, gen := storeState(t, db)
	r := filmbot(t, "", nil, "", "reseed", "-db", db, "-article", article, "-film", "Comrade Kim Goes Flying").must(t, 0)
	if !strings.HasPrefix(r.stdout, "Reseeded from "+article) || !strings.Contains(r.stdout, "2 articles") {
		t.Errorf("stdout: %q", r.stdout)
	}
	after, gen2 := storeState(t, db)
	if after == before || gen2 != gen+1 {
		t.Errorf("store %s gen %d → %s gen %d, want the article's facts added", before, gen, after, gen2)
	}
	// The old knowledge is still there.
	if r := filmbot(t, "", nil, "", "ask", "-db", db, "Who plays Yong Mi?").must(t, 0); !strings.Contains(r.stdout, "Han Jong Sim") {
		t.Errorf("after import: %q", r.stdout)
	}
}

func TestCLI_Console(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	script := strings.Join([]string{
		"/film title: Comrade Kim Goes Flying",
		"/fact",
		"[Another fact]",
		"Who directed Comrade Kim Goes Flying?",
		"/ask question: Who wrote the film's music?",
		"/film Star Wars",
		"/nosuch",
		"/help",
		"/quit",
		"/film title: never reached",
	}, "\n") + "\n"
	r := filmbot(t, "", nil, script, "console", "-db", db).must(t, 0)
	for _, want := range []string{
		"Comrade Kim Goes Flying (2012)\n", "Han Jong Sim as Comrade Yong Mi", "Source: Lonely Planet",
		"[Another fact]", "Bonner", "I don't know", "I don't have a film called “Star Wars”",
		"no command /nosuch", "/ask question: [film:]",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("console output lacks %q", want)
		}
	}
	if strings.Count(r.stdout, "[Another fact]")-strings.Count(r.stdout, "> [Another fact]") != 2 {
		t.Errorf("pressing [Another fact] should show a second fact with its button:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "never reached") {
		t.Errorf("input after /quit was read")
	}
	if strings.Contains(r.stdout, "Something went wrong") {
		t.Errorf("console hit an internal error:\n%s\n%s", r.stdout, r.stderr)
	}
}

func TestCLI_Backup(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	filmbot(t, "", nil, "", "ask", "-db", db, "Who plays Yong Mi?").must(t, 0)
	want, _ := storeState(t, db)

	t.Run("store free", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "copy.db")
		r := filmbot(t, "", nil, "", "backup", "-db", db, out).must(t, 0)
		if !strings.HasPrefix(r.stdout, "wrote ") {
			t.Errorf("stdout: %q", r.stdout)
		}
		if got, _ := storeState(t, out); got != want {
			t.Errorf("backup holds %s, want %s", got, want)
		}
	})

	t.Run("store served", func(t *testing.T) {
		// This process holds the store as `filmbot run` does, with the socket served.
		st, err := store.Open(db, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		srv, err := control.Listen(control.SocketPath(db), st.Backup, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		outDir := t.TempDir()
		r := filmbot(t, outDir, nil, "", "backup", "-db", db, "copy.db").must(t, 0)
		if !strings.Contains(r.stdout, "through the running filmbot") {
			t.Errorf("stdout: %q", r.stdout)
		}
		srv.Close()
		st.Close()
		if got, _ := storeState(t, filepath.Join(outDir, "copy.db")); got != want {
			t.Errorf("backup holds %s, want %s", got, want)
		}
	})

	t.Run("store locked without a socket", func(t *testing.T) {
		st, err := store.Open(db, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		out := filepath.Join(t.TempDir(), "copy.db")
		r := filmbot(t, "", nil, "", "backup", "-db", db, out).must(t, 1)
		if !strings.Contains(r.stderr, "locked") {
			t.Errorf("stderr: %q", r.stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("a failed backup left %s", out)
		}
	})

	filmbot(t, "", nil, "", "backup", "-db", filepath.Join(t.TempDir(), "none.db"), "x.db").must(t, 1)
	filmbot(t, "", nil, "", "backup", "-db", db, db).must(t, 1)
	filmbot(t, "", nil, "", "backup", "-db", db).must(t, 2)
}

func TestCLI_Compact(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	for range 3 { // reseeds leave freed pages behind for compact to drop
		filmbot(t, "", nil, "", "reseed", "-db", db).must(t, 0)
	}
	want, gen := storeState(t, db)
	out := filepath.Join(t.TempDir(), "compact.db")
	r := filmbot(t, "", nil, "", "compact", "-db", db, out).must(t, 0)
	if !strings.HasPrefix(r.stdout, "wrote "+out) {
		t.Errorf("stdout: %q", r.stdout)
	}
	if got, gotGen := storeState(t, out); got != want || gotGen != gen {
		t.Errorf("compacted copy holds %s gen %d, want %s gen %d", got, gotGen, want, gen)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() >= orig.Size() {
		t.Errorf("compacted copy is %d bytes, the store %d", fi.Size(), orig.Size())
	}
	// The copy serves as the store.
	if r := filmbot(t, "", nil, "", "ask", "-db", out, "Who plays Yong Mi?").must(t, 0); !strings.Contains(r.stdout, "Han Jong Sim") {
		t.Errorf("ask the compacted copy: %q", r.stdout)
	}

	t.Run("store locked", func(t *testing.T) {
		st, err := store.Open(db, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		out := filepath.Join(t.TempDir(), "copy.db")
		r := filmbot(t, "", nil, "", "compact", "-db", db, out).must(t, 1)
		if !strings.Contains(r.stderr, "in use") {
			t.Errorf("stderr: %q", r.stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("a failed compact left %s", out)
		}
	})

	if r := filmbot(t, "", nil, "", "compact", "-db", db, out).must(t, 1); !strings.Contains(r.stderr, "already exists") {
		t.Errorf("compact over an existing file: %q", r.stderr)
	}
	filmbot(t, "", nil, "", "compact", "-db", db, db).must(t, 1)
	filmbot(t, "", nil, "", "compact", "-db", filepath.Join(t.TempDir(), "none.db"), "x.db").must(t, 1)
	filmbot(t, "", nil, "", "compact", "-db", db).must(t, 2)
}

func TestCLI_Version(t *testing.T) {
	t.Parallel()
	r := filmbot(t, "", nil, "", "version").must(t, 0)
	if !strings.HasPrefix(r.stdout, "filmbot ") || !strings.Contains(r.stdout, runtime.Version()) {
		t.Errorf("version: %q", r.stdout)
	}
}

func TestCLI_RunWithoutToken(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	r := filmbot(t, "", []string{"FILMBOT_DB=" + db}, "", "run").must(t, 2)
	for _, want := range []string{"no bot token", "FILMBOT_TOKEN", "filmbot console"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("run without a token created the store")
	}
}

// The store path comes from the config file, then FILMBOT_DB, then -db.
func TestCLI_StorePrecedence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "my.toml")
	os.WriteFile(cfg, []byte("db = \"from-file.db\"\n"), 0o644)
	env := []string{"FILMBOT_CONFIG=" + cfg}
	q := "Who plays Yong Mi?"
	filmbot(t, dir, env, "", "ask", q).must(t, 0)
	filmbot(t, dir, append(env, "FILMBOT_DB=from-env.db"), "", "ask", q).must(t, 0)
	filmbot(t, dir, append(env, "FILMBOT_DB=from-env.db"), "", "ask", "-db", "from-flag.db", q).must(t, 0)
	for _, name := range []string{"from-file.db", "from-env.db", "from-flag.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s was not created: %v", name, err)
		}
	}
	// ./filmbot.toml is read when present.
	os.WriteFile(filepath.Join(dir, "filmbot.toml"), []byte("db = \"local.db\"\n"), 0o644)
	filmbot(t, dir, nil, "", "ask", q).must(t, 0)
	if _, err := os.Stat(filepath.Join(dir, "local.db")); err != nil {
		t.Errorf("./filmbot.toml was not used: %v", err)
	}
}

func TestCLI_ConfigErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bad.toml")
	os.WriteFile(cfg, []byte("db = \"x.db\"\nrate-limt = 3\n"), 0o644)
	r := filmbot(t, dir, nil, "", "ask", "-config", cfg, "q").must(t, 2)
	if !strings.Contains(r.stderr, cfg+":2: unknown key \"rate-limt\"") {
		t.Errorf("stderr: %q", r.stderr)
	}
	r = filmbot(t, dir, []string{"FILMBOT_OWNERS=me"}, "", "ask", "q").must(t, 2)
	if !strings.Contains(r.stderr, "owners:") || !strings.Contains(r.stderr, "home-guild:") {
		t.Errorf("stderr: %q", r.stderr)
	}
}

func TestCLI_Usage(t *testing.T) {
	t.Parallel()
	if r := filmbot(t, "", nil, "", "-h").must(t, 0); !strings.Contains(r.stdout, "Usage: filmbot COMMAND") {
		t.Errorf("filmbot -h: %q", r.stdout)
	}
	filmbot(t, "", nil, "", "").must(t, 2)
	filmbot(t, "", nil, "", "nosuch").must(t, 2)
	filmbot(t, "", nil, "").must(t, 2)
	for _, sc := range subcommands() {
		r := filmbot(t, "", nil, "", sc.name, "-h").must(t, 0)
		if !strings.HasPrefix(r.stdout, "Usage: filmbot "+sc.name) || !strings.Contains(r.stdout, "-db") || !strings.Contains(r.stdout, "-config") {
			t.Errorf("%s -h:\n%s", sc.name, r.stdout)
		}
		filmbot(t, "", nil, "", sc.name, "-nosuchflag").must(t, 2)
	}
}

// The whole operator path against a running bot: the owner reseeds from an attachment in
// the home guild, /ask sees the new knowledge, and `filmbot backup` copies the store the
// running process holds locked, through its socket.
func TestCLI_RunReseedAndBackup(t *testing.T) {
	t.Parallel()
	wd, _ := os.Getwd()
	small, err := os.ReadFile(filepath.Join(wd, "commands", "testdata", "small.toml"))
	if err != nil {
		t.Fatal(err)
	}
	fake := fakediscord.New(t, fakediscord.Options{HeartbeatInterval: time.Second})
	db := dbIn(t)
	p := startBotProcess(t, fake, db, "")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// A non-owner is refused at once and nothing is downloaded.
	member := fakediscord.Who{Guild: e2eHome, Permissions: "8"}
	cb, err := fake.Interact(ctx, fake.Attach(fake.Command(member, "reseed"), "file", "small.toml", small))
	if err != nil {
		t.Fatal(err)
	}
	if !cb.Response.Data.Ephemeral() || cb.Response.Type != 4 {
		t.Errorf("non-owner /reseed: %s", cb.Body)
	}

	owner := fakediscord.Who{User: e2eOwner, Guild: e2eHome, Permissions: "8"}
	cb, err = fake.Interact(ctx, fake.Attach(fake.Command(owner, "reseed"), "file", "small.toml", small))
	if err != nil {
		t.Fatal(err)
	}
	if cb.Response.Type != 5 || !cb.Response.Data.Ephemeral() {
		t.Fatalf("owner /reseed: %s, want an ephemeral deferral", cb.Body)
	}
	edit, err := fake.WaitCall(ctx, "PATCH", fakediscord.OriginalPattern, 0)
	if err != nil {
		t.Fatalf("%v\n%s", err, p.stderr.String())
	}
	d, err := fakediscord.DecodeData(edit.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.Text(), "Reseeded from small.toml") {
		t.Errorf("reseed result: %q", d.Text())
	}

	g := fakediscord.Who{Guild: "600000000000000002", Permissions: "0"}
	cb, err = fake.Interact(ctx, fake.Command(g, "ask", fakediscord.Str("question", "Who directed The Small Film?")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cb.Response.Data.Text(), "Ada Director") {
		t.Errorf("/ask after reseed: %q", cb.Response.Data.Text())
	}

	out := filepath.Join(t.TempDir(), "copy.db")
	r := filmbot(t, "", nil, "", "backup", "-db", db, out).must(t, 0)
	if !strings.Contains(r.stdout, "through the running filmbot") {
		t.Errorf("backup: %q", r.stdout)
	}
	if got, _ := storeState(t, out); !strings.Contains(got, "Films:1 People:1 Facts:2") {
		t.Errorf("backup holds %s, want the reseeded knowledge", got)
	}

	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t, 15*time.Second); code != 0 {
		t.Errorf("exit %d after SIGTERM\n%s", code, p.stderr.String())
	}
	if _, err := os.Stat(control.SocketPath(db)); err == nil {
		t.Errorf("the control socket outlived the process")
	}
}

// BenchmarkAskProcess measures `filmbot ask` as a person runs it: exec, open the store
// on the embedded seed, build the answer index, answer, exit.
func BenchmarkAskProcess(b *testing.B) {
	dir := b.TempDir()
	db := filepath.Join(dir, "filmbot.db")
	q := "Who plays Yong Mi in Comrade Kim Goes Flying?"
	if out, err := exec.Command(binary, "ask", "-db", db, q).CombinedOutput(); err != nil {
		b.Fatalf("%v\n%s", err, out)
	}
	b.ReportAllocs()
	for b.Loop() {
		cmd := exec.Command(binary, "ask", "-db", db, q)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil || !bytes.Contains(out, []byte("Han Jong Sim")) {
			b.Fatalf("%v: %s", err, out)
		}
	}
}

// With -json, a film the data does not hold is an honest answer, not a failure: one
// object with found=false, as /ask answers in Discord. A film name with no letters or
// digits names no film, even in a one-film store.
func TestCLI_AskUnknownFilm(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	for _, film := range []string{"Titanic", "!!!", "\u200b", "\xff\xfe"} {
		r := filmbot(t, "", nil, "", "ask", "-json", "-db", db, "-film", film, "Who plays Yong Mi?").must(t, 0)
		var got askJSON
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("-film %q: output %q is not the documented object: %v", film, r.stdout, err)
		}
		if got.Found || got.Answer == "" || got.Film != "" || got.Sources == nil || len(got.Sources) != 0 {
			t.Errorf("-film %q: %+v, want found=false with an answer and no sources", film, got)
		}
		if strings.Contains(got.Answer, "Han Jong Sim") {
			t.Errorf("-film %q answered about the one film in the store: %q", film, got.Answer)
		}
		// Without -json it is the same honest answer, and the same exit code (README:
		// 0 whether or not filmbot knows).
		r = filmbot(t, "", nil, "", "ask", "-db", db, "-film", film, "Who directed it?").must(t, 0)
		// JSON carries invalid UTF-8 as U+FFFD; the text around the title is the same.
		lead, _, _ := strings.Cut(got.Answer, "“")
		if !strings.HasPrefix(r.stdout, lead) || lead == "" || strings.Contains(r.stdout, "Bonner") {
			t.Errorf("-film %q: stdout %q, want the -json answer %q", film, r.stdout, got.Answer)
		}
	}
	// A store that cannot open is still a failure, -json or not.
	filmbot(t, "", nil, "", "ask", "-json", "-db", t.TempDir(), "-film", "Titanic", "Who?").must(t, 1)
}

// Subcommands that take no arguments refuse them.
func TestCLI_NoArguments(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version", "extra"}, {"console", "x"}, {"run", "x"}} {
		r := filmbot(t, "", nil, "", args...).must(t, 2)
		if r.stdout != "" || !strings.HasPrefix(r.stderr, "filmbot "+args[0]+": ") {
			t.Errorf("%v: stdout %q stderr %q", args, r.stdout, r.stderr)
		}
	}
}

// Every config problem is reported in one go, each line in the same form, and a password
// in the Discord URL is never repeated.
func TestCLI_ConfigAllProblems(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bad.toml")
	os.WriteFile(cfg, []byte("db = \"x.db\"\nrate-window = \"ten seconds\"\nlog_level = \"debug\"\ncolour = \"red\"\nopen-timeout = 10\n"), 0o644)
	r := filmbot(t, dir, nil, "", "ask", "-config", cfg, "q").must(t, 2)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	for i, line := range []int{2, 3, 4, 5} {
		want := fmt.Sprintf("filmbot: config: %s:%d: ", cfg, line)
		if i >= len(lines) || !strings.HasPrefix(lines[i], want) {
			t.Errorf("problem %d: want a line starting %q; stderr:\n%s", i+1, want, r.stderr)
		}
	}
	if len(lines) != 4 {
		t.Errorf("%d lines on stderr, want 4:\n%s", len(lines), r.stderr)
	}

	env := []string{"FILMBOT_DISCORD_URL=https://user:s3cret@proxy.example", "FILMBOT_OWNERS=me"}
	r = filmbot(t, dir, env, "", "ask", "q").must(t, 2)
	for _, l := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if !strings.HasPrefix(l, "filmbot: config: ") {
			t.Errorf("line %q does not start like the others", l)
		}
	}
	if !strings.Contains(r.stderr, "discord-url: ") || strings.Contains(r.stderr, "s3cret") {
		t.Errorf("want a discord-url problem that does not repeat the password:\n%s", r.stderr)
	}
}

// A -db that is no store (a directory) fails with the store's error, once, named by the
// subcommand.
func TestCLI_StoreNotAFile(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "dir.db")
	if err := os.Mkdir(db, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"ask", "-db", db, "q"}, {"console", "-db", db}, {"reseed", "-db", db}} {
		r := filmbot(t, "", nil, "", args...).must(t, 1)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "filmbot "+args[0]+": ") || !strings.Contains(lines[0], db) {
			t.Errorf("%s: stderr %q, want one line naming the subcommand and %s", args[0], r.stderr, db)
		}
	}
}

// reseed -article finds its -film as every front end does: the start of one title (or
// its ID) names the film the store holds, so the article joins it; a name no film has is
// a new film.
func TestCLI_ReseedArticleFilmName(t *testing.T) {
	t.Parallel()
	article := filepath.Join(t.TempDir(), "article.txt")
	text := "Film Notes Daily\nA quiet week for Comrade Kim Goes Flying\n\n" +
		"The producers screened it for a school in Antwerp last spring. " +
		"The screening sold out within an hour.\n"
	if err := os.WriteFile(article, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ film, want string }{
		{"comrade kim", "1 film,"},
		{"comrade-kim-goes-flying", "1 film,"},
		{"The Silent Harbour", "2 films,"},
	} {
		db := dbIn(t)
		filmbot(t, "", nil, "", "ask", "-db", db, "Who plays Yong Mi?").must(t, 0) // create the store
		r := filmbot(t, "", nil, "", "reseed", "-db", db, "-article", article, "-film", tt.film).must(t, 0)
		if !strings.Contains(r.stdout, tt.want) {
			t.Errorf("-film %q: %q, want %q", tt.film, r.stdout, tt.want)
		}
	}
}
