package main

import (
	"fmt"
	"log/slog"

	"filmbot/bot"
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

	// 2. Everything else, in the order App documents.
	base := c.logger(cfg)
	log := slog.New(bot.RedactHandler(base.Handler(), cfg.Token))
	for _, w := range cfg.Warnings() {
		log.Warn("config: " + w)
	}
	a, err := Open(c.ctx, cfg, Options{Log: base, Stderr: c.stderr})
	if err != nil {
		log.Error("start", "err", err)
		return exitFail
	}
	defer func() {
		if err := a.Close(); err != nil {
			fmt.Fprintf(c.stderr, "filmbot: close: %v\n", err)
		}
	}()

	// 3. Serve until SIGINT or SIGTERM.
	if err := a.Run(c.ctx); err != nil {
		a.Log.Error("bot stopped", "err", err)
		return exitFail
	}
	a.Log.Info("stopped")
	return exitOK
}
