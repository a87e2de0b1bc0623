package main

import (
	"context"
	"fmt"
	"log/slog"

	"filmbot/bot"
	"filmbot/commands"
	"filmbot/trivia"
)

// serve is `filmbot run`: the whole bot, wired in order. It returns when the context ends
// (SIGINT, SIGTERM) after in-flight replies have had their grace period, or when the
// connection to Discord fails for good.
func (c *cli) serve(args []string) int {
	fs, co := c.flags("run")
	if code := c.parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "filmbot run: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}

	// 1. Settings: defaults, file, environment, flags; then one validation.
	cfg, ok := c.config(co)
	if !ok {
		return exitUsage
	}
	if cfg.Token == "" {
		fmt.Fprintln(c.stderr, "filmbot run: no bot token.")
		fmt.Fprintln(c.stderr, "  Create an application at https://discord.com/developers/applications, open Bot,")
		fmt.Fprintln(c.stderr, "  reset and copy the token, and set FILMBOT_TOKEN (or token in the config file).")
		fmt.Fprintln(c.stderr, "  To try filmbot without Discord: filmbot console, or filmbot ask \"QUESTION\".")
		return exitUsage
	}

	// 2. Logger: every record passes through the token redactor, whatever logs it.
	base := c.logger(cfg)
	log := slog.New(bot.RedactHandler(base.Handler(), cfg.Token))
	for _, w := range cfg.Warnings() {
		log.Warn("config: " + w)
	}

	// 3. Metrics and health checks (metrics-addr), up before anything else so /readyz
	// says what is still missing; it turns unready the moment SIGINT/SIGTERM arrives.
	obs, err := startObserver(cfg, log)
	if err != nil {
		log.Error("metrics", "err", err)
		return exitFail
	}
	defer obs.close()
	defer obs.drainOn(c.ctx, log)()

	// Store, created and seeded on first run.
	st, err := c.openStore(cfg, readWrite)
	if err != nil {
		log.Error("open store", "err", err)
		return exitFail
	}
	defer c.closeStore(st)
	obs.storeOpen.Store(true)
	defer obs.storeOpen.Store(false)

	// 4. The knowledge in memory, with the answer index built before the first question.
	know := c.knowledgeOf(st)
	if err := know.Warm(c.ctx); err != nil {
		log.Error("build answer index", "err", err)
		return exitFail
	}
	obs.watchKnowledge(st, know)

	// 5. The control socket beside the store, which is locked while we serve: backup,
	// reseed, ask and console from another shell go through it, on this knowledge. Then
	// the commands that answer from it.
	defer c.serveControl(cfg, st, know, "filmbot run", log)()
	set := commands.New(commands.Deps{
		Store:        st,
		Knowledge:    know,
		Logger:       log.With("component", "commands"),
		Owners:       cfg.Owners,
		HomeGuild:    cfg.HomeGuild,
		Fetch:        bot.NewFetcher(cfg.FetchTimeout.Duration),
		MaxSeedBytes: cfg.MaxSeedBytes,
		FetchTimeout: cfg.FetchTimeout.Duration,
	})

	// 6. The bot, then trivia (it posts through the bot's messenger), then serve.
	bcfg := bot.FromConfig(cfg)
	if obs.m != nil {
		bcfg.Metrics = obs.m
	}
	b, err := bot.New(bcfg, set, log)
	if err != nil {
		log.Error("start bot", "err", err)
		return exitFail
	}
	obs.watchGateway(b.GatewayReady)
	tdeps := trivia.Deps{
		Store:     st,
		Knowledge: know,
		Messenger: b.Messenger(),
		Logger:    log.With("component", "trivia"),
		Owners:    cfg.Owners,
	}
	if obs.m != nil {
		tdeps.Metrics = obs.m
	}
	eng := trivia.New(tdeps)
	eng.Register(set)
	// On SIGINT/SIGTERM trivia stops first, while the bot drains: no new games, no
	// timer posting to a closing session. The deferred Close covers the error paths.
	stopTrivia := context.AfterFunc(c.ctx, eng.Close)
	defer stopTrivia()
	defer eng.Close()
	if n, err := eng.Restore(c.ctx); err != nil {
		log.Warn("trivia restore", "err", err)
	} else if n > 0 {
		log.Info("closed interrupted trivia games", "games", n)
	}

	counts, _ := st.Counts()
	log.Info("starting", "store", cfg.DB, "films", counts.Films, "facts", counts.Facts)
	if err := b.Run(c.ctx); err != nil {
		log.Error("bot stopped", "err", err)
		return exitFail
	}
	log.Info("stopped")
	return exitOK
}
