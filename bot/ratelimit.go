package bot

import (
	"sync"
	"time"
)

// userLimiter allows each user limit commands per window, as a token bucket that refills
// continuously: a burst of limit, then one more every window/limit. Users who have been
// idle long enough to be full again are forgotten, so the map stays as small as the set of
// recently active users.
type userLimiter struct {
	limit  float64
	window time.Duration

	mu      sync.Mutex
	users   map[string]*userBucket
	lastGC  time.Time
	gcEvery time.Duration
}

type userBucket struct {
	tokens float64
	last   time.Time
}

// newUserLimiter returns a limiter, or nil (allowing everything) when limit or window is
// not positive.
func newUserLimiter(limit int, window time.Duration) *userLimiter {
	if limit <= 0 || window <= 0 {
		return nil
	}
	return &userLimiter{
		limit:   float64(limit),
		window:  window,
		users:   make(map[string]*userBucket),
		gcEvery: window,
	}
}

// allow reports whether user may run a command at now, and takes one token if so. When it
// may not, wait says how long until the next token.
func (l *userLimiter) allow(user string, now time.Time) (ok bool, wait time.Duration) {
	if l == nil {
		return true, 0
	}
	rate := l.limit / l.window.Seconds() // tokens per second
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastGC) >= l.gcEvery {
		l.gc(now)
	}
	b := l.users[user]
	if b == nil {
		b = &userBucket{tokens: l.limit, last: now}
		l.users[user] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.limit, b.tokens+el*rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / rate * float64(time.Second))
}

// gc forgets users whose bucket has refilled completely; l.mu must be held.
func (l *userLimiter) gc(now time.Time) {
	for u, b := range l.users {
		if now.Sub(b.last) >= l.window {
			delete(l.users, u)
		}
	}
	l.lastGC = now
}

// size returns how many users the limiter remembers.
func (l *userLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.users)
}
