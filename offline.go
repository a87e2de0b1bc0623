package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"filmbot/commands"
	"filmbot/config"
	"filmbot/console"
	"filmbot/store"
	"filmbot/trivia"
)

// maxQuestion matches /ask's question limit.
const maxQuestion = 1000

// askJSON is `filmbot ask -json`'s output.
type askJSON struct {
	Found   bool     `json:"found"`
	Answer  string   `json:"answer"`
	Film    string   `json:"film"`
	Sources []string `json:"sources"`
}

// ask prints the answer /ask would give, from the same Set and the same renderer.
func (c *cli) ask(args []string) int {
	fs, co := c.flags("ask")
	asJSON := fs.Bool("json", false, `print one JSON object: {"found", "answer", "film", "sources"}`)
	film := fs.String("film", "", "the `film` the question is about: title, alias or ID")
	if code := c.parse(fs, args); code >= 0 {
		return code
	}
	q := strings.TrimSpace(strings.Join(fs.Args(), " "))
	// A mistake on the command line exits 2; with -json it is still one JSON object on
	// stdout (found false, the problem as the answer), so a script always gets one.
	usage := func(msg string) int {
		fmt.Fprintf(c.stderr, "filmbot ask: %s\n", msg)
		if *asJSON {
			c.printJSON(askJSON{Answer: capitalize(msg) + ".", Sources: []string{}})
		}
		return exitUsage
	}
	if q == "" {
		return usage("no question; try: filmbot ask \"Who plays Yong Mi in Comrade Kim Goes Flying?\"")
	}
	if utf8.RuneCountInString(q) > maxQuestion {
		return usage(fmt.Sprintf("the question is too long: at most %d characters, please", maxQuestion))
	}
	st, cfg, code := c.configuredStore("ask", co, readOnly, args)
	if code >= 0 {
		return code
	}
	defer c.closeStore(st)
	set := commands.New(commands.Deps{Store: st, Knowledge: c.knowledgeOf(st), Logger: c.quietLogger(cfg)})

	filmID := ""
	if *film != "" {
		f, err := set.FindFilm(c.ctx, *film)
		var unknown *commands.UserError
		if errors.As(err, &unknown) {
			// A film the data does not hold is an honest "not found", as /ask says it in
			// Discord, and exits 0 like any other answer; only real failures are errors.
			if *asJSON {
				return c.printJSON(askJSON{Answer: unknown.Msg, Sources: []string{}})
			}
			fmt.Fprintln(c.stdout, unknown.Msg)
			return exitOK
		}
		if err != nil {
			return c.fail("ask", err)
		}
		filmID = f.ID
	}
	a, err := set.Knowledge().Ask(c.ctx, q, filmID)
	if err != nil {
		return c.fail("ask", err)
	}
	if *asJSON {
		out := askJSON{Found: a.Found, Answer: a.Text, Film: a.Film, Sources: a.Sources}
		if out.Sources == nil {
			out.Sources = []string{}
		}
		return c.printJSON(out)
	}
	fmt.Fprintln(c.stdout, commands.ReplyText(a))
	return exitOK
}

// configuredStore loads the config and opens its store for the command name. A code of
// 0 or more is the command's exit code when either fails, or when the store is held by a
// running filmbot that ran the command (args) itself; -1 means carry on, and the caller
// closes the store.
func (c *cli) configuredStore(name string, co *common, mode openMode, args []string) (*store.Store, config.Config, int) {
	cfg, ok := c.config(co)
	if !ok {
		return nil, cfg, exitUsage
	}
	st, err := c.openStore(cfg, mode)
	if _, ok := forwardable(err, name); ok {
		return nil, cfg, c.forward(name, cfg.DB, args, nil)
	}
	if err != nil {
		return nil, cfg, c.fail(name, err)
	}
	return st, cfg, -1
}

// printJSON writes `filmbot ask -json`'s one object.
func (c *cli) printJSON(out askJSON) int {
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return c.fail("ask", err)
	}
	return exitOK
}

// console reads lines and prints replies through a console.Session driving the app as
// Open wires it offline: "/name opt: value …" runs a command, "[Label]" presses a button
// on an earlier reply, "/quit" leaves, and any other line is a question for /ask. At the
// end of the input a trivia game still running plays out to its end.
func (c *cli) console(args []string) int {
	fs, co := c.flags("console")
	if code := c.parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(c.stderr, "filmbot console: takes no arguments; type commands on standard input")
		return exitUsage
	}
	cfg, ok := c.config(co)
	if !ok {
		return exitUsage
	}
	code := c.converse(cfg, c.quietLogger(cfg), console.Timing())
	if code == exitForward {
		// A running filmbot holds the store: the console runs in it, through its socket.
		return c.forward("console", cfg.DB, args, nil)
	}
	return code
}

// exitForward is converse's answer when a running filmbot holding the store would run
// the console itself: nothing has been read or printed yet.
const exitForward = -2

// converse runs a console session on the store cfg names until /quit, the end of the input
// (and of any game it started), or an interrupt.
func (c *cli) converse(cfg config.Config, log *slog.Logger, timing trivia.Timing) int {
	sess := console.New(console.Options{
		Out: c.stdout, Err: c.stderr, UserName: userName(c.env), Prompt: c.interactive(),
		Echo: !c.interactive(),
	})
	opts := Options{
		Log: log, Stderr: c.stderr, Messenger: sess, Clock: sess.Clock(), Timing: &timing,
		TriviaOwners: []string{console.User},
	}
	if c.held != nil {
		opts.Shared = c.held.app
	}
	a, err := Open(c.ctx, cfg, opts)
	if _, ok := forwardable(err, "console"); ok {
		return exitForward
	}
	if err != nil {
		return c.fail("console", err)
	}
	defer func() {
		a.Trivia.Close()
		// Let a timer that was already running (a reveal, the standings) finish printing
		// before the store closes under it.
		sess.Settle(5 * time.Second)
		console.EndGames(a.Guilds, log)
		if err := a.Close(); err != nil {
			fmt.Fprintf(c.stderr, "filmbot: close: %v\n", err)
		}
	}()
	if err := sess.Run(c.ctx, a.Commands, c.stdin); err != nil {
		return c.fail("console", err)
	}
	return exitOK
}

func userName(env func(string) string) string {
	if u := env("USER"); u != "" {
		return u
	}
	return "you"
}
