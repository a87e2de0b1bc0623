package bot

// Gateway shards. Discord requires a bot in more than 2,500 guilds to split its gateway
// into shards: shard i of n receives the events of the guilds with
// (guild_id >> 22) % n == i, and DMs come on shard 0. discordgo offers only ShardID and
// ShardCount on a session, so filmbot runs one session per shard itself and paces their
// IDENTIFYs as GET /gateway/bot's session_start_limit says: shards whose
// shard_id % max_concurrency differ may identify together, shards sharing that key 5 s
// apart. Running out of identifies (remaining) gets the token reset, so a start that
// would use them up is refused instead.
//
// With Config.Sharding nil the bot runs one unsharded session, as before sharding
// existed; FromConfig always sets it, so `filmbot run` asks GET /gateway/bot first.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Sharding is which shards this process runs.
type Sharding struct {
	// Count is the shard count of the whole bot; 0 takes GET /gateway/bot's
	// recommendation.
	Count int
	// IDs are the shards this process runs; empty means all of them.
	IDs []int
	// Clock paces the identify buckets; nil means the real clock.
	Clock ShardClock
	// Observer, when set, hears of each shard's connection going up and down, as
	// Config.Metrics does (filmbot_gateway_ready and filmbot_gateway_reconnects_total
	// per shard).
	Observer ShardObserver
}

// ShardObserver is told about each shard's gateway connection: every change once, in
// order, and a Reconnect after the GatewayReady of a shard that was READY before.
type ShardObserver interface {
	// GatewayReady reports shard READY (or resumed), or down.
	GatewayReady(shard int, ready bool)
	// Reconnect reports that shard came back after being down.
	Reconnect(shard int)
}

// ShardClock is the time source of identify pacing, injected by tests.
type ShardClock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realShardClock struct{}

func (realShardClock) Now() time.Time                         { return time.Now() }
func (realShardClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// IdentifyInterval is how long Discord wants between two IDENTIFYs that share a
// rate-limit key (shard_id % max_concurrency).
const IdentifyInterval = 5 * time.Second

// Errors of a sharded start.
var (
	// ErrStartLimit is returned by Run when the identifies left in session_start_limit
	// would not cover the shards to start; using them all up resets the bot token.
	ErrStartLimit = errors.New("not enough gateway session starts left")
	// ErrShardingRequired is returned by Run when Discord closes the gateway with 4011:
	// the bot is in too many guilds for the shard count.
	ErrShardingRequired = errors.New("sharding required by Discord (gateway close 4011): " +
		"set shard-count to 0 to use Discord's recommended count, or raise it, and give every process its share in shards")
)

// GatewayPlan is a resolved sharding: what Discord said and what this process starts.
type GatewayPlan struct {
	Count          int
	IDs            []int
	MaxConcurrency int
	Remaining      int
	ResetAfter     time.Duration
}

// planShards resolves sh against GET /gateway/bot's answer and checks the start limit.
func planShards(sh Sharding, gb *discordgo.GatewayBotResponse) (GatewayPlan, error) {
	lim := gb.SessionStartLimit
	p := GatewayPlan{Count: sh.Count, MaxConcurrency: max(lim.MaxConcurrency, 1),
		Remaining: lim.Remaining, ResetAfter: time.Duration(lim.ResetAfter) * time.Millisecond}
	if p.Count <= 0 {
		p.Count = max(gb.Shards, 1)
	}
	if len(sh.IDs) == 0 {
		for i := range p.Count {
			p.IDs = append(p.IDs, i)
		}
	} else {
		p.IDs = slices.Sorted(slices.Values(sh.IDs))
		p.IDs = slices.Compact(p.IDs)
		if last := p.IDs[len(p.IDs)-1]; last >= p.Count || p.IDs[0] < 0 {
			return p, fmt.Errorf("shard %d is outside shard-count %d (shard IDs run from 0 to %d)", last, p.Count, p.Count-1)
		}
	}
	if p.Remaining < len(p.IDs) {
		return p, fmt.Errorf("%w: starting %d shards needs %d identifies and Discord allows %d more until %v from now "+
			"(running out resets the bot token); wait, or start fewer shards in this process",
			ErrStartLimit, len(p.IDs), len(p.IDs), p.Remaining, p.ResetAfter.Round(time.Second))
	}
	return p, nil
}

// IdentifyBuckets groups ids into the buckets that may identify together: the i-th shard
// of each rate-limit key (shard_id % maxConcurrency) goes into bucket i, so no two shards
// of one key share a bucket. Buckets go IdentifyInterval apart, in order.
func IdentifyBuckets(ids []int, maxConcurrency int) [][]int {
	maxConcurrency = max(maxConcurrency, 1)
	seen := make(map[int]int) // key → shards of it placed so far
	var buckets [][]int
	for _, id := range slices.Sorted(slices.Values(ids)) {
		i := seen[id%maxConcurrency]
		seen[id%maxConcurrency]++
		if i == len(buckets) {
			buckets = append(buckets, nil)
		}
		buckets[i] = append(buckets[i], id)
	}
	return buckets
}

// shardSet is the sessions of a sharded bot, one per shard.
type shardSet struct {
	plan GatewayPlan

	mu       sync.Mutex
	sessions map[int]*discordgo.Session
	readyCh  map[int]chan struct{} // closed at each shard's first READY
	// logs is the bot's logger with shard=N, per shard, for the interactions that shard
	// delivers; made before the set is shared and only read after.
	logs map[int]*slog.Logger
	// current maps each shard's current session to its shard ID; every event looks its
	// session up here, so it is read without the mutex.
	current sync.Map // *discordgo.Session → int
}

// shard returns the shard ID s runs, and whether s is one of the set's current sessions.
func (ss *shardSet) shard(s *discordgo.Session) (int, bool) {
	id, ok := ss.current.Load(s)
	if !ok {
		return 0, false
	}
	return id.(int), true
}

// Shards returns the resolved shard plan once Run has started the shards; the zero plan
// before, or for an unsharded bot.
func (b *Bot) Shards() GatewayPlan {
	if ss := b.shardSet.Load(); ss != nil {
		return ss.plan
	}
	return GatewayPlan{}
}

// startShards is start for a bot with Config.Sharding: ask Discord for the shard count
// and the start limit, refuse a start that would exhaust it, then identify the shards
// bucket by bucket and register the commands once.
func (b *Bot) startShards(ctx context.Context) error {
	var gb *discordgo.GatewayBotResponse
	err := b.retry(ctx, "ask Discord for the shard count (GET /gateway/bot)", func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, b.cfg.RESTTimeout)
		defer cancel()
		return b.rest.do(ctx, func(opts ...discordgo.RequestOption) error {
			var err error
			gb, err = b.session.GatewayBot(opts...)
			return err
		})
	})
	if err != nil {
		return err
	}
	plan, err := planShards(*b.cfg.Sharding, gb)
	if err != nil {
		return err
	}
	if plan.Count == 1 {
		// One shard is the unsharded connection Discord serves every small bot.
		if err := b.retry(ctx, "connect to Discord", b.connect); err != nil {
			return shardingError(err)
		}
		return b.retry(ctx, "", b.register)
	}
	ss := &shardSet{plan: plan, sessions: make(map[int]*discordgo.Session), readyCh: make(map[int]chan struct{}),
		logs: make(map[int]*slog.Logger)}
	for _, id := range plan.IDs {
		ss.readyCh[id] = make(chan struct{})
		ss.logs[id] = b.log.With("shard", id)
	}
	b.shardSet.Store(ss)
	clock := b.cfg.Sharding.Clock
	if clock == nil {
		clock = realShardClock{}
	}
	b.log.Info("starting shards", "shard_count", plan.Count, "shards", len(plan.IDs),
		"max_concurrency", plan.MaxConcurrency, "identifies_left", plan.Remaining)
	var next time.Time
	for i, bucket := range IdentifyBuckets(plan.IDs, plan.MaxConcurrency) {
		if i > 0 {
			if wait := next.Sub(clock.Now()); wait > 0 {
				select {
				case <-clock.After(wait):
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
		next = clock.Now().Add(IdentifyInterval)
		errs := make([]error, len(bucket))
		var wg sync.WaitGroup
		for j, id := range bucket {
			wg.Add(1)
			go func() {
				defer wg.Done()
				attempt := 0
				errs[j] = b.retry(ctx, "connect shard "+strconv.Itoa(id), func(ctx context.Context) error {
					// A retry identifies again with the same rate-limit key: keep it
					// IdentifyInterval after the last try, as Discord requires.
					if attempt++; attempt > 1 {
						select {
						case <-clock.After(IdentifyInterval):
						case <-ctx.Done():
							return ctx.Err()
						}
					}
					return b.connectShard(ctx, ss, id)
				})
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return shardingError(err)
		}
	}
	return b.retry(ctx, "", b.register)
}

// shardingError names the fix when Discord closed the gateway with 4011.
func shardingError(err error) error {
	var ce *websocket.CloseError
	if errors.As(err, &ce) && ce.Code == 4011 {
		return fmt.Errorf("%w (%v)", ErrShardingRequired, err)
	}
	return err
}

// connectShard makes one attempt at opening shard id's session, until its READY.
// discordgo reconnects and resumes a session that drops by itself, so after this each
// shard recovers alone.
func (b *Bot) connectShard(ctx context.Context, ss *shardSet, id int) error {
	deadline := time.Now().Add(b.cfg.OpenTimeout)
	s, err := b.gatewaySession()
	if err != nil {
		return err
	}
	s.ShardID, s.ShardCount = id, ss.plan.Count
	log := ss.logs[id]
	s.AddHandler(func(s *discordgo.Session, e *discordgo.Event) {
		if b.gw.Load() == s {
			return // gatewaySession's own handler serves it
		}
		if _, ok := ss.shard(s); ok {
			b.onEvent(s, e)
		}
	})
	// onEvent and trackGateway keep the shard's state for readiness and metrics; these
	// handlers log its changes and mark its first READY.
	s.AddHandler(func(s *discordgo.Session, r *discordgo.Ready) {
		if cur, ok := ss.shard(s); ok && cur == id {
			ss.mu.Lock()
			ch := ss.readyCh[id]
			select {
			case <-ch:
				log.Info("shard ready again")
			default:
				close(ch)
			}
			ss.mu.Unlock()
		}
	})
	s.AddHandler(func(s *discordgo.Session, _ *discordgo.Resumed) {
		if _, ok := ss.shard(s); ok {
			log.Info("shard resumed")
		}
	})
	s.AddHandler(func(s *discordgo.Session, _ *discordgo.Disconnect) {
		if _, ok := ss.shard(s); ok {
			log.Warn("shard disconnected; discordgo reconnects it")
		}
	})
	ss.mu.Lock()
	old := ss.sessions[id]
	ss.sessions[id] = s
	if old != nil {
		ss.current.Delete(old)
	}
	ss.current.Store(s, id)
	if id == ss.plan.IDs[0] {
		// The lowest shard stands for the gateway in the stall watch and READY wait.
		b.gw.Store(s)
	}
	ss.mu.Unlock()
	if old != nil {
		go b.closeGateway(old)
	}
	if err := openSession(ctx, s, b.conns, b.cfg.OpenTimeout); err != nil {
		return b.rest.clean(err)
	}
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case <-ss.readyCh[id]:
		log.Info("shard connected", "shard_count", ss.plan.Count)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		b.closeGateway(s)
		return ErrOpenTimeout
	}
}

// closeShards closes every shard's session.
func (b *Bot) closeShards() {
	ss := b.shardSet.Load()
	if ss == nil {
		return
	}
	ss.mu.Lock()
	sessions := make([]*discordgo.Session, 0, len(ss.sessions))
	for _, s := range ss.sessions {
		sessions = append(sessions, s)
	}
	ss.mu.Unlock()
	var wg sync.WaitGroup
	for _, s := range sessions {
		wg.Add(1)
		go func() { defer wg.Done(); b.closeGateway(s) }()
	}
	wg.Wait()
}
