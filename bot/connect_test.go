package bot

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

func TestBackoff(t *testing.T) {
	base, ceiling := time.Second, time.Minute
	tests := []struct {
		failures int
		full     time.Duration // the pause before jitter takes up to half off
	}{
		{1, time.Second},
		{2, 2 * time.Second},
		{4, 8 * time.Second},
		{6, 32 * time.Second},
		{7, time.Minute},
		{50, time.Minute},
	}
	for _, tc := range tests {
		for range 100 {
			if got := backoff(tc.failures, base, ceiling); got < tc.full/2 || got > tc.full {
				t.Errorf("backoff(%d) = %v, want between %v and %v", tc.failures, got, tc.full/2, tc.full)
				break
			}
		}
	}
	seen := map[time.Duration]bool{}
	for range 100 {
		seen[backoff(3, base, ceiling)] = true
	}
	if len(seen) < 2 {
		t.Errorf("backoff(3) gave the same pause 100 times: no jitter")
	}
}

func restErr(status int) error {
	req, _ := http.NewRequest("GET", "https://discord.com/api/v9/gateway", nil)
	resp := &http.Response{StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status))}
	return &discordgo.RESTError{Request: req, Response: resp, ResponseBody: []byte(`{"message":"x"}`)}
}

func TestTransientAndFatal(t *testing.T) {
	rateLimited := &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{
		TooManyRequests: &discordgo.TooManyRequests{RetryAfter: 3 * time.Second}, URL: "https://discord.com/api/v9/gateway"}}
	refused := &url.Error{Op: "Get", URL: "https://discord.com/api/v9/gateway",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}}
	dnsErr := func(de *net.DNSError) error {
		return &url.Error{Op: "Get", URL: "https://nonexistent.invalid/api/v9/users/@me",
			Err: &net.OpError{Op: "dial", Net: "tcp", Err: de}}
	}
	reset := &url.Error{Op: "Get", URL: "https://discord.com/api/v9/gateway",
		Err: &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}}
	untrusted := &url.Error{Op: "Get", URL: "https://discord.com/api/v9/users/@me",
		Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}
	notTLS := &url.Error{Op: "Get", URL: "https://discord.com/api/v9/users/@me", Err: tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}}
	tests := []struct {
		name  string
		err   error
		retry bool
		after time.Duration
		fatal error // the kind fatal must report, or nil
		check string
	}{
		{name: "connection refused", err: refused, retry: true},
		{name: "connection reset", err: reset, retry: true},
		{name: "no READY", err: ErrOpenTimeout, retry: true},
		{name: "500", err: restErr(500), retry: true},
		{name: "503", err: restErr(503), retry: true},
		{name: "429 with retry_after", err: rateLimited, retry: true, after: 3 * time.Second},
		{name: "401", err: restErr(401), fatal: ErrTokenRejected, check: "FILMBOT_TOKEN"},
		{name: "403", err: restErr(403)},
		{name: "404", err: restErr(404)},
		{name: "gateway bad handshake", err: websocket.ErrBadHandshake, retry: true},
		{name: "gateway close 4000", err: &websocket.CloseError{Code: 4000}, retry: true},
		{name: "gateway close 4004", err: &websocket.CloseError{Code: 4004}, fatal: ErrTokenRejected, check: "FILMBOT_TOKEN"},
		{name: "gateway close 4010 (invalid shard)", err: &websocket.CloseError{Code: 4010}},
		{name: "gateway close 4013 (invalid intents)", err: &websocket.CloseError{Code: 4013}, fatal: ErrIntents, check: "developer portal"},
		{name: "gateway close 4014 (disallowed intents)", err: &websocket.CloseError{Code: 4014}, fatal: ErrIntents, check: "developer portal"},
		{name: "wrapped 401", err: fmt.Errorf("log in: %w", (rest{}).clean(restErr(401))), fatal: ErrTokenRejected, check: "FILMBOT_TOKEN"},
		{name: "no such host", err: dnsErr(&net.DNSError{Err: "no such host", Name: "nonexistent.invalid", IsNotFound: true}),
			fatal: ErrUnresolvable, check: "cannot resolve nonexistent.invalid (no such host): check the network and DNS"},
		{name: "no resolver answers", err: dnsErr(&net.DNSError{Err: "server misbehaving", Name: "discord.com", IsTemporary: true}),
			fatal: ErrUnresolvable, check: "cannot resolve discord.com"},
		{name: "DNS timeout", err: dnsErr(&net.DNSError{Err: "i/o timeout", Name: "discord.com", IsTimeout: true}), retry: true},
		{name: "untrusted certificate", err: untrusted, fatal: ErrTLS, check: "CA certificates"},
		{name: "not a TLS server", err: (rest{}).clean(notTLS), fatal: ErrTLS, check: "does not speak TLS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := fatal(tc.err)
			if (f != nil) != (tc.fatal != nil) {
				t.Fatalf("fatal = %v, want %v", f, tc.fatal)
			}
			if f != nil {
				if !errors.Is(f, tc.fatal) || !errors.Is(f, tc.err) {
					t.Errorf("fatal = %v: not %v, or lost the error underneath", f, tc.fatal)
				}
				if !strings.Contains(f.Error(), tc.check) {
					t.Errorf("fatal = %q, want it to say %q", f, tc.check)
				}
				return // fatal failures are never retried, whatever transient says
			}
			after, retry := transient(tc.err)
			if retry != tc.retry || after != tc.after {
				t.Errorf("transient = %v, %v; want %v, %v", after, retry, tc.after, tc.retry)
			}
		})
	}
}

// TestRestClean: REST errors name the URL the request really went to and hold neither
// the bot token nor an interaction token, while errors.As still reaches discordgo's error.
func TestRestClean(t *testing.T) {
	const (
		botToken = "MTAwMDAwMDAwMDAwMDAwMDAx.GfAkEd.fake-bot-token-for-tests-only-000000"
		itoken   = "aW50ZXJhY3Rpb246MTIzNDU2OnNlY3JldA"
	)
	callback := "https://discord.com/api/v9/interactions/123/" + itoken + "/callback"
	base, _ := url.Parse("http://127.0.0.1:8080")
	r := rest{base: base, red: newRedactor(botToken)}

	cbReq, _ := http.NewRequest("POST", callback, nil)
	tests := []struct {
		name string
		err  error
		want string // where the text must say the request went
	}{
		{"network failure", &url.Error{Op: "Post", URL: callback, Err: errors.New("connection reset by peer")},
			"POST http://127.0.0.1:8080/api/v9/interactions/123/[redacted]/callback: connection reset by peer"},
		{"network failure in the rebasing transport", &url.Error{Op: "Post", URL: callback, Err: &rebasedError{
			method: "POST", url: "http://127.0.0.1:8080/api/v9/interactions/123/" + itoken + "/callback", err: errors.New("connection refused")}},
			"POST http://127.0.0.1:8080/api/v9/interactions/123/[redacted]/callback: connection refused"},
		{"HTTP status", &discordgo.RESTError{Request: cbReq, Response: &http.Response{StatusCode: 500, Status: "500 Internal Server Error"},
			ResponseBody: []byte("oops " + botToken)},
			"POST http://127.0.0.1:8080/api/v9/interactions/123/[redacted]/callback: HTTP 500 Internal Server Error, oops [redacted]"},
		{"rate limit", &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{
			TooManyRequests: &discordgo.TooManyRequests{RetryAfter: time.Minute}, URL: callback}},
			"rate limited on http://127.0.0.1:8080/api/v9/interactions/123/[redacted]/callback, retry after 1m0s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := r.clean(tc.err)
			if got.Error() != tc.want {
				t.Errorf("clean = %q\nwant    %q", got.Error(), tc.want)
			}
			if !errors.Is(got, tc.err) {
				t.Errorf("clean lost the error underneath")
			}
			if again := r.clean(got); again.Error() != got.Error() {
				t.Errorf("cleaning twice gave %q", again.Error())
			}
		})
	}
}
