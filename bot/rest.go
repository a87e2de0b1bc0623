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
	return t.next.RoundTrip(r2)
}

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
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   128,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	var rt http.RoundTripper = tr
	if base.Host != discordHost || base.Scheme != "https" || strings.Trim(base.Path, "/") != "" {
		rt = &rebaseTransport{base: base, next: tr}
	}
	return &http.Client{Transport: rt, Timeout: timeout}, nil
}

// rest makes REST calls with the rules every call in filmbot follows: a context deadline,
// and 429s retried only while the deadline allows (discordgo on its own sleeps and retries
// without limit).
type rest struct {
	s *discordgo.Session
}

// do calls f with options that bind it to ctx and turn off discordgo's own 429 retries,
// then retries a rate-limited call after the wait Discord asked for, while ctx allows.
func (r rest) do(ctx context.Context, f func(opts ...discordgo.RequestOption) error) error {
	for {
		err := f(discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
		var rl *discordgo.RateLimitError
		if !errors.As(err, &rl) {
			return err
		}
		wait := rl.RetryAfter
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
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
	cp.AllowedMentions = noMentions()
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
	cp.AllowedMentions = noMentions()
	return m.rest.do(ctx, func(opts ...discordgo.RequestOption) error {
		_, err := m.rest.s.ChannelMessageEditComplex(&cp, opts...)
		return err
	})
}

// noMentions is the allowed_mentions every message filmbot sends carries: an explicit
// empty parse list, so nothing in a reply pings anyone.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
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
