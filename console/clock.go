package console

import (
	"context"
	"sync"
	"time"

	"filmbot/trivia"
)

// countingClock is the real clock, counting the timers that are pending or running, so
// the console knows whether a game is still going: a running game always has its next
// step scheduled, and its last step (the standings) runs inside a timer.
type countingClock struct {
	mu      sync.Mutex
	pending int
	idle    chan struct{} // closed while pending is 0
}

func newCountingClock() *countingClock {
	c := &countingClock{idle: make(chan struct{})}
	close(c.idle)
	return c
}

// Now returns time.Now().
func (c *countingClock) Now() time.Time { return time.Now() }

// AfterFunc runs f after d, counting it until it has returned or been stopped.
func (c *countingClock) AfterFunc(d time.Duration, f func()) trivia.Timer {
	c.add(1)
	return &countedTimer{c: c, t: time.AfterFunc(d, func() {
		defer c.add(-1)
		f()
	})}
}

func (c *countingClock) add(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == 0 && n > 0 {
		c.idle = make(chan struct{})
	}
	c.pending += n
	if c.pending == 0 {
		close(c.idle)
	}
}

// busy reports whether any timer is pending or running.
func (c *countingClock) busy() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending > 0
}

// wait blocks until no timer is pending or running, and reports whether it got there
// before ctx ended.
func (c *countingClock) wait(ctx context.Context) bool {
	c.mu.Lock()
	idle := c.idle
	c.mu.Unlock()
	select {
	case <-idle:
		return true
	case <-ctx.Done():
		return false
	}
}

// settle waits at most max for running timers to return.
func (c *countingClock) settle(max time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), max)
	defer cancel()
	c.wait(ctx)
}

type countedTimer struct {
	c *countingClock
	t *time.Timer
}

// Stop stops the timer; a timer stopped before it ran is no longer counted.
func (t *countedTimer) Stop() bool {
	if t.t.Stop() {
		t.c.add(-1)
		return true
	}
	return false
}
