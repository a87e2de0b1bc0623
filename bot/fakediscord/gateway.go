package fakediscord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// replayLimit is how many recent events a session keeps for RESUME.
const replayLimit = 4096

// gateway is the fake's websocket side.
type gateway struct {
	s        *Server
	upgrader websocket.Upgrader

	mu       sync.Mutex
	conns    map[*gwConn]struct{}
	current  *gwConn       // identified or resumed, and not told to go away
	readyCh  chan struct{} // closed when current becomes non-nil; replaced when it is cleared
	sessions map[string]*gwSession
	withhold bool
	hold     bool // leave IDENTIFY unanswered (Options.HoldReady)
	sevenOn  int  // send op 7 instead of READY this many times
	closeOn  int  // close IDENTIFYing connections with this code, when not 0
	refuse   bool
	stats    GatewayStats
	shards   shardState
}

// GatewayStats counts what the gateway has seen.
type GatewayStats struct {
	Connections int // websocket connections accepted
	Refused     int // websocket connections refused by RefuseGateway
	Open        int // connections open now
	Identifies  int
	Resumes     int
	Heartbeats  int
	// Intents is the intents bit set of the last IDENTIFY.
	Intents int
}

type gwSession struct {
	id     string
	shard  int // the shard it identified as, restored on RESUME
	seq    int64
	replay [][]byte // recent dispatches, oldest first, each with its sequence in seqs
	seqs   []int64
}

type gwConn struct {
	// shard is the shard ID the connection identified with (0 when unsharded).
	shard int
	ws    *websocket.Conn
	wmu   sync.Mutex
	sess  *gwSession
	once  sync.Once
	done  chan struct{}
}

func (g *gateway) init(s *Server) {
	g.s = s
	g.conns = make(map[*gwConn]struct{})
	g.sessions = make(map[string]*gwSession)
	g.readyCh = make(chan struct{})
	g.hold = s.opts.HoldReady
	g.upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
}

type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

func (g *gateway) serveWS(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("encoding") != "json" {
		http.Error(w, "encoding=json required", http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	refuse := g.refuse
	if refuse {
		g.stats.Refused++
	}
	g.mu.Unlock()
	if refuse {
		g.s.notify()
		http.Error(w, "gateway unavailable", http.StatusServiceUnavailable)
		return
	}
	ws, err := g.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws, done: make(chan struct{})}
	g.mu.Lock()
	g.conns[c] = struct{}{}
	g.stats.Connections++
	g.mu.Unlock()
	g.s.notify()
	defer g.drop(c)

	hello, _ := json.Marshal(map[string]any{"heartbeat_interval": g.s.opts.HeartbeatInterval.Milliseconds()})
	if c.write(frame{Op: 10, D: hello}) != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var f frame
		if json.Unmarshal(msg, &f) != nil {
			c.closeWith(4002, "Error while decoding payload.")
			return
		}
		switch f.Op {
		case 1:
			g.mu.Lock()
			g.stats.Heartbeats++
			withhold := g.withhold
			g.mu.Unlock()
			if !withhold {
				c.write(frame{Op: 11})
			}
			g.s.notify()
		case 2:
			if !g.identify(c, f.D) {
				return
			}
		case 6:
			if !g.resume(c, f.D) {
				return
			}
		default:
			// Presence and other ops are accepted and ignored.
		}
	}
}

func (g *gateway) identify(c *gwConn, d json.RawMessage) bool {
	var id struct {
		Token   string  `json:"token"`
		Intents int     `json:"intents"`
		Shard   *[2]int `json:"shard"`
	}
	json.Unmarshal(d, &id)
	if strings.TrimPrefix(id.Token, "Bot ") != g.s.opts.Token {
		c.closeWith(4004, "Authentication failed.")
		return false
	}
	if !g.checkShard(c, id.Shard) {
		return false
	}
	g.mu.Lock()
	g.stats.Identifies++
	g.stats.Intents = id.Intents
	defer g.s.notify()
	if code := g.closeOn; code != 0 {
		g.mu.Unlock()
		c.closeWith(code, "Closed by the test.")
		return false
	}
	if g.sevenOn > 0 {
		g.sevenOn--
		g.mu.Unlock()
		c.write(frame{Op: 7, D: json.RawMessage("null")})
		return true
	}
	if g.hold {
		g.mu.Unlock()
		return true
	}
	g.mu.Unlock()
	g.sendReady(c)
	return true
}

// sendReady starts a new session on c and sends READY.
func (g *gateway) sendReady(c *gwConn) {
	sess := &gwSession{id: "sess-" + g.s.NextID(), shard: c.shard}
	g.mu.Lock()
	g.sessions[sess.id] = sess
	c.sess = sess
	sess.seq++
	seq := sess.seq
	g.mu.Unlock()
	ready, _ := json.Marshal(map[string]any{
		"v":                  10,
		"user":               g.s.botUser(),
		"guilds":             []any{},
		"session_id":         sess.id,
		"resume_gateway_url": "ws" + strings.TrimPrefix(g.s.http.URL, "http") + "/gateway",
		"application":        map[string]any{"id": g.s.opts.AppID, "flags": 0},
	})
	if c.write(frame{Op: 0, T: "READY", S: &seq, D: ready}) == nil {
		g.setCurrent(c)
	}
}

func (g *gateway) resume(c *gwConn, d json.RawMessage) bool {
	var rs struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	json.Unmarshal(d, &rs)
	if strings.TrimPrefix(rs.Token, "Bot ") != g.s.opts.Token {
		c.closeWith(4004, "Authentication failed.")
		return false
	}
	defer g.s.notify()
	g.mu.Lock()
	g.stats.Resumes++
	sess := g.sessions[rs.SessionID]
	if sess == nil {
		g.mu.Unlock()
		c.write(frame{Op: 9, D: json.RawMessage("false")})
		return true
	}
	c.sess = sess
	c.shard = sess.shard
	if g.shards.held[sess.shard] {
		// HoldShard: answer once the test lets the shard go.
		if g.shards.pending == nil {
			g.shards.pending = make(map[int][]func())
		}
		g.shards.pending[sess.shard] = append(g.shards.pending[sess.shard], func() { g.finishResume(c, sess, rs.Seq) })
		g.mu.Unlock()
		return true
	}
	g.mu.Unlock()
	return g.finishResume(c, sess, rs.Seq)
}

// finishResume replays what sess missed after seq on c and sends RESUMED.
func (g *gateway) finishResume(c *gwConn, sess *gwSession, after int64) bool {
	defer g.s.notify()
	g.mu.Lock()
	var missed [][]byte
	for i, s := range sess.seqs {
		if s > after {
			missed = append(missed, sess.replay[i])
		}
	}
	sess.seq++
	seq := sess.seq
	g.mu.Unlock()
	for _, m := range missed {
		if c.writeRaw(m) != nil {
			return false
		}
	}
	if c.write(frame{Op: 0, T: "RESUMED", S: &seq, D: json.RawMessage("{}")}) == nil {
		g.setCurrent(c)
	}
	return true
}

func (g *gateway) setCurrent(c *gwConn) {
	defer g.s.notify()
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-c.done:
		return
	default:
	}
	g.current = c
	g.shards.setReady(c)
	select {
	case <-g.readyCh:
	default:
		close(g.readyCh)
	}
}

// clearCurrent forgets the ready connection if it is c; g.mu must be held.
func (g *gateway) clearCurrentLocked(c *gwConn) {
	g.shards.clearReady(c)
	if g.current != c || c == nil {
		return
	}
	g.current = nil
	g.readyCh = make(chan struct{})
}

func (g *gateway) drop(c *gwConn) {
	c.once.Do(func() { close(c.done) })
	c.ws.Close()
	g.mu.Lock()
	delete(g.conns, c)
	g.clearCurrentLocked(c)
	g.mu.Unlock()
	g.s.notify()
}

func (g *gateway) closeAll() {
	g.mu.Lock()
	conns := make([]*gwConn, 0, len(g.conns))
	for c := range g.conns {
		conns = append(conns, c)
	}
	g.mu.Unlock()
	for _, c := range conns {
		g.drop(c)
	}
}

func (c *gwConn) write(f frame) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return c.writeRaw(b)
}

func (c *gwConn) writeRaw(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

func (c *gwConn) closeWith(code int, text string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
}

// errNoSession is returned by dispatchRaw when no session is ready.
var errNoSession = errors.New("fakediscord: no gateway session is ready")

// WaitReady waits until a session has been identified (or resumed) and is ready for
// dispatches.
func (s *Server) WaitReady(ctx context.Context) error {
	for {
		s.gw.mu.Lock()
		cur, ch := s.gw.current, s.gw.readyCh
		s.gw.mu.Unlock()
		if cur != nil {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("waiting for the gateway to be ready: %w", ctx.Err())
		}
	}
}

func (s *Server) dispatchRaw(ctx context.Context, eventType string, d []byte) error {
	g := &s.gw
	shard, sharded := s.shardOf(d)
	if sharded {
		if err := s.WaitShardReady(ctx, shard); err != nil {
			return err
		}
	} else if err := s.WaitReady(ctx); err != nil {
		return err
	}
	g.mu.Lock()
	c := g.current
	if sharded {
		c = g.shards.ready[shard]
	}
	if c == nil || c.sess == nil {
		g.mu.Unlock()
		return errNoSession
	}
	sess := c.sess
	sess.seq++
	seq := sess.seq
	msg := make([]byte, 0, len(d)+64)
	msg = append(msg, `{"op":0,"s":`...)
	msg = strconv.AppendInt(msg, seq, 10)
	msg = append(msg, `,"t":`...)
	msg = strconv.AppendQuote(msg, eventType)
	msg = append(msg, `,"d":`...)
	msg = append(msg, d...)
	msg = append(msg, '}')
	sess.replay = append(sess.replay, msg)
	sess.seqs = append(sess.seqs, seq)
	if len(sess.replay) > 2*replayLimit {
		sess.replay = append([][]byte(nil), sess.replay[len(sess.replay)-replayLimit:]...)
		sess.seqs = append([]int64(nil), sess.seqs[len(sess.seqs)-replayLimit:]...)
	}
	g.mu.Unlock()
	// A failed write leaves the event for the RESUME replay, as on Discord.
	c.writeRaw(msg)
	return nil
}

// GatewayStats returns the gateway's counters.
func (s *Server) GatewayStats() GatewayStats {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	st := s.gw.stats
	st.Open = len(s.gw.conns)
	return st
}

// WithholdAcks stops (true) or restarts (false) answering heartbeats.
func (s *Server) WithholdAcks(withhold bool) {
	s.gw.mu.Lock()
	s.gw.withhold = withhold
	s.gw.mu.Unlock()
}

// ReconnectOnIdentify answers the next n IDENTIFYs with op 7 RECONNECT instead of READY:
// the sequence that deadlocks discordgo's Open.
func (s *Server) ReconnectOnIdentify(n int) {
	s.gw.mu.Lock()
	s.gw.sevenOn = n
	s.gw.mu.Unlock()
}

// CloseOnIdentify answers every IDENTIFY by closing the connection with code (4013 invalid
// intents, 4014 disallowed intents, 4004 authentication failed, …); 0 stops it.
func (s *Server) CloseOnIdentify(code int) {
	s.gw.mu.Lock()
	s.gw.closeOn = code
	s.gw.mu.Unlock()
}

// takeCurrent removes and returns the ready connection.
func (g *gateway) takeCurrent() *gwConn {
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.current
	g.clearCurrentLocked(c)
	return c
}

// Drop closes the ready connection's socket without a close frame, as a network failure
// would. The session stays resumable.
func (s *Server) Drop() error {
	c := s.gw.takeCurrent()
	if c == nil {
		return errNoSession
	}
	c.ws.UnderlyingConn().Close()
	return nil
}

// Reconnect sends op 7 RECONNECT on the ready connection; the session stays resumable.
func (s *Server) Reconnect() error {
	c := s.gw.takeCurrent()
	if c == nil {
		return errNoSession
	}
	return c.write(frame{Op: 7, D: json.RawMessage("null")})
}

// InvalidSession sends op 9 INVALID_SESSION on the ready connection. Unless resumable,
// the session is forgotten, so the client must IDENTIFY again.
func (s *Server) InvalidSession(resumable bool) error {
	c := s.gw.takeCurrent()
	if c == nil {
		return errNoSession
	}
	if !resumable {
		s.gw.mu.Lock()
		if c.sess != nil {
			delete(s.gw.sessions, c.sess.id)
		}
		s.gw.mu.Unlock()
	}
	return c.write(frame{Op: 9, D: json.RawMessage(strconv.FormatBool(resumable))})
}

// RefuseGateway makes new gateway connections fail (true), as during an outage, or
// succeed again (false). Open connections are not touched; Drop them.
func (s *Server) RefuseGateway(refuse bool) {
	s.gw.mu.Lock()
	s.gw.refuse = refuse
	s.gw.mu.Unlock()
}
