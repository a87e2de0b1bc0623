package bot

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Errors Run returns when the gateway cannot be trusted to deliver interactions. A
// supervisor restarting the process is the remedy for both.
var (
	// ErrOpenTimeout is returned by Run when the gateway has not sent READY within the
	// open timeout, on every attempt.
	ErrOpenTimeout = errors.New("gateway: no READY within the open timeout")
	// ErrStalled is returned by Run when the gateway has been silent (no events and no
	// heartbeat ACKs) for the stall timeout, and forcing a reconnect did not bring it back
	// within the same time again.
	ErrStalled = errors.New("gateway: stalled")
)

// connTracker remembers the network connections under the gateway websocket, so that a
// stuck read inside discordgo (Open waiting for READY, listen waiting for anything) can be
// ended from outside by closing the connection: discordgo offers no other way in, and its
// own Close needs a lock that a stuck Open holds.
type connTracker struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
	// watch maps a session's dialer to where the next close frame written on one of its
	// connections is reported: see closeFrameSent.
	watch map[*websocket.Dialer]chan net.Conn
}

func newConnTracker() *connTracker {
	return &connTracker{conns: make(map[net.Conn]struct{}), watch: make(map[*websocket.Dialer]chan net.Conn)}
}

// dialer returns a websocket dialer whose connections the tracker can close. It replaces
// discordgo's default, which is gorilla's package-level DefaultDialer.
func (t *connTracker) dialer(timeout time.Duration) *websocket.Dialer {
	dial := dialContext(&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second})
	d := &websocket.Dialer{
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: timeout,
	}
	d.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		tc := &trackedConn{Conn: c, t: t, d: d}
		t.mu.Lock()
		t.conns[tc] = struct{}{}
		t.mu.Unlock()
		return tc, nil
	}
	return d
}

// closeAll closes every open gateway connection; discordgo sees a read error and, when it
// was listening, reconnects.
func (t *connTracker) closeAll() int {
	t.mu.Lock()
	conns := make([]net.Conn, 0, len(t.conns))
	for c := range t.conns {
		conns = append(conns, c)
	}
	t.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
	return len(conns)
}

// closeFrameSent returns a channel that receives the connection of dialer d (one session's:
// see Bot.gatewaySession) that next writes a websocket close frame; unwatch ends the watch.
// discordgo's Close writes one and then sleeps a second before it closes the socket itself;
// once the frame is out, filmbot closes that socket instead of waiting, and no other
// session's. Only plain ws:// connections can be seen this way: over TLS the tracker sees
// ciphertext, and closing waits for discordgo as before.
func (t *connTracker) closeFrameSent(d *websocket.Dialer) <-chan net.Conn {
	ch := make(chan net.Conn, 1)
	t.mu.Lock()
	t.watch[d] = ch
	t.mu.Unlock()
	return ch
}

func (t *connTracker) unwatch(d *websocket.Dialer) {
	t.mu.Lock()
	delete(t.watch, d)
	t.mu.Unlock()
}

func (t *connTracker) sawCloseFrame(c *trackedConn) {
	t.mu.Lock()
	ch := t.watch[c.d]
	delete(t.watch, c.d)
	t.mu.Unlock()
	if ch != nil {
		ch <- c // buffered, and reported once
	}
}

// isCloseFrame reports whether p starts a websocket close frame as a client writes it:
// FIN and opcode 8, masked. gorilla writes each control frame in one Write.
func isCloseFrame(p []byte) bool {
	return len(p) >= 6 && p[0] == 0x88 && p[1]&0x80 != 0
}

// dialContext returns d.DialContext, except that a host under .invalid fails at once with
// a not-found DNS error, without a query. RFC 6761 reserves that domain for names that must
// never resolve and asks resolver libraries to answer so themselves; Go's resolver asks
// the network anyway, which is slow without one and sends the name off the machine.
func dialContext(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err == nil && reservedInvalid(host) {
			return nil, &net.OpError{Op: "dial", Net: network,
				Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
		}
		return d.DialContext(ctx, network, addr)
	}
}

// reservedInvalid reports whether host is "invalid" or a name under it (RFC 6761 §6.4).
func reservedInvalid(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return h == "invalid" || strings.HasSuffix(h, ".invalid")
}

type trackedConn struct {
	net.Conn
	t    *connTracker
	d    *websocket.Dialer // the dialer, and so the session, that made it
	once sync.Once
}

func (c *trackedConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if isCloseFrame(p) {
		c.t.sawCloseFrame(c)
	}
	return n, err
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.t.mu.Lock()
		delete(c.t.conns, c)
		c.t.mu.Unlock()
	})
	return c.Conn.Close()
}

// liveness records when the gateway last showed signs of life.
type liveness struct {
	lastEvent atomic.Int64 // unix nanoseconds of the last dispatch, READY or RESUMED
}

func (l *liveness) touch(now time.Time) { l.lastEvent.Store(now.UnixNano()) }

// last returns the later of the last dispatch and the last heartbeat ACK. The ACK time is
// behind the session's lock; when that lock is held (discordgo is connecting, or stuck
// connecting) the ACK time is left out rather than waiting.
func (l *liveness) last(s *discordgo.Session) time.Time {
	t := time.Unix(0, l.lastEvent.Load())
	if s != nil && s.TryRLock() {
		ack := s.LastHeartbeatAck
		s.RUnlock()
		if ack.After(t) {
			t = ack
		}
	}
	return t
}

// openSession runs s.Open with a deadline. discordgo's Open has none: it can wait forever
// for HELLO or READY, and a RECONNECT (op 7) arriving during it deadlocks the session on
// its own lock. On timeout the gateway connection is closed under it, which ends a stuck
// read; an Open stuck on the lock cannot be ended, so the session is abandoned and the
// caller must give up (Run returns ErrOpenTimeout and the process exits non-zero).
func openSession(ctx context.Context, s *discordgo.Session, conns *connTracker, timeout time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- s.Open() }()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	case <-t.C:
	}
	// A stuck read ends at once now; an Open deadlocked on its own lock never returns, so
	// it is given no longer than the attempt itself had.
	conns.closeAll()
	select {
	case <-done:
	case <-time.After(min(2*time.Second, timeout)):
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return ErrOpenTimeout
}
