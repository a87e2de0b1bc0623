package fakediscord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Shards. With Options.ShardCount above 1 the gateway holds one ready connection per
// shard: IDENTIFY must carry shard [id, ShardCount] (4010 otherwise), every IDENTIFY
// takes one from session_start_limit.remaining, and each interaction is written to the
// connection of its guild's shard. RequireSharding makes an unsharded IDENTIFY close
// with 4011, as Discord does for a bot in too many guilds.

// shardState is the gateway's per-shard bookkeeping; gateway.mu guards it.
type shardState struct {
	ready      map[int]*gwConn // ready connection per shard ID
	identified []Identify
	require    bool             // RequireSharding
	held       map[int]bool     // HoldShard
	pending    map[int][]func() // RESUMEs held by HoldShard, per shard, to answer on release
}

// Identify is one IDENTIFY the gateway accepted.
type Identify struct {
	// Shard is the shard ID, and Count the shard count, it identified with (0 and 0
	// when it sent none).
	Shard, Count int
	At           time.Time
}

// StartLimit is what GET /gateway/bot says in session_start_limit.
type StartLimit struct {
	Total, Remaining, ResetAfter, MaxConcurrency int
}

// StartLimit returns the session start limit as it stands.
func (s *Server) StartLimit() StartLimit {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return StartLimit{Total: 1000, Remaining: s.gw.shards.remainingLocked(s.opts), ResetAfter: 3_600_000,
		MaxConcurrency: s.opts.MaxConcurrency}
}

func (st *shardState) remainingLocked(opts Options) int {
	return opts.StartRemaining - len(st.identified)
}

// RequireSharding makes IDENTIFYs without a shard count above 1 close with 4011
// (sharding required) while on.
func (s *Server) RequireSharding(on bool) {
	s.gw.mu.Lock()
	s.gw.shards.require = on
	s.gw.mu.Unlock()
}

// HoldShard leaves every RESUME of shard's session unanswered while on, so that a shard
// dropped with DropShard stays down while the others run; turning it off answers the
// held RESUMEs.
func (s *Server) HoldShard(shard int, on bool) {
	g := &s.gw
	g.mu.Lock()
	if g.shards.held == nil {
		g.shards.held = make(map[int]bool)
	}
	g.shards.held[shard] = on
	var release []func()
	if !on {
		release = g.shards.pending[shard]
		delete(g.shards.pending, shard)
	}
	g.mu.Unlock()
	for _, f := range release {
		f()
	}
}

// Identified returns every accepted IDENTIFY, oldest first.
func (s *Server) Identified() []Identify {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	return append([]Identify(nil), s.gw.shards.identified...)
}

// checkShard checks an IDENTIFY's shard field, closing c with Discord's code when it is
// wrong, and records the IDENTIFY.
func (g *gateway) checkShard(c *gwConn, shard *[2]int) bool {
	g.mu.Lock()
	opts := g.s.opts
	id, count := 0, 0
	if shard != nil {
		id, count = shard[0], shard[1]
	}
	var code int
	var text string
	switch {
	case g.shards.require && count <= 1:
		code, text = 4011, "Sharding required."
	case opts.ShardCount > 1 && (count != opts.ShardCount || id < 0 || id >= count):
		code, text = 4010, "Invalid shard."
	case shard != nil && (count < 1 || id < 0 || id >= count):
		code, text = 4010, "Invalid shard."
	}
	if code == 0 {
		c.shard = id
		g.shards.identified = append(g.shards.identified, Identify{Shard: id, Count: count, At: time.Now()})
	}
	g.mu.Unlock()
	if code != 0 {
		c.closeWith(code, text)
		g.s.notify()
		return false
	}
	return true
}

// setReady records c as its shard's ready connection; g.mu must be held.
func (st *shardState) setReady(c *gwConn) {
	if st.ready == nil {
		st.ready = make(map[int]*gwConn)
	}
	st.ready[c.shard] = c
}

// clearReady forgets c as its shard's ready connection; g.mu must be held.
func (st *shardState) clearReady(c *gwConn) {
	if c != nil && st.ready[c.shard] == c {
		delete(st.ready, c.shard)
	}
}

// ShardOf returns the shard that owns guild under the server's shard count, by
// Discord's rule; 0 for a DM (no guild).
func (s *Server) ShardOf(guild string) int {
	n := max(s.opts.ShardCount, 1)
	id, err := strconv.ParseUint(guild, 10, 64)
	if err != nil {
		return 0
	}
	return int((id >> 22) % uint64(n))
}

// shardOf returns the shard an event belongs to, and whether the server is sharded.
func (s *Server) shardOf(d []byte) (int, bool) {
	if s.opts.ShardCount <= 1 {
		return 0, false
	}
	// Interactions put guild_id at the top level; a cheap search for it keeps the fake's
	// cost per event out of shard benchmarks. Anything unusual takes the full decode.
	const key = `"guild_id":"`
	if i := bytes.Index(d, []byte(key)); i >= 0 && bytes.Count(d, []byte(key)) == 1 {
		rest := d[i+len(key):]
		if j := bytes.IndexByte(rest, '"'); j >= 0 {
			return s.ShardOf(string(rest[:j])), true
		}
	}
	var ev struct {
		GuildID string `json:"guild_id"`
	}
	json.Unmarshal(d, &ev)
	return s.ShardOf(ev.GuildID), true
}

// ReadyShards returns the shard IDs that have a ready connection.
func (s *Server) ReadyShards() map[int]bool {
	s.gw.mu.Lock()
	defer s.gw.mu.Unlock()
	out := make(map[int]bool, len(s.gw.shards.ready))
	for id := range s.gw.shards.ready {
		out[id] = true
	}
	return out
}

// WaitShardReady waits until shard has a ready connection.
func (s *Server) WaitShardReady(ctx context.Context, shard int) error {
	err := s.Wait(ctx, func() bool {
		s.gw.mu.Lock()
		defer s.gw.mu.Unlock()
		return s.gw.shards.ready[shard] != nil
	})
	if err != nil {
		return fmt.Errorf("waiting for shard %d to be ready: %w", shard, err)
	}
	return nil
}

// DropShard closes shard's ready connection without a close frame, as a network failure
// would; the other shards' connections stay up.
func (s *Server) DropShard(shard int) error {
	g := &s.gw
	g.mu.Lock()
	c := g.shards.ready[shard]
	if c != nil {
		g.shards.clearReady(c)
		if g.current == c {
			g.current = nil
			g.readyCh = make(chan struct{})
		}
	}
	g.mu.Unlock()
	if c == nil {
		return fmt.Errorf("fakediscord: shard %d has no ready connection", shard)
	}
	c.ws.UnderlyingConn().Close()
	return nil
}
