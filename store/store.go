package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"filmbot/seed"
)

// Errors returned by Open and lookups.
var (
	// ErrLocked is returned by Open when another process holds the store's file lock.
	ErrLocked = errors.New("store is in use by another process")
	// ErrSchema is returned (wrapped, with both versions) by Open when the file was written
	// by an incompatible version of filmbot.
	ErrSchema = errors.New("store schema version mismatch")
	// ErrNotFound is returned by lookups for an ID or title the store does not hold.
	ErrNotFound = errors.New("not found")
	// ErrInvalid is returned (wrapped, with the offending ID) by Reseed when a catalog breaks
	// a rule the store's layout relies on: an empty or repeated ID, or a fact or question
	// about a film the catalog does not hold. Seed validation reports these first; this is
	// the store's own guard, checked before anything is written.
	ErrInvalid = errors.New("catalog not valid for the store")
)

// SchemaVersion is the layout version this build writes and reads. Open refuses a file
// with any other version, since a reseed is cheap and a migration is not worth keeping.
const SchemaVersion = 3

// Options tune Open. The zero value is usable.
type Options struct {
	// Timeout bounds the wait for the file lock; 0 means one second.
	Timeout time.Duration
	// ReadOnly opens the file with a shared lock, for backup and inspection.
	ReadOnly bool
}

// Store is an open filmbot store. It is safe for concurrent use.
type Store struct {
	db   *bolt.DB
	path string

	// answerLog serves RecordAnswer; made on first use.
	answerLogOnce sync.Once
	answerLog     *AnswerLog

	// Test hooks. failAfter, when positive, makes Reseed fail after writing that many
	// records; beforeCommit, when set, runs inside Reseed's write transaction once
	// everything is written. Tests use them to prove a failed reseed leaves the old
	// knowledge in place and that readers carry on while a reseed is open.
	failAfter    int
	beforeCommit func()
}

// TitleMatch is one autocomplete result.
type TitleMatch struct {
	FilmID string
	Title  string
	Year   int
	// Matched is the title or alias the query matched.
	Matched string
	// Label names the film uniquely in at most 100 characters (an autocomplete choice's
	// limit): "Treasure Island (1950)", and for two films of one title and year, a
	// distinction after the year: "Suspicion (1918, with Mary Roe)".
	Label string
}

// ReseedResult reports what a reseed installed.
type ReseedResult struct {
	seed.Counts
	Generation uint64
	Duration   time.Duration
}

// Bucket names. Knowledge buckets are replaced whole by Reseed; nothing else is.
var (
	bucketMeta = []byte("meta")

	bucketArticles  = []byte("knowledge/articles")
	bucketFilms     = []byte("knowledge/films")
	bucketPeople    = []byte("knowledge/people")
	bucketFacts     = []byte("knowledge/facts")
	bucketQuestions = []byte("knowledge/questions")
	bucketTitles    = []byte("knowledge/titles")
	bucketTitleLens = []byte("knowledge/title-lengths")

	// knowledgeBuckets is every bucket Reseed deletes and recreates, in the order it
	// writes them.
	knowledgeBuckets = [][]byte{
		bucketArticles, bucketFilms, bucketPeople, bucketFacts, bucketQuestions,
		bucketTitles, bucketTitleLens,
	}
)

// Keys in the meta bucket.
var (
	keySchema     = []byte("schema")     // uvarint SchemaVersion
	keyGeneration = []byte("generation") // uvarint, 0 before the first reseed
	keyCounts     = []byte("counts")     // five uvarints: articles, films, people, facts, questions
)

// minMmapSize is the least address space Open maps. bbolt remaps the file when a write
// transaction grows it past the mapping, and a remap waits for every reader and blocks new
// ones; mapping well past the file keeps a reseed from stalling lookups. It is address
// space, not memory.
const minMmapSize = 1 << 30

// pageSize is the page size of new store files (an existing file keeps its own). Against
// 4 KiB pages, 16 KiB ones make the knowledge's B+trees one level shallower, cut the
// reseed's page count (and so its time) by three quarters, and shrink the freelist each
// later commit writes out after a reseed has freed a whole generation.
const pageSize = 16 << 10

// allocSize is how far past what it needs bbolt grows the file each time it must (its
// default, 16 MiB, would stay on the file as slack once a reseed settles its size).
const allocSize = 1 << 20

// Open opens or creates the store at path. A store another process holds gives an error
// wrapping ErrLocked once opts.Timeout has passed; a store of another schema version gives
// one wrapping ErrSchema. A read-only open of a missing file fails.
func Open(path string, opts Options) (*Store, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = time.Second
	}
	mmap := minMmapSize
	if fi, err := os.Stat(path); err == nil && int(fi.Size())*3 > mmap {
		mmap = int(fi.Size()) * 3
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:         timeout,
		ReadOnly:        opts.ReadOnly,
		FreelistType:    bolt.FreelistMapType,
		InitialMmapSize: mmap,
		PageSize:        pageSize,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, &lockedError{path}
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.AllocSize = allocSize
	s := &Store{db: db, path: path}
	// Check in a read transaction: a write would fsync, which after a crash can mean
	// flushing a dead process's pages. Only a new file needs the version written.
	err = db.View(s.checkSchema)
	if errors.Is(err, errNoMeta) && !opts.ReadOnly {
		err = db.Update(s.checkSchema)
	}
	if errors.Is(err, errNoMeta) && opts.ReadOnly {
		err = nil // an empty file opened read-only: nothing installed
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	// A store reseeded several times is mostly freed pages; nothing else uses it yet, so
	// now is when they can be given back (see Reclaim).
	// A failed reclaim leaves the store as it was, which serves as well, only bigger.
	if !opts.ReadOnly {
		s.Reclaim()
	}
	return s, nil
}

// lockedError names the file another process holds.
type lockedError struct{ path string }

func (e *lockedError) Error() string { return "store " + e.path + " is in use by another process" }
func (e *lockedError) Unwrap() error { return ErrLocked }

// schemaError names the version found and the version wanted.
type schemaError struct {
	path      string
	have      uint64
	noVersion bool
}

func (e *schemaError) Error() string {
	if e.noVersion {
		return fmt.Sprintf("store %s is not a filmbot store (it has buckets but no schema version); use another -db path", e.path)
	}
	return fmt.Sprintf("store %s has schema version %d but this filmbot reads version %d; "+
		"run a filmbot that matches it, or reseed into a new -db path", e.path, e.have, SchemaVersion)
}

func (e *schemaError) Unwrap() error { return ErrSchema }

// errNoMeta is checkSchema's report, from a read transaction, of a file with no buckets.
var errNoMeta = errors.New("store: no meta bucket")

// checkSchema checks the schema version, writing it into a new file when tx is writable.
func (s *Store) checkSchema(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if !empty {
			return &schemaError{path: s.path, noVersion: true}
		}
		if !tx.Writable() {
			return errNoMeta
		}
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return meta.Put(keySchema, binary.AppendUvarint(nil, SchemaVersion))
	}
	v, n := binary.Uvarint(meta.Get(keySchema))
	if n <= 0 {
		return &schemaError{path: s.path, noVersion: true}
	}
	if v != SchemaVersion {
		return &schemaError{path: s.path, have: v}
	}
	return nil
}

// Close closes the store. Lookups after Close fail.
func (s *Store) Close() error { return s.db.Close() }

// Path returns the file the store lives in.
func (s *Store) Path() string { return s.path }

// Seeded reports whether the store holds any knowledge yet, that is whether a reseed has
// ever completed on it.
func (s *Store) Seeded() (bool, error) {
	g, err := s.Generation(context.Background())
	return g > 0, err
}

// Generation returns the number of the installed knowledge; each reseed increments it.
func (s *Store) Generation(ctx context.Context) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var g uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		g = generation(tx)
		return nil
	})
	return g, err
}

func generation(tx *bolt.Tx) uint64 {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0
	}
	g, _ := binary.Uvarint(meta.Get(keyGeneration))
	return g
}

// Counts returns how much knowledge the store holds.
func (s *Store) Counts() (seed.Counts, error) {
	var c seed.Counts
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		c, err = counts(tx)
		return err
	})
	return c, err
}

func counts(tx *bolt.Tx) (seed.Counts, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return seed.Counts{}, nil
	}
	v := meta.Get(keyCounts)
	if v == nil {
		return seed.Counts{}, nil
	}
	d := dec{s: string(v)}
	c := seed.Counts{
		Articles: int(d.uint()), Films: int(d.uint()), People: int(d.uint()),
		Facts: int(d.uint()), Questions: int(d.uint()),
	}
	return c, d.done("counts")
}

func encodeCounts(c seed.Counts) []byte {
	var e enc
	for _, n := range []int{c.Articles, c.Films, c.People, c.Facts, c.Questions} {
		e.uint(uint64(n))
	}
	return e.b
}

// Backup writes a consistent copy of the store to w, from one read transaction, so it
// runs while the bot serves and reseeds.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// compactTxSize bounds how many key and value bytes Compact copies in one write
// transaction, so the copy of a very large store does not hold it all in memory at once.
// Each further transaction frees pages the one before wrote, which stay in the copy as
// free space, so it is large enough for a 100,000-film store to be copied in one.
const compactTxSize = 256 << 20

// Compact writes a copy of the store to a new file at dst holding only live data, packed:
// bbolt never shrinks a file, so a store that has been reseeded keeps the pages a past
// generation freed, and the copy does not. It reads from one transaction, so it runs while
// the store serves (a reseed committed meanwhile is not in the copy). dst must not exist;
// on failure nothing is left there.
func (s *Store) Compact(dst string) (err error) {
	f, err := os.OpenFile(dst, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("compact %s: %w", s.path, err)
	}
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(dst)
			err = fmt.Errorf("compact %s into %s: %w", s.path, dst, err)
		}
	}()
	out, err := bolt.Open(dst, 0o600, &bolt.Options{
		Timeout:      time.Second,
		FreelistType: bolt.FreelistMapType,
		PageSize:     pageSize,
	})
	if err != nil {
		return err
	}
	out.AllocSize = allocSize
	if err := bolt.Compact(out, s.db, compactTxSize); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Check runs bbolt's consistency check over the whole file and returns every problem it
// finds, joined. It runs in a write transaction (rolled back) unless the store is
// read-only, because bbolt's check is only safe against concurrent writers that way.
func (s *Store) Check() error {
	tx, err := s.db.Begin(!s.db.IsReadOnly())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var errs []error
	for err := range tx.Check() {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
