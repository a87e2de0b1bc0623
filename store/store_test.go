package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"filmbot/internal/catalogtest"
	"filmbot/seed"
)

// mustOpen opens a store at path and closes it, after a consistency check, when the test
// ends.
func mustOpen(tb testing.TB, path string, opts Options) *Store {
	tb.Helper()
	s, err := Open(path, opts)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := s.Check(); err != nil {
			tb.Errorf("Check: %v", err)
		}
		s.Close()
	})
	return s
}

// mustSeed opens a store in a new temporary directory and installs cat.
func mustSeed(tb testing.TB, cat *seed.Catalog) *Store {
	tb.Helper()
	s := mustOpen(tb, filepath.Join(tb.TempDir(), "filmbot.db"), Options{})
	if _, err := s.Reseed(context.Background(), cat, nil); err != nil {
		tb.Fatalf("Reseed: %v", err)
	}
	return s
}

func mustKnowledge(tb testing.TB, s *Store) *seed.Catalog {
	tb.Helper()
	k, err := s.Knowledge(context.Background())
	if err != nil {
		tb.Fatalf("Knowledge: %v", err)
	}
	return k
}

func TestStore_OpenCloseReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "filmbot.db")
	cat := catalogtest.Generate(50, 3)

	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if seeded, err := s.Seeded(); err != nil || seeded {
		t.Errorf("new store: Seeded() = %v, %v; want false, nil", seeded, err)
	}
	if k := mustKnowledge(t, s); k.Counts() != (seed.Counts{}) {
		t.Errorf("new store holds %+v, want nothing", k.Counts())
	}
	res, err := s.Reseed(context.Background(), cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cat.Counts(), res.Counts); diff != "" {
		t.Errorf("Reseed counts (-want +got):\n%s", diff)
	}
	if res.Generation != 1 {
		t.Errorf("first reseed installed generation %d, want 1", res.Generation)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = mustOpen(t, path, Options{})
	if seeded, err := s.Seeded(); err != nil || !seeded {
		t.Errorf("reopened store: Seeded() = %v, %v; want true, nil", seeded, err)
	}
	if g, err := s.Generation(context.Background()); err != nil || g != 1 {
		t.Errorf("reopened store: Generation() = %d, %v; want 1, nil", g, err)
	}
	if c, err := s.Counts(); err != nil || c != cat.Counts() {
		t.Errorf("reopened store: Counts() = %+v, %v; want %+v", c, err, cat.Counts())
	}
	if diff := cmp.Diff(cat, mustKnowledge(t, s)); diff != "" {
		t.Errorf("knowledge after reopen (-want +got):\n%s", diff)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
}

func TestOpen_Schema(t *testing.T) {
	tests := []struct {
		name  string
		setup func(tx *bolt.Tx) error
	}{
		{"newer version", func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket(bucketMeta)
			if err != nil {
				return err
			}
			return b.Put(keySchema, []byte{SchemaVersion + 1})
		}},
		{"no version", func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket(bucketMeta)
			return err
		}},
		{"not a filmbot store", func(tx *bolt.Tx) error {
			_, err := tx.CreateBucket([]byte("widgets"))
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "other.db")
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(tt.setup); err != nil {
				t.Fatal(err)
			}
			db.Close()
			for _, ro := range []bool{false, true} {
				s, err := Open(path, Options{ReadOnly: ro})
				if !errors.Is(err, ErrSchema) {
					t.Errorf("Open(ReadOnly: %v) error = %v, want ErrSchema", ro, err)
				}
				if err == nil {
					s.Close()
				}
			}
		})
	}
}

func TestOpen_Locked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "filmbot.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{false, true} {
		s2, err := Open(path, Options{Timeout: 100 * time.Millisecond, ReadOnly: ro})
		if !errors.Is(err, ErrLocked) {
			t.Errorf("second Open(ReadOnly: %v) error = %v, want ErrLocked", ro, err)
		}
		if err == nil {
			s2.Close()
		}
	}
	// With no timeout given, Open gives up after a second rather than waiting forever.
	if _, err := Open(path, Options{}); !errors.Is(err, ErrLocked) {
		t.Errorf("second Open with the default timeout: error %v, want ErrLocked", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Once the first holder closes, the file opens again.
	mustOpen(t, path, Options{Timeout: 100 * time.Millisecond})
}

func TestOpen_ReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "filmbot.db")
	if _, err := Open(path, Options{ReadOnly: true}); err == nil {
		t.Error("read-only Open of a missing file succeeded")
	}
	cat := catalogtest.Generate(20, 2)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reseed(context.Background(), cat, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Two readers may share the file.
	r1 := mustOpen(t, path, Options{ReadOnly: true})
	r2 := mustOpen(t, path, Options{ReadOnly: true})
	if diff := cmp.Diff(cat, mustKnowledge(t, r1)); diff != "" {
		t.Errorf("read-only knowledge (-want +got):\n%s", diff)
	}
	if _, err := r2.FindFilm(context.Background(), cat.Films[3].Title); err != nil {
		t.Errorf("read-only FindFilm: %v", err)
	}
	if _, err := r1.Reseed(context.Background(), catalogtest.Generate(5, 1), nil); err == nil {
		t.Error("Reseed on a read-only store succeeded")
	}
}

// guildBucket stands for the trivia engineer's per-guild data: a bucket Reseed must
// never touch.
var guildBucket = []byte("guild-scores-test")

func putGuildData(t *testing.T, s *Store) {
	t.Helper()
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(guildBucket)
		if err != nil {
			return err
		}
		return b.Put([]byte("123/456"), []byte("42"))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func guildData(t *testing.T, s *Store) string {
	t.Helper()
	var v string
	s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(guildBucket); b != nil {
			v = string(b.Get([]byte("123/456")))
		}
		return nil
	})
	return v
}

func TestReseed_ReplacesKnowledgeKeepsGuildData(t *testing.T) {
	old, next := catalogtest.Tagged(40, 2, "old"), catalogtest.Tagged(30, 3, "new")
	s := mustSeed(t, old)
	putGuildData(t, s)
	res, err := s.Reseed(context.Background(), next, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Generation != 2 || res.Counts != next.Counts() {
		t.Errorf("Reseed = %+v, want generation 2 and counts %+v", res, next.Counts())
	}
	if diff := cmp.Diff(next, mustKnowledge(t, s)); diff != "" {
		t.Errorf("knowledge after reseed (-want +got):\n%s", diff)
	}
	if _, err := s.Film(context.Background(), old.Films[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("old film after reseed: error %v, want ErrNotFound", err)
	}
	if got := guildData(t, s); got != "42" {
		t.Errorf("per-guild value after reseed = %q, want %q", got, "42")
	}
}

// TestReseed_FailurePartWay injects a failure at several points of the write and checks
// that the old knowledge, generation and per-guild data are all still there, whole.
func TestReseed_FailurePartWay(t *testing.T) {
	old, next := catalogtest.Tagged(200, 3, "old"), catalogtest.Tagged(300, 4, "new")
	p, err := buildPlan(next)
	if err != nil {
		t.Fatal(err)
	}
	s := mustSeed(t, old)
	putGuildData(t, s)
	for _, after := range []int{1, len(p.records[0]) + 1, p.total / 2, p.total - 1, p.total} {
		s.failAfter = after
		if _, err := s.Reseed(context.Background(), next, nil); !errors.Is(err, errInjected) {
			t.Fatalf("Reseed failing after %d of %d records: error %v, want the injected one", after, p.total, err)
		}
		if diff := cmp.Diff(old, mustKnowledge(t, s)); diff != "" {
			t.Errorf("knowledge after failing at %d (-want +got):\n%s", after, diff)
		}
		if g, _ := s.Generation(context.Background()); g != 1 {
			t.Errorf("generation after failing at %d = %d, want 1", after, g)
		}
		if got := guildData(t, s); got != "42" {
			t.Errorf("per-guild value after failing at %d = %q, want %q", after, got, "42")
		}
		if _, err := s.FindFilm(context.Background(), old.Films[10].Title); err != nil {
			t.Errorf("FindFilm(old title) after failing at %d: %v", after, err)
		}
	}
	s.failAfter = 0
	if _, err := s.Reseed(context.Background(), next, nil); err != nil {
		t.Fatalf("Reseed after the failures: %v", err)
	}
	if diff := cmp.Diff(next, mustKnowledge(t, s)); diff != "" {
		t.Errorf("knowledge after a good reseed (-want +got):\n%s", diff)
	}
}

func TestReseed_Cancelled(t *testing.T) {
	old := catalogtest.Tagged(50, 2, "old")
	s := mustSeed(t, old)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Reseed(ctx, catalogtest.Generate(20, 1), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Reseed with a cancelled context: error %v, want context.Canceled", err)
	}

	// Cancelled while writing: the last progress report comes after every record is
	// written, just before the commit.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var reports int
	_, err := s.Reseed(ctx, catalogtest.Generate(20, 1), func(done, total int) {
		reports++
		if done == total {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Reseed cancelled while writing: error %v, want context.Canceled", err)
	}
	if reports == 0 {
		t.Error("progress was never reported")
	}
	if diff := cmp.Diff(old, mustKnowledge(t, s)); diff != "" {
		t.Errorf("knowledge after cancelled reseeds (-want +got):\n%s", diff)
	}
}

func TestReseed_Invalid(t *testing.T) {
	good := catalogtest.Generate(10, 2)
	tests := []struct {
		name   string
		break_ func(c *seed.Catalog)
	}{
		{"nil", nil},
		{"repeated film ID", func(c *seed.Catalog) { c.Films[3].ID = c.Films[1].ID }},
		{"empty person ID", func(c *seed.Catalog) { c.People[0].ID = "" }},
		{"repeated article ID", func(c *seed.Catalog) { c.Articles = append(c.Articles, c.Articles[0]) }},
		{"fact about unknown film", func(c *seed.Catalog) { c.Facts[5].Film = "no-such-film" }},
		{"question about unknown film", func(c *seed.Catalog) { c.Questions[0].Film = "no-such-film" }},
	}
	s := mustSeed(t, good)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var bad *seed.Catalog
			if tt.break_ != nil {
				bad = catalogtest.Generate(12, 1)
				tt.break_(bad)
			}
			if _, err := s.Reseed(context.Background(), bad, nil); !errors.Is(err, ErrInvalid) {
				t.Errorf("Reseed error = %v, want ErrInvalid", err)
			}
			if diff := cmp.Diff(good, mustKnowledge(t, s)); diff != "" {
				t.Errorf("knowledge after refused reseed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStore_BackupAndCheck(t *testing.T) {
	cat := catalogtest.Generate(100, 2)
	s := mustSeed(t, cat)
	putGuildData(t, s)
	var buf bytes.Buffer
	n, err := s.Backup(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("Backup reported %d bytes, wrote %d", n, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b := mustOpen(t, path, Options{ReadOnly: true})
	if err := b.Check(); err != nil {
		t.Errorf("Check on the backup: %v", err)
	}
	if diff := cmp.Diff(cat, mustKnowledge(t, b)); diff != "" {
		t.Errorf("backup knowledge (-want +got):\n%s", diff)
	}
	if got := guildData(t, b); got != "42" {
		t.Errorf("backup per-guild value = %q, want %q", got, "42")
	}
}

// TestStore_Compact reseeds a store several times, so its file holds pages past
// generations freed, and checks that the compacted copy is smaller, whole, and a store.
func TestStore_Compact(t *testing.T) {
	cat := catalogtest.Generate(500, 3)
	s := mustSeed(t, catalogtest.Generate(800, 4))
	for range 2 {
		if _, err := s.Reseed(context.Background(), cat, nil); err != nil {
			t.Fatal(err)
		}
	}
	putGuildData(t, s)
	dst := filepath.Join(t.TempDir(), "compact.db")
	if err := s.Compact(dst); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(dst)
	if err != nil {
		t.Fatal(err)
	}
	if after.Size() >= before.Size() {
		t.Errorf("compacted copy is %d bytes, the store %d", after.Size(), before.Size())
	}
	c := mustOpen(t, dst, Options{})
	if diff := cmp.Diff(cat, mustKnowledge(t, c)); diff != "" {
		t.Errorf("compacted knowledge (-want +got):\n%s", diff)
	}
	if got := guildData(t, c); got != "42" {
		t.Errorf("compacted per-guild value = %q, want %q", got, "42")
	}
	g, err := c.Generation(context.Background())
	if err != nil || g != 3 {
		t.Errorf("compacted generation = %d, %v; want 3", g, err)
	}
	// The copy takes reseeds like any store.
	if _, err := c.Reseed(context.Background(), catalogtest.Generate(20, 1), nil); err != nil {
		t.Errorf("reseed the compacted copy: %v", err)
	}

	// An existing file is never overwritten, and is left as it was.
	if err := s.Compact(dst); err == nil {
		t.Errorf("Compact over an existing file succeeded")
	}
	if fi, err := os.Stat(dst); err != nil || fi.Size() != after.Size() {
		t.Errorf("Compact over an existing file changed it: %v", err)
	}
	if err := s.Compact(filepath.Join(t.TempDir(), "no", "such", "dir.db")); err == nil {
		t.Errorf("Compact into a missing directory succeeded")
	}
}

// TestReseed_FileSettles reseeds the same catalog again and again while a reader looks
// films up during each reseed, as a serving bot does, and checks that the file stops
// growing at two generations: each reseed reuses the pages the one before it freed.
//
// bbolt keeps freed pages from reuse while any read transaction is open when the next
// write begins, so whether a reader happens to be inside a lookup at that moment decides
// the file's size. The reader here runs in lock step with the reseeds instead of freely:
// it starts when the reseed's write transaction has begun (the first progress call), is
// made to finish a lookup inside it, and is paused between lookups once the reseed
// returns. The sizes then no longer depend on how the scheduler runs the two goroutines.
func TestReseed_FileSettles(t *testing.T) {
	cat := catalogtest.Generate(3000, 3)
	s := mustSeed(t, cat)
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	first := fi.Size()

	var (
		resume = make(chan chan struct{}) // starts the reader; closed after its first lookup
		pause  = make(chan chan struct{}) // stops the reader between lookups; closed then
		stop   = make(chan struct{})
		done   = make(chan error, 1)
	)
	go func() {
		done <- func() error {
			for i := 0; ; {
				var looked chan struct{}
				select {
				case <-stop:
					return nil
				case looked = <-resume:
				}
				for {
					if _, err := s.FindFilm(context.Background(), cat.Films[i%len(cat.Films)].Title); err != nil {
						return err
					}
					i++
					if looked != nil {
						close(looked)
						looked = nil
					}
					select {
					case ack := <-pause:
						close(ack)
					default:
						continue
					}
					break
				}
			}
		}()
	}()
	// during starts the reader once the write transaction is open and returns when it has
	// answered a lookup, so every reseed has a read inside it.
	during := func() func(done, total int) {
		started := false
		return func(int, int) {
			if started {
				return
			}
			started = true
			looked := make(chan struct{})
			select {
			case resume <- looked:
			case err := <-done:
				t.Fatalf("reader stopped: %v", err)
			}
			<-looked
		}
	}
	var sizes []int64
	for range 6 {
		if _, err := s.Reseed(context.Background(), cat, during()); err != nil {
			t.Fatal(err)
		}
		ack := make(chan struct{})
		select {
		case pause <- ack:
		case err := <-done:
			t.Fatalf("reader stopped: %v", err)
		}
		<-ack
		fi, err := os.Stat(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, fi.Size())
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Two generations, and the growth step bbolt adds past what it needs.
	limit := 2*first + allocSize
	for i, size := range sizes {
		if size > limit {
			t.Errorf("file is %d bytes after reseed %d, more than two generations (%d after the first seed): sizes %v",
				size, i+1, first, sizes)
			break
		}
	}
	t.Logf("first seed %d bytes; after each reseed %v", first, sizes)
}

func TestCheck_FindsDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "filmbot.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reseed(context.Background(), catalogtest.Generate(300, 3), nil); err != nil {
		t.Fatal(err)
	}
	var used int64 // bytes below bbolt's high-water mark
	s.db.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
	page := s.db.Info().PageSize
	s.Close()
	// Overwrite a page in the middle of the used part of the file with garbage.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mid := (int(used) / page / 2) * page
	for i := mid; i < mid+page; i++ {
		data[i] = 0xA5
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(); err == nil {
		t.Error("Check found nothing wrong with a damaged file")
	}
}

func TestReseed_Progress(t *testing.T) {
	cat := catalogtest.Generate(3000, 2)
	p, err := buildPlan(cat)
	if err != nil {
		t.Fatal(err)
	}
	s := mustSeed(t, catalogtest.Generate(10, 1))
	type report struct{ done, total int }
	var reports []report
	if _, err := s.Reseed(context.Background(), cat, func(done, total int) {
		reports = append(reports, report{done, total})
	}); err != nil {
		t.Fatal(err)
	}
	if len(reports) < 2 {
		t.Fatalf("progress reported %d times, want a start and an end", len(reports))
	}
	if first, last := reports[0], reports[len(reports)-1]; first != (report{0, p.total}) || last != (report{p.total, p.total}) {
		t.Errorf("progress went from %+v to %+v, want from 0 to %d of %d", first, last, p.total, p.total)
	}
	for i := 1; i < len(reports); i++ {
		if reports[i].done < reports[i-1].done || reports[i].total != p.total {
			t.Errorf("progress report %d is %+v after %+v", i, reports[i], reports[i-1])
		}
	}
}
