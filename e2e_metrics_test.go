package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"filmbot/bot/fakediscord"
)

// metricsBot is `filmbot run` with metrics-addr on a free loopback port.
type metricsBot struct {
	*botProcess
	base string // http://127.0.0.1:port
}

// waitLog waits until the process logs a line containing substr.
func (m *metricsBot) waitLog(t *testing.T, ctx context.Context, substr string) {
	t.Helper()
	if err := m.stderr.waitFor(ctx, substr); err != nil {
		t.Fatalf("%v:\n%s", err, m.stderr.String())
	}
}

var metricsAddrRE = regexp.MustCompile(`metrics and health checks.* addr=(127\.0\.0\.1:\d+)`)

// startMetricsBot starts the binary with metrics-addr = "127.0.0.1:0" and extra config,
// and returns once it has said where it listens (it reads the log as the process writes
// it). It does not wait for READY.
func startMetricsBot(t *testing.T, fake *fakediscord.Server, db, extra string) *metricsBot {
	t.Helper()
	cmd := botCommand(t, fake, db, "metrics-addr = \"127.0.0.1:0\"\n"+extra)
	pr, pw := io.Pipe()
	p := &botProcess{cmd: cmd, stderr: newLockedBuffer(), fake: fake, exited: make(chan struct{})}
	cmd.Stderr, cmd.Stdout = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); pw.Close(); close(p.exited) }()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			p.stderr.Write([]byte(line + "\n"))
			if m := metricsAddrRE.FindStringSubmatch(line); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-p.exited
		}
	})
	select {
	case a := <-addr:
		return &metricsBot{botProcess: p, base: "http://" + a}
	case <-p.exited:
		t.Fatalf("filmbot run exited before listening for metrics:\n%s", p.stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("filmbot run never said where its metrics are:\n%s", p.stderr.String())
	}
	return nil
}

func (m *metricsBot) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(m.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, m.stderr.String())
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// scrape fetches /metrics and parses it with the Prometheus text-format parser.
func (m *metricsBot) scrape(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	code, body := m.get(t, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the scrape does not parse: %v\n%s", err, body)
	}
	return fams
}

// sum adds the series of name whose labels include every pair in match.
func sum(fams map[string]*dto.MetricFamily, name string, match ...string) float64 {
	fam := fams[name]
	if fam == nil {
		return -1
	}
	total := 0.0
	for _, s := range fam.Metric {
		labels := map[string]string{}
		for _, l := range s.Label {
			labels[l.GetName()] = l.GetValue()
		}
		ok := true
		for i := 0; i+1 < len(match); i += 2 {
			if labels[match[i]] != match[i+1] {
				ok = false
			}
		}
		if !ok {
			continue
		}
		switch {
		case s.Counter != nil:
			total += s.Counter.GetValue()
		case s.Gauge != nil:
			total += s.Gauge.GetValue()
		case s.Histogram != nil:
			total += float64(s.Histogram.GetSampleCount())
		}
	}
	return total
}

// TestRunProcess_metricsAndHealth: /readyz goes 503 → 200 at READY → 503 at SIGTERM, and
// after a scripted set of interactions the scraped counters equal what was sent.
func TestRunProcess_metricsAndHealth(t *testing.T) {
	t.Parallel()
	fake := newFake(t, fakediscord.Options{HeartbeatInterval: time.Second})
	// Gateway discovery waits until released, so the bot is up but not READY.
	connect, release := make(chan struct{}), make(chan struct{})
	var connectOnce, releaseOnce sync.Once
	openConnect := func() { connectOnce.Do(func() { close(connect) }) }
	openRelease := func() { releaseOnce.Do(func() { close(release) }) }
	// Whatever happens, nothing stays held: the fake's own cleanup waits for its calls.
	t.Cleanup(func() { openConnect(); openRelease() })
	fake.Stall("GET", "/api/v9/gateway", connect)
	p := startMetricsBot(t, fake, dbIn(t), "rate-limit = 2\nrate-window = \"1h\"\n")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if code, body := p.get(t, "/livez"); code != http.StatusOK {
		t.Errorf("/livez before READY = %d %q, want 200", code, body)
	}
	// "starting" comes once the store is open and the index built, just before the bot
	// connects, which the stall holds up.
	p.waitLog(t, ctx, "msg=starting")
	code, body := p.get(t, "/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "gateway: ") || strings.Contains(body, "store:") {
		t.Errorf("/readyz before READY = %d %q, want 503 naming only the gateway", code, body)
	}
	openConnect()
	if _, err := fake.WaitCall(ctx, "PUT", "/api/v9/applications/{app}/commands", 0); err != nil {
		t.Fatalf("no commands registered: %v\n%s", err, p.stderr.String())
	}
	if code, body := p.get(t, "/readyz"); code != http.StatusOK {
		t.Errorf("/readyz after READY = %d %q, want 200", code, body)
	}

	// A dropped connection: the bot resumes, and counts one reconnect.
	if err := fake.Drop(); err != nil {
		t.Fatal(err)
	}
	if err := fake.Wait(ctx, func() bool { return fake.GatewayStats().Resumes > 0 }); err != nil {
		t.Fatalf("no resume after a drop: %v\n%s", err, p.stderr.String())
	}
	if err := fake.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}

	// The script: what each interaction should count as.
	g := func(user string) fakediscord.Who {
		return fakediscord.Who{User: user, Guild: "600000000000000002", Permissions: "0"}
	}
	script := []struct {
		in                     fakediscord.Interaction
		command, kind, outcome string
	}{
		{fake.Command(g("400000000000000011"), "ask", fakediscord.Str("question", "Who directed Comrade Kim Goes Flying?")), "ask", "command", "answered"},
		{fake.Command(g("400000000000000012"), "ask", fakediscord.Str("question", "Who plays Yong Mi?")), "ask", "command", "answered"},
		{fake.Command(g("400000000000000013"), "ask", fakediscord.Str("question", "What did the director eat for breakfast?")), "ask", "command", "refused"},
		{fake.Command(g("400000000000000014"), "film", fakediscord.Str("title", "Comrade Kim Goes Flying")), "film", "command", "answered"},
		{fake.Command(g("400000000000000015"), "film", fakediscord.Str("title", "No Such Film Whatsoever")), "film", "command", "user_error"},
		{fake.Autocomplete(g("400000000000000016"), "film", fakediscord.Focused(fakediscord.Str("title", "com"))), "film", "autocomplete", "answered"},
		// A trivia game: counted as an interaction and as a game started (and running).
		{fake.Command(g("400000000000000020"), "trivia", fakediscord.Sub("start", fakediscord.Int("questions", 1))), "trivia", "command", "answered"},
		// A name the bot never registered is counted under "unknown", never as itself.
		{fake.Command(g("400000000000000019"), "x123456789012345678"), "unknown", "command", "user_error"},
		// One user, a limit of 2: the third is turned away.
		{fake.Command(g("400000000000000017"), "help"), "help", "command", "answered"},
		{fake.Command(g("400000000000000017"), "help"), "help", "command", "answered"},
		{fake.Command(g("400000000000000017"), "help"), "help", "command", "rate_limited"},
	}
	want := map[[3]string]float64{}
	for i, s := range script {
		if _, err := fake.Interact(ctx, s.in); err != nil {
			t.Fatalf("interaction %d: %v\n%s", i, err, p.stderr.String())
		}
		want[[3]string{s.command, s.kind, s.outcome}]++
	}

	fams := p.scrape(t)
	got := map[[3]string]float64{}
	for _, s := range fams["filmbot_interactions_total"].GetMetric() {
		var k [3]string
		for _, l := range s.Label {
			switch l.GetName() {
			case "command":
				k[0] = l.GetValue()
			case "kind":
				k[1] = l.GetValue()
			case "outcome":
				k[2] = l.GetValue()
			}
		}
		got[k] += s.Counter.GetValue()
	}
	if fmt.Sprint(want) != fmt.Sprint(got) {
		t.Errorf("filmbot_interactions_total\n got %v\nwant %v", got, want)
	}
	checks := []struct {
		name  string
		match []string
		want  float64
	}{
		{"filmbot_ask_total", []string{"result", "answered"}, 2},
		{"filmbot_ask_total", []string{"result", "refused"}, 1},
		{"filmbot_interaction_duration_seconds", nil, float64(len(script))},
		{"filmbot_interaction_deadline_misses_total", nil, 0},
		{"filmbot_gateway_ready", []string{"shard", "0"}, 1},
		{"filmbot_gateway_reconnects_total", []string{"shard", "0"}, 1},
		{"filmbot_discord_requests_total", []string{"route", "/interactions/{id}/{token}/callback"},
			float64(len(fake.CallsTo("POST", "/api/v9/interactions/{id}/{token}/callback")))},
		{"filmbot_knowledge_generation", nil, 1},
		{"filmbot_trivia_games_total", []string{"event", "started"}, 1},
		{"filmbot_build_info", nil, 1},
	}
	for _, c := range checks {
		if got := sum(fams, c.name, c.match...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.match, got, c.want)
		}
	}
	if got := sum(fams, "filmbot_knowledge_items", "kind", "facts"); got <= 0 {
		t.Errorf("filmbot_knowledge_items{kind=facts} = %v, want the seed's facts", got)
	}
	// No label anywhere carries a user, guild or channel ID.
	for name, f := range fams {
		for _, s := range f.Metric {
			for _, l := range s.Label {
				if strings.Contains(l.GetValue(), "60000000000000") || strings.Contains(l.GetValue(), "40000000000000") || strings.Contains(l.GetValue(), "30000000000000") {
					t.Errorf("%s has an ID in its label %s=%q", name, l.GetName(), l.GetValue())
				}
			}
		}
	}

	// SIGTERM with a reply in flight: /readyz fails while the drain waits for it.
	fake.Stall("POST", "/api/v9/interactions/{id}/{token}/callback", release)
	ch, err := fake.Send(ctx, fake.Command(g("400000000000000018"), "ask", fakediscord.Str("question", "Who plays Yong Mi?")))
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.Wait(ctx, func() bool { return fake.Stalled() > 0 }); err != nil {
		t.Fatalf("the reply never reached Discord: %v", err)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The drain starts when the process has handled the signal, which it logs.
	p.waitLog(t, ctx, "/readyz now fails")
	if code, body := p.get(t, "/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "draining") {
		t.Errorf("/readyz after SIGTERM = %d %q, want 503 draining", code, body)
	}
	openRelease()
	if _, err := fakediscord.Await(ctx, ch); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 15*time.Second); code != 0 {
		t.Errorf("exit %d after SIGTERM\n%s", code, p.stderr.String())
	}
}
