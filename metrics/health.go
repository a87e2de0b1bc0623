package metrics

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// Health answers /livez and /readyz. Checks are added as the parts they watch come up;
// the zero value has none and is ready.
type Health struct {
	mu       sync.Mutex
	checks   []check
	draining atomic.Bool
}

type check struct {
	name string
	fn   func() error
}

// Check adds a readiness check: fn returns nil when name is ready, or why it is not. It
// runs on every /readyz request, so it must be cheap (read a flag, not the store).
func (h *Health) Check(name string, fn func() error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checks = append(h.checks, check{name, fn})
}

// Drain makes /readyz fail from now on, so a load balancer or supervisor stops sending
// work while in-flight replies finish after SIGINT/SIGTERM.
func (h *Health) Drain() { h.draining.Store(true) }

// Problems returns one "name: reason" line per failing check, "draining" first once
// Drain was called; none when ready.
func (h *Health) Problems() []string {
	var out []string
	if h.draining.Load() {
		out = append(out, "draining: shutting down")
	}
	h.mu.Lock()
	checks := append([]check(nil), h.checks...)
	h.mu.Unlock()
	for _, c := range checks {
		if err := c.fn(); err != nil {
			out = append(out, fmt.Sprintf("%s: %v", c.name, err))
		}
	}
	return out
}

// Live answers /livez: 200 "ok" whenever the process can serve HTTP at all. It checks
// nothing else on purpose; a supervisor restarts on a failing liveness probe, and a bot
// waiting for Discord should not be restarted for that.
func (h *Health) Live(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}

// Ready answers /readyz: 200 "ok" when every check passes, else 503 with one line per
// failing check.
func (h *Health) Ready(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if p := h.Problems(); len(p) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, strings.Join(p, "\n"))
		return
	}
	fmt.Fprintln(w, "ok")
}
