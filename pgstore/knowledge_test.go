package pgstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"filmbot/internal/catalogtest"
	"filmbot/internal/pgtest"
	"filmbot/knowledge"
	"filmbot/pgstore"
	"filmbot/seed"
	"filmbot/store/storetest"
)

// proc is one filmbot process's knowledge: its own bbolt store and knowledge service,
// kept in step through one shared database.
type proc struct {
	know *knowledge.Service
	pg   *pgstore.Store
	sync *pgstore.KnowledgeSync
}

func newProc(t *testing.T, url, dir string) *proc {
	t.Helper()
	pg, err := pgstore.Open(context.Background(), url, pgstore.Options{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	p := &proc{know: knowledge.New(storetest.Open(t, nil)), pg: pg}
	p.sync, err = pg.Knowledge(filepath.Join(dir, "filmbot.db.pggen"), func(ctx context.Context, cat *seed.Catalog) error {
		_, err := p.know.Reseed(ctx, cat, nil)
		return err
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.know.SetPublish(p.sync.Publish)
	return p
}

// run starts p's listener until the test ends.
func (p *proc) run(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); p.sync.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waitFor waits until p holds generation gen; the bound only turns a hang into a failure.
func (p *proc) waitFor(t *testing.T, gen int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		ch := p.sync.Changed()
		if p.sync.Have() == gen {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatalf("process still holds generation %d, want %d", p.sync.Have(), gen)
		}
	}
}

func catalogOf(t *testing.T, k *knowledge.Service) *seed.Catalog {
	t.Helper()
	g, err := k.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return g.Catalog
}

// TestKnowledgeSync has a reseed in one process reach another through NOTIFY, a late
// starter catch up at start, and a process whose listener was cut catch up on reconnect.
func TestKnowledgeSync(t *testing.T) {
	url := pgtest.DB(t)
	ctx := context.Background()
	a, b := newProc(t, url, t.TempDir()), newProc(t, url, t.TempDir())
	b.run(t)

	first := catalogtest.Tagged(20, 2, "one")
	if _, err := a.know.Reseed(ctx, first, nil); err != nil {
		t.Fatal(err)
	}
	gen := a.sync.Have()
	if gen == 0 {
		t.Fatal("a reseed published no generation")
	}
	b.waitFor(t, gen)
	opts := cmpopts.EquateEmpty()
	if d := cmp.Diff(catalogOf(t, a.know), catalogOf(t, b.know), opts); d != "" {
		t.Errorf("b's knowledge differs from a's (-a +b):\n%s", d)
	}

	// A late starter catches up at start, and only once.
	dirC := t.TempDir()
	c := newProc(t, url, dirC)
	if ok, err := c.sync.CatchUp(ctx); err != nil || !ok {
		t.Fatalf("late starter CatchUp = %v, %v; want an install", ok, err)
	}
	if d := cmp.Diff(first.Films, catalogOf(t, c.know).Films, opts); d != "" {
		t.Errorf("late starter's films (-want +got):\n%s", d)
	}
	if ok, err := c.sync.CatchUp(ctx); err != nil || ok {
		t.Errorf("second CatchUp = %v, %v; want nothing to do", ok, err)
	}

	// Cut b's listener, publish from c meanwhile: b ends on c's generation all the same.
	if _, err := a.pg.Pool().Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %'"); err != nil {
		t.Fatal(err)
	}
	second := catalogtest.Tagged(25, 1, "two")
	if _, err := c.know.Reseed(ctx, second, nil); err != nil {
		t.Fatal(err)
	}
	b.waitFor(t, c.sync.Have())
	if d := cmp.Diff(second.Films, catalogOf(t, b.know).Films, opts); d != "" {
		t.Errorf("b's films after its reconnect (-want +got):\n%s", d)
	}
	if ok, _ := a.sync.CatchUp(ctx); !ok || a.sync.Have() != c.sync.Have() {
		t.Errorf("a did not catch up with c's generation %d (holds %d)", c.sync.Have(), a.sync.Have())
	}
}
