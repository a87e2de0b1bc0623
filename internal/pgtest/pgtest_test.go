package pgtest

import (
	"context"
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
