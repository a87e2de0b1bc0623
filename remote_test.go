package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"filmbot/bot/fakediscord"
)

// TestCLI_ThroughRunningBot: while `filmbot run` holds the store, reseed, ask and console
// from another shell go through its control socket and behave as they do locally; a bad
// file changes nothing, and the bot answers from the new knowledge at once.
func TestCLI_ThroughRunningBot(t *testing.T) {
	t.Parallel()
	wd, _ := os.Getwd()
	small := filepath.Join(wd, "commands", "testdata", "small.toml")
	fake := fakediscord.New(t, fakediscord.Options{HeartbeatInterval: time.Second})
	db := dbIn(t)
	p := startBotProcess(t, fake, db, "")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	guild := fakediscord.Who{Guild: "600000000000000002", Permissions: "0"}
	askBot := func(q string) string {
		t.Helper()
		cb, err := fake.Interact(ctx, fake.Command(guild, "ask", fakediscord.Str("question", q)))
		if err != nil {
			t.Fatal(err)
		}
		return cb.Response.Data.Text()
	}

	// A bad file: the problem with its line, exit 1, and nothing changed.
	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte("[[film]]\nid = \"x\"\ntitel = \"typo\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := filmbot(t, "", nil, "", "reseed", "-db", db, bad).must(t, 1)
	if !strings.Contains(r.stderr, "bad.toml:3:") || !strings.Contains(r.stderr, "nothing was changed") {
		t.Errorf("bad reseed stderr:\n%s", r.stderr)
	}
	if got := askBot("Who directed Comrade Kim Goes Flying?"); !strings.Contains(got, "Anja Daelemans") && !strings.Contains(got, "Nicholas Bonner") {
		t.Errorf("/ask after a bad reseed = %q, want the old knowledge", got)
	}

	// A good file: progress on stderr ending at 100%, the report on stdout.
	r = filmbot(t, "", nil, "", "reseed", "-db", db, small).must(t, 0)
	if !strings.HasPrefix(r.stdout, "Reseeded from "+small) {
		t.Errorf("reseed stdout = %q", r.stdout)
	}
	if !strings.Contains(r.stderr, "100%") {
		t.Errorf("reseed progress does not reach 100%%:\n%s", r.stderr)
	}
	if got := askBot("Who directed The Small Film?"); !strings.Contains(got, "Ada Director") {
		t.Errorf("/ask after the reseed = %q, want the new knowledge", got)
	}

	// ask, as text and JSON, answers from the running bot's knowledge.
	r = filmbot(t, "", nil, "", "ask", "-db", db, "Who directed The Small Film?").must(t, 0)
	if !strings.Contains(r.stdout, "Ada Director") {
		t.Errorf("ask through the bot = %q", r.stdout)
	}
	r = filmbot(t, "", nil, "", "ask", "-db", db, "-json", "Who directed The Small Film?").must(t, 0)
	if !strings.HasPrefix(r.stdout, `{"found":true`) {
		t.Errorf("ask -json through the bot = %q", r.stdout)
	}

	// console: commands in, replies out, through the bot's socket.
	r = filmbot(t, "", nil, "/help\nWho directed The Small Film?\n", "console", "-db", db).must(t, 0)
	if !strings.Contains(r.stdout, "/film") || !strings.Contains(r.stdout, "Ada Director") {
		t.Errorf("console through the bot:\n%s", r.stdout)
	}

	// compact needs the store to itself, and says who has it.
	r = filmbot(t, "", nil, "", "compact", "-db", db, filepath.Join(t.TempDir(), "c.db")).must(t, 1)
	if !strings.Contains(r.stderr, "in use by filmbot run (pid ") {
		t.Errorf("compact while the bot runs:\n%s", r.stderr)
	}

	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t, 15*time.Second); code != 0 {
		t.Errorf("exit %d after SIGTERM\n%s", code, p.stderr.String())
	}
}

// TestCLI_ConsoleHolderTellsTheTruth: a console holding the store says so to other
// commands, and backup works through its socket (it used to advise `filmbot backup`,
// which then failed).
func TestCLI_ConsoleHolderTellsTheTruth(t *testing.T) {
	t.Parallel()
	db := dbIn(t)
	filmbot(t, "", nil, "", "ask", "-db", db, "Who plays Yong Mi?").must(t, 0)

	// A console that waits for input, holding the store.
	cmd := exec.Command(binary, "console", "-db", db)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + cmd.Dir}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errb := newLockedBuffer()
	cmd.Stderr = errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
	})
	// The console serves its socket before it reads input, so once its answer to a first
	// line is out, the store and the socket are both its.
	if _, err := stdin.Write([]byte("Who plays Yong Mi?\n")); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for !strings.Contains(sc.Text(), "Yong Mi") {
		if !sc.Scan() {
			t.Fatalf("the console ended before answering: %v\n%s", sc.Err(), errb.String())
		}
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()

	r := filmbot(t, "", nil, "", "compact", "-db", db, filepath.Join(t.TempDir(), "c.db")).must(t, 1)
	if !strings.Contains(r.stderr, "in use by filmbot console") || !strings.Contains(r.stderr, "filmbot backup") {
		t.Errorf("compact while a console holds the store:\n%s", r.stderr)
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	r = filmbot(t, "", nil, "", "backup", "-db", db, copyPath).must(t, 0)
	if !strings.Contains(r.stdout, "through the running filmbot") {
		t.Errorf("backup while a console holds the store: %q", r.stdout)
	}
	r = filmbot(t, "", nil, "", "ask", "-db", db, "Who plays Yong Mi?").must(t, 0)
	if !strings.Contains(r.stdout, "Yong Mi") {
		t.Errorf("ask while a console holds the store: %q", r.stdout)
	}
	stdin.Close()
	if err := <-done; err != nil {
		t.Errorf("console: %v\n%s", err, errb.String())
	}
}

// TestCLI_LiveReseedUnderTraffic: /ask traffic keeps flowing through the fake Discord
// while `filmbot reseed` installs through the running bot's socket: no interaction
// fails, a bad file changes nothing, and the new knowledge answers once the reseed is done.
func TestCLI_LiveReseedUnderTraffic(t *testing.T) {
	t.Parallel()
	wd, _ := os.Getwd()
	small := filepath.Join(wd, "commands", "testdata", "small.toml")
	fake := fakediscord.New(t, fakediscord.Options{HeartbeatInterval: time.Second})
	db := dbIn(t)
	p := startBotProcess(t, fake, db, "rate-limit = 0\n")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// Traffic: a bounded number of questions, one after another, until told to stop.
	stop := make(chan struct{})
	type result struct {
		n      int
		failed []string
	}
	done := make(chan result, 1)
	go func() {
		var r result
		g := fakediscord.Who{User: "400000000000000031", Guild: "600000000000000002", Permissions: "0"}
		for r.n < 20000 {
			select {
			case <-stop:
				done <- r
				return
			default:
			}
			cb, err := fake.Interact(ctx, fake.Command(g, "ask", fakediscord.Str("question", "Who plays Yong Mi?")))
			r.n++
			switch {
			case err != nil:
				r.failed = append(r.failed, err.Error())
			case cb.Response.Data.Ephemeral() || strings.Contains(cb.Response.Data.Text(), "went wrong"):
				r.failed = append(r.failed, cb.Response.Data.Text())
			}
		}
		done <- r
	}()

	bad := filepath.Join(t.TempDir(), "bad.toml")
	if err := os.WriteFile(bad, []byte("[[film]]\nid = \"x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	filmbot(t, "", nil, "", "reseed", "-db", db, bad).must(t, 1)
	filmbot(t, "", nil, "", "reseed", "-db", db, small).must(t, 0)
	filmbot(t, "", nil, "", "reseed", "-db", db).must(t, 0) // back to the embedded seed
	filmbot(t, "", nil, "", "reseed", "-db", db, small).must(t, 0)
	close(stop)
	r := <-done
	if len(r.failed) > 0 {
		t.Errorf("%d of %d interactions failed during reseeds, first: %s", len(r.failed), r.n, r.failed[0])
	}
	if r.n == 0 {
		t.Fatal("no traffic was sent")
	}
	g := fakediscord.Who{Guild: "600000000000000002", Permissions: "0"}
	cb, err := fake.Interact(ctx, fake.Command(g, "ask", fakediscord.Str("question", "Who directed The Small Film?")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cb.Response.Data.Text(), "Ada Director") {
		t.Errorf("/ask after the reseeds = %q, want the new knowledge", cb.Response.Data.Text())
	}
	t.Logf("%d /ask interactions during 4 reseeds", r.n)
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t, 15*time.Second); code != 0 {
		t.Errorf("exit %d after SIGTERM\n%s", code, p.stderr.String())
	}
}
