package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
)

// discordHost is the host discordgo's endpoint variables name; rebaseTransport sends its
// requests elsewhere.
const discordHost = "discord.com"

// rebaseTransport sends requests for https://discord.com to another scheme and host (a REST
// proxy, or the fake Discord in tests). discordgo builds every REST URL, and the gateway
// discovery URL, from its package-level endpoint variables; rewriting here leaves those
// variables alone, so two sessions in one process can talk to different hosts.
type rebaseTransport struct {
	base *url.URL // scheme, host and an optional path prefix
	next http.RoundTripper
}

func (t *rebaseTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != discordHost {
		return t.next.RoundTrip(r)
	}
	r2 := r.Clone(r.Context())
	r2.URL.Scheme = t.base.Scheme
	r2.URL.Host = t.base.Host
	r2.URL.Path = strings.TrimSuffix(t.base.Path, "/") + r.URL.Path
	r2.URL.RawPath = ""
	r2.Host = ""
	resp, err := t.next.RoundTrip(r2)
	if err != nil {
		// net/http quotes the URL discordgo asked for (discord.com); say where the request
		// really went, so an operator sees that FILMBOT_DISCORD_URL took effect.
		return nil, &rebasedError{method: r2.Method, url: r2.URL.String(), err: err}
	}
	return resp, nil
}

// rebasedError is a failed request that rebaseTransport sent elsewhere than discord.com.
// Its text names the real target, with any interaction token in the path hidden.
type rebasedError struct {
	method, url string
	err         error
}

func (e *rebasedError) Error() string {
	return pathRedactor.redact(e.method + " " + e.url + ": " + e.err.Error())
}

func (e *rebasedError) Unwrap() error { return e.err }

// pathRedactor hides the interaction and webhook tokens that REST URLs carry.
var pathRedactor = newRedactor("")

// newHTTPClient returns the client every REST call goes through. Its transport keeps enough
// idle connections for a busy bot (net/http's default of two per host would open and close
// a connection per reply under load) and rebases discord.com onto discordURL.
func newHTTPClient(discordURL string, timeout time.Duration) (*http.Client, error) {
	base, err := url.Parse(discordURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("discord URL %q: want scheme and host, like https://discord.com", discordURL)
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialContext(&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}),
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   128,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	var rt http.RoundTripper = tr
	if rebased(base) {
		rt = &rebaseTransport{base: base, next: tr}
	}
	return &http.Client{Transport: rt, Timeout: timeout}, nil
}

// rebased reports whether requests for discord.com must go to base instead.
func rebased(base *url.URL) bool {
	return base.Host != discordHost || base.Scheme != "https" || strings.Trim(base.Path, "/") != ""
}

// rest makes REST calls with the rules every call in filmbot follows: a context deadline,
// 429s retried only while the deadline allows (discordgo on its own sleeps and retries
// without limit), and errors that name the real target and hold no token.
type rest struct {
	s *discordgo.Session
	// base is where discord.com requests really go, or nil when they go to discord.com.
	base *url.URL
	// red hides the bot token and interaction tokens in error text.
	red *redactor
}

// errorBodyLimit bounds how much of an error reply's body goes into an error's text: a
// proxy in front of Discord may answer with a whole HTML page.
const errorBodyLimit = 200

// safeError is a REST failure as the operator should read it. Is and As still see the
// error underneath (a *discordgo.RESTError, a *discordgo.RateLimitError, a net error).
type safeError struct {
	msg string
	err error
}

func (e *safeError) Error() string { return e.msg }
func (e *safeError) Unwrap() error { return e.err }

// clean returns err with a text that names the URL the request really went to
// (FILMBOT_DISCORD_URL applied) and holds neither the bot token nor an interaction token.
// discordgo's own texts quote discord.com URLs, tokens and all, or no URL at all.
func (r rest) clean(err error) error {
	if err == nil {
		return nil
	}
	if _, done := err.(*safeError); done {
		return err
	}
	var (
		rb *rebasedError
		ue *url.Error
		re *discordgo.RESTError
		rl *discordgo.RateLimitError
	)
	msg := err.Error()
	switch {
	case errors.As(err, &rb):
		msg = rb.Error()
	case errors.As(err, &ue):
		msg = strings.ToUpper(ue.Op) + " " + r.target(ue.URL) + ": " + ue.Err.Error()
	case errors.As(err, &re) && re.Request != nil && re.Response != nil:
		body := string(re.ResponseBody)
		if len(body) > errorBodyLimit {
			body = body[:errorBodyLimit] + "…"
		}
		msg = re.Request.Method + " " + r.target(re.Request.URL.String()) + ": HTTP " + re.Response.Status
		if body = strings.TrimSpace(body); body != "" {
			msg += ", " + body
		}
	case errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil:
		msg = "rate limited on " + r.target(rl.URL) + ", retry after " + rl.RetryAfter.String()
	}
	red := r.red
	if red == nil {
		red = pathRedactor
	}
	return &safeError{msg: red.redact(msg), err: err}
}

// target returns where a request for raw really went: discord.com rebased onto the
// configured URL.
func (r rest) target(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || r.base == nil || u.Host != discordHost {
		return raw
	}
	u.Scheme = r.base.Scheme
	u.Host = r.base.Host
	u.Path = strings.TrimSuffix(r.base.Path, "/") + u.Path
	u.RawPath = ""
	return u.String()
}

// do calls f with options that bind it to ctx and turn off discordgo's own 429 retries,
// then retries a rate-limited call after the wait Discord asked for, while ctx allows.
func (r rest) do(ctx context.Context, f func(opts ...discordgo.RequestOption) error) error {
	for {
		err := f(discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
		var rl *discordgo.RateLimitError
		if !errors.As(err, &rl) || rl.RateLimit == nil || rl.TooManyRequests == nil {
			return r.clean(err)
		}
		wait := rl.RetryAfter
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return r.clean(err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return r.clean(err)
		case <-t.C:
		}
	}
}

// tokenCall makes a request to a route keyed by an interaction token (the interaction
// callback, follow-ups, edits of the original response). discordgo would file such a
// request under a rate-limit bucket named after its URL and keep that bucket, token and
// all, for the life of the session: one per interaction, never freed. Here each call gets a
// bucket from a throwaway limiter instead, so nothing outlives the call. Interaction
// routes are not subject to the bot's global rate limit, so the session's global state is
// not needed, and a token's bucket is only ever used by that interaction's few calls.
func (r rest) tokenCall(ctx context.Context, method, urlStr string, body []byte) ([]byte, error) {
	var out []byte
	err := r.do(ctx, func(opts ...discordgo.RequestOption) error {
		bucket := discordgo.NewRatelimiter().LockBucket("interaction")
		var err error
		out, err = r.s.RequestWithLockedBucket(method, urlStr, "application/json", body, bucket, 0, opts...)
		return err
	})
	return out, err
}

// Messenger sends and edits channel messages on behalf of code that runs outside an
// interaction, such as a quiz's timers. Every call has a deadline and mentions nobody.
type Messenger struct {
	rest    rest
	timeout time.Duration
}

// Send posts a message to a channel and returns its ID.
func (m *Messenger) Send(ctx context.Context, channelID string, msg *discordgo.MessageSend) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	cp := *msg
	cp.AllowedMentions = commands.NoMentions()
	var sent *discordgo.Message
	err := m.rest.do(ctx, func(opts ...discordgo.RequestOption) error {
		var err error
		sent, err = m.rest.s.ChannelMessageSendComplex(channelID, &cp, opts...)
		return err
	})
	if err != nil {
		return "", err
	}
	if sent == nil {
		return "", errors.New("send message: empty reply from Discord")
	}
	return sent.ID, nil
}

// Edit replaces a message's content, embeds or components.
func (m *Messenger) Edit(ctx context.Context, channelID, messageID string, edit *discordgo.MessageEdit) error {
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	cp := *edit
	cp.Channel, cp.ID = channelID, messageID
	cp.AllowedMentions = commands.NoMentions()
	return m.rest.do(ctx, func(opts ...discordgo.RequestOption) error {
		_, err := m.rest.s.ChannelMessageEditComplex(&cp, opts...)
		return err
	})
}

// ErrTooLarge is returned by a Fetcher when the file is larger than the limit asked for.
var ErrTooLarge = errors.New("file too large")

// NewFetcher returns a function that downloads an attachment over HTTP(S) within timeout and
// max bytes, for commands.Deps.Fetch. Attachments live on Discord's CDN, not behind
// FILMBOT_DISCORD_URL, so the URL is used as given.
func NewFetcher(timeout time.Duration) func(ctx context.Context, url string, max int64) ([]byte, error) {
	client := &http.Client{Timeout: timeout}
	return func(ctx context.Context, rawURL string, max int64) ([]byte, error) {
		u, err := url.Parse(rawURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("attachment URL is not http(s)")
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("download attachment: %w", errors.Unwrap(err))
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("download attachment: HTTP %d", resp.StatusCode)
		}
		if resp.ContentLength > max {
			return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, resp.ContentLength, max)
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
		if err != nil {
			return nil, fmt.Errorf("download attachment: %w", err)
		}
		if int64(len(data)) > max {
			return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, max)
		}
		return data, nil
	}
}
