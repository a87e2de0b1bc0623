package bot

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// ErrTokenRejected is returned by Run when Discord refuses the bot token: a 401 from the
// REST API, or the gateway closing with 4004. Retrying cannot help; the operator must fix
// FILMBOT_TOKEN.
var ErrTokenRejected = errors.New("the token was rejected")

// maxRetryAfter is the longest wait a 429 may ask for at start before Run gives up instead:
// longer ones mean the bot is banned for a while, and a silent hour-long pause would look
// like a hang.
const maxRetryAfter = 15 * time.Minute

// start brings the bot up: log in (check the token), connect the gateway until READY,
// register the commands. Each step is retried on its own while its failure may pass.
func (b *Bot) start(ctx context.Context) error {
	if err := b.retry(ctx, "log in to Discord", b.login); err != nil {
		return err
	}
	if err := b.retry(ctx, "connect to Discord", b.connect); err != nil {
		return err
	}
	return b.retry(ctx, "", b.register)
}

// retry runs step until it succeeds, fails for good, or has failed Config.StartAttempts
// times. Between attempts it waits a capped, jittered exponential backoff, or longer when
// Discord asked (a 429's retry_after), and logs each retry at warn. what prefixes the
// error it returns.
func (b *Bot) retry(ctx context.Context, what string, step func(context.Context) error) error {
	fail := func(err error) error {
		if what == "" {
			return err
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	for attempt := 1; ; attempt++ {
		err := step(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if rej := rejection(err); rej != nil {
			return fail(rej)
		}
		after, ok := transient(err)
		switch {
		case !ok:
			return fail(err)
		case after > maxRetryAfter:
			return fail(fmt.Errorf("%w (Discord asks to wait %v before trying again)", err, after.Round(time.Second)))
		case attempt >= b.cfg.StartAttempts:
			return fail(fmt.Errorf("gave up after %d attempts: %w", attempt, err))
		}
		wait := max(after, backoff(attempt, b.cfg.RetryBackoff, b.cfg.RetryBackoffMax))
		name := what
		if name == "" {
			name = "start"
		}
		b.log.Warn(name+" failed; retrying", "attempt", attempt, "of", b.cfg.StartAttempts,
			"retry_in", wait.Round(time.Millisecond), "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// backoff is the pause after a step's nth failure: base doubled for each failure before it,
// at most ceiling, less a random part of up to half, so that many bots restarting together
// (after an outage) do not come back in step.
func backoff(n int, base, ceiling time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	return d - rand.N(d/2+1)
}

// rejection returns the error to report when err says Discord refused the bot token, or
// nil.
func rejection(err error) error {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return &rejectedError{how: "401", err: err}
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) && ce.Code == 4004 {
		return &rejectedError{how: "gateway close 4004", err: err}
	}
	return nil
}

// rejectedError says the token was rejected and what to fix, and nothing else: the reply
// underneath stays reachable through errors.As but out of the text.
type rejectedError struct {
	how string
	err error
}

func (e *rejectedError) Error() string {
	return ErrTokenRejected.Error() + " (" + e.how + "): check FILMBOT_TOKEN"
}

func (e *rejectedError) Unwrap() []error { return []error{ErrTokenRejected, e.err} }

// transient reports whether a start step's failure may pass if tried again, and the least
// wait Discord asked for. Network failures, timeouts, 5xx, 429 and a gateway that dropped
// the connection may pass; another 4xx, or a gateway close code that means the request
// itself is wrong (bad shard, API version or intents), will not.
func transient(err error) (time.Duration, bool) {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil {
		return rl.RetryAfter, true
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		code := re.Response.StatusCode
		return 0, code >= 500 || code == http.StatusTooManyRequests || code == http.StatusRequestTimeout
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4010, 4011, 4012, 4013, 4014: // invalid shard, sharding required, API version, intents
			return 0, false
		}
	}
	return 0, true
}

// login checks the token with GET /users/@me before any gateway is opened, as Discord's own
// libraries do, so that a rejected token is a plain 401 rather than a gateway closing on
// IDENTIFY.
func (b *Bot) login(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.RESTTimeout)
	defer cancel()
	return b.rest.do(ctx, func(opts ...discordgo.RequestOption) error {
		_, err := b.session.User("@me", opts...)
		return err
	})
}

// connect makes one attempt at the gateway: a fresh session, opened and READY within
// OpenTimeout. Every attempt gets a new session because one whose Open is stuck on its own
// lock (a RECONNECT during Open) can never be used again; the abandoned session's sockets
// are closed and its events ignored.
func (b *Bot) connect(ctx context.Context) error {
	deadline := time.Now().Add(b.cfg.OpenTimeout)
	s, err := b.gatewaySession()
	if err != nil {
		return err
	}
	b.gw.Store(s)
	if err := openSession(ctx, s, b.conns, b.cfg.OpenTimeout); err != nil {
		return b.rest.clean(err)
	}
	// Open returns after the first packet following IDENTIFY, which is READY unless the
	// gateway sent something else first; wait for READY within what is left of the timeout.
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-b.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		b.closeGateway(s)
		return ErrOpenTimeout
	}
}

// gatewaySession returns a new, unopened gateway session that shares the REST session's
// HTTP client and serves its events through onEvent while it is the current one.
func (b *Bot) gatewaySession() (*discordgo.Session, error) {
	s, err := discordgo.New(b.session.Token)
	if err != nil {
		return nil, err
	}
	s.Client = b.session.Client
	s.Dialer = b.conns.dialer(min(b.cfg.OpenTimeout, 10*time.Second))
	s.Identify.Intents = discordgo.IntentsGuilds // no privileged intent, no message content
	s.StateEnabled = false                       // filmbot keeps no guild cache
	s.SyncEvents = true                          // onEvent starts its own, recovered goroutines
	s.ShouldRetryOnRateLimit = false             // the gateway lookup fails at once; retry waits
	s.LogLevel = b.session.LogLevel
	s.AddHandler(func(s *discordgo.Session, e *discordgo.Event) {
		if b.gw.Load() == s {
			b.onEvent(s, e)
		}
	})
	b.trackGateway(s)
	return s, nil
}

// closeGateway closes a gateway session within a few seconds: discordgo's Close sleeps a
// second and needs a lock that a stuck Open may hold, so after that its sockets are closed
// under it instead.
func (b *Bot) closeGateway(s *discordgo.Session) {
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(3 * time.Second):
		b.conns.closeAll()
	}
}
