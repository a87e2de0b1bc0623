// Package store keeps filmbot's knowledge and per-guild data in one bbolt file.
//
// STUB: the API below is the contract other packages build on; the implementation is being
// written. Nothing outside this package imports bbolt.
package store

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"time"

	bolt "go.etcd.io/bbolt"

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
)

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
}

// TitleMatch is one autocomplete result.
type TitleMatch struct {
	FilmID string
	Title  string
	Year   int
	// Matched is the title or alias the query matched.
	Matched string
}

// ReseedResult reports what a reseed installed.
type ReseedResult struct {
	seed.Counts
	Generation uint64
	Duration   time.Duration
}

var errStub = errors.New("store: not implemented yet")

// Open opens or creates the store at path.
func Open(path string, opts Options) (*Store, error) { return nil, errStub }

// Close closes the store.
func (s *Store) Close() error { return errStub }

// Path returns the file the store lives in.
func (s *Store) Path() string { return s.path }

// Seeded reports whether the store holds any knowledge yet.
func (s *Store) Seeded() (bool, error) { return false, errStub }

// Generation returns the number of the installed knowledge; each reseed increments it.
func (s *Store) Generation() (uint64, error) { return 0, errStub }

// Counts returns how much knowledge the store holds.
func (s *Store) Counts() (seed.Counts, error) { return seed.Counts{}, errStub }

// Reseed replaces all knowledge with cat in one transaction. cat must already be valid.
// progress, when not nil, is called now and then with records written and total.
func (s *Store) Reseed(ctx context.Context, cat *seed.Catalog, progress func(done, total int)) (ReseedResult, error) {
	return ReseedResult{}, errStub
}

// Film returns the film with the given ID.
func (s *Store) Film(id string) (seed.Film, error) { return seed.Film{}, errStub }

// FindFilm returns the film whose title or alias folds to the same text as name.
func (s *Store) FindFilm(name string) (seed.Film, error) { return seed.Film{}, errStub }

// SearchTitles returns up to limit (at most 25) films whose title or alias, or a word of
// it, starts with query after folding; best first.
func (s *Store) SearchTitles(query string, limit int) ([]TitleMatch, error) { return nil, errStub }

// Person returns the person with the given ID.
func (s *Store) Person(id string) (seed.Person, error) { return seed.Person{}, errStub }

// Article returns the article with the given ID.
func (s *Store) Article(id string) (seed.Article, error) { return seed.Article{}, errStub }

// FilmFacts returns the facts about a film, in seed order.
func (s *Store) FilmFacts(filmID string) ([]seed.Fact, error) { return nil, errStub }

// RandomFact returns a random fact, about filmID when it is not empty.
func (s *Store) RandomFact(filmID string, r *rand.Rand) (seed.Fact, error) {
	return seed.Fact{}, errStub
}

// Questions returns the quiz questions about filmID, or all of them when it is empty.
func (s *Store) Questions(filmID string) ([]seed.Question, error) { return nil, errStub }

// Knowledge returns the whole installed knowledge, read in one transaction.
func (s *Store) Knowledge() (*seed.Catalog, error) { return nil, errStub }

// Backup writes a consistent copy of the store to w.
func (s *Store) Backup(w io.Writer) (int64, error) { return 0, errStub }

// Check runs bbolt's consistency check.
func (s *Store) Check() error { return errStub }
