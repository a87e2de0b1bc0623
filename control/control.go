// Package control is the operator's line into a running filmbot: a unix socket beside the
// store ("<db>.sock", mode 0600, same user only) through which `filmbot backup` asks the
// serving process for a consistent copy of the store.
//
// It exists because bbolt locks its file: while `filmbot run` serves, no other process can
// open the store, not even read-only. The serving process already has it open, and a
// bbolt read transaction gives a consistent copy while it keeps serving and reseeding, so
// the backup is written there, into OUT.tmp, synced and renamed over OUT.
//
// The protocol is one JSON line each way per connection: {"op":"backup","path":"/abs/out"}
// and then {"bytes":N} or {"error":"…"}.
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
	"sync"
	"time"
)

// ErrNoServer is returned by Backup when nothing listens on the socket: no filmbot is
// serving that store.
var ErrNoServer = errors.New("no running filmbot is serving this store")

// SocketPath returns the control socket's path for the store at db.
func SocketPath(db string) string { return db + ".sock" }

// BackupFunc writes a consistent copy of the store to w; store.(*Store).Backup is one.
type BackupFunc func(w io.Writer) (int64, error)

// requestTimeout bounds one request on the server side, including the copy.
const requestTimeout = 10 * time.Minute

type request struct {
	Op   string `json:"op"`
	Path string `json:"path"`
}

type reply struct {
	Bytes int64  `json:"bytes,omitempty"`
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
}

// Listen creates the socket at path and serves requests on it in the background. A socket
// left at path by a process that died is replaced: the caller holds the store's lock, so no
// live filmbot can own it.
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
	s := &Server{path: path, ln: ln, backup: backup, log: log}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// Path returns where the socket is.
func (s *Server) Path() string { return s.path }

// Close stops listening, waits for requests in progress and removes the socket.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		err = s.ln.Close()
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
	_ = conn.SetDeadline(time.Now().Add(requestTimeout))
	if err := samePeer(conn); err != nil {
		s.log.Warn("control socket: refused a connection", "err", err)
		_ = json.NewEncoder(conn).Encode(reply{Error: "permission denied"})
		return
	}
	var req request
	line, err := bufio.NewReader(io.LimitReader(conn, 64<<10)).ReadBytes('\n')
	if err == nil {
		err = json.Unmarshal(line, &req)
	}
	if err != nil {
		_ = json.NewEncoder(conn).Encode(reply{Error: "bad request"})
		return
	}
	var rep reply
	switch req.Op {
	case "backup":
		n, err := s.writeBackup(req.Path)
		if err != nil {
			rep.Error = err.Error()
			s.log.Error("backup failed", "path", req.Path, "err", err)
		} else {
			rep.Bytes = n
			s.log.Info("backup written", "path", req.Path, "bytes", n)
		}
	default:
		rep.Error = fmt.Sprintf("unknown operation %q", req.Op)
	}
	_ = json.NewEncoder(conn).Encode(rep)
}

func (s *Server) writeBackup(path string) (int64, error) {
	if !filepath.IsAbs(path) {
		return 0, fmt.Errorf("backup path %q is not absolute", path)
	}
	return WriteFile(path, s.backup)
}

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

// Backup asks the filmbot serving on the socket at sock to write a backup to out (made
// absolute here, since the server has its own working directory). It returns ErrNoServer
// when nothing listens there.
func Backup(ctx context.Context, sock, out string) (int64, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return 0, err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", sock)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || isRefused(err) {
			return 0, ErrNoServer
		}
		return 0, err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	if err := json.NewEncoder(conn).Encode(request{Op: "backup", Path: abs}); err != nil {
		return 0, err
	}
	var rep reply
	if err := json.NewDecoder(conn).Decode(&rep); err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("control socket: %w", err)
	}
	if rep.Error != "" {
		return 0, fmt.Errorf("the running filmbot could not write the backup: %s", rep.Error)
	}
	return rep.Bytes, nil
}
