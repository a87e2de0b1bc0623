package pgstore

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"
	"time"

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

// playerLock is the first key of the advisory locks answer transactions take per player
// ("fbot" in ASCII); the second is a hash of the user ID.
const playerLock = 0x66626f74

// playerKey is the second advisory lock key of user.
func playerKey(user string) int32 {
	h := fnv.New32a()
	h.Write([]byte(user))
	return int32(h.Sum32())
}

// commitGroup records group in one transaction and tells each answer its result.
//
// Locks are taken in one order by every transaction, so none can deadlock another: first
// an advisory lock per player, in key order (every writer of a player's rows holds it
// first, ResetScores included), then the rows, and last the rank histogram's rows, in
// statements of their own just before COMMIT (rank.go). When the transaction fails,
// each answer is retried alone; the failed one rolled back, so no answer counts twice.
func (s *Store) commitGroup(group []*queuedAnswer) {
	if len(group) == 0 {
		return
	}
	results, err := s.recordTx(group)
	if err != nil && len(group) > 1 {
		for _, qa := range group {
			res, err := s.recordTx([]*queuedAnswer{qa})
			if err == nil {
				err = res[0]
			}
			qa.done <- err
		}
		return
	}
	for i, qa := range group {
		if err != nil {
			qa.done <- err
		} else {
			qa.done <- results[i]
		}
	}
}

// recordTx records group in one transaction, in two round trips: BEGIN, the player locks
// and the answers; then the rank histogram and COMMIT. It returns each answer's result, or
// the error that rolled the transaction back.
func (s *Store) recordTx(group []*queuedAnswer) ([]error, error) {
	ctx, cancel := s.call()
	defer cancel()
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("pgstore: record answer: %w", err)
	}
	defer conn.Release()
	keys := make([]int32, 0, len(group))
	for _, qa := range group {
		keys = append(keys, playerKey(qa.a.User))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)

	b := &pgx.Batch{}
	b.Queue("BEGIN")
	for _, k := range keys {
		b.Queue("SELECT pg_advisory_xact_lock($1, $2)", int32(playerLock), k)
	}
	for _, qa := range group {
		b.Queue(recordSQL, recordArgs(qa.a)...)
	}
	results := make([]error, len(group))
	ranks := rankDelta{}
	err = func() error {
		br := conn.SendBatch(ctx, b)
		defer br.Close()
		for range 1 + len(keys) {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		for i := range group {
			var n int
			var created bool
			var total int64
			if err := br.QueryRow().Scan(&n, &created, &total); err != nil {
				return err
			}
			results[i] = recordResult(n, nil)
			if results[i] == nil {
				ranks.move(total-int64(group[i].a.Points), total, created)
			}
		}
		return br.Close()
	}()
	if err == nil {
		b = &pgx.Batch{}
		ranks.queue(b)
		b.Queue("COMMIT")
		err = conn.SendBatch(ctx, b).Close()
	}
	if err != nil {
		// The transaction is aborted or the connection broken: roll back whatever is left
		// (a broken connection is closed by pgx and leaves the pool).
		rctx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn.Exec(rctx, "ROLLBACK")
		cancel()
		return nil, fmt.Errorf("pgstore: record answer: %w", err)
	}
	return results, nil
}
