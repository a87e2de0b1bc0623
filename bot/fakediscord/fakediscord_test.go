package fakediscord

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// fakeTB records errors instead of failing, to check what the server reports at Close.
type fakeTB struct {
	testing.TB
	errs []string
}

func (f *fakeTB) Errorf(format string, args ...any) { f.errs = append(f.errs, format) }
func (f *fakeTB) Cleanup(func())                    {}
func (f *fakeTB) Helper()                           {}

func do(t *testing.T, method, url, auth, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestServer_REST(t *testing.T) {
	tb := &fakeTB{TB: t}
	s := New(tb, Options{})
	api := s.URL() + "/api/v9"
	bot := "Bot " + s.Token()

	tests := []struct {
		name         string
		method, path string
		auth, body   string
		want         int
	}{
		{"gateway discovery needs no token", "GET", "/gateway", "", "", http.StatusOK},
		{"overwrite without the token", "PUT", "/applications/" + s.AppID() + "/commands", "", "[]", http.StatusUnauthorized},
		{"overwrite", "PUT", "/applications/" + s.AppID() + "/commands", bot, `[{"name":"x","description":"y"}]`, http.StatusOK},
		{"overwrite for another application", "PUT", "/applications/1/commands", bot, "[]", http.StatusNotFound},
		{"callback for an interaction never sent", "POST", "/interactions/1/tok/callback", "", `{"type":4}`, http.StatusNotFound},
		{"follow-up before any response", "POST", "/webhooks/" + s.AppID() + "/tok", "", `{"content":"x"}`, http.StatusNotFound},
		{"channel message", "POST", "/channels/3/messages", bot, `{"content":"x"}`, http.StatusOK},
		{"unknown endpoint", "DELETE", "/guilds/1", bot, "", http.StatusNotFound},
	}
	for _, tc := range tests {
		if got := do(t, tc.method, api+tc.path, tc.auth, tc.body); got != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, got, tc.want)
		}
	}
	if cmds, ok := s.Commands(""); !ok || len(cmds) != 1 || cmds[0].Name != "x" {
		t.Errorf("Commands(\"\") = %v, %v", cmds, ok)
	}
	if u := s.Unknown(); len(u) != 1 || u[0].Path != "/api/v9/guilds/1" {
		t.Errorf("Unknown = %+v, want the DELETE", u)
	}
	if got := len(s.Calls()); got != len(tests) {
		t.Errorf("%d calls recorded, want %d", got, len(tests))
	}

	s.RateLimit("POST", "/api/v9/channels/{id}/messages", 2, 250*time.Millisecond)
	var codes []int
	for range 3 {
		codes = append(codes, do(t, "POST", api+"/channels/3/messages", bot, `{"content":"x"}`))
	}
	if codes[0] != 429 || codes[1] != 429 || codes[2] != 200 {
		t.Errorf("statuses %v, want two 429s then 200", codes)
	}

	s.Close()
	if len(tb.errs) != 1 {
		t.Errorf("Close reported %d problems, want the unknown endpoint: %q", len(tb.errs), tb.errs)
	}
}

func TestPatternRE(t *testing.T) {
	re := patternRE("/api/v9/webhooks/{app}/{token}")
	for path, want := range map[string]bool{
		"/api/v9/webhooks/1/abc":                    true,
		"/api/v9/webhooks/1/abc/messages/@original": false,
		"/api/v9/webhooks/1":                        false,
		"/api/v9/webhooks/1/a.b-c_d":                true,
		"/api/v9/webhooksX1/abc":                    false,
	} {
		if got := re.MatchString(path); got != want {
			t.Errorf("%s: match %v, want %v", path, got, want)
		}
	}
}
