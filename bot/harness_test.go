package bot_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"filmbot/bot"
	"filmbot/bot/fakediscord"
	"filmbot/commands"
	"filmbot/internal/discordspec"
	"filmbot/seed"
	"filmbot/store"
	"filmbot/store/storetest"
)

// IDs the tests use. The owner is configured as the bot's owner; the stranger is the fake's
// default user.
const (
	homeGuild  = "600000000000000001"
	otherGuild = "600000000000000002"
	devGuild   = "600000000000000003"
	owner      = "400000000000000099"
	stranger   = fakediscord.DefaultUser

	adminPerms = "8"                   // ADMINISTRATOR
	allPerms   = "2251799813685247"    // every permission bit Discord has defined
	hugePerms  = "9223372036854775807" // max int64
)

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness is the real wiring — store, command set, bot, discordgo session — connected to a
// fake Discord over loopback.
type harness struct {
	t     testing.TB
	fake  *fakediscord.Server
	store *store.Store
	set   *commands.Set
	bot   *bot.Bot
	logs  *syncBuffer
	done  chan error
	stop  context.CancelFunc
}

type setup struct {
	fake     fakediscord.Options
	level    slog.Level
	cfg      func(*bot.Config)
	register func(*commands.Set)
	// serve replaces the command set, for tests of the bot's own recovery.
	serve bot.Commands
	// before prepares the fake before Run starts (failures to meet at start).
	before func(*fakediscord.Server)
	// prepare adjusts the bot before Run starts.
	prepare func(*bot.Bot)
	// noWait skips waiting for READY (for connection-failure tests).
	noWait bool
	// noSpec skips body validation (benchmarks).
	noSpec bool
}

// bodyCheck returns the check the fake runs on every REST body (discordspec.Checker).
func bodyCheck(tb testing.TB) func(method, path string, body []byte) error {
	tb.Helper()
	return discordspec.Checker(tb)
}

var (
	catOnce sync.Once
	catVal  *seed.Catalog
	catErr  error
)

func defaultCatalog(tb testing.TB) *seed.Catalog {
	tb.Helper()
	catOnce.Do(func() { catVal, catErr = seed.Default() })
	if catErr != nil {
		tb.Fatalf("embedded seed: %v", catErr)
	}
	return catVal
}

// start runs the real wiring against a fresh fake Discord and waits for READY.
func start(tb testing.TB, su setup) *harness {
	tb.Helper()
	if su.fake.Check == nil && !su.noSpec {
		su.fake.Check = bodyCheck(tb)
	}
	if su.fake.HeartbeatInterval == 0 {
		su.fake.HeartbeatInterval = time.Second
	}
	fake := fakediscord.New(tb, su.fake)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: su.level}))

	st := storetest.Open(tb, defaultCatalog(tb))
	set := commands.New(commands.Deps{
		Store:     st,
		Logger:    logger,
		Owners:    []string{owner},
		HomeGuild: homeGuild,
		Fetch:     bot.NewFetcher(5 * time.Second),
	})
	if su.register != nil {
		su.register(set)
	}
	cfg := bot.Config{
		Token:         fake.Token(),
		DiscordURL:    fake.URL(),
		HomeGuild:     homeGuild,
		OpenTimeout:   5 * time.Second,
		StallTimeout:  30 * time.Second,
		RESTTimeout:   3 * time.Second,
		ShutdownGrace: 5 * time.Second,
	}
	if su.cfg != nil {
		su.cfg(&cfg)
	}
	var serve bot.Commands = set
	if su.serve != nil {
		serve = su.serve
	}
	b, err := bot.New(cfg, serve, logger)
	if err != nil {
		tb.Fatalf("bot.New: %v", err)
	}
	if su.before != nil {
		su.before(fake)
	}
	if su.prepare != nil {
		su.prepare(b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: tb, fake: fake, store: st, set: set, bot: b, logs: logs, done: make(chan error, 1), stop: cancel}
	go func() { h.done <- b.Run(ctx) }()
	tb.Cleanup(func() {
		h.shutdown()
		h.checkLogs()
	})
	if su.noWait {
		return h
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	select {
	case <-b.Ready():
	case err := <-h.done:
		h.done <- err
		tb.Fatalf("Run ended before READY: %v", err)
	case <-wctx.Done():
		tb.Fatal("no READY within 10 s")
	}
	// Commands are registered right after READY; wait for that too, so tests start from
	// a bot that serves.
	pattern := "/api/v9/applications/{app}/commands"
	if cfg.Guild != "" {
		pattern = "/api/v9/applications/{app}/guilds/{guild}/commands"
	}
	if _, err := fake.WaitCall(wctx, "PUT", pattern, 0); err != nil {
		tb.Fatal(err)
	}
	// The home guild's owner commands go in a second overwrite, after the first.
	if cfg.HomeGuild != "" && cfg.HomeGuild != cfg.Guild {
		home := "/api/v9/applications/{app}/guilds/" + cfg.HomeGuild + "/commands"
		if _, err := fake.WaitCall(wctx, "PUT", home, 0); err != nil {
			tb.Fatal(err)
		}
	}
	return h
}

// hangGuard bounds every wait in these tests. It is not a timing assertion: each wait ends
// on an event, and the guard only turns a hang into a failure with the logs.
const hangGuard = 20 * time.Second

// until waits until cond holds, checking it again after every change the fake Discord
// sees and every interaction the bot starts or finishes; after hangGuard it fails the test.
func (h *harness) until(what string, cond func() bool) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	for {
		fc, bc := h.fake.Changed(), bot.ActivityChanged(h.bot)
		if cond() {
			return
		}
		select {
		case <-fc:
		case <-bc:
		case <-ctx.Done():
			h.t.Fatalf("still waiting for %s after %v\nlogs:\n%s", what, hangGuard, h.logs.String())
		}
	}
}

// result waits for Run to return and gives its error, leaving it for shutdown; after
// hangGuard it fails the test.
func (h *harness) result(what string) error {
	h.t.Helper()
	select {
	case err := <-h.done:
		h.done <- err
		return err
	case <-time.After(hangGuard):
		h.t.Fatalf("Run still going after %v: %s\nlogs:\n%s", hangGuard, what, h.logs.String())
		return nil
	}
}

// shutdown cancels Run and returns its result (once; later calls return the same).
func (h *harness) shutdown() error {
	h.t.Helper()
	h.stop()
	select {
	case err := <-h.done:
		h.done <- err
		return err
	case <-time.After(15 * time.Second):
		h.t.Error("Run did not return within 15 s of cancel")
		return errors.New("Run did not return")
	}
}

// checkLogs fails the test if any log line holds the bot token or an interaction token.
func (h *harness) checkLogs() {
	h.t.Helper()
	logs := h.logs.String()
	secret := strings.TrimPrefix(h.fake.Token(), "Bot ")
	if strings.Contains(logs, secret) {
		h.t.Errorf("the bot token appears in the logs")
	}
	for _, tok := range h.fake.IssuedTokens() {
		if strings.Contains(logs, tok) {
			h.t.Errorf("interaction token %s… appears in the logs", tok[:12])
			return
		}
	}
}

// interact sends in and waits up to 5 s for its callback.
func (h *harness) interact(in fakediscord.Interaction) *fakediscord.Callback {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cb, err := h.fake.Interact(ctx, in)
	if err != nil {
		h.t.Fatalf("%v\nlogs:\n%s", err, h.logs.String())
	}
	return cb
}

// who builds the Who for a user in a guild with permissions.
func who(user, guild, perms string) fakediscord.Who {
	return fakediscord.Who{User: user, Guild: guild, Permissions: perms}
}
