package metrics_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"filmbot/metrics"
)

// listen starts a metrics server on a free loopback port and closes it with the test.
func listen(tb testing.TB, m *metrics.Metrics, h *metrics.Health) string {
	tb.Helper()
	s, err := metrics.Listen("127.0.0.1:0", m, h, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
	})
	return "http://" + s.Addr()
}

func get(tb testing.TB, url string) (int, string) {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// Scrape fetches /metrics and parses it with the Prometheus text-format parser.
func scrape(tb testing.TB, base string) map[string]*dto.MetricFamily {
	tb.Helper()
	code, body := get(tb, base+"/metrics")
	if code != http.StatusOK {
		tb.Fatalf("GET /metrics: %d %s", code, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		tb.Fatalf("scrape does not parse: %v", err)
	}
	return fams
}

// value returns the counter, gauge or histogram count of the series in fam whose labels
// are exactly labels.
func value(tb testing.TB, fams map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	tb.Helper()
	fam, ok := fams[name]
	if !ok {
		tb.Fatalf("no metric %s", name)
	}
	for _, m := range fam.Metric {
		got := map[string]string{}
		for _, l := range m.Label {
			got[l.GetName()] = l.GetValue()
		}
		if len(labels) != len(got) || (len(got) > 0 && !cmp.Equal(labels, got)) {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	tb.Fatalf("no series %s%v", name, labels)
	return 0
}

func TestMetrics_scrapeCountsWhatWasRecorded(t *testing.T) {
	m := metrics.New(metrics.Build{Version: "v1.2.3", Revision: "abc"})
	base := listen(t, m, nil)

	for range 3 {
		m.Interaction("ask", "command", metrics.Answered, 2*time.Millisecond)
	}
	m.Interaction("ask", "command", metrics.Refused, time.Millisecond)
	m.Interaction("film", "autocomplete", metrics.Answered, time.Millisecond)
	m.Interaction("reseed", "command", metrics.UserError, 3500*time.Millisecond)
	m.Ask(true)
	m.Ask(true)
	m.Ask(false)
	m.GatewayReady(0, true)
	m.GatewayReady(1, false)
	m.Heartbeat(0, 40*time.Millisecond)
	m.Reconnect(1)
	m.REST("POST", "/api/v9/interactions/1234567890/aW50ZXJhY3Rpb246MTIz/callback", 204)
	m.REST("POST", "/api/v9/interactions/99/dG9rZW4/callback", 429)
	m.REST("PATCH", "/api/v9/webhooks/42/dG9rZW4/messages/@original", 0)
	m.TriviaStarted()
	m.TriviaStarted()
	m.TriviaEnded("finished")
	m.TriviaAnswer(true)
	m.TriviaAnswer(false)
	m.TriviaAnswer(false)
	m.Knowledge(7, map[string]int{"films": 2, "facts": 30})
	m.Reseed("installed", 120*time.Millisecond)
	m.Reseed("rejected", 0)

	fams := scrape(t, base)
	l := func(kv ...string) map[string]string {
		out := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	cases := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"filmbot_interactions_total", l("command", "ask", "kind", "command", "outcome", "answered"), 3},
		{"filmbot_interactions_total", l("command", "ask", "kind", "command", "outcome", "refused"), 1},
		{"filmbot_interactions_total", l("command", "film", "kind", "autocomplete", "outcome", "answered"), 1},
		{"filmbot_interaction_duration_seconds", l("command", "ask", "kind", "command"), 4},
		{"filmbot_interaction_deadline_misses_total", l(), 1},
		{"filmbot_ask_total", l("result", "answered"), 2},
		{"filmbot_ask_total", l("result", "refused"), 1},
		{"filmbot_gateway_ready", l("shard", "0"), 1},
		{"filmbot_gateway_ready", l("shard", "1"), 0},
		{"filmbot_gateway_heartbeat_latency_seconds", l("shard", "0"), 0.04},
		{"filmbot_gateway_reconnects_total", l("shard", "1"), 1},
		{"filmbot_discord_requests_total", l("method", "POST", "route", "/interactions/{id}/{token}/callback"), 2},
		{"filmbot_discord_responses_total", l("method", "POST", "route", "/interactions/{id}/{token}/callback", "code", "204"), 1},
		{"filmbot_discord_responses_total", l("method", "POST", "route", "/interactions/{id}/{token}/callback", "code", "429"), 1},
		{"filmbot_discord_responses_total", l("method", "PATCH", "route", "/webhooks/{id}/{token}/messages/@original", "code", "error"), 1},
		{"filmbot_discord_rate_limited_total", l("method", "POST", "route", "/interactions/{id}/{token}/callback"), 1},
		{"filmbot_trivia_games_total", l("event", "started"), 2},
		{"filmbot_trivia_games_total", l("event", "ended_finished"), 1},
		{"filmbot_trivia_games_active", l(), 1},
		{"filmbot_trivia_answers_total", l("result", "correct"), 1},
		{"filmbot_trivia_answers_total", l("result", "wrong"), 2},
		{"filmbot_knowledge_generation", l(), 7},
		{"filmbot_knowledge_items", l("kind", "facts"), 30},
		{"filmbot_reseeds_total", l("outcome", "installed"), 1},
		{"filmbot_reseeds_total", l("outcome", "rejected"), 1},
		{"filmbot_reseed_duration_seconds", l(), 1},
	}
	for _, c := range cases {
		if got := value(t, fams, c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	bi := fams["filmbot_build_info"]
	if bi == nil || len(bi.Metric) != 1 || bi.Metric[0].Gauge.GetValue() != 1 {
		t.Fatalf("filmbot_build_info: %v", bi)
	}
	got := map[string]string{}
	for _, lp := range bi.Metric[0].Label {
		got[lp.GetName()] = lp.GetValue()
	}
	if got["version"] != "v1.2.3" || got["revision"] != "abc" || !strings.HasPrefix(got["goversion"], "go") {
		t.Errorf("build info labels %v", got)
	}
}

// TestMetrics_noIDsInLabels guards the cardinality rule: nothing that looks like a
// snowflake or a token reaches a label value.
func TestMetrics_noIDsInLabels(t *testing.T) {
	m := metrics.New(metrics.Build{})
	m.REST("GET", "/api/v9/channels/112233445566778899/messages/998877665544332211/reactions/%F0%9F%91%8D/@me", 200)
	m.REST("POST", "/api/v10/webhooks/112233445566778899/aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDpUb2tlbg/messages/998877665544332211", 200)
	m.REST("GET", "/api/v9/gateway/bot?compress=zlib", 200)
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if !strings.HasPrefix(f.GetName(), "filmbot_") {
			continue
		}
		for _, s := range f.Metric {
			for _, lp := range s.Label {
				v := lp.GetValue()
				if strings.Contains(v, "1122334455") || strings.Contains(v, "9988776655") || strings.Contains(v, "aW50") || strings.Contains(v, "%") {
					t.Errorf("%s has an ID or token in label %s=%q", f.GetName(), lp.GetName(), v)
				}
			}
		}
	}
}

func TestRouteTemplate(t *testing.T) {
	cases := []struct{ in, want string }{
		{"/api/v9/interactions/123/tok-EN_x.y/callback", "/interactions/{id}/{token}/callback"},
		{"/api/v9/webhooks/1/abc/messages/@original", "/webhooks/{id}/{token}/messages/@original"},
		{"/api/v9/webhooks/1/abc/messages/55", "/webhooks/{id}/{token}/messages/{id}"},
		{"/api/v9/applications/77/guilds/88/commands", "/applications/{id}/guilds/{id}/commands"},
		{"/api/v9/gateway/bot?x=1", "/gateway/bot"},
		{"/api/v9/channels/5/messages/6/reactions/%F0%9F%91%8D/@me", "/channels/{id}/messages/{id}/reactions/{param}/@me"},
		{"/api/v9/users/@me", "/users/@me"},
		{"/api/v9/guilds/1/Some%20Name", "/guilds/{id}/{param}"},
		{"/", "/"},
		{"", "/"},
		{"/api", "/api"},
	}
	for _, c := range cases {
		if got := metrics.RouteTemplate(c.in); got != c.want {
			t.Errorf("RouteTemplate(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMetrics_nilRecordsNothing(t *testing.T) {
	var m *metrics.Metrics
	// Every recorder must be callable on nil: offline commands pass no metrics.
	m.Interaction("ask", "command", metrics.Answered, time.Second)
	m.Ask(true)
	m.GatewayReady(0, true)
	m.Heartbeat(0, time.Second)
	m.Reconnect(0)
	m.REST("GET", "/", 200)
	m.RESTSent("GET", "/")
	m.RESTDone("GET", "/", 200)
	m.TriviaStarted()
	m.TriviaEnded("finished")
	m.TriviaAnswer(true)
	m.Knowledge(1, nil)
	m.Reseed("installed", time.Second)
	if m.Registry() != nil {
		t.Error("nil metrics has a registry")
	}
	if tr := m.Transport(http.DefaultTransport); tr != http.DefaultTransport {
		t.Error("nil metrics wrapped the transport")
	}
	base := listen(t, nil, nil)
	if code, _ := get(t, base+"/metrics"); code != http.StatusNotFound {
		t.Errorf("/metrics with no metrics: %d, want 404", code)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestMetrics_Transport(t *testing.T) {
	m := metrics.New(metrics.Build{})
	codes := []int{200, 429, 0}
	var i atomic.Int32
	tr := m.Transport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		c := codes[i.Add(1)-1]
		if c == 0 {
			return nil, errors.New("connection reset")
		}
		return &http.Response{StatusCode: c, Body: http.NoBody, Request: r}, nil
	}))
	c := &http.Client{Transport: tr}
	for range codes {
		resp, err := c.Post("http://discord.test/api/v9/interactions/1/t/callback", "application/json", nil)
		if err == nil {
			resp.Body.Close()
		}
	}
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"200": 1, "429": 1, "error": 1}
	got := map[string]float64{}
	var limited float64
	for _, f := range fams {
		switch f.GetName() {
		case "filmbot_discord_responses_total":
			for _, s := range f.Metric {
				for _, lp := range s.Label {
					if lp.GetName() == "code" {
						got[lp.GetValue()] += s.Counter.GetValue()
					}
				}
			}
		case "filmbot_discord_rate_limited_total":
			for _, s := range f.Metric {
				limited += s.Counter.GetValue()
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests by code (-want +got):\n%s", diff)
	}
	if limited != 1 {
		t.Errorf("rate limited = %v, want 1", limited)
	}
}

func TestHealth_readyz(t *testing.T) {
	var h metrics.Health
	var storeOK, gatewayOK atomic.Bool
	storeOK.Store(true)
	h.Check("store", func() error {
		if !storeOK.Load() {
			return errors.New("not open")
		}
		return nil
	})
	h.Check("gateway", func() error {
		if !gatewayOK.Load() {
			return errors.New("not READY")
		}
		return nil
	})
	base := listen(t, nil, &h)

	if code, body := get(t, base+"/livez"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/livez = %d %q", code, body)
	}
	code, body := get(t, base+"/readyz")
	if code != http.StatusServiceUnavailable || body != "gateway: not READY\n" {
		t.Errorf("/readyz before READY = %d %q", code, body)
	}
	storeOK.Store(false)
	code, body = get(t, base+"/readyz")
	if diff := cmp.Diff("store: not open\ngateway: not READY\n", body); code != http.StatusServiceUnavailable || diff != "" {
		t.Errorf("/readyz with two failing = %d (-want +got):\n%s", code, diff)
	}
	storeOK.Store(true)
	gatewayOK.Store(true)
	if code, body := get(t, base+"/readyz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/readyz when ready = %d %q", code, body)
	}
	h.Drain()
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable || body != "draining: shutting down\n" {
		t.Errorf("/readyz draining = %d %q", code, body)
	}
	if code, _ := get(t, base+"/livez"); code != http.StatusOK {
		t.Errorf("/livez while draining = %d, want 200", code)
	}
}

func TestListen_badAddr(t *testing.T) {
	if _, err := metrics.Listen("127.0.0.1:notaport", nil, nil, nil); err == nil || !strings.Contains(err.Error(), "metrics-addr") {
		t.Errorf("Listen on a bad address: %v", err)
	}
}
