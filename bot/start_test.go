package bot_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/bot"
	"filmbot/bot/fakediscord"
)

// retrying makes start failures cheap to retry: many attempts, millisecond pauses.
func retrying(attempts int) func(*bot.Config) {
	return func(c *bot.Config) {
		c.OpenTimeout = 2 * time.Second
		c.StartAttempts = attempts
		c.RetryBackoff = time.Millisecond
		c.RetryBackoffMax = 10 * time.Millisecond
	}
}

const (
	gatewayPath  = "/api/v9/gateway"
	mePath       = "/api/v9/users/@me"
	commandsPath = "/api/v9/applications/{app}/commands"
	// homePath is the home guild's overwrite, the last call of a successful start.
	homePath = "/api/v9/applications/{app}/guilds/" + homeGuild + "/commands"
)

// TestRun_retriesTransientStartFailures: each start step that fails in a way that passes
// (5xx, 429, a refused connection) is tried again, and the bot ends up serving.
func TestRun_retriesTransientStartFailures(t *testing.T) {
	tests := []struct {
		name   string
		before func(*fakediscord.Server)
		// method and path of the call that failed, and how many calls there were.
		method, path string
		calls        int
	}{
		{"gateway lookup answers 503 three times",
			func(f *fakediscord.Server) { f.Fail("GET", gatewayPath, 3, http.StatusServiceUnavailable) },
			"GET", gatewayPath, 4},
		{"gateway lookup answers 500 once",
			func(f *fakediscord.Server) { f.Fail("GET", gatewayPath, 1, http.StatusInternalServerError) },
			"GET", gatewayPath, 2},
		{"gateway lookup is rate limited twice",
			func(f *fakediscord.Server) { f.RateLimit("GET", gatewayPath, 2, 20*time.Millisecond) },
			"GET", gatewayPath, 3},
		{"login answers 500 twice",
			func(f *fakediscord.Server) { f.Fail("GET", mePath, 2, http.StatusInternalServerError) },
			"GET", mePath, 3},
		{"command registration answers 503 twice",
			func(f *fakediscord.Server) { f.Fail("PUT", commandsPath, 2, http.StatusServiceUnavailable) },
			"PUT", commandsPath, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, setup{noWait: true, before: tc.before, cfg: retrying(10)})
			// The home guild's commands are registered last: once they are, every step
			// has succeeded, or Run has returned.
			h.until("the home guild's commands, or Run's end", func() bool {
				return len(h.fake.CallsTo("PUT", homePath)) > 0 || len(h.done) > 0
			})
			if len(h.done) > 0 {
				t.Fatalf("Run = %v, want it serving after the retries\n%s", h.result("start"), h.logs.String())
			}
			if cmds, ok := h.fake.Commands(""); !ok || len(cmds) == 0 {
				t.Fatalf("commands not registered\n%s", h.logs.String())
			}
			if got := len(h.fake.CallsTo(tc.method, tc.path)); got != tc.calls {
				t.Errorf("%d calls to %s %s, want %d", got, tc.method, tc.path, tc.calls)
			}
			if n := strings.Count(h.logs.String(), "retrying"); n != tc.calls-1 {
				t.Errorf("%d retries logged, want %d:\n%s", n, tc.calls-1, h.logs.String())
			}
			if cb := h.interact(h.fake.Command(who(stranger, otherGuild, "0"), "help")); !isHelp(cb) {
				t.Errorf("after the retries: %s", cb.Body)
			}
		})
	}
}

// TestRun_retriesARefusedGateway: the websocket itself is refused (an outage behind the
// REST API) until the fake lets it through; the bot keeps trying and connects.
func TestRun_retriesARefusedGateway(t *testing.T) {
	h := start(t, setup{noWait: true, cfg: retrying(1000),
		before: func(f *fakediscord.Server) { f.RefuseGateway(true) }})
	h.until("two refused gateway connections", func() bool { return h.fake.GatewayStats().Refused >= 2 })
	h.fake.RefuseGateway(false)
	select {
	case <-h.bot.Ready():
	case err := <-h.done:
		h.done <- err
		t.Fatalf("Run = %v, want a connection once the gateway is back", err)
	case <-time.After(hangGuard):
		t.Fatal("no READY after the gateway came back")
	}
}

// TestRun_failsFastOnPermanentErrors: a rejected token or another 4xx is not retried; Run
// returns at once with an error that says what to fix and holds no token.
func TestRun_failsFastOnPermanentErrors(t *testing.T) {
	const wrongToken = "MTAwMDAwMDAwMDAwMDAwMDk5.WrOnGt.not-the-token-the-fake-knows-0000"
	tests := []struct {
		name   string
		cfg    func(*bot.Config)
		before func(*fakediscord.Server)
		// call is the one call that failed; it must have been made exactly once.
		method, path string
		want         error // an error Run's must match with errors.Is, or nil
		status       int   // the HTTP status Run's error must carry
	}{
		{name: "wrong token", cfg: func(c *bot.Config) { c.Token = wrongToken },
			method: "GET", path: mePath, want: bot.ErrTokenRejected, status: http.StatusUnauthorized},
		{name: "token revoked (401 from the API)",
			before: func(f *fakediscord.Server) { f.Fail("GET", mePath, -1, http.StatusUnauthorized) },
			method: "GET", path: mePath, want: bot.ErrTokenRejected, status: http.StatusUnauthorized},
		{name: "gateway lookup answers 404",
			before: func(f *fakediscord.Server) { f.Fail("GET", gatewayPath, -1, http.StatusNotFound) },
			method: "GET", path: gatewayPath, status: http.StatusNotFound},
		{name: "registration answers 403",
			before: func(f *fakediscord.Server) { f.Fail("PUT", commandsPath, -1, http.StatusForbidden) },
			method: "PUT", path: commandsPath, status: http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := func(c *bot.Config) {
				retrying(5)(c)
				if tc.cfg != nil {
					tc.cfg(c)
				}
			}
			h := start(t, setup{noWait: true, cfg: cfg, before: tc.before})
			err := h.result("a permanent error")
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("Run = %v, want %v", err, tc.want)
			}
			var re *discordgo.RESTError
			if !errors.As(err, &re) || re.Response.StatusCode != tc.status {
				t.Errorf("Run = %v, want the HTTP %d underneath", err, tc.status)
			}
			if got := len(h.fake.CallsTo(tc.method, tc.path)); got != 1 {
				t.Errorf("%d calls to %s %s, want 1: no retry", got, tc.method, tc.path)
			}
			if strings.Contains(h.logs.String(), "retrying") {
				t.Errorf("a retry was logged:\n%s", h.logs.String())
			}
			if tc.want == bot.ErrTokenRejected {
				if !strings.Contains(err.Error(), "FILMBOT_TOKEN") {
					t.Errorf("Run = %v: does not say which setting to fix", err)
				}
				if st := h.fake.GatewayStats(); st.Connections != 0 {
					t.Errorf("%d gateway connections with a rejected token, want 0", st.Connections)
				}
			}
			for _, text := range []string{err.Error(), h.logs.String()} {
				if strings.Contains(text, wrongToken) || strings.Contains(text, h.fake.Token()) {
					t.Errorf("a token appears in %q", text)
				}
			}
		})
	}
}

// TestRun_givesUpAfterTheLastAttempt: a failure that never passes ends Run after
// StartAttempts tries, with the last failure underneath.
func TestRun_givesUpAfterTheLastAttempt(t *testing.T) {
	h := start(t, setup{noWait: true, cfg: retrying(3),
		before: func(f *fakediscord.Server) { f.Fail("GET", gatewayPath, -1, http.StatusInternalServerError) }})
	err := h.result("3 attempts")
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response.StatusCode != http.StatusInternalServerError {
		t.Errorf("Run = %v, want the 500 underneath", err)
	}
	if got := len(h.fake.CallsTo("GET", gatewayPath)); got != 3 {
		t.Errorf("%d gateway lookups, want one per attempt (3)", got)
	}
	if n := strings.Count(h.logs.String(), "retrying"); n != 2 {
		t.Errorf("%d retries logged, want 2:\n%s", n, h.logs.String())
	}
}

// TestRun_errorsNameTheRealTarget: with DiscordURL pointing somewhere unreachable, the
// error names that place, not discord.com, so the operator sees the setting took effect.
func TestRun_errorsNameTheRealTarget(t *testing.T) {
	const nowhere = "http://127.0.0.1:1"
	h := start(t, setup{noWait: true, cfg: func(c *bot.Config) {
		retrying(2)(c)
		c.DiscordURL = nowhere
	}})
	err := h.result("2 attempts")
	if err == nil {
		t.Fatal("Run = nil with nothing listening")
	}
	for _, text := range []string{err.Error(), h.logs.String()} {
		if !strings.Contains(text, nowhere+"/api/v9/users/@me") || strings.Contains(text, "discord.com/api") {
			t.Errorf("%q: want the request to %s named, and no discord.com URL", text, nowhere)
		}
	}
}

// TestRun_failsFastWhenWaitingCannotHeal: a host that does not resolve, a TLS handshake
// that fails, a gateway that refuses the intents. Run gives up after the first attempt,
// however many are allowed, with one line that names the cause and what to check.
func TestRun_failsFastWhenWaitingCannotHeal(t *testing.T) {
	untrusted := httptest.NewTLSServer(http.NotFoundHandler()) // a self-signed certificate
	t.Cleanup(untrusted.Close)
	tests := []struct {
		name   string
		url    func(fake string) string // the DiscordURL to use, given the fake's
		before func(*fakediscord.Server)
		want   error
		says   []string
	}{
		// .invalid never resolves (RFC 6761); the bot answers it without a query.
		{name: "unresolvable host", url: func(string) string { return "http://nonexistent.invalid" },
			want: bot.ErrUnresolvable, says: []string{"cannot resolve nonexistent.invalid", "check the network and DNS"}},
		{name: "untrusted certificate", url: func(string) string { return untrusted.URL },
			want: bot.ErrTLS, says: []string{"TLS handshake failed", "certificate", "CA certificates"}},
		{name: "not a TLS server", url: func(fake string) string { return strings.Replace(fake, "http://", "https://", 1) },
			want: bot.ErrTLS, says: []string{"does not speak TLS", "FILMBOT_DISCORD_URL"}},
		{name: "disallowed intents", before: func(f *fakediscord.Server) { f.CloseOnIdentify(4014) },
			want: bot.ErrIntents, says: []string{"gateway close 4014", "developer portal"}},
		{name: "invalid intents", before: func(f *fakediscord.Server) { f.CloseOnIdentify(4013) },
			want: bot.ErrIntents, says: []string{"gateway close 4013", "developer portal"}},
		{name: "token refused by the gateway", before: func(f *fakediscord.Server) { f.CloseOnIdentify(4004) },
			want: bot.ErrTokenRejected, says: []string{"gateway close 4004", "FILMBOT_TOKEN"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, setup{noWait: true, before: tc.before, cfg: func(c *bot.Config) {
				retrying(8)(c)
				if tc.url != nil {
					c.DiscordURL = tc.url(c.DiscordURL)
				}
			}})
			err := h.result(tc.name)
			t.Logf("Run = %v", err)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Run = %v, want %v", err, tc.want)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Run = %q, want it to say %q", err, s)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("Run = %q, want one line", err)
			}
			if n := strings.Count(h.logs.String(), "retrying"); n != 0 {
				t.Errorf("%d retries logged, want none:\n%s", n, h.logs.String())
			}
		})
	}
}

// BenchmarkStart_unresolvableHost measures how long Run takes to give up on a Discord URL
// whose host does not resolve: the time an operator waits to read "check the network".
func BenchmarkStart_unresolvableHost(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		bt, err := bot.New(bot.Config{Token: fakediscord.DefaultToken, DiscordURL: "http://nonexistent.invalid"}, panicky{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := bt.Run(context.Background()); !errors.Is(err, bot.ErrUnresolvable) {
			b.Fatalf("Run = %v, want ErrUnresolvable", err)
		}
	}
}
