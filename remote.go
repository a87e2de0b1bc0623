package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"filmbot/config"
	"filmbot/console"
	"filmbot/control"
	"filmbot/knowledge"
	"filmbot/store"
)

// held is the store and knowledge of the process serving the control socket, lent to a
// command that the socket runs for a client (`filmbot reseed` while `filmbot run` holds
// the store). The command then works on the live store through the live knowledge service,
// exactly as it would have on its own: same code, same output, same exit code.
type held struct {
	cfg config.Config
	app *App
	st  *store.Store
	// know is the holder's knowledge service: a reseed through it rebuilds the index
	// that answers Discord.
	know *knowledge.Service
	// files are the files the client sent, by the names it gave: the service may not see
	// the operator's files (systemd's PrivateTmp, a container), so nothing is read from
	// disk on the client's behalf.
	files map[string][]byte
	// tty reports whether the client's standard input is a terminal.
	tty bool
}

// remoteOps are the subcommands the control socket runs for a client.
var remoteOps = []string{"ask", "console", "reseed"}

// serveControl opens the control socket beside the store for holder ("filmbot run",
// "filmbot console"): backups, and the remote subcommands on the app's store and
// knowledge. On failure it logs a warning; the commands that need the socket then say so
// when they find the store locked.
func (a *App) serveControl(holder string) {
	srv, err := control.Listen(control.SocketPath(a.Config.DB), a.Store.Backup, a.Log.With("component", "control"))
	if err != nil {
		a.Log.Warn("no control socket; backup, reseed, ask and console from another shell will not reach this store", "err", err)
		return
	}
	srv.SetHolder(holder)
	for _, op := range remoteOps {
		srv.Handle(op, a.remoteCommand(op))
	}
	a.control = srv
}

// remoteCommand returns the control socket's handler for the subcommand op.
func (a *App) remoteCommand(op string) control.CommandFunc {
	return func(ctx context.Context, cmd control.Command, stdout, stderr io.Writer) int {
		files := make(map[string][]byte, len(cmd.Files))
		for _, f := range cmd.Files {
			files[f.Name] = f.Data
		}
		rc := &cli{
			ctx: ctx, env: os.Getenv, stdin: cmd.Stdin, stdout: stdout, stderr: stderr,
			held: &held{cfg: a.Config, app: a, st: a.Store, know: a.Knowledge, files: files, tty: cmd.Terminal},
		}
		for _, sc := range subcommands() {
			if sc.name == op {
				return sc.run(rc, cmd.Args)
			}
		}
		fmt.Fprintf(stderr, "filmbot %s: not offered through the control socket\n", op)
		return exitUsage
	}
}

// readFile reads name from disk, or from the files the client sent when running for one.
func (c *cli) readFile(name string) ([]byte, error) {
	if c.held != nil {
		if b, ok := c.held.files[name]; ok {
			return b, nil
		}
		return nil, &os.PathError{Op: "open", Path: name, Err: errors.New("not sent by the client")}
	}
	return os.ReadFile(name)
}

// knowledgeOf returns the knowledge service over st: the holder's own when running for a
// client (so a reseed rebuilds the index that answers Discord), else a new one.
func (c *cli) knowledgeOf(st *store.Store) *knowledge.Service {
	if c.held != nil && c.held.st == st {
		return c.held.know
	}
	if c.know == nil || c.know.Store() != st {
		c.know = knowledge.New(st)
	}
	return c.know
}

// interactive reports whether the command's input is a person at a terminal: locally,
// whether stdin is one; for a client of the control socket, whether the client's is.
func (c *cli) interactive() bool {
	if c.held != nil {
		return c.held.tty
	}
	return console.IsTerminal(c.stdin)
}

// whoTimeout bounds asking the socket who holds a locked store.
const whoTimeout = 2 * time.Second

// holderOf asks the control socket of the store at db who holds it; ok is false when
// nothing answers there.
func holderOf(db string) (control.Holder, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), whoTimeout)
	defer cancel()
	h, err := control.Who(ctx, control.SocketPath(db))
	return h, err == nil
}

// lockedError is openStore's error for a store another process holds. Its text says who
// holds it and what still works, as far as the socket can tell.
type lockedError struct {
	path   string
	holder control.Holder
	known  bool // the holder answered on the control socket
}

func (e *lockedError) Error() string {
	if !e.known {
		return fmt.Sprintf("%s is in use by another process that serves no control socket: "+
			"a filmbot ask, check, compact or reseed (they finish on their own; try again), "+
			"or a filmbot run or console that could not open %s; "+
			"stop it, or use -db with another store", e.path, control.SocketPath(e.path))
	}
	h := e.holder
	return fmt.Sprintf("%s is in use by %s (pid %d, since %s), which offers %s through %s; "+
		"stop it to use the store directly, or use -db with another store",
		e.path, h.Name, h.PID, h.Since.Local().Format("2006-01-02 15:04:05"),
		offersText(h.Ops), control.SocketPath(e.path))
}

func (e *lockedError) Unwrap() error { return store.ErrLocked }

func offersText(ops []string) string {
	if len(ops) == 0 {
		return "nothing"
	}
	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = "filmbot " + op
	}
	return strings.Join(names, ", ")
}

// forwardable returns the holder of a locked store when it runs op for other processes.
func forwardable(err error, op string) (control.Holder, bool) {
	var le *lockedError
	if errors.As(err, &le) && le.known && le.holder.Offers(op) {
		return le.holder, true
	}
	return control.Holder{}, false
}

// forward runs the subcommand op in the process holding the store at db, with the same
// arguments and the named files' contents, and returns its exit code. Its output reaches
// this process's stdout and stderr as it is written.
func (c *cli) forward(op, db string, args []string, files []string) int {
	cmd := control.Command{Args: args}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			fmt.Fprintf(c.stderr, "%s: cannot read: %v\nfilmbot %s: nothing was changed\n", name, err, op)
			return exitFail
		}
		cmd.Files = append(cmd.Files, control.File{Name: name, Data: b})
	}
	if op == "console" {
		cmd.Stdin = c.stdin
		cmd.Terminal = console.IsTerminal(c.stdin)
	}
	code, err := control.Run(c.ctx, control.SocketPath(db), op, cmd, c.stdout, c.stderr)
	if err != nil {
		if errors.Is(err, context.Canceled) && op == "reseed" {
			// The holder cancels the reseed when this client goes; only a reseed already
			// committed by then stays, and this side cannot tell which happened.
			fmt.Fprintln(c.stderr, "filmbot reseed: interrupted; the running filmbot stops the reseed, and nothing is changed unless it had already committed it (filmbot ask or /help shows what it knows)")
			return exitFail
		}
		return c.fail(op, fmt.Errorf("through the running filmbot: %w", err))
	}
	return code
}
