package bot

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Start-up failures that waiting cannot heal. Run returns one of them (with the failure
// underneath, reachable through errors.As) after the first attempt, in an error whose text
// names the cause and what to check, so an operator learns in seconds what is wrong rather
// than after minutes of retries.
var (
	// ErrTokenRejected: Discord refused the bot token (a 401 from the REST API, or the
	// gateway closing with 4004). Fix FILMBOT_TOKEN.
	ErrTokenRejected = errors.New("the token was rejected")
	// ErrUnresolvable: the host of FILMBOT_DISCORD_URL (or the gateway's) does not resolve.
	// Check the network and DNS.
	ErrUnresolvable = errors.New("cannot resolve the host")
	// ErrTLS: the TLS handshake failed (an untrusted or expired certificate, a server
	// that does not speak TLS). Check the clock, the CA certificates, a proxy in between.
	ErrTLS = errors.New("TLS handshake failed")
	// ErrIntents: the gateway closed with 4013 or 4014, refusing the intents filmbot asks
	// for (GUILDS only). Check the application's settings in the developer portal.
	ErrIntents = errors.New("the gateway refused the intents")
)

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
	if b.cfg.Sharding != nil {
		return b.startShards(ctx)
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
		if f := fatal(err); f != nil {
			return fail(f)
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

// fatal returns the error to report when err is a start-up failure that waiting cannot
// heal (see ErrTokenRejected and the errors beside it), or nil. A DNS lookup that timed out
// may pass and is left to transient; one that says the name does not exist, or that no
// resolver answered sensibly, will not pass by waiting seconds.
func fatal(err error) error {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return &fatalError{kind: ErrTokenRejected, text: ErrTokenRejected.Error() + " (401): check FILMBOT_TOKEN", err: err}
	}
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4004:
			return &fatalError{kind: ErrTokenRejected, text: ErrTokenRejected.Error() + " (gateway close 4004): check FILMBOT_TOKEN", err: err}
		case 4013, 4014:
			what := "invalid intents"
			if ce.Code == 4014 {
				what = "disallowed intents"
			}
			return &fatalError{kind: ErrIntents, err: err, text: fmt.Sprintf("%s (gateway close %d, %s): "+
				"filmbot asks only for GUILDS; check the application's Bot settings in the developer portal", ErrIntents, ce.Code, what)}
		}
	}
	var de *net.DNSError
	if errors.As(err, &de) && !de.IsTimeout {
		return &fatalError{kind: ErrUnresolvable, err: err,
			text: fmt.Sprintf("cannot resolve %s (%s): check the network and DNS, and FILMBOT_DISCORD_URL if set", de.Name, de.Err)}
	}
	if cause, check := tlsFailure(err); cause != "" {
		return &fatalError{kind: ErrTLS, err: err, text: ErrTLS.Error() + " (" + cause + "): check " + check}
	}
	return nil
}

// certChecks is what to look at when a certificate does not verify.
const certChecks = "the system clock, the CA certificates (ca-certificates), a proxy that intercepts TLS, " +
	"and FILMBOT_DISCORD_URL if set"

// tlsFailure describes err, and what to check, when a TLS handshake failed for a reason
// that stays until someone changes something (a certificate, the clock, the URL); or it
// returns "".
func tlsFailure(err error) (cause, check string) {
	var (
		cv *tls.CertificateVerificationError
		ua x509.UnknownAuthorityError
		he x509.HostnameError
		ci x509.CertificateInvalidError
		rh tls.RecordHeaderError
		al tls.AlertError
	)
	switch {
	case errors.As(err, &cv):
		return cv.Err.Error(), certChecks
	case errors.As(err, &ua):
		return ua.Error(), certChecks
	case errors.As(err, &he):
		return he.Error(), certChecks
	case errors.As(err, &ci):
		return ci.Error(), certChecks
	case errors.As(err, &rh):
		return "the server does not speak TLS", "FILMBOT_DISCORD_URL (https:// to a plain-HTTP server?) and any proxy"
	case errors.As(err, &al):
		return "the server refused the handshake: " + al.Error(), "a proxy in between, and FILMBOT_DISCORD_URL if set"
	}
	return "", ""
}

// fatalError says what failed and what to check, and nothing else: the failure underneath
// stays reachable through errors.Is and errors.As but out of the text.
type fatalError struct {
	kind error // ErrTokenRejected, ErrUnresolvable, ErrTLS or ErrIntents
	text string
	err  error
}

func (e *fatalError) Error() string { return e.text }

func (e *fatalError) Unwrap() []error { return []error{e.kind, e.err} }

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

// closeGateway closes a gateway session within a few seconds. discordgo's Close writes a
// close frame, sleeps a second and then closes the socket; once the frame is seen going out
// on this session's connection (connTracker.closeFrameSent) that socket is closed at once
// instead, and discordgo's Close finishes on its own. Close needs a lock that a stuck Open
// may hold, so after a few seconds the sockets are closed under it regardless.
func (b *Bot) closeGateway(s *discordgo.Session) {
	sent := b.conns.closeFrameSent(s.Dialer)
	defer b.conns.unwatch(s.Dialer)
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case c := <-sent:
		c.Close()
	case <-time.After(3 * time.Second):
		b.conns.closeAll()
	}
}
