package pgtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { Main(m) }

// TestDB_freshAndSeparate checks that each test database starts empty and that two of
// them do not share tables.
func TestDB_freshAndSeparate(t *testing.T) {
	ctx := context.Background()
	a, b := DB(t), DB(t)
	if a == b {
		t.Fatalf("two DB calls gave the same database %q", a)
	}
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	if _, err := ca.Exec(ctx, "CREATE TABLE only_in_a (x int)"); err != nil {
		t.Fatal(err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	var n int
	if err := cb.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("table created in one test database is visible in another")
	}
	var tcp string
	if err := cb.QueryRow(ctx, "SHOW listen_addresses").Scan(&tcp); err != nil {
		t.Fatal(err)
	}
	if tcp != "" {
		t.Errorf("listen_addresses = %q, want empty (unix socket only)", tcp)
	}
}

// TestReapOrphans checks that a server left behind by a dead test process is stopped and
// removed, and that a live process's server is left alone.
func TestReapOrphans(t *testing.T) {
	URL(t) // this process's own server, which must survive (skips without PostgreSQL)
	orphan, err := start()
	if err != nil {
		t.Fatal(err)
	}
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(orphan.dir, ownerFile), []byte(strconv.Itoa(dead.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	reapOrphans()
	if _, err := os.Stat(orphan.dir); !os.IsNotExist(err) {
		orphan.stop()
		t.Fatalf("the orphan's directory is still there (%v)", err)
	}
	if _, err := os.Stat(srv.dir); err != nil {
		t.Fatalf("reapOrphans removed the live process's server: %v", err)
	}
	if err := admin(context.Background(), srv.base, "SELECT 1"); err != nil {
		t.Errorf("the live server stopped answering: %v", err)
	}
}
