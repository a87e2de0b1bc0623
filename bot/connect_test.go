package bot

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
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

func TestTransientAndRejection(t *testing.T) {
	rateLimited := &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{
		TooManyRequests: &discordgo.TooManyRequests{RetryAfter: 3 * time.Second}, URL: "https://discord.com/api/v9/gateway"}}
	refused := &url.Error{Op: "Get", URL: "https://discord.com/api/v9/gateway",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}}
	tests := []struct {
		name      string
		err       error
		retry     bool
		after     time.Duration
		rejection bool
	}{
		{"connection refused", refused, true, 0, false},
		{"no READY", ErrOpenTimeout, true, 0, false},
		{"500", restErr(500), true, 0, false},
		{"503", restErr(503), true, 0, false},
		{"429 with retry_after", rateLimited, true, 3 * time.Second, false},
		{"401", restErr(401), false, 0, true},
		{"403", restErr(403), false, 0, false},
		{"404", restErr(404), false, 0, false},
		{"gateway bad handshake", websocket.ErrBadHandshake, true, 0, false},
		{"gateway close 4000", &websocket.CloseError{Code: 4000}, true, 0, false},
		{"gateway close 4004", &websocket.CloseError{Code: 4004}, true, 0, true},
		{"gateway close 4014 (disallowed intents)", &websocket.CloseError{Code: 4014}, false, 0, false},
		{"wrapped 401", fmt.Errorf("log in: %w", (rest{}).clean(restErr(401))), false, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rej := rejection(tc.err)
			if (rej != nil) != tc.rejection {
				t.Errorf("rejection = %v, want a rejection %v", rej, tc.rejection)
			}
			if rej != nil {
				if !errors.Is(rej, ErrTokenRejected) || !strings.Contains(rej.Error(), "FILMBOT_TOKEN") {
					t.Errorf("rejection = %v: not ErrTokenRejected, or does not name FILMBOT_TOKEN", rej)
				}
				return // rejections are never retried, whatever transient says
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
