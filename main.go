// Command filmbot is a Discord bot that answers film trivia, and the tools to run it.
//
//	filmbot run                 connect to Discord and serve
//	filmbot ask QUESTION...     answer one question from the store, as /ask would
//	filmbot console             type slash commands and questions, read the replies
//	filmbot reseed [FILE...]    rebuild the knowledge from seed files (or the embedded seed)
//	filmbot check FILE...       validate seed files
//	filmbot backup OUT          write a consistent copy of the store, even while it serves
//	filmbot compact OUT         write a copy of the store without the space past reseeds freed
//	filmbot version             print the version
//
// main only wires: config, then logger, then store, then commands, then the bot. Every
// subcommand takes -db PATH and -config PATH, and -h for its usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"filmbot/commands"
	"filmbot/config"
	"filmbot/knowledge"
	"filmbot/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and failed: bad seed, store error, Discord error
	exitUsage = 2 // the command line or the configuration is wrong
)

// cli is one invocation: its environment and streams, so tests run it in-process.
type cli struct {
	ctx    context.Context
	env    func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// held is set when the command runs inside the process that holds the store, for a
	// client of its control socket (remote.go).
	held *held
	// know is the knowledge service over the store this command opened, shared by the
	// parts of the command that need one (knowledgeOf).
	know *knowledge.Service
}

type subcommand struct {
	name    string
	args    string
	summary string
	run     func(c *cli, args []string) int
}

func subcommands() []subcommand {
	return []subcommand{
		{"run", "", "connect to Discord and serve the commands", (*cli).serve},
		{"ask", "[-json] [-film TITLE] QUESTION...", "answer a question from the store, as /ask would", (*cli).ask},
		{"console", "", "type slash commands or questions and read the replies, offline", (*cli).console},
		{"reseed", "[FILE...] | -article FILE -film TITLE [-move]", "rebuild the knowledge from seed files, the embedded seed, or an article", (*cli).reseed},
		{"check", "FILE...", "validate seed files; problems go to stdout as file:line: message", (*cli).check},
		{"backup", "OUT", "write a consistent copy of the store to OUT, even while filmbot run serves it", (*cli).backup},
		{"compact", "OUT", "write a compacted copy of the store to OUT, to move over it while filmbot is stopped", (*cli).compact},
		{"eval", "[-seed FILES] [-article FILE -film TITLE] SET.tsv...", "score the answer engine on question sets, through the /ask path", (*cli).eval},
		{"version", "", "print the version", (*cli).version},
	}
}

// run is main without the process: it parses args, runs one subcommand and returns the
// exit code.
func run(ctx context.Context, args []string, env func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{ctx: ctx, env: env, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		c.usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		c.usage(stdout)
		return exitOK
	}
	for _, sc := range subcommands() {
		if sc.name == args[0] {
			return sc.run(c, args[1:])
		}
	}
	fmt.Fprintf(stderr, "filmbot: unknown command %q\n\n", args[0])
	c.usage(stderr)
	return exitUsage
}

func (c *cli) usage(w io.Writer) {
	fmt.Fprintln(w, "filmbot answers film trivia on Discord, and offline.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: filmbot COMMAND [-db PATH] [-config PATH] [ARGS]")
	fmt.Fprintln(w)
	for _, sc := range subcommands() {
		fmt.Fprintf(w, "  %-8s %s\n", sc.name, sc.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run filmbot COMMAND -h for a command's flags. Settings come from the config file")
	fmt.Fprintln(w, "(-config, FILMBOT_CONFIG, or ./filmbot.toml), then FILMBOT_* variables, then flags.")
}

// common are the flags every subcommand takes.
type common struct {
	db     string
	config string
}

// flags returns a flag set for a subcommand with -db and -config, printing usage (with
// the subcommand's synopsis) to stdout for -h and to stderr for mistakes.
func (c *cli) flags(name string) (*flag.FlagSet, *common) {
	var sc subcommand
	for _, s := range subcommands() {
		if s.name == name {
			sc = s
		}
	}
	fs := flag.NewFlagSet("filmbot "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	co := &common{}
	fs.StringVar(&co.db, "db", "", "store `path` (default from config, FILMBOT_DB, or filmbot.db)")
	fs.StringVar(&co.config, "config", "", "config file `path` (default FILMBOT_CONFIG, or ./filmbot.toml when present)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: filmbot %s [flags] %s\n\n%s.\n\nFlags:\n", name, sc.args, capitalize(sc.summary))
		fs.PrintDefaults()
	}
	return fs, co
}

// parse parses args; it returns the exit code to stop with, or -1 to go on. -h prints
// the usage to stdout (it was asked for); mistakes print it to stderr.
//
// Flags may come anywhere among the arguments (`filmbot ask "who directed it?" -json`
// used to ask "who directed it? -json"); "--" ends them, for an argument that starts
// with a dash.
func (c *cli) parse(fs *flag.FlagSet, args []string) int {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(c.stdout)
			fs.Usage()
			return exitOK
		}
	}
	var pos []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			return exitUsage
		}
		n := len(rest) - fs.NArg() // what Parse consumed
		if fs.NArg() == 0 {
			break
		}
		if n > 0 && rest[n-1] == "--" {
			pos = append(pos, fs.Args()...) // everything after "--" is an argument
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	// Leave the arguments where fs.Args reports them, flags already set.
	if err := fs.Parse(append([]string{"--"}, pos...)); err != nil {
		return exitUsage
	}
	// A subcommand whose synopsis names no arguments takes none.
	name := strings.TrimPrefix(fs.Name(), "filmbot ")
	for _, sc := range subcommands() {
		if sc.name == name && sc.args == "" && fs.NArg() > 0 {
			fmt.Fprintf(c.stderr, "filmbot %s: takes no arguments (got %q)\n", name, fs.Args())
			return exitUsage
		}
	}
	return -1
}

// config loads the settings in their order: defaults, the file, the environment, -db.
// Problems are printed; ok is false when the command should stop.
func (c *cli) config(co *common) (cfg config.Config, ok bool) {
	if c.held != nil {
		return c.held.cfg, true // the holder's settings; the client's were checked there
	}
	path, explicit := co.config, co.config != ""
	if !explicit {
		if p := c.env("FILMBOT_CONFIG"); p != "" {
			path, explicit = p, true
		}
	}
	if !explicit {
		if _, err := os.Stat("filmbot.toml"); err == nil {
			path = "filmbot.toml"
		}
	}
	cfg = config.Default()
	if path != "" {
		var err error
		cfg, err = config.Load(path)
		if err != nil {
			c.configProblems(err)
			return cfg, false
		}
	}
	cfg.ApplyEnv(c.env)
	if co.db != "" {
		cfg.DB = co.db
	}
	if err := cfg.Validate(); err != nil {
		c.configProblems(err)
		return cfg, false
	}
	return cfg, true
}

// configProblems prints each line of a config error as its own "filmbot: config:" line.
func (c *cli) configProblems(err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(c.stderr, "filmbot: config: %s\n", line)
	}
}

// logger builds the process's logger from the config: level and format, to stderr.
func (c *cli) logger(cfg config.Config) *slog.Logger {
	level, _ := cfg.Level() // Validate has checked it
	return c.loggerAt(cfg, level)
}

// quietLogger is the logger for the offline commands, whose output is the replies: it
// shows warnings and errors unless the config asks for debug.
func (c *cli) quietLogger(cfg config.Config) *slog.Logger {
	level, _ := cfg.Level()
	if level == slog.LevelInfo {
		level = slog.LevelWarn
	}
	return c.loggerAt(cfg, level)
}

func (c *cli) loggerAt(cfg config.Config, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(c.stderr, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(c.stderr, opts)
	}
	return slog.New(h)
}

// openStore opens the store at cfg.DB for a subcommand (see openStore in app.go).
func (c *cli) openStore(cfg config.Config, mode openMode) (*store.Store, error) {
	if c.held != nil {
		return c.held.st, nil
	}
	return openStore(c.ctx, cfg, mode, c.stderr)
}

// storeError explains the two errors an operator meets when opening the store. For a
// locked store it asks the control socket who holds it, so the advice is true
// (lockedError).
func storeError(path string, err error) error {
	switch {
	case errors.Is(err, store.ErrLocked):
		h, ok := holderOf(path)
		return &lockedError{path: path, holder: h, known: ok}
	case errors.Is(err, store.ErrSchema):
		return fmt.Errorf("%w; move the file aside and run `filmbot reseed -db %s` to build a new one", err, path)
	}
	return err
}

// fail prints err as "filmbot NAME: err" and returns exitFail.
func (c *cli) fail(name string, err error) int {
	fmt.Fprintf(c.stderr, "filmbot %s: %v\n", name, err)
	return exitFail
}

// closeStore closes st, reporting a failure (a store that does not close cleanly is worth
// knowing about).
func (c *cli) closeStore(st *store.Store) {
	if c.held != nil && c.held.st == st {
		return // the holder's, still serving
	}
	if err := st.Close(); err != nil {
		fmt.Fprintf(c.stderr, "filmbot: close store: %v\n", err)
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// since formats an elapsed time for progress lines.
func since(t time.Time) string {
	return commands.Elapsed(time.Since(t))
}
