// Package control is the operator's line into a running filmbot: a unix socket beside the
// store ("<db>.sock", mode 0600, same user only) through which the command line reaches
// the process that holds the store.
//
// It exists because bbolt locks its file: while `filmbot run` (or a console) has the
// store open, no other process can open it, not even read-only. The holder already has
// it open, so it does the work: it writes a backup from a read transaction, validates and
// installs seed files and rebuilds its index, answers questions, or runs a console whose
// input and output travel over the socket.
//
// # Protocol
//
// Each connection carries one request: a JSON line from the client, such as
// {"op":"backup","path":"/abs/out"}, {"op":"who"}, or a command
// {"op":"reseed","args":[…],"files":[{"name":…,"data":…}]}. A backup is answered with one
// line, {"bytes":N} or {"error":"…"}; "who" with a [Holder]. A command is answered with a
// stream of lines, {"out":"…"} and {"err":"…"} for what it writes to its standard output
// and error, ending with {"exit":N}; for "console", everything the client sends after the
// request line is the console's standard input, and closing the write side ends it.
//
// Seed files travel inside the request rather than by path, because the service's view of
// the file system is not the operator's (systemd's PrivateTmp and ProtectHome, a
// container's volumes).
//
// # Caveats
//
// A client that goes away cancels its command's context: a reseed then stops before it
// installs anything, since installing is one transaction. The console's context is
// cancelled only when writing to the client fails.
package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"
)

// ErrNoServer is returned by the client functions when nothing listens on the socket: no
// filmbot that holds the store is serving it.
var ErrNoServer = errors.New("no running filmbot is serving this store")

// ErrUnsupported is returned by [Run] when the filmbot on the socket does not offer the
// operation (an older binary, or a holder that does not serve it).
var ErrUnsupported = errors.New("the running filmbot does not offer that operation")

// SocketPath returns the control socket's path for the store at db.
func SocketPath(db string) string { return db + ".sock" }

// BackupFunc writes a consistent copy of the store to w; store.(*Store).Backup is one.
type BackupFunc func(w io.Writer) (int64, error)

// File is a seed file sent with a command, by its name as the operator gave it (for
// file:line errors) and its contents.
type File struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// Command is one command run by the holder on the client's behalf.
type Command struct {
	// Args are the command's arguments after its name, flags included, as typed.
	Args []string
	// Files are the seed files the arguments name, read by the client.
	Files []File
	// Stdin is the client's standard input (the console's); empty for other commands.
	Stdin io.Reader
	// Terminal reports whether the client's standard input is a terminal, so a console
	// prompts (or echoes what it reads) as it would locally.
	Terminal bool
}

// CommandFunc runs a command in the holder: what it writes to stdout and stderr reaches
// the operator's terminal, and its result is the exit status. ctx ends when the client
// goes away.
type CommandFunc func(ctx context.Context, cmd Command, stdout, stderr io.Writer) int

// Holder describes the process serving the socket, for the message an operator sees when
// the store is in use.
type Holder struct {
	// Name is what holds the store: "filmbot run", "filmbot console".
	Name string `json:"name"`
	PID  int    `json:"pid"`
	// Since is when it opened the store.
	Since time.Time `json:"since"`
	// Ops are the operations it offers: backup, and any command it serves.
	Ops []string `json:"ops"`
}

// maxRequest caps a request line: seed files travel in it (base64), and a large catalog
// is tens of megabytes.
const maxRequest = 512 << 20

// requestTimeout bounds a backup on the server side. Commands are bounded by their
// client instead (a console may run for hours).
const requestTimeout = 10 * time.Minute

type request struct {
	Op    string   `json:"op"`
	Path  string   `json:"path,omitempty"`
	Args  []string `json:"args,omitempty"`
	Files []File   `json:"files,omitempty"`
	Tty   bool     `json:"tty,omitempty"`
}

type reply struct {
	Bytes int64  `json:"bytes,omitempty"`
	Error string `json:"error,omitempty"`
}

// frame is one line of a command's output stream.
type frame struct {
	Out  string `json:"out,omitempty"`
	Err  string `json:"err,omitempty"`
	Exit *int   `json:"exit,omitempty"`
	// Error ends the stream without running the command (unknown operation, bad request).
	Error string `json:"error,omitempty"`
}

// Server serves control requests on a unix socket until Close.
type Server struct {
	path   string
	ln     net.Listener
	backup BackupFunc
	log    *slog.Logger
	wg     sync.WaitGroup
	once   sync.Once

	mu     sync.Mutex
	holder Holder
	cmds   map[string]CommandFunc
	// ctx is cancelled by Close, ending commands still running.
	ctx    context.Context
	cancel context.CancelFunc
}

// Listen creates the socket at path and serves requests on it in the background: backup
// through backup (nil refuses backups), and the commands added with [Server.Handle]. A
// socket left at path by a process that died is replaced: the caller holds the store's
// lock, so no live filmbot can own it.
func Listen(path string, backup BackupFunc, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("control socket %s: a file that is not a socket is in the way", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("control socket %s: %w", path, err)
		}
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("control socket: %w", err)
	}
	s := &Server{
		path: path, ln: ln, backup: backup, log: log,
		holder: Holder{Name: "filmbot", PID: os.Getpid(), Since: time.Now()},
		cmds:   map[string]CommandFunc{},
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// Path returns where the socket is.
func (s *Server) Path() string { return s.path }

// SetHolder names what holds the store ("filmbot run"), for [Who].
func (s *Server) SetHolder(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holder.Name = name
}

// Handle serves the command op ("reseed", "ask", "console") with f from now on.
func (s *Server) Handle(op string, f CommandFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cmds[op] = f
}

// Close stops listening, cancels commands still running, waits for them and removes the
// socket.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		err = s.ln.Close()
		s.cancel()
		s.wg.Wait()
		if rerr := os.Remove(s.path); rerr != nil && !errors.Is(rerr, os.ErrNotExist) && err == nil {
			err = rerr
		}
	})
	return err
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.log.Error("control socket accept", "err", err)
			}
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer conn.Close()
			s.handle(conn)
		}()
	}
}

func (s *Server) handle(conn net.Conn) {
	if err := samePeer(conn); err != nil {
		s.log.Warn("control socket: refused a connection", "err", err)
		_ = json.NewEncoder(conn).Encode(reply{Error: "permission denied"})
		return
	}
	// The request line gets a deadline of its own, so a client that connects and sends
	// nothing does not hold a goroutine for ever.
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
	br := bufio.NewReaderSize(conn, 64<<10)
	var req request
	// One line, read by hand: a json.Decoder would read ahead into the console's input.
	line, err := readLine(br, maxRequest)
	if err == nil {
		err = json.Unmarshal(line, &req)
	}
	if err != nil {
		_ = json.NewEncoder(conn).Encode(reply{Error: "bad request"})
		return
	}
	_ = conn.SetReadDeadline(time.Time{})
	switch req.Op {
	case "backup":
		_ = conn.SetDeadline(time.Now().Add(requestTimeout))
		_ = json.NewEncoder(conn).Encode(s.doBackup(req.Path))
	case "who":
		s.mu.Lock()
		h := s.holder
		h.Ops = s.opsLocked()
		s.mu.Unlock()
		_ = json.NewEncoder(conn).Encode(h)
	default:
		s.mu.Lock()
		f := s.cmds[req.Op]
		s.mu.Unlock()
		if f == nil {
			_ = json.NewEncoder(conn).Encode(frame{Error: fmt.Sprintf("unknown operation %q", req.Op)})
			return
		}
		s.runCommand(conn, br, req, f)
	}
}

// readLine reads up to and including the next newline, failing past max bytes.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > max {
			return nil, errors.New("request too long")
		}
		switch {
		case err == nil:
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return nil, err
		}
	}
}

// opsLocked lists the operations offered, sorted. Call with s.mu held.
func (s *Server) opsLocked() []string {
	var ops []string
	if s.backup != nil {
		ops = append(ops, "backup")
	}
	for op := range s.cmds {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	return ops
}

func (s *Server) doBackup(path string) reply {
	if s.backup == nil {
		return reply{Error: "this filmbot does not take backups"}
	}
	if !filepath.IsAbs(path) {
		return reply{Error: fmt.Sprintf("backup path %q is not absolute", path)}
	}
	n, err := WriteFile(path, s.backup)
	if err != nil {
		s.log.Error("backup failed", "path", path, "err", err)
		return reply{Error: err.Error()}
	}
	s.log.Info("backup written", "path", path, "bytes", n)
	return reply{Bytes: n}
}

// runCommand runs f for one client, streaming its output as frames.
func (s *Server) runCommand(conn net.Conn, br *bufio.Reader, req request, f CommandFunc) {
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	out := &frameWriter{conn: conn, cancel: cancel}
	cmd := Command{Args: req.Args, Files: req.Files, Terminal: req.Tty}
	if req.Op == "console" {
		// The rest of the connection is the console's input; the client closes its write
		// side at the end of its input.
		cmd.Stdin = br
	} else {
		cmd.Stdin = eofReader{}
		// Nothing more is sent, so any read returning means the client went away.
		go func() {
			var b [1]byte
			_, _ = br.Read(b[:])
			cancel()
		}()
	}
	s.log.Info("control: command", "op", req.Op, "args", len(req.Args), "files", len(req.Files))
	code := f(ctx, cmd, out.stream(false), out.stream(true))
	out.exit(code)
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// frameWriter turns a command's two output streams into frames on one connection.
type frameWriter struct {
	mu     sync.Mutex
	conn   net.Conn
	enc    *json.Encoder
	failed bool
	cancel context.CancelFunc
}

func (w *frameWriter) send(f frame) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed {
		return
	}
	if w.enc == nil {
		w.enc = json.NewEncoder(w.conn)
	}
	_ = w.conn.SetWriteDeadline(time.Now().Add(time.Minute))
	if err := w.enc.Encode(f); err != nil {
		// The client is gone: stop the command rather than work for nobody.
		w.failed = true
		w.cancel()
	}
}

func (w *frameWriter) exit(code int) { w.send(frame{Exit: &code}) }

func (w *frameWriter) stream(stderr bool) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		if len(p) == 0 {
			return 0, nil
		}
		f := frame{Out: string(p)}
		if stderr {
			f = frame{Err: string(p)}
		}
		w.send(f)
		return len(p), nil
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// WriteFile writes a backup to path atomically: into path+".tmp", synced, then renamed
// over path and the directory synced, so path is either the old file or a whole new copy.
func WriteFile(path string, backup BackupFunc) (int64, error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := backup(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return n, nil
}

// Offers reports whether h serves op.
func (h Holder) Offers(op string) bool { return slices.Contains(h.Ops, op) }
