package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
	"filmbot/config"
)

// ErrNoToken is returned by New when no bot token is configured.
var ErrNoToken = errors.New("no bot token: create an application at https://discord.com/developers/applications, " +
	"copy its bot token into FILMBOT_TOKEN (or token in the config file); " +
	"to try filmbot without Discord, run `filmbot console`")

// Config is what the bot needs from the operator's settings; FromConfig builds it.
type Config struct {
	// Token is the bot token, with or without the "Bot " prefix.
	Token string
	// DiscordURL is the scheme and host REST calls and gateway discovery go to.
	DiscordURL string
	// Guild, when set, receives every command instead of global registration.
	Guild string
	// HomeGuild receives the owner-only commands; without it they are not registered.
	HomeGuild string

	// RateLimit commands per RateWindow per user; 0 disables the limit.
	RateLimit  int
	RateWindow time.Duration

	// OpenTimeout bounds one attempt at connecting, until READY.
	OpenTimeout time.Duration
	// StartAttempts is how many times each start step (logging in, connecting, registering
	// the commands) is tried when it fails in a way that may pass: a timeout, connection
	// refused or reset, a 5xx, a 429, no READY within OpenTimeout. 0 means 8. What waiting
	// cannot heal is not retried: a rejected token, another 4xx, a host that does not
	// resolve, a failed TLS handshake, refused intents (ErrTokenRejected and the errors
	// beside it).
	StartAttempts int
	// RetryBackoff is the pause after a step's first failure, doubled after each further
	// one up to RetryBackoffMax, each shortened by a random part of up to half (jitter); a
	// 429's retry_after is waited at least. 0 means 1 s and 1 min.
	RetryBackoff    time.Duration
	RetryBackoffMax time.Duration
	// StallTimeout is how long the gateway may be silent before it is reconnected, and how
	// long the reconnect may take before Run gives up with ErrStalled.
	StallTimeout time.Duration
	// RESTTimeout bounds every REST call that is not an interaction's first response.
	RESTTimeout time.Duration
	// ShutdownGrace bounds how long in-flight interactions may run after Run's context ends.
	ShutdownGrace time.Duration

	// ReplyWindow is how long after an interaction arrives its first response may be
	// sent; 0 means 3 s, Discord's limit. Handlers get ReplyWindow minus half a second.
	ReplyWindow time.Duration
	// Sharding, when set, runs the gateway shards it names (see shards.go); nil runs one
	// unsharded session.
	Sharding *Sharding

	// FollowupWindow bounds a response's slow work (Response.Then); 0 means 14 minutes,
	// inside Discord's 15-minute token lifetime.
	FollowupWindow time.Duration

	// Metrics receives interactions, gateway state and REST calls; nil records nothing.
	Metrics Recorder
}

// FromConfig takes the bot's settings out of the operator's configuration.
func FromConfig(c config.Config) Config {
	return Config{
		Token:         c.Token,
		DiscordURL:    c.DiscordURL,
		Guild:         c.Guild,
		HomeGuild:     c.HomeGuild,
		RateLimit:     c.RateLimit,
		RateWindow:    c.RateWindow.Duration,
		OpenTimeout:   c.OpenTimeout.Duration,
		StallTimeout:  c.StallTimeout.Duration,
		RESTTimeout:   c.RESTTimeout.Duration,
		ShutdownGrace: c.ShutdownGrace.Duration,
		Sharding:      shardingFromConfig(c),
	}
}

// shardingFromConfig reads shard-count and shards (already validated).
func shardingFromConfig(c config.Config) *Sharding {
	ids, _ := config.ParseShards(c.Shards, c.ShardCount)
	return &Sharding{Count: c.ShardCount, IDs: ids}
}

// withDefaults fills the zero durations.
func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.DiscordURL == "" {
		c.DiscordURL = "https://discord.com"
	}
	def(&c.OpenTimeout, 30*time.Second)
	def(&c.RetryBackoff, time.Second)
	def(&c.RetryBackoffMax, time.Minute)
	if c.StartAttempts <= 0 {
		c.StartAttempts = 8
	}
	def(&c.StallTimeout, 90*time.Second)
	def(&c.RESTTimeout, 10*time.Second)
	def(&c.ShutdownGrace, 10*time.Second)
	def(&c.ReplyWindow, 3*time.Second)
	def(&c.FollowupWindow, 14*time.Minute)
	return c
}

// Commands is what the bot serves: *commands.Set in filmbot. Definitions are registered
// with Discord at start; Handle answers each request and must not return a nil response
// (the bot answers "something went wrong" if it does, and recovers if it panics). The bot
// sends replies as Handle made them: fitting them to Discord's limits and setting
// allowed_mentions is Handle's job, as commands.Set does it.
type Commands interface {
	Definitions() (global, home []*discordgo.ApplicationCommand)
	Handle(ctx context.Context, req *commands.Request) commands.Response
}

// Bot is filmbot's connection to Discord: one gateway session, the command set behind it,
// and the REST plumbing for replies. Create it with New and start it with Run.
type Bot struct {
	cfg Config
	set Commands
	log *slog.Logger
	// session makes every REST call and never opens a gateway, so it stays usable whatever
	// happens to a gateway session.
	session *discordgo.Session
	// gw is the gateway session of the current connection attempt (see connect). Only its
	// events are served; a session from an abandoned attempt is ignored.
	gw atomic.Pointer[discordgo.Session]
	// shardSet holds every shard's session when Config.Sharding runs more than one.
	shardSet atomic.Pointer[shardSet]
	rest     rest
	conns    *connTracker
	limiter  *userLimiter
	alive    liveness

	appID    atomic.Value // string, from READY
	ready    chan struct{}
	readyOne sync.Once

	// mu guards closing and the Add side of inflight, so that no interaction starts after
	// shutdown has begun waiting.
	mu       sync.Mutex
	closing  bool
	draining chan struct{} // closed when closing is set
	inflight sync.WaitGroup
	// work is the parent of every interaction's context; cancelled when the shutdown
	// grace runs out.
	work       context.Context
	cancelWork context.CancelFunc

	served   atomic.Int64
	panicked atomic.Int64
	running  atomic.Int64

	// reconnectWait is the least time a forced reconnect is given (minReconnectWait; tests
	// with a tiny StallTimeout shorten it through export_test.go).
	reconnectWait time.Duration

	// activityMu guards activity, closed (and replaced) each time an interaction starts
	// or ends, so that tests wait for the bot's counters on an event rather than polling.
	activityMu sync.Mutex
	activity   chan struct{}

	// gwMu guards gwState: each shard's gateway state (shard 0 for an unsharded bot),
	// for readiness and the per-shard metrics (metrics.go).
	gwMu      sync.Mutex
	gwState   map[int]gateState
	knownOnce sync.Once
	known     map[string]bool // registered command names, for metric labels
}

// New prepares a bot; nothing touches the network until Run. It wraps logger so that no
// token can reach it, and routes discordgo's own log through it (discordgo.Logger is a
// package-level variable in discordgo: see routeDiscordgoLog).
func New(cfg Config, set Commands, logger *slog.Logger) (*Bot, error) {
	if cfg.Token == "" {
		return nil, ErrNoToken
	}
	if set == nil {
		return nil, errors.New("bot: nil command set")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults()
	logger = slog.New(RedactHandler(logger.Handler(), cfg.Token)).With("component", "bot")

	token := cfg.Token
	if len(token) < 4 || token[:4] != "Bot " {
		token = "Bot " + token
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, err
	}
	client, err := newHTTPClient(cfg.DiscordURL, cfg.RESTTimeout+5*time.Second)
	if err != nil {
		return nil, err
	}
	var base *url.URL
	if u, _ := url.Parse(cfg.DiscordURL); rebased(u) {
		base = u
	}
	if cfg.Metrics != nil {
		client.Transport = cfg.Metrics.Transport(client.Transport)
	}
	s.Client = client
	s.StateEnabled = false           // filmbot keeps no guild cache
	s.ShouldRetryOnRateLimit = false // rest.do retries within each call's deadline
	s.LogLevel = discordgoLevel(logger)
	routeDiscordgoLog(logger)

	work, cancel := context.WithCancel(context.Background())
	b := &Bot{
		cfg:        cfg,
		set:        set,
		log:        logger,
		session:    s,
		rest:       rest{s: s, base: base, red: newRedactor(cfg.Token)},
		conns:      newConnTracker(),
		limiter:    newUserLimiter(cfg.RateLimit, cfg.RateWindow),
		ready:      make(chan struct{}),
		work:       work,
		cancelWork: cancel,
		activity:   make(chan struct{}),
		draining:   make(chan struct{}),

		reconnectWait: minReconnectWait,
	}
	b.appID.Store("")
	return b, nil
}

// Messenger returns the bot's channel-message sender for code outside interactions.
func (b *Bot) Messenger() *Messenger {
	return &Messenger{rest: b.rest, timeout: b.cfg.RESTTimeout}
}

// Draining is closed once Run has stopped taking interactions, at the start of its
// shutdown (its context ended, or it failed): a readiness check turns unready here.
func (b *Bot) Draining() <-chan struct{} { return b.draining }

// Ready is closed once the first READY has arrived.
func (b *Bot) Ready() <-chan struct{} { return b.ready }

// AppID returns the application ID READY announced, or "" before READY.
func (b *Bot) AppID() string { return b.appID.Load().(string) }

// Run logs in, connects, registers the commands, and serves interactions until ctx is
// done; then it stops taking interactions, lets those in flight finish (within the
// shutdown grace), closes the gateway and returns nil. Each start step is retried with
// backoff while its failure may pass (see Config.StartAttempts); Run returns an error when
// a step fails for good ([ErrTokenRejected], [ErrUnresolvable], [ErrTLS], [ErrIntents],
// each after one attempt and with a text that says what to check) or the gateway stalls.
// The store is the caller's to close.
func (b *Bot) Run(ctx context.Context) error {
	defer b.cancelWork()
	b.alive.touch(time.Now())
	if err := b.start(ctx); err != nil {
		b.shutdown()
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	b.log.Info("connected", "app", b.AppID(), "guild", b.cfg.Guild, "home_guild", b.cfg.HomeGuild)

	err := b.watch(ctx)
	b.shutdown()
	if err != nil {
		return err
	}
	return nil
}

// register installs the command definitions with one bulk overwrite per scope: globally
// (or into the development guild), and the owner-only commands into the home guild. When
// the development guild is the home guild, both sets go in one overwrite, since a second
// overwrite of the same guild would delete the first.
func (b *Bot) register(ctx context.Context) error {
	global, home := b.set.Definitions()
	home = homeOnly(home)
	app := b.AppID()
	put := func(guild string, defs []*discordgo.ApplicationCommand) error {
		if defs == nil {
			defs = []*discordgo.ApplicationCommand{}
		}
		ctx, cancel := context.WithTimeout(ctx, b.cfg.RESTTimeout)
		defer cancel()
		err := b.rest.do(ctx, func(opts ...discordgo.RequestOption) error {
			_, err := b.session.ApplicationCommandBulkOverwrite(app, guild, defs, opts...)
			return err
		})
		if err != nil {
			scope := "globally"
			if guild != "" {
				scope = "in guild " + guild
			}
			return fmt.Errorf("register %d commands %s: %w", len(defs), scope, err)
		}
		return nil
	}
	if b.cfg.HomeGuild != "" && b.cfg.HomeGuild == b.cfg.Guild {
		return put(b.cfg.Guild, append(append([]*discordgo.ApplicationCommand{}, global...), home...))
	}
	if err := put(b.cfg.Guild, global); err != nil {
		return err
	}
	if b.cfg.HomeGuild == "" {
		if len(home) > 0 {
			b.log.Warn("no home guild configured: owner commands are not registered", "commands", len(home))
		}
		return nil
	}
	return put(b.cfg.HomeGuild, home)
}

// homeOnly returns copies of defs that are hidden from everyone but administrators
// (default_member_permissions "0") and usable only in a guild. The run-time owner check in
// the handler is what actually guards them; this keeps them out of everyone else's menu.
func homeOnly(defs []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
	out := make([]*discordgo.ApplicationCommand, 0, len(defs))
	for _, d := range defs {
		cp := *d
		zero := int64(0)
		cp.DefaultMemberPermissions = &zero
		no := false
		cp.DMPermission = &no
		out = append(out, &cp)
	}
	return out
}

// minReconnectWait is the least time a forced reconnect is given before Run gives up:
// discordgo's Close alone sleeps a second before it reconnects.
const minReconnectWait = 5 * time.Second

// watch serves until ctx is done, checking the gateway's liveness. A gateway silent for
// StallTimeout has its connection closed, which makes discordgo reconnect and resume; if it
// is still silent StallTimeout (at least minReconnectWait) later, watch returns ErrStalled.
func (b *Bot) watch(ctx context.Context) error {
	every := max(b.cfg.StallTimeout/4, 10*time.Millisecond)
	tick := time.NewTicker(every)
	defer tick.Stop()
	var kickedAt time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case now := <-tick.C:
			b.sampleHeartbeat()
			quiet := now.Sub(b.alive.last(b.gw.Load()))
			switch {
			case quiet < b.cfg.StallTimeout:
				kickedAt = time.Time{}
			case kickedAt.IsZero():
				b.log.Warn("gateway silent; reconnecting", "silent_for", quiet.Round(time.Millisecond))
				b.conns.closeAll()
				kickedAt = now
			case now.Sub(kickedAt) >= max(b.cfg.StallTimeout, b.reconnectWait):
				b.log.Error("gateway still silent after a reconnect; giving up", "silent_for", quiet.Round(time.Millisecond))
				return ErrStalled
			}
		}
	}
}

// shutdown stops taking interactions, waits for those in flight within the grace period,
// then cancels what is left and closes the gateway.
func (b *Bot) shutdown() {
	b.mu.Lock()
	first := !b.closing
	if first {
		b.closing = true
		close(b.draining)
	}
	b.mu.Unlock()
	if first {
		b.log.Info("shutting down: no new interactions; waiting for those in flight", "in_flight", b.running.Load())
	}

	drained := make(chan struct{})
	go func() { b.inflight.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(b.cfg.ShutdownGrace):
		b.log.Warn("shutdown grace over; abandoning interactions still running")
	}
	b.cancelWork()
	if s := b.gw.Load(); s != nil {
		b.closeGateway(s)
	}
	b.closeShards()
}

// onEvent receives every gateway dispatch, synchronously on discordgo's reading goroutine
// (SyncEvents), so it must not block: interactions are handed to their own goroutine.
// Interactions are taken from the raw event rather than discordgo's typed handler, so one
// whose JSON discordgo could not decode still gets an answer.
func (b *Bot) onEvent(s *discordgo.Session, e *discordgo.Event) {
	now := time.Now()
	b.alive.touch(now)
	switch e.Type {
	case "READY":
		r, _ := e.Struct.(*discordgo.Ready)
		b.onReady(r)
		b.gatewayUp(s, true)
	case "RESUMED":
		b.gatewayUp(s, true)
	case "INTERACTION_CREATE":
		ic, _ := e.Struct.(*discordgo.InteractionCreate)
		var i *discordgo.Interaction
		if ic != nil {
			i = ic.Interaction
		}
		if i == nil || i.ID == "" || i.Token == "" {
			i = salvage(e.RawData)
			if i == nil {
				b.log.Warn("dropped an interaction without id or token")
				return
			}
		}
		b.mu.Lock()
		if b.closing {
			b.mu.Unlock()
			return
		}
		b.inflight.Add(1)
		b.running.Add(1)
		b.mu.Unlock()
		b.active()
		log := b.log
		if ss := b.shardSet.Load(); ss != nil {
			if id, ok := ss.shard(s); ok {
				log = ss.logs[id]
			}
		}
		go func() {
			defer b.inflight.Done()
			defer b.active()
			defer b.running.Add(-1)
			b.serve(i, now, log)
		}()
	}
}

// active wakes whoever waits on activityChanged: an interaction started or ended.
func (b *Bot) active() {
	b.activityMu.Lock()
	close(b.activity)
	b.activity = make(chan struct{})
	b.activityMu.Unlock()
}

// activityChanged returns a channel closed when an interaction next starts or ends.
func (b *Bot) activityChanged() <-chan struct{} {
	b.activityMu.Lock()
	defer b.activityMu.Unlock()
	return b.activity
}

func (b *Bot) onReady(r *discordgo.Ready) {
	if r == nil {
		return
	}
	id := ""
	switch {
	case r.Application != nil && r.Application.ID != "":
		id = r.Application.ID
	case r.User != nil:
		id = r.User.ID // a bot user's ID is its application's ID
	}
	if id != "" {
		b.appID.Store(id)
	}
	b.readyOne.Do(func() { close(b.ready) })
}
