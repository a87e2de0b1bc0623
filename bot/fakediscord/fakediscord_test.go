package fakediscord

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// fakeTB records errors instead of failing, to check what the server reports at Close.
type fakeTB struct {
	testing.TB
	errs []string
}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.errs = append(f.errs, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Cleanup(func()) {}
func (f *fakeTB) Helper()        {}

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

func TestServer_Fail(t *testing.T) {
	s := New(t, Options{})
	gateway := s.URL() + "/api/v9/gateway"
	s.Fail("GET", "/api/v9/gateway", 2, http.StatusServiceUnavailable)
	var codes []int
	for range 3 {
		codes = append(codes, do(t, "GET", gateway, "", ""))
	}
	if codes[0] != 503 || codes[1] != 503 || codes[2] != 200 {
		t.Errorf("statuses %v, want two 503s then 200", codes)
	}

	s.Fail("GET", "/api/v9/gateway", -1, http.StatusBadGateway)
	for range 3 {
		if got := do(t, "GET", gateway, "", ""); got != http.StatusBadGateway {
			t.Errorf("status %d while failing without limit, want 502", got)
		}
	}
	s.Fail("GET", "/api/v9/gateway", 0, 0)
	if got := do(t, "GET", gateway, "", ""); got != http.StatusOK {
		t.Errorf("status %d after clearing the failure, want 200", got)
	}
}

// TestServer_reportsHoldNoToken: what the fake reports at Close quotes request paths, and
// the interaction token in them is hidden.
func TestServer_reportsHoldNoToken(t *testing.T) {
	tb := &fakeTB{TB: t}
	const token = "aW50ZXJhY3Rpb246c2VjcmV0LXRva2Vu"
	s := New(tb, Options{Check: func(method, path string, body []byte) error {
		return fmt.Errorf("bad body for %s", path)
	}})
	api := s.URL() + "/api/v9"
	do(t, "POST", api+"/interactions/1/"+token+"/callback", "", `{"type":4}`)
	do(t, "DELETE", api+"/webhooks/"+s.AppID()+"/"+token+"/messages/@original", "", "")
	s.Close()
	if len(tb.errs) != 2 {
		t.Fatalf("Close reported %q, want the failed check and the unknown endpoint", tb.errs)
	}
	for _, e := range tb.errs {
		if strings.Contains(e, token) {
			t.Errorf("report holds the interaction token: %s", e)
		}
		if !strings.Contains(e, "[redacted]") {
			t.Errorf("report %q does not show where the token was", e)
		}
	}
}

func TestServer_interactionUsers(t *testing.T) {
	s := New(t, Options{})
	for _, user := range []string{"", "1", "12", "123", "1234", "400000000000000042"} {
		for _, guild := range []string{"", "600000000000000001"} {
			in := s.Command(Who{User: user, Guild: guild}, "help")
			var u map[string]any
			if guild == "" {
				u, _ = in["user"].(map[string]any)
			} else {
				m, _ := in["member"].(map[string]any)
				u, _ = m["user"].(map[string]any)
			}
			want := user
			if want == "" {
				want = DefaultUser
			}
			if u["id"] != want {
				t.Errorf("Who{User: %q, Guild: %q}: user id %v, want %s", user, guild, u["id"], want)
			}
			if name, _ := u["username"].(string); name == "" {
				t.Errorf("Who{User: %q}: no username", user)
			}
			if in["type"] != int(discordgo.InteractionApplicationCommand) {
				t.Errorf("type %v, want an application command", in["type"])
			}
		}
	}
}
