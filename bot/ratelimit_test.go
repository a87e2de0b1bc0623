package bot

import (
	"testing"
	"time"
)

func TestUserLimiter(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	l := newUserLimiter(3, 30*time.Second) // one token every 10 s
	steps := []struct {
		user string
		at   time.Duration
		want bool
	}{
		{"a", 0, true},
		{"a", 0, true},
		{"a", time.Second, true},
		{"a", 2 * time.Second, false}, // burst of 3 used
		{"b", 2 * time.Second, true},  // others are not affected
		{"a", 9 * time.Second, false},
		{"a", 11 * time.Second, true}, // one token back after 10 s
		{"a", 12 * time.Second, false},
	}
	for i, s := range steps {
		ok, wait := l.allow(s.user, t0.Add(s.at))
		if ok != s.want {
			t.Errorf("step %d (%s at %v): allowed %v, want %v", i, s.user, s.at, ok, s.want)
		}
		if !ok && wait <= 0 {
			t.Errorf("step %d: refused with wait %v", i, wait)
		}
	}
	// Idle users are forgotten once their bucket is full again.
	l.allow("c", t0.Add(5*time.Minute))
	if n := l.size(); n != 1 {
		t.Errorf("limiter remembers %d users after everyone else went idle, want 1", n)
	}
}

func TestUserLimiter_disabled(t *testing.T) {
	for _, l := range []*userLimiter{newUserLimiter(0, time.Second), newUserLimiter(5, 0)} {
		for range 100 {
			if ok, _ := l.allow("a", time.Now()); !ok {
				t.Fatal("disabled limiter refused")
			}
		}
	}
}
