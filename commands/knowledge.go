package commands

import (
	"filmbot/answer"
	"filmbot/seed"
)

// knowledge is the installed knowledge of one store generation, held in memory with the
// answer index built from it.
type knowledge struct {
	gen uint64
	cat *seed.Catalog
	idx *answer.Index
}

// knowledge returns the cached knowledge, rebuilding it when the store's generation has
// moved on (a reseed here, or by another process before this one opened the store). The
// check costs one small read per call; the rebuild happens once per generation, with other
// callers answered from the previous generation meanwhile (or, on the very first call,
// waiting for it) rather than building their own.
func (s *Set) knowledge() (*knowledge, error) {
	gen, err := s.deps.Store.Generation()
	if err != nil {
		return nil, err
	}
	k := s.know.Load()
	if k != nil && k.gen == gen {
		return k, nil
	}
	// A rebuild of a large catalog takes seconds, longer than Discord waits for a reply.
	// While one is running (a reseed holds the lock until its index is built), questions
	// are answered from the previous generation instead of queueing behind it.
	if k != nil && !s.knowBuild.TryLock() {
		return k, nil
	} else if k == nil {
		s.knowBuild.Lock()
	}
	defer s.knowBuild.Unlock()
	if k := s.know.Load(); k != nil && k.gen == gen {
		return k, nil
	}
	// Generation first, then the knowledge: if a reseed lands in between, the snapshot is
	// newer than its number says and is simply rebuilt on the next call.
	cat, err := s.deps.Store.Knowledge()
	if err != nil {
		return nil, err
	}
	k = &knowledge{gen: gen, cat: cat, idx: answer.New(cat)}
	s.know.Store(k)
	return k, nil
}

// Warm builds the answer index now instead of on the first question, so the first /ask
// after start-up is as fast as the rest.
func (s *Set) Warm() error {
	_, err := s.knowledge()
	return err
}
