package main

// End-to-end tests of `filmbot run` as a process: the built binary, a store on disk, and
// the fake Discord on loopback reached through FILMBOT_DISCORD_URL.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"filmbot/bot/fakediscord"
	"filmbot/internal/discordspec"
)

const (
	e2eHome  = "600000000000000001"
	e2eOwner = "400000000000000099"
)

// filmbotBinary returns the filmbot that TestMain built for every test of the package.
func filmbotBinary(tb testing.TB) string {
	tb.Helper()
	if binary == "" {
		tb.Fatal("the filmbot binary was not built (TestMain did not run)")
	}
	return binary
}

// newFake starts a fake Discord that checks every REST body the process sends (see
// discordspec.Checker).
func newFake(t *testing.T, opts fakediscord.Options) *fakediscord.Server {
	t.Helper()
	opts.Check = discordspec.Checker(t)
	return fakediscord.New(t, opts)
}

// lockedBuffer collects a process's stderr.
type lockedBuffer struct {
	mu      sync.Mutex
	b       strings.Builder
	changed chan struct{} // closed and replaced at every write
}

func newLockedBuffer() *lockedBuffer { return &lockedBuffer{changed: make(chan struct{})} }

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	close(l.changed)
	l.changed = make(chan struct{})
	return l.b.Write(p)
}

// waitFor returns once the output holds text, or ctx's error, waking at each write.
func (l *lockedBuffer) waitFor(ctx context.Context, text string) error {
	for {
		l.mu.Lock()
		found, ch := strings.Contains(l.b.String(), text), l.changed
		l.mu.Unlock()
		if found {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("waiting for %q in the output: %w", text, ctx.Err())
		}
	}
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// botProcess is `filmbot run` against a fake Discord.
type botProcess struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	fake   *fakediscord.Server
	exited chan struct{}
	err    error
}

// botCommand is `filmbot run` on store db against fake, as its owner in its home guild,
// with a config file holding cfg (TOML lines) and env added to the environment.
func botCommand(tb testing.TB, fake *fakediscord.Server, db, cfg string, env ...string) *exec.Cmd {
	tb.Helper()
	cfgPath := filepath.Join(tb.TempDir(), "filmbot.toml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(filmbotBinary(tb), "run", "-db", db, "-config", cfgPath)
	cmd.Env = append(os.Environ(),
		"FILMBOT_TOKEN="+fake.Token(),
		"FILMBOT_DISCORD_URL="+fake.URL(),
		"FILMBOT_HOME_GUILD="+e2eHome,
		"FILMBOT_OWNERS="+e2eOwner,
	)
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// startBotProcess runs the binary with a config file holding extra (TOML lines) and waits
// until its commands are registered.
func startBotProcess(tb testing.TB, fake *fakediscord.Server, db, extra string) *botProcess {
	tb.Helper()
	cmd := botCommand(tb, fake, db, extra)
	p := &botProcess{cmd: cmd, stderr: newLockedBuffer(), fake: fake, exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	cmd.Stdout = p.stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.exited) }()
	tb.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-p.exited
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := fake.WaitCall(ctx, "PUT", "/api/v9/applications/{app}/commands", 0); err != nil {
		tb.Fatalf("filmbot run did not register its commands: %v\n%s", err, p.stderr.String())
	}
	return p
}

// wait waits for the process to exit and returns its exit code.
func (p *botProcess) wait(tb testing.TB, d time.Duration) int {
	tb.Helper()
	select {
	case <-p.exited:
	case <-time.After(d):
		tb.Fatalf("filmbot run still running %v after SIGTERM\n%s", d, p.stderr.String())
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	if p.err != nil {
		tb.Fatal(p.err)
	}
	return 0
}

func TestRunProcess_SIGTERMLetsInFlightFinish(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{HeartbeatInterval: time.Second})
	p := startBotProcess(t, fake, filepath.Join(t.TempDir(), "filmbot.db"), "")

	// Hold the callbacks so the interactions are still in flight when SIGTERM comes.
	release := make(chan struct{})
	fake.Stall("POST", "/api/v9/interactions/{id}/{token}/callback", release)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	g := fakediscord.Who{Guild: "600000000000000002", Permissions: "0"}
	var waits []<-chan *fakediscord.Callback
	for _, q := range []string{"Who directed Comrade Kim Goes Flying?", "Where was it shot?", "Who plays Yong Mi?"} {
		ch, err := fake.Send(ctx, fake.Command(g, "ask", fakediscord.Str("question", q)))
		if err != nil {
			t.Fatal(err)
		}
		waits = append(waits, ch)
	}
	if err := fake.Wait(ctx, func() bool { return fake.Stalled() == len(waits) }); err != nil {
		t.Fatalf("only %d of %d replies reached Discord: %v\n%s", fake.Stalled(), len(waits), err, p.stderr.String())
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Release the replies only once the process is shutting down, waiting for the three.
	if err := p.stderr.waitFor(ctx, "shutting down"); err != nil {
		t.Fatalf("%v\n%s", err, p.stderr.String())
	}
	close(release)
	for i, ch := range waits {
		cb, err := fakediscord.Await(ctx, ch)
		if err != nil {
			t.Fatalf("interaction %d: %v", i, err)
		}
		if cb.Response.Data.Ephemeral() {
			t.Errorf("interaction %d answered with an error: %s", i, cb.Body)
		}
	}
	if code := p.wait(t, 15*time.Second); code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0\n%s", code, p.stderr.String())
	}
}

// TestRunProcess_logsHoldNoSecrets runs the binary at every log level through traffic
// that logs the most (discordgo's payload dumps at debug, REST errors quoting URLs,
// reconnects) and searches its whole output for the bot token and every interaction token.
func TestRunProcess_logsHoldNoSecrets(t *testing.T) {
	for _, level := range []string{"debug", "info", "warn", "error"} {
		for _, format := range []string{"text", "json"} {
			t.Run(level+"/"+format, func(t *testing.T) {
				// Each case mostly waits (on a reconnect, on the drain), so they run side
				// by side, each with its own store and fake Discord.
				t.Parallel()
				db := filepath.Join(t.TempDir(), "filmbot.db")
				fake := newFake(t, fakediscord.Options{HeartbeatInterval: 200 * time.Millisecond})
				p := startBotProcess(t, fake, db, fmt.Sprintf("log-level = %q\nlog-format = %q\n", level, format))
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				g := fakediscord.Who{Guild: "600000000000000002", Permissions: "0"}
				for _, in := range []fakediscord.Interaction{
					fake.Command(g, "help"),
					fake.Command(g, "ask", fakediscord.Str("question", "Who directed Comrade Kim Goes Flying?")),
					fake.Autocomplete(g, "film", fakediscord.Focused(fakediscord.Str("title", "com"))),
				} {
					if _, err := fake.Interact(ctx, in); err != nil {
						t.Fatalf("%v\n%s", err, p.stderr.String())
					}
				}
				// A callback refused for a minute: the bot logs the failure, URL and all.
				fake.RateLimit("POST", "/api/v9/interactions/{id}/{token}/callback", 1, time.Minute)
				fake.Send(ctx, fake.Command(g, "help"))
				fake.WaitCall(ctx, "POST", "/api/v9/interactions/{id}/{token}/callback", 3)
				// A dropped connection: discordgo logs the read error and resumes.
				fake.Drop()
				if _, err := fake.Interact(ctx, fake.Command(g, "help")); err != nil {
					t.Fatal(err)
				}
				owner := fakediscord.Who{User: e2eOwner, Guild: e2eHome, Permissions: "8"}
				rs := fake.Command(owner, "reseed")
				if _, err := fake.Interact(ctx, rs); err != nil {
					t.Fatal(err)
				}
				if _, err := fake.WaitCall(ctx, "PATCH", fakediscord.OriginalPattern, 0); err != nil {
					t.Fatal(err)
				}
				p.cmd.Process.Signal(syscall.SIGTERM)
				if code := p.wait(t, 15*time.Second); code != 0 {
					t.Errorf("exit code %d, want 0", code)
				}
				out := p.stderr.String()
				if strings.Contains(out, fake.Token()) {
					t.Error("the bot token appears in the output")
				}
				for _, tok := range fake.IssuedTokens() {
					if strings.Contains(out, tok) {
						t.Errorf("an interaction token appears in the output")
						break
					}
				}
				if level == "debug" && !strings.Contains(out, "INTERACTION_CREATE") {
					t.Errorf("debug output lacks discordgo's payload dumps, so the search proved little:\n%s", out)
				}
			})
		}
	}
}

func TestRunProcess_noTokenSaysWhatToDo(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(filmbotBinary(t), "run", "-db", filepath.Join(t.TempDir(), "filmbot.db"))
	cmd.Env = append(os.Environ(), "FILMBOT_TOKEN=", "FILMBOT_CONFIG=")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() == 0 {
		t.Fatalf("filmbot run without a token: %v, want a non-zero exit", err)
	}
	for _, want := range []string{"token", "filmbot console"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output does not mention %q:\n%s", want, out)
		}
	}
}

// TestRunProcess_retriesAFailedStart: Discord answers the first gateway lookup with a 503;
// the process logs a warning, tries again, and serves.
func TestRunProcess_retriesAFailedStart(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{HeartbeatInterval: time.Second})
	fake.Fail("GET", "/api/v9/gateway", 1, http.StatusServiceUnavailable)
	p := startBotProcess(t, fake, filepath.Join(t.TempDir(), "filmbot.db"), "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := fake.Interact(ctx, fake.Command(fakediscord.Who{Guild: "600000000000000002", Permissions: "0"}, "help")); err != nil {
		t.Fatalf("%v\n%s", err, p.stderr.String())
	}
	if got := len(fake.CallsTo("GET", "/api/v9/gateway")); got != 2 {
		t.Errorf("%d gateway lookups, want 2", got)
	}
	if out := p.stderr.String(); !strings.Contains(out, "WARN") || !strings.Contains(out, "retrying") {
		t.Errorf("no retry warning in the output:\n%s", out)
	}
}

// TestRunProcess_rejectedTokenExitsWithWhatToFix: a token Discord refuses ends the process
// at once, non-zero, with a message naming the setting, and without the token.
func TestRunProcess_rejectedTokenExitsWithWhatToFix(t *testing.T) {
	t.Parallel()
	const wrong = "MTAwMDAwMDAwMDAwMDAwMDk5.WrOnGt.not-the-token-the-fake-knows-0000"
	fake := newFake(t, fakediscord.Options{})
	cmd := exec.Command(filmbotBinary(t), "run", "-db", filepath.Join(t.TempDir(), "filmbot.db"))
	cmd.Env = append(os.Environ(), "FILMBOT_TOKEN="+wrong, "FILMBOT_DISCORD_URL="+fake.URL(), "FILMBOT_CONFIG=")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() == 0 {
		t.Fatalf("filmbot run with a rejected token: %v, want a non-zero exit\n%s", err, out)
	}
	for _, want := range []string{"rejected (401)", "FILMBOT_TOKEN"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), wrong) {
		t.Errorf("the token appears in the output:\n%s", out)
	}
	if got := len(fake.CallsTo("GET", "/api/v9/users/@me")); got != 1 {
		t.Errorf("%d logins, want 1: a rejected token is not retried", got)
	}
}

// BenchmarkRunProcess_startToReady measures `filmbot run` from exec to the gateway's READY
// with a seeded store already on disk.
func BenchmarkRunProcess_startToReady(b *testing.B) {
	db := filepath.Join(b.TempDir(), "filmbot.db")
	fake := fakediscord.New(b, fakediscord.Options{})
	first := startBotProcess(b, fake, db, "")
	first.cmd.Process.Signal(syscall.SIGTERM)
	first.wait(b, 15*time.Second)

	var total time.Duration
	for range b.N {
		fake := fakediscord.New(b, fakediscord.Options{})
		cmd := exec.Command(filmbotBinary(b), "run", "-db", db)
		cmd.Env = append(os.Environ(), "FILMBOT_TOKEN="+fake.Token(), "FILMBOT_DISCORD_URL="+fake.URL(), "FILMBOT_CONFIG=")
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		err := fake.WaitReady(ctx)
		total += time.Since(t0)
		cancel()
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-ready")
}
