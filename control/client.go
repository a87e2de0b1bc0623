package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// dial connects to the socket at sock and ties the connection to ctx: its deadline, and
// its cancellation, which unblocks any read or write in progress.
func dial(ctx context.Context, sock string) (net.Conn, func(), error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", sock)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || isRefused(err) {
			return nil, nil, ErrNoServer
		}
		return nil, nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	return conn, func() { stop(); conn.Close() }, nil
}

// Backup asks the filmbot serving on the socket at sock to write a backup to out (made
// absolute here, since the server has its own working directory). It returns ErrNoServer
// when nothing listens there.
func Backup(ctx context.Context, sock, out string) (int64, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return 0, err
	}
	conn, done, err := dial(ctx, sock)
	if err != nil {
		return 0, err
	}
	defer done()
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

// Who asks the process serving the socket at sock what it is. It returns ErrNoServer when
// nothing listens there.
func Who(ctx context.Context, sock string) (Holder, error) {
	conn, done, err := dial(ctx, sock)
	if err != nil {
		return Holder{}, err
	}
	defer done()
	if err := json.NewEncoder(conn).Encode(request{Op: "who"}); err != nil {
		return Holder{}, err
	}
	var h struct {
		Holder
		Error string `json:"error"`
	}
	if err := json.NewDecoder(conn).Decode(&h); err != nil {
		if ctx.Err() != nil {
			return Holder{}, ctx.Err()
		}
		return Holder{}, fmt.Errorf("control socket: %w", err)
	}
	if h.Error != "" || h.Name == "" {
		// A filmbot from before "who": it serves backups only.
		return Holder{}, fmt.Errorf("%w: who", ErrUnsupported)
	}
	return h.Holder, nil
}

// Run has the filmbot serving the socket at sock run the command op with cmd's arguments
// and files, copying what it writes to stdout and stderr, and returns its exit status.
// For "console", cmd.Stdin is sent as the console's input, and the end of it ends the
// console. It returns ErrNoServer when nothing listens, ErrUnsupported when the holder
// does not offer op, and ctx's error when ctx ends first (the holder then stops the
// command).
func Run(ctx context.Context, sock, op string, cmd Command, stdout, stderr io.Writer) (int, error) {
	conn, done, err := dial(ctx, sock)
	if err != nil {
		return 0, err
	}
	defer done()
	if err := json.NewEncoder(conn).Encode(request{Op: op, Args: cmd.Args, Files: cmd.Files, Tty: cmd.Terminal}); err != nil {
		return 0, wrapCtx(ctx, err)
	}
	if op == "console" && cmd.Stdin != nil {
		go func() {
			_, _ = io.Copy(conn, cmd.Stdin)
			if uc, ok := conn.(*net.UnixConn); ok {
				_ = uc.CloseWrite()
			}
		}()
	}
	dec := json.NewDecoder(bufio.NewReader(conn))
	for {
		var f frame
		if err := dec.Decode(&f); err != nil {
			if errors.Is(err, io.EOF) && ctx.Err() == nil {
				return 0, errors.New("control socket: the running filmbot closed the connection before the command finished")
			}
			return 0, wrapCtx(ctx, err)
		}
		switch {
		case f.Error != "":
			if strings.HasPrefix(f.Error, "unknown operation") {
				return 0, fmt.Errorf("%w: %s", ErrUnsupported, op)
			}
			return 0, fmt.Errorf("the running filmbot refused: %s", f.Error)
		case f.Exit != nil:
			return *f.Exit, nil
		}
		if f.Out != "" {
			if _, err := io.WriteString(stdout, f.Out); err != nil {
				return 0, err
			}
		}
		if f.Err != "" {
			if _, err := io.WriteString(stderr, f.Err); err != nil {
				return 0, err
			}
		}
	}
}

func wrapCtx(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("control socket: %w", err)
}
