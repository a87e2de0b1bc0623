package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"filmbot/bot"
	"filmbot/commands"
	"filmbot/config"
	"filmbot/control"
	"filmbot/knowledge"
	"filmbot/pgstore"
	"filmbot/seed"
	"filmbot/store"
	"filmbot/trivia"
)

// App is filmbot assembled. `filmbot run`, the console and every end-to-end test build it
// with Open, the same way, in this order:
//
//  1. the logger, every record passing the token redactor whatever logs it;
//  2. the store, created and seeded from the embedded data on first use, and with
//     database-url, PostgreSQL for per-guild data shared by every process;
//  3. the knowledge service, its answer index built before the first question; with
//     database-url it publishes reseeds to the other processes and installs theirs;
//  4. the commands, answering from that service;
//  5. the control socket beside the store (backup, reseed, ask and console from other
//     shells), and on Discord the bot, with metrics and health on metrics-addr;
//  6. trivia, resolving films through the same service and posting through the bot's
//     messenger (or Options.Messenger, offline), its commands added to the set.
//
// Run serves Discord until its context ends; Close releases everything Open took, in the
// reverse order.
type App struct {
	Config config.Config
	Log    *slog.Logger
	Store  *store.Store
	// Guilds holds per-guild data (scores, settings, games): PostgreSQL with database-url,
	// else Store.
	Guilds    store.GuildStore
	Knowledge *knowledge.Service
	Commands  *commands.Set
	Trivia    *trivia.Engine
	// Bot is nil offline (Options.Messenger set).
	Bot *bot.Bot

	control *control.Server
	// obs serves metrics and health checks (metrics-addr); nil when off.
	obs *observer
	// shared is set when Store, Guilds and Knowledge belong to Options.Shared.
	shared bool
	pg     *pgstore.Store
	sync   *pgstore.KnowledgeSync
}

// Options are what a front end or a test chooses beyond the config.
type Options struct {
	// Log receives every record; nil discards them.
	Log *slog.Logger
	// Stderr gets the one line saying a new store was created; nil discards it.
	Stderr io.Writer
	// Messenger, when not nil, runs the app offline: no bot, and trivia posts through it
	// (the console).
	Messenger trivia.Messenger
	// Clock runs trivia's timers; nil means the real clock.
	Clock trivia.Clock
	// Timing, when not nil, replaces trivia's default pace.
	Timing *trivia.Timing
	// TriviaOwners, when not nil, replaces cfg.Owners as the users who may stop any game.
	TriviaOwners []string
	// Shared, when not nil, is the app of `filmbot run` in this process, whose store,
	// per-guild data and knowledge this one uses instead of opening its own: the console
	// that a control-socket client runs inside the bot. Close leaves them open, and no
	// socket is served.
	Shared *App
}

// Open builds the app from cfg. On error nothing stays open.
func Open(ctx context.Context, cfg config.Config, opts Options) (_ *App, err error) {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	stderr := opts.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	online := opts.Messenger == nil
	a := &App{Config: cfg, Log: slog.New(bot.RedactHandler(log.Handler(), cfg.Token))}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	log = a.Log

	if online && cfg.MetricsAddr != "" {
		// Metrics and health checks first, so /readyz says what is still missing.
		if a.obs, err = startObserver(cfg, log); err != nil {
			return nil, err
		}
	}
	if opts.Shared != nil {
		a.shared = true
		a.Store, a.Guilds, a.Knowledge = opts.Shared.Store, opts.Shared.Guilds, opts.Shared.Knowledge
	} else if a.Store, err = openStore(ctx, cfg, readWrite, stderr); err != nil {
		return nil, err
	}
	a.obs.storeUp(true)

	if a.shared {
		// Everything below the knowledge is the sharing app's.
	} else if a.Guilds = a.Store; cfg.DatabaseURL != "" {
		if a.pg, err = pgstore.Open(ctx, cfg.DatabaseURL, pgstore.Options{}); err != nil {
			return nil, fmt.Errorf("open database (database-url): %w", err)
		}
		a.Guilds = a.pg
	}

	if !a.shared {
		a.Knowledge = knowledge.New(a.Store)
	}
	if a.pg != nil {
		// With several processes, a reseed in any of them reaches every one: publish ours,
		// install theirs, and catch up now with what was published while we were down.
		know := a.Knowledge
		a.sync, err = a.pg.Knowledge(cfg.DB+".pggen", func(ctx context.Context, cat *seed.Catalog) error {
			_, err := know.Reseed(ctx, cat, nil)
			return err
		}, log.With("component", "knowledge-sync"))
		if err != nil {
			return nil, fmt.Errorf("knowledge sync: %w", err)
		}
		know.SetPublish(a.sync.Publish)
		if _, err := a.sync.CatchUp(ctx); err != nil {
			log.Warn("knowledge catch-up at start failed; the listener tries again", "err", err)
		}
	}
	if err := a.Knowledge.Warm(ctx); err != nil {
		return nil, fmt.Errorf("build answer index: %w", err)
	}
	a.obs.watchKnowledge(a.Store, a.Knowledge)
	if !a.shared {
		// The store is locked while we hold it: backups, reseeds, questions and consoles
		// from other shells go through this socket, on this knowledge.
		holder := "filmbot console"
		if online {
			holder = "filmbot run"
		}
		a.serveControl(holder)
	}
	deps := commands.Deps{
		Store:     a.Store,
		Knowledge: a.Knowledge,
		Logger:    log.With("component", "commands"),
	}
	if online {
		deps.Owners, deps.HomeGuild = cfg.Owners, cfg.HomeGuild
		deps.Fetch = bot.NewFetcher(cfg.FetchTimeout.Duration)
		deps.MaxSeedBytes, deps.FetchTimeout = cfg.MaxSeedBytes, cfg.FetchTimeout.Duration
	}
	a.Commands = commands.New(deps)

	msgr := opts.Messenger
	if online {
		bcfg := bot.FromConfig(cfg)
		if a.obs != nil {
			bcfg.Metrics = a.obs.m
		}
		if a.Bot, err = bot.New(bcfg, a.Commands, log); err != nil {
			return nil, fmt.Errorf("start bot: %w", err)
		}
		msgr = a.Bot.Messenger()
		a.obs.watchGateway(a.Bot.GatewayReady)
	}
	owners := cfg.Owners
	if opts.TriviaOwners != nil {
		owners = opts.TriviaOwners
	}
	tdeps := trivia.Deps{
		Store:     a.Store,
		Guilds:    a.Guilds,
		Owns:      cfg.OwnsGuild,
		Knowledge: a.Knowledge,
		Messenger: msgr,
		Clock:     opts.Clock,
		Logger:    log.With("component", "trivia"),
		Owners:    owners,
		Timing:    opts.Timing,
	}
	if a.obs != nil {
		tdeps.Metrics = a.obs.m
	}
	a.Trivia = trivia.New(tdeps)
	a.Trivia.Register(a.Commands)
	return a, nil
}

// Run closes the trivia games a previous process left running, then serves Discord until
// ctx ends (SIGINT, SIGTERM), after in-flight replies have had their grace period, or the
// connection fails for good. When ctx ends trivia stops first, while the bot drains: no new
// games, and no timer posting to a closing session. An offline app has nothing to run.
func (a *App) Run(ctx context.Context) error {
	if a.Bot == nil {
		return errors.New("filmbot: Run needs Discord; this app was opened offline")
	}
	stopTrivia := context.AfterFunc(ctx, a.Trivia.Close)
	defer stopTrivia()
	if a.obs != nil {
		// /readyz fails from the moment SIGINT or SIGTERM ends ctx, before the drain.
		defer a.obs.drainOn(ctx, a.Log)()
	}
	if a.sync != nil {
		go a.sync.Run(ctx)
	}
	if n, err := a.Trivia.Restore(ctx); err != nil {
		a.Log.Warn("trivia restore", "err", err)
	} else if n > 0 {
		a.Log.Info("closed interrupted trivia games", "games", n)
	}
	counts, _ := a.Store.Counts()
	a.Log.Info("starting", "store", a.Config.DB, "films", counts.Films, "facts", counts.Facts)
	return a.Bot.Run(ctx)
}

// Close stops trivia, the backup socket and the store, in that order, and returns the
// first failure. It is safe to call more than once.
func (a *App) Close() error {
	var errs []error
	if a.Trivia != nil {
		a.Trivia.Close()
	}
	if a.control != nil {
		errs = append(errs, a.control.Close())
		a.control = nil
	}
	if a.pg != nil {
		a.pg.Close()
		a.pg = nil
	}
	a.obs.storeUp(false)
	if a.Store != nil && !a.shared {
		errs = append(errs, a.Store.Close())
	}
	a.Store = nil
	if a.obs != nil {
		a.obs.close()
		a.obs = nil
	}
	return errors.Join(errs...)
}

// openMode says how a subcommand uses the store.
type openMode int

const (
	readWrite openMode = iota
	readOnly           // shared lock; several read-only commands can run together
	noSeed             // read-write, and do not seed a new store (reseed is about to)
)

// openStore opens the store at cfg.DB. A missing (or never seeded) store is created and
// seeded from the embedded data, with one line on stderr saying so.
func openStore(ctx context.Context, cfg config.Config, mode openMode, stderr io.Writer) (*store.Store, error) {
	// A filmbot answering on the store's socket holds its lock: say so now rather than
	// after the lock's timeout, so a command forwarded to it starts at once.
	if h, ok := holderOf(cfg.DB); ok {
		return nil, &lockedError{path: cfg.DB, holder: h, known: true}
	}
	_, statErr := os.Stat(cfg.DB)
	exists := statErr == nil
	if exists && mode == readOnly {
		st, err := store.Open(cfg.DB, store.Options{ReadOnly: true})
		if err != nil {
			return nil, storeError(cfg.DB, err)
		}
		seeded, err := st.Seeded()
		if err != nil || seeded {
			if err != nil {
				st.Close()
				return nil, err
			}
			return st, nil
		}
		st.Close() // an empty file: seed it below
	}
	st, err := store.Open(cfg.DB, store.Options{})
	if err != nil {
		return nil, storeError(cfg.DB, err)
	}
	if mode == noSeed {
		return st, nil
	}
	seeded, err := st.Seeded()
	if err != nil {
		st.Close()
		return nil, err
	}
	if seeded {
		return st, nil
	}
	cat, err := commands.LoadSeed(nil)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("embedded seed: %w", err)
	}
	res, err := st.Reseed(ctx, cat, nil)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("seed new store %s: %w", cfg.DB, err)
	}
	fmt.Fprintf(stderr, "filmbot: created %s from the embedded seed (%s)\n", cfg.DB, commands.CountsText(res.Counts))
	return st, nil
}
