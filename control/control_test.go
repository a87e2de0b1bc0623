package control

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filmbot/internal/catalogtest"
	"filmbot/store"
	"filmbot/store/storetest"
)

func TestBackup_ThroughSocket(t *testing.T) {
	cat := catalogtest.Generate(200, 2)
	st := storetest.Open(t, cat)
	sock := SocketPath(st.Path())
	srv, err := Listen(sock, st.Backup, nil)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want 0600", fi.Mode().Perm())
	}

	out := filepath.Join(t.TempDir(), "copy.db")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, err := Backup(ctx, sock, out)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() != n {
		t.Fatalf("backup file: %v, size vs reported %d", err, n)
	}
	if _, err := os.Stat(out + ".tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary file left behind: %v", err)
	}
	cp, err := store.Open(out, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if got, _ := cp.Counts(); got != cat.Counts() {
		t.Errorf("backup holds %+v, want %+v", got, cat.Counts())
	}
	if err := cp.Check(); err != nil {
		t.Errorf("backup fails the consistency check: %v", err)
	}

	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket still there after Close: %v", err)
	}
	if _, err := Backup(ctx, sock, out); !errors.Is(err, ErrNoServer) {
		t.Errorf("Backup with no server = %v, want ErrNoServer", err)
	}
}

func TestListen_StaleAndBlocked(t *testing.T) {
	dir := t.TempDir()

	// A socket left by a dead process (nothing accepts on it) is replaced.
	stale := filepath.Join(dir, "stale.sock")
	ln, err := net.Listen("unix", stale)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := Backup(context.Background(), stale, filepath.Join(dir, "x")); !errors.Is(err, ErrNoServer) {
		t.Errorf("Backup on a dead socket = %v, want ErrNoServer", err)
	}
	srv, err := Listen(stale, nil, nil)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	srv.Close()

	// A regular file in the way is not removed.
	file := filepath.Join(dir, "file.sock")
	if err := os.WriteFile(file, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(file, nil, nil); err == nil {
		t.Errorf("Listen replaced a regular file")
	}
	if b, _ := os.ReadFile(file); string(b) != "keep" {
		t.Errorf("the regular file was changed")
	}
}

func TestServer_BadRequests(t *testing.T) {
	st := storetest.Open(t, catalogtest.Generate(20, 1))
	srv, err := Listen(SocketPath(st.Path()), st.Backup, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, line := range []string{"not json\n", `{"op":"drop-tables"}` + "\n", `{"op":"backup","path":"relative.db"}` + "\n"} {
		conn, err := net.Dial("unix", srv.Path())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 512)
		n, _ := conn.Read(buf)
		conn.Close()
		if n == 0 || !containsError(buf[:n]) {
			t.Errorf("request %q got %q, want an error reply", line, buf[:n])
		}
	}
}

func containsError(b []byte) bool {
	return len(b) > 0 && string(b[:9]) == `{"error":`
}
