package pgstore

import (
	"cmp"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"

	"filmbot/store"
)

// Group commit for answers, as store.AnswerLog does for bbolt: an answer that arrives
// while fewer than maxCommitters commits are running is committed at once by its own
// caller; answers that arrive while they all run queue up, and the next free committer
// takes up to maxGroup of them into one transaction (one pipelined round trip, one WAL
// flush). A lone answer therefore waits for nothing, and a crowd shares flushes instead of
// queueing one fsync each behind the disk.

const (
	// maxCommitters is how many answer transactions run at once.
	maxCommitters = 4
	// maxGroup bounds the answers in one transaction, so each stays short.
	maxGroup = 256
)

type answerQueue struct {
	mu      sync.Mutex
	queue   []*queuedAnswer
	running int
}

type queuedAnswer struct {
	a    store.Answer
	done chan error
}

// record commits a and returns its result once its transaction has committed.
func (q *answerQueue) record(s *Store, a store.Answer) error {
	qa := &queuedAnswer{a: a, done: make(chan error, 1)}
	q.mu.Lock()
	q.queue = append(q.queue, qa)
	if q.running >= maxCommitters {
		q.mu.Unlock()
		return <-qa.done
	}
	q.running++
	q.mu.Unlock()
	// Commit what is queued (qa at least) here, then hand whatever queued meanwhile to
	// a goroutine, so this caller waits for one commit only.
	s.commitGroup(q.take())
	q.mu.Lock()
	if len(q.queue) > 0 {
		go q.drain(s)
	} else {
		q.running--
	}
	q.mu.Unlock()
	return <-qa.done
}

// take removes up to maxGroup answers from the queue.
func (q *answerQueue) take() []*queuedAnswer {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := min(len(q.queue), maxGroup)
	group := slices.Clone(q.queue[:n])
	q.queue = slices.Delete(q.queue, 0, n)
	return group
}

// drain commits queued answers until the queue is empty, then gives up its place.
func (q *answerQueue) drain(s *Store) {
	for {
		q.mu.Lock()
		if len(q.queue) == 0 {
			q.running--
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		s.commitGroup(q.take())
	}
}

// commitGroup records group in one transaction and tells each answer its result. The
// answers are sorted by player first, so two transactions lock the rows they share in
// the same order. When the transaction fails, each answer is retried alone: the failed
// one rolled back, so no answer counts twice.
func (s *Store) commitGroup(group []*queuedAnswer) {
	if len(group) == 0 {
		return
	}
	if len(group) == 1 {
		group[0].done <- s.recordOne(group[0].a)
		return
	}
	slices.SortFunc(group, func(x, y *queuedAnswer) int {
		return cmp.Or(cmp.Compare(x.a.User, y.a.User), cmp.Compare(x.a.Guild, y.a.Guild),
			cmp.Compare(x.a.Game, y.a.Game), cmp.Compare(x.a.Question, y.a.Question))
	})
	ctx, cancel := s.call()
	defer cancel()
	results := make([]error, len(group))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, qa := range group {
			b.Queue(recordSQL, recordArgs(qa.a)...)
		}
		br := tx.SendBatch(ctx, b)
		for i := range group {
			var n int
			err := br.QueryRow().Scan(&n)
			if err != nil {
				br.Close()
				return err
			}
			results[i] = recordResult(n, nil)
		}
		return br.Close()
	})
	if err != nil {
		for _, qa := range group {
			qa.done <- s.recordOne(qa.a)
		}
		return
	}
	for i, qa := range group {
		qa.done <- results[i]
	}
}
