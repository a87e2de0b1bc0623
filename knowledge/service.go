package knowledge

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"filmbot/answer"
	"filmbot/seed"
	"filmbot/store"
)

// ErrReseedRunning is returned by Reseed when another reseed through the same service has
// not finished.
var ErrReseedRunning = errors.New("a reseed is already running")

// Generation is the knowledge of one store generation as held in memory. It is immutable.
type Generation struct {
	// Number is the store generation the knowledge was read at.
	Number uint64
	// Catalog is the installed knowledge; callers must not modify it.
	Catalog *seed.Catalog
	// Index answers questions about Catalog.
	Index *answer.Index

	quizOnce sync.Once
	quiz     *Bank
}

// Quiz returns the generation's quiz bank, building it on first use: a bot nobody plays
// trivia with never pays for it.
func (g *Generation) Quiz() *Bank {
	g.quizOnce.Do(func() { g.quiz = NewBank(g.Catalog) })
	return g.quiz
}

// Service holds the knowledge of one store in memory. It is safe for concurrent use.
type Service struct {
	store *store.Store

	cur   atomic.Pointer[Generation]
	build sync.Mutex

	// reseed serialises reseeds: one at a time, from Discord or the command line.
	reseed    sync.Mutex
	reseeding atomic.Bool

	// observer, when set, hears of every reseed Install finishes (metrics).
	observer atomic.Pointer[ReseedObserver]

	// publish, when set, shares each catalog Install makes live with the bot's other
	// processes.
	publish atomic.Pointer[PublishFunc]
}

// PublishFunc shares a catalog that Install has just made live in this process with the
// bot's other processes (pgstore.KnowledgeSync does it through PostgreSQL).
type PublishFunc func(ctx context.Context, cat *seed.Catalog) error

// SetPublish makes every later successful Install call p; nil stops it.
func (s *Service) SetPublish(p PublishFunc) {
	if p == nil {
		s.publish.Store(nil)
		return
	}
	s.publish.Store(&p)
}

// ReseedObserver is told of each reseed: how long it took until the new index was live,
// what it installed, and Install's error.
type ReseedObserver func(took time.Duration, res store.ReseedResult, err error)

// ObserveReseeds has f told of every reseed from now on, for metrics.
func (s *Service) ObserveReseeds(f ReseedObserver) { s.observer.Store(&f) }

// New returns a service over st with nothing in memory yet; the first call that needs the
// knowledge (or Warm) reads it.
func New(st *store.Store) *Service {
	return &Service{store: st}
}

// Store returns the store the service reads.
func (s *Service) Store() *store.Store { return s.store }

// Current returns the knowledge of the store's current generation. The check costs one
// small read per call; the rebuild happens once per generation, with other callers
// answered from the previous generation meanwhile (or, on the very first call, waiting
// for it) rather than building their own.
func (s *Service) Current(ctx context.Context) (*Generation, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gen, err := s.store.Generation(ctx)
	if err != nil {
		return nil, err
	}
	g := s.cur.Load()
	if g != nil && g.Number == gen {
		return g, nil
	}
	// A rebuild of a large catalog takes seconds, longer than Discord waits for a reply.
	// While one is running (a reseed holds the lock until its index is built), questions
	// are answered from the previous generation instead of queueing behind it.
	if g != nil && !s.build.TryLock() {
		return g, nil
	} else if g == nil {
		s.build.Lock()
	}
	defer s.build.Unlock()
	if g := s.cur.Load(); g != nil && g.Number == gen {
		return g, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Generation first, then the knowledge: if a reseed lands in between, the snapshot is
	// newer than its number says and is simply rebuilt on the next call.
	cat, err := s.store.Knowledge(ctx)
	if err != nil {
		return nil, err
	}
	g = newGeneration(gen, cat)
	s.cur.Store(g)
	return g, nil
}

func newGeneration(gen uint64, cat *seed.Catalog) *Generation {
	return &Generation{Number: gen, Catalog: cat, Index: answer.New(cat)}
}

// Warm builds the answer index now instead of on the first question, so the first /ask
// after start-up is as fast as the rest.
//
// It also starts building the quiz bank in the background: for a large catalog the bank's
// generated questions take a second or two, which the first /trivia start must not spend
// inside Discord's three seconds.
func (s *Service) Warm(ctx context.Context) error {
	g, err := s.Current(ctx)
	if err == nil {
		go g.Quiz()
	}
	return err
}

// Ask asks the answer engine question, about the film with ID filmID when it is not
// empty, using the index of the current knowledge.
func (s *Service) Ask(ctx context.Context, question, filmID string) (answer.Answer, error) {
	g, err := s.Current(ctx)
	if err != nil {
		return answer.Answer{}, err
	}
	return g.Index.Ask(question, filmID), nil
}

// AskAbout is Ask where contextFilm (may be empty) is the film the conversation is about:
// a question that names no film is about it (answer.Index.AskAbout).
func (s *Service) AskAbout(ctx context.Context, question, filmID, contextFilm string) (answer.Answer, error) {
	g, err := s.Current(ctx)
	if err != nil {
		return answer.Answer{}, err
	}
	return g.Index.AskAbout(question, filmID, contextFilm), nil
}

// Reseeding reports whether a reseed holds the lock now.
func (s *Service) Reseeding() bool { return s.reseeding.Load() }

// Reseed installs cat in the store, one reseed at a time (ErrReseedRunning otherwise),
// and reports success only once the new knowledge is live. Per-guild data (scores) is kept
// by the store. progress, when not nil, gets records written and the total now and then.
func (s *Service) Reseed(ctx context.Context, cat *seed.Catalog, progress func(done, total int)) (store.ReseedResult, error) {
	r, ok := s.BeginReseed()
	if !ok {
		return store.ReseedResult{}, ErrReseedRunning
	}
	defer r.End()
	return r.Install(ctx, cat, progress)
}

// Reseeder is a held reseed lock: BeginReseed returns one, Install writes a catalog with
// it, End releases it. It lets /reseed refuse a second reseed while the first is still
// downloading its file.
type Reseeder struct {
	s    *Service
	done bool
}

// BeginReseed takes the reseed lock without waiting; ok is false when another reseed holds
// it. The caller must call End.
func (s *Service) BeginReseed() (r *Reseeder, ok bool) {
	if !s.reseed.TryLock() {
		return nil, false
	}
	s.reseeding.Store(true)
	return &Reseeder{s: s}, true
}

// End releases the reseed lock. Calls after the first do nothing.
func (r *Reseeder) End() {
	if r.done {
		return
	}
	r.done = true
	r.s.reseeding.Store(false)
	r.s.reseed.Unlock()
}

// Install writes cat to the store and builds its index before returning, so "done" means
// new answers are live; questions meanwhile get the previous generation's answers.
func (r *Reseeder) Install(ctx context.Context, cat *seed.Catalog, progress func(done, total int)) (store.ReseedResult, error) {
	if r.done {
		return store.ReseedResult{}, errors.New("knowledge: Install after End")
	}
	if err := ctx.Err(); err != nil {
		return store.ReseedResult{}, err
	}
	s := r.s
	start := time.Now()
	s.build.Lock()
	defer s.build.Unlock()
	res, err := s.store.Reseed(ctx, cat, progress)
	if err == nil {
		g := newGeneration(res.Generation, cat)
		s.cur.Store(g)
		go g.Quiz() // as Warm does: the next /trivia start should not wait for it
		if p := s.publish.Load(); p != nil {
			if perr := (*p)(ctx, cat); perr != nil {
				err = fmt.Errorf("knowledge: installed in this process but not shared with the other processes: %w", perr)
			}
		}
	}
	if f := s.observer.Load(); f != nil {
		(*f)(time.Since(start), res, err)
	}
	return res, err
}
