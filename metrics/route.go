package metrics

import (
	"net/http"
	"strings"
)

// RouteTemplate turns a Discord REST path into its route, so a label never carries an ID
// or a token: "/api/v9/interactions/123/aW50…/callback" becomes
// "/interactions/{id}/{token}/callback". Snowflakes become {id}; the segment after an
// interaction's or webhook's ID is its token; any other segment that is not a plain
// lowercase word (an emoji, a name) becomes {param}.
func RouteTemplate(path string) string {
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) >= 2 && segs[0] == "api" && isVersion(segs[1]) {
		segs = segs[2:]
	}
	var b strings.Builder
	tokenNext := false
	for i, s := range segs {
		if s == "" {
			continue
		}
		b.WriteByte('/')
		switch {
		case tokenNext:
			b.WriteString("{token}")
			tokenNext = false
		case isDigits(s):
			b.WriteString("{id}")
			if i > 0 && (segs[i-1] == "interactions" || segs[i-1] == "webhooks") {
				tokenNext = true
			}
		case isWord(s):
			b.WriteString(s)
		default:
			b.WriteString("{param}")
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

func isVersion(s string) bool {
	return len(s) >= 2 && s[0] == 'v' && isDigits(s[1:])
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isWord reports whether s looks like a fixed part of Discord's routes ("messages",
// "@original", "application-commands"), not a value.
func isWord(s string) bool {
	if len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && c != '-' && c != '_' && c != '@' {
			return false
		}
	}
	return true
}

// Transport wraps next so every request through it is counted by route and status in
// filmbot_discord_requests_total (and 429s in filmbot_discord_rate_limited_total). On a
// nil *Metrics it returns next unchanged.
func (m *Metrics) Transport(next http.RoundTripper) http.RoundTripper {
	if m == nil {
		return next
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return &countingTransport{m: m, next: next}
}

type countingTransport struct {
	m    *Metrics
	next http.RoundTripper
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.m.RESTSent(r.Method, r.URL.Path)
	resp, err := t.next.RoundTrip(r)
	code := 0
	if err == nil {
		code = resp.StatusCode
	}
	t.m.RESTDone(r.Method, r.URL.Path, code)
	return resp, err
}
