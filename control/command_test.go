package control

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func listenT(t *testing.T, backup BackupFunc) *Server {
	t.Helper()
	srv, err := Listen(filepath.Join(t.TempDir(), "s.db.sock"), backup, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestRun_streamsOutputAndExit(t *testing.T) {
	srv := listenT(t, nil)
	srv.Handle("reseed", func(ctx context.Context, cmd Command, stdout, stderr io.Writer) int {
		fmt.Fprintf(stdout, "args %q\n", cmd.Args)
		for _, f := range cmd.Files {
			fmt.Fprintf(stdout, "%s: %d bytes %q\n", f.Name, len(f.Data), f.Data)
		}
		fmt.Fprintln(stderr, "a.toml:3: a problem")
		return 1
	})
	var out, errOut bytes.Buffer
	bin := []byte{0, 1, 2, 0xff, '\n'}
	code, err := Run(ctxT(t), srv.Path(), "reseed", Command{
		Args:  []string{"-article", "a.toml"},
		Files: []File{{Name: "a.toml", Data: bin}},
	}, &out, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	want := fmt.Sprintf("args [\"-article\" \"a.toml\"]\na.toml: 5 bytes %q\n", bin)
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("a.toml:3: a problem\n", errOut.String()); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}

	// Exit 0 is sent too, not left out as a zero value.
	srv.Handle("ask", func(context.Context, Command, io.Writer, io.Writer) int { return 0 })
	if code, err := Run(ctxT(t), srv.Path(), "ask", Command{}, io.Discard, io.Discard); err != nil || code != 0 {
		t.Errorf("ask: %d, %v; want 0, nil", code, err)
	}
}

func TestRun_unsupportedAndNoServer(t *testing.T) {
	srv := listenT(t, nil)
	if _, err := Run(ctxT(t), srv.Path(), "console", Command{}, io.Discard, io.Discard); !errors.Is(err, ErrUnsupported) {
		t.Errorf("unknown op: %v, want ErrUnsupported", err)
	}
	gone := filepath.Join(t.TempDir(), "none.sock")
	if _, err := Run(ctxT(t), gone, "ask", Command{}, io.Discard, io.Discard); !errors.Is(err, ErrNoServer) {
		t.Errorf("no socket: %v, want ErrNoServer", err)
	}
	if _, err := Who(ctxT(t), gone); !errors.Is(err, ErrNoServer) {
		t.Errorf("Who with no socket: %v, want ErrNoServer", err)
	}
}

func TestWho(t *testing.T) {
	srv := listenT(t, func(io.Writer) (int64, error) { return 0, nil })
	srv.SetHolder("filmbot console")
	srv.Handle("ask", func(context.Context, Command, io.Writer, io.Writer) int { return 0 })
	srv.Handle("reseed", func(context.Context, Command, io.Writer, io.Writer) int { return 0 })
	h, err := Who(ctxT(t), srv.Path())
	if err != nil {
		t.Fatal(err)
	}
	if h.Name != "filmbot console" || h.PID <= 0 || h.Since.IsZero() {
		t.Errorf("holder %+v", h)
	}
	if diff := cmp.Diff([]string{"ask", "backup", "reseed"}, h.Ops); diff != "" {
		t.Errorf("ops (-want +got):\n%s", diff)
	}
	if !h.Offers("reseed") || h.Offers("console") {
		t.Errorf("Offers: reseed %v console %v", h.Offers("reseed"), h.Offers("console"))
	}
}

// TestRun_console: the client's input reaches the console line by line while it runs,
// its replies come back, and the end of the input ends it.
func TestRun_console(t *testing.T) {
	srv := listenT(t, nil)
	srv.Handle("console", func(ctx context.Context, cmd Command, stdout, _ io.Writer) int {
		sc := bufio.NewScanner(cmd.Stdin)
		n := 0
		for sc.Scan() {
			n++
			fmt.Fprintf(stdout, "> %s\n", strings.ToUpper(sc.Text()))
		}
		fmt.Fprintf(stdout, "%d lines\n", n)
		return 0
	})
	in := strings.NewReader("who directed it?\n/help\n")
	var out bytes.Buffer
	code, err := Run(ctxT(t), srv.Path(), "console", Command{Stdin: in}, &out, io.Discard)
	if err != nil || code != 0 {
		t.Fatalf("console: %d, %v", code, err)
	}
	if diff := cmp.Diff("> WHO DIRECTED IT?\n> /HELP\n2 lines\n", out.String()); diff != "" {
		t.Errorf("console output (-want +got):\n%s", diff)
	}
}

// TestRun_clientGoneCancels: a client that gives up (Ctrl-C) cancels the command's
// context in the holder, so a reseed stops before it installs anything.
func TestRun_clientGoneCancels(t *testing.T) {
	srv := listenT(t, nil)
	started := make(chan struct{})
	cancelled := make(chan error, 1)
	srv.Handle("reseed", func(ctx context.Context, _ Command, stdout, _ io.Writer) int {
		fmt.Fprintln(stdout, "validating")
		close(started)
		<-ctx.Done()
		cancelled <- ctx.Err()
		return 1
	})
	ctx, cancel := context.WithCancel(ctxT(t))
	pr, pw := io.Pipe()
	go func() {
		// Cancel once the first progress line has arrived.
		br := bufio.NewReader(pr)
		if _, err := br.ReadString('\n'); err == nil {
			<-started
			cancel()
		}
		_, _ = io.Copy(io.Discard, br)
	}()
	_, err := Run(ctx, srv.Path(), "reseed", Command{}, pw, io.Discard)
	pw.Close()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run after cancel: %v, want context.Canceled", err)
	}
	if err := <-cancelled; !errors.Is(err, context.Canceled) {
		t.Errorf("holder's context: %v, want cancelled", err)
	}
}

// TestServer_CloseEndsCommands: closing the server (the bot shutting down) cancels a
// command still running instead of waiting for it for ever.
func TestServer_CloseEndsCommands(t *testing.T) {
	srv := listenT(t, nil)
	started := make(chan struct{})
	srv.Handle("console", func(ctx context.Context, _ Command, _, _ io.Writer) int {
		close(started)
		<-ctx.Done()
		return 0
	})
	pr, pw := io.Pipe() // input that never ends
	defer pw.Close()
	errc := make(chan error, 1)
	go func() {
		_, err := Run(ctxT(t), srv.Path(), "console", Command{Stdin: pr}, io.Discard, io.Discard)
		errc <- err
	}()
	<-started
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Errorf("client after Close: %v, want the exit frame", err)
	}
}

// TestWho_olderServer: a filmbot from before "who" answers with an error, which Who
// reports as unsupported rather than as a holder with no name.
func TestWho_olderServer(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "old.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = bufio.NewReader(conn).ReadBytes('\n')
		_, _ = conn.Write([]byte(`{"error":"unknown operation \"who\""}` + "\n"))
	}()
	if _, err := Who(ctxT(t), sock); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Who on an older server: %v, want ErrUnsupported", err)
	}
}
