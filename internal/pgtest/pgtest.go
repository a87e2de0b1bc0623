// Package pgtest runs a real PostgreSQL server for a test package and hands each test a
// fresh, empty database on it.
//
// # Basics
//
// A package that needs PostgreSQL calls Main from its TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// and each test asks for a database:
//
//	url := pgtest.DB(t)
//
// The first DB call starts one server for the whole test binary: initdb and pg_ctl from
// the PostgreSQL 15 binaries (/usr/lib/postgresql/15/bin, or $FILMBOT_PG_BIN) into a
// temporary directory, listening only on a unix socket in that directory
// (listen_addresses is empty, so nothing is reachable over TCP). Tests that never call DB
// start nothing. Main stops the server after the tests have run. Each DB is created from
// template0 and dropped when its test ends.
//
// # Caveats
//
//   - initdb refuses to run as root, so when the tests run as root the server runs as the
//     "postgres" user and the temporary directory is handed to it.
//   - fsync is off (the data is thrown away at the end), so figures measured on this
//     server leave out the disk. Set FILMBOT_PG_FSYNC=on to measure with it.
//   - When the binaries are missing, DB skips the test with a message, and fails it when
//     CI=true: CI must install PostgreSQL (.ci/run does).
//   - A test binary killed before Main returns (a go test timeout, say) leaves its server
//     running. Each server's directory (under os.TempDir, named "filmbot-pgtest-…")
//     records the test process's PID, and the next server start stops and removes every
//     server whose test process is gone, so leaks do not pile up on a shared machine.
//   - URL hands out the server's address so a child process (the re-exec pattern) can
//     use the same server without starting its own: pass it in the environment and call
//     Attach in the child.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultBin is where Debian's postgresql-15 package puts the server binaries.
const DefaultBin = "/usr/lib/postgresql/15/bin"

// server is the one PostgreSQL server of this test binary.
type server struct {
	bin  string
	dir  string // root of the temporary directory: data/, the socket, the log
	cred *syscall.Credential
	// base is the connection string without a database name.
	base string
}

var (
	startOnce sync.Once
	srv       *server
	startErr  error
	dbSeq     atomic.Int64
	// attached is the connection string a child process was given, in place of a server.
	attached string
)

// Main runs the tests of m and then stops the server, if any test started one. It exits
// the process with the tests' result.
func Main(m *testing.M) {
	code := m.Run()
	if err := Stop(); err != nil && code == 0 {
		code = 1
	}
	os.Exit(code)
}

// Stop stops the server if one was started, for a TestMain that does more than Main; it
// reports a failure to stop on standard error too.
func Stop() error {
	if srv == nil {
		return nil
	}
	err := srv.stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: stop server: %v\n", err)
	}
	srv = nil
	return err
}

// Attach makes DB and URL use the server at base (a connection string without dbname,
// as URL returns) instead of starting one. Child processes of a test call it.
func Attach(base string) { attached = base }

// Available reports whether PostgreSQL can be started here, and why not.
func Available() error {
	if attached != "" {
		return nil
	}
	if _, err := os.Stat(filepath.Join(bin(), "initdb")); err != nil {
		return fmt.Errorf("PostgreSQL binaries not found in %s (set FILMBOT_PG_BIN): %w", bin(), err)
	}
	return nil
}

func bin() string {
	if b := os.Getenv("FILMBOT_PG_BIN"); b != "" {
		return b
	}
	return DefaultBin
}

// URL returns the connection string of the test server without a database name,
// starting the server when needed; it skips or fails tb as DB does.
func URL(tb testing.TB) string {
	tb.Helper()
	if attached != "" {
		return attached
	}
	if err := Available(); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("pgtest: %v", err)
		}
		tb.Skipf("pgtest: %v", err)
	}
	startOnce.Do(func() { srv, startErr = start() })
	if startErr != nil {
		tb.Fatalf("pgtest: start PostgreSQL: %v", startErr)
	}
	return srv.base
}

// DB creates an empty database for tb on the test server and returns its connection
// string; the database is dropped when tb ends. Without PostgreSQL binaries DB skips
// tb, or fails it when CI=true.
func DB(tb testing.TB) string {
	tb.Helper()
	base := URL(tb)
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin(ctx, base, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := admin(ctx, base, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: drop database: %v", err)
		}
	})
	return base + " dbname=" + name
}

// admin runs one statement on the server's maintenance database.
func admin(ctx context.Context, base, sql string) error {
	conn, err := pgx.Connect(ctx, base+" dbname=postgres")
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// ownerFile holds, in a server's directory, the PID of the test process that started it.
const ownerFile = "owner.pid"

// start initialises a cluster in a new temporary directory and starts it.
func start() (*server, error) {
	reapOrphans()
	dir, err := os.MkdirTemp("", "filmbot-pgtest-")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &server{bin: bin(), dir: dir}
	if os.Geteuid() == 0 {
		cred, err := postgresUser()
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		s.cred = cred
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if out, err := s.run("initdb", "-D", data, "-U", "postgres", "--auth=trust",
		"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	fsync := "off"
	if os.Getenv("FILMBOT_PG_FSYNC") == "on" {
		fsync = "on"
	}
	opts := strings.Join([]string{
		"-c listen_addresses=''",
		"-c unix_socket_directories=" + dir,
		"-c fsync=" + fsync,
		"-c full_page_writes=" + fsync,
		"-c max_connections=200",
		"-c shared_buffers=64MB",
	}, " ")
	// pg_ctl -w waits until the server accepts connections, so no polling is needed.
	if out, err := s.run("pg_ctl", "-D", data, "-w", "-t", "60", "-l", filepath.Join(dir, "log"),
		"-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pg_ctl start: %v: %s\n%s", err, out, log)
	}
	s.base = "host=" + dir + " user=postgres sslmode=disable"
	return s, nil
}

// stop shuts the server down and removes its directory.
func (s *server) stop() error {
	out, err := s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-w", "-m", "fast", "stop")
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v: %s", err, out)
	}
	return os.RemoveAll(s.dir)
}

// run runs a PostgreSQL binary as the server's user.
func (s *server) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd.CombinedOutput()
}

// postgresUser returns the credentials of the "postgres" user, for running the server
// when the tests run as root.
func postgresUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, errors.New("tests run as root and there is no postgres user to run PostgreSQL as")
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// reapOrphans stops and removes the servers whose test process has died.
func reapOrphans() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "filmbot-pgtest-*"))
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue // not started by this version, or still being set up
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue // its test process is alive (or the file is not ours to judge)
		}
		s := &server{bin: bin(), dir: dir}
		if os.Geteuid() == 0 {
			s.cred, _ = postgresUser()
		}
		if _, err := os.Stat(filepath.Join(dir, "data", "postmaster.pid")); err == nil {
			s.run("pg_ctl", "-D", filepath.Join(dir, "data"), "-w", "-m", "immediate", "stop")
		}
		os.RemoveAll(dir)
	}
}
