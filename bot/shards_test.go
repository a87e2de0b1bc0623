package bot_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"filmbot/bot"
	"filmbot/bot/fakediscord"
)

// stepClock is an injected clock on which every wait ends at once, having moved the
// clock on by the time waited: identify pacing runs at full speed and the waits it asked
// for are recorded.
type stepClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

func (c *stepClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

func TestIdentifyBuckets(t *testing.T) {
	all16 := make([]int, 16)
	for i := range all16 {
		all16[i] = i
	}
	for _, tc := range []struct {
		ids  []int
		mc   int
		want [][]int
	}{
		{all16, 4, [][]int{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}, {12, 13, 14, 15}}},
		{all16[8:], 4, [][]int{{8, 9, 10, 11}, {12, 13, 14, 15}}},
		{[]int{3, 0, 1}, 1, [][]int{{0}, {1}, {3}}},
		{[]int{0, 4, 8, 1}, 4, [][]int{{0, 1}, {4}, {8}}},
		{all16[:3], 16, [][]int{{0, 1, 2}}},
	} {
		if d := cmp.Diff(tc.want, bot.IdentifyBuckets(tc.ids, tc.mc)); d != "" {
			t.Errorf("IdentifyBuckets(%v, %d) (-want +got):\n%s", tc.ids, tc.mc, d)
		}
	}
}

// guildOnShard returns a guild ID that Discord puts on shard of count.
func guildOnShard(shard, count int) string {
	return strconv.FormatUint(uint64(1000*count+shard)<<22, 10)
}

// shardEvents records what a ShardObserver hears.
type shardEvents struct {
	mu      sync.Mutex
	events  []string
	changed chan struct{} // closed and replaced at each event
}

func (o *shardEvents) add(e string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.events = append(o.events, e)
	if o.changed != nil {
		close(o.changed)
	}
	o.changed = make(chan struct{})
}

// next returns a channel closed at the next event.
func (o *shardEvents) next() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.changed == nil {
		o.changed = make(chan struct{})
	}
	return o.changed
}

// wait waits until shard's events end with last.
func (o *shardEvents) wait(tb testing.TB, shard int, last string) {
	tb.Helper()
	t := time.NewTimer(hangGuard)
	defer t.Stop()
	for {
		ch := o.next()
		if ev := o.of(shard); len(ev) > 0 && ev[len(ev)-1] == last {
			return
		}
		select {
		case <-ch:
		case <-t.C:
			tb.Fatalf("shard %d: still waiting for %q; events so far %q", shard, last, o.of(shard))
		}
	}
}

func (o *shardEvents) GatewayReady(shard int, ready bool) {
	o.add(fmt.Sprintf("%d ready=%v", shard, ready))
}

func (o *shardEvents) Reconnect(shard int) {
	o.add(fmt.Sprintf("%d reconnect", shard))
}

func (o *shardEvents) of(shard int) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for _, e := range o.events {
		if strings.HasPrefix(e, strconv.Itoa(shard)+" ") {
			out = append(out, e)
		}
	}
	return out
}

// TestRun_shards starts 16 shards with max_concurrency 4 on an injected clock: the four
// buckets identify in order, 5 s apart; each guild's interaction arrives on its own
// shard and is answered; DMs come on shard 0; a dropped shard comes back alone.
func TestRun_shards(t *testing.T) {
	t.Parallel() // waits on shard connections; shares nothing with other tests
	clock := &stepClock{now: time.Unix(1_700_000_000, 0)}
	obs := &shardEvents{}
	h := start(t, setup{
		fake: fakediscord.Options{ShardCount: 16, MaxConcurrency: 4},
		cfg:  func(c *bot.Config) { c.Sharding = &bot.Sharding{Clock: clock, Observer: obs} },
	})
	if got := h.bot.Shards(); got.Count != 16 || len(got.IDs) != 16 {
		t.Fatalf("Shards() = %+v, want all 16 of Discord's recommended 16", got)
	}
	if d := cmp.Diff([]time.Duration{5 * time.Second, 5 * time.Second, 5 * time.Second}, clock.Waits()); d != "" {
		t.Errorf("identify pacing waits (-want +got):\n%s", d)
	}
	ids := h.fake.Identified()
	if len(ids) != 16 {
		t.Fatalf("%d IDENTIFYs, want 16", len(ids))
	}
	for i, id := range ids {
		if id.Count != 16 {
			t.Errorf("IDENTIFY %d has shard count %d, want 16", i, id.Count)
		}
		// Buckets in order: every shard of bucket k identifies before any of bucket k+1.
		if i > 0 && id.Shard/4 < ids[i-1].Shard/4 {
			t.Errorf("shard %d identified after shard %d of a later bucket", id.Shard, ids[i-1].Shard)
		}
	}

	for _, shard := range []int{0, 5, 15} {
		cb := h.interact(h.fake.Command(who(stranger, guildOnShard(shard, 16), ""), "help"))
		if cb.Response.Type != 4 {
			t.Errorf("/help in a guild on shard %d: response type %d, want 4", shard, cb.Response.Type)
		}
	}
	if cb := h.interact(h.fake.Command(who(stranger, "", ""), "help")); cb.Response.Type != 4 {
		t.Errorf("/help in a DM (shard 0): response type %d, want 4", cb.Response.Type)
	}

	before := h.fake.GatewayStats()
	if err := h.fake.DropShard(5); err != nil {
		t.Fatal(err)
	}
	h.until("shard 5 back", func() bool { return h.fake.ReadyShards()[5] && len(h.fake.ReadyShards()) == 16 })
	after := h.fake.GatewayStats()
	if after.Connections != before.Connections+1 {
		t.Errorf("dropping shard 5 made %d new connections, want 1 (the others stay up)", after.Connections-before.Connections)
	}
	if n := len(h.fake.Identified()); n != 16 {
		t.Errorf("%d IDENTIFYs after the drop, want still 16 (shard 5 resumes)", n)
	}
	if cb := h.interact(h.fake.Command(who(stranger, guildOnShard(5, 16), ""), "help")); cb.Response.Type != 4 {
		t.Errorf("/help on shard 5 after its reconnect: response type %d", cb.Response.Type)
	}
	// The interaction above went through shard 5's resumed session, so its RESUMED was
	// handled before it.
	if d := cmp.Diff([]string{"5 ready=true", "5 ready=false", "5 ready=true", "5 reconnect"}, obs.of(5)); d != "" {
		t.Errorf("observer events of shard 5 (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"6 ready=true"}, obs.of(6)); d != "" {
		t.Errorf("observer events of shard 6, which stayed up (-want +got):\n%s", d)
	}
}

// TestRun_shardReadiness checks that readiness is per shard: with shard 2 down the bot
// is not ready and says which shard is missing, another shard's reconnect meanwhile does
// not make it ready, and it is ready again once shard 2 is back.
func TestRun_shardReadiness(t *testing.T) {
	t.Parallel() // waits on shard connections; shares nothing with other tests
	obs := &shardEvents{}
	h := start(t, setup{
		fake: fakediscord.Options{ShardCount: 4, MaxConcurrency: 4},
		cfg:  func(c *bot.Config) { c.Sharding = &bot.Sharding{Clock: &stepClock{}, Observer: obs} },
	})
	for shard := range 4 {
		obs.wait(t, shard, fmt.Sprintf("%d ready=true", shard))
	}
	if err := h.bot.GatewayReady(); err != nil {
		t.Fatalf("GatewayReady with every shard up: %v", err)
	}
	h.fake.HoldShard(2, true)
	if err := h.fake.DropShard(2); err != nil {
		t.Fatal(err)
	}
	obs.wait(t, 2, "2 ready=false")
	checkDown := func(when string) {
		t.Helper()
		err := h.bot.GatewayReady()
		if !errors.Is(err, bot.ErrGatewayDown) {
			t.Fatalf("GatewayReady %s: %v, want ErrGatewayDown", when, err)
		}
		if got := err.Error(); !strings.HasSuffix(got, ": shard 2") {
			t.Errorf("GatewayReady %s: %q, want it to name shard 2 (and only it)", when, got)
		}
	}
	checkDown("with shard 2 down")
	// Shard 3 drops and resumes while shard 2 is still down: its RESUMED must not
	// stand for the whole bot.
	if err := h.fake.DropShard(3); err != nil {
		t.Fatal(err)
	}
	obs.wait(t, 3, "3 reconnect")
	checkDown("after shard 3 came back")
	h.fake.HoldShard(2, false)
	obs.wait(t, 2, "2 reconnect")
	if err := h.bot.GatewayReady(); err != nil {
		t.Errorf("GatewayReady with shard 2 back: %v", err)
	}
	for shard, want := range map[int][]string{
		0: {"0 ready=true"},
		2: {"2 ready=true", "2 ready=false", "2 ready=true", "2 reconnect"},
		3: {"3 ready=true", "3 ready=false", "3 ready=true", "3 reconnect"},
	} {
		if d := cmp.Diff(want, obs.of(shard)); d != "" {
			t.Errorf("events of shard %d (-want +got):\n%s", shard, d)
		}
	}
}

// TestRun_shardsOfProcess runs shards 8-15 of 16 only, as the second of two processes.
func TestRun_shardsOfProcess(t *testing.T) {
	t.Parallel() // waits on shard connections; shares nothing with other tests
	h := start(t, setup{
		fake: fakediscord.Options{ShardCount: 16, MaxConcurrency: 4},
		cfg: func(c *bot.Config) {
			c.Sharding = &bot.Sharding{Count: 16, IDs: []int{8, 9, 10, 11, 12, 13, 14, 15}, Clock: &stepClock{}}
		},
	})
	got := map[int]bool{}
	for _, id := range h.fake.Identified() {
		got[id.Shard] = true
	}
	want := map[int]bool{8: true, 9: true, 10: true, 11: true, 12: true, 13: true, 14: true, 15: true}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("shards identified (-want +got):\n%s", d)
	}
}

// TestRun_startLimit refuses to start 16 shards with 10 identifies left, before any
// IDENTIFY.
func TestRun_startLimit(t *testing.T) {
	h := start(t, setup{
		fake:   fakediscord.Options{ShardCount: 16, MaxConcurrency: 4, StartRemaining: 10},
		cfg:    func(c *bot.Config) { c.Sharding = &bot.Sharding{Clock: &stepClock{}} },
		noWait: true,
	})
	err := h.result("start with too few identifies left")
	if !errors.Is(err, bot.ErrStartLimit) {
		t.Fatalf("Run = %v, want ErrStartLimit", err)
	}
	if n := len(h.fake.Identified()); n != 0 {
		t.Errorf("%d IDENTIFYs sent, want none", n)
	}
}

// TestRun_shardingRequired names the fix when Discord closes with 4011.
func TestRun_shardingRequired(t *testing.T) {
	h := start(t, setup{
		cfg:    func(c *bot.Config) { c.Sharding = &bot.Sharding{Count: 1} },
		before: func(f *fakediscord.Server) { f.RequireSharding(true) },
		noWait: true,
	})
	err := h.result("start against a gateway that requires sharding")
	if !errors.Is(err, bot.ErrShardingRequired) {
		t.Fatalf("Run = %v, want ErrShardingRequired", err)
	}
	if msg := fmt.Sprint(err); !strings.Contains(msg, "shard-count") {
		t.Errorf("error %q does not name shard-count", msg)
	}
}

// BenchmarkAskShards is /ask at saturation through the fake Discord, in process, with the
// bot on one shard and on 16 shards (the guilds spread over all of them); the two
// throughputs should be within 10% of each other.
func BenchmarkAskShards(b *testing.B) {
	for _, shards := range []int{1, 16} {
		b.Run(fmt.Sprint("shards=", shards), func(b *testing.B) {
			h := start(b, setup{
				fake:   fakediscord.Options{ShardCount: shards, MaxConcurrency: 16, Record: 64},
				cfg:    func(c *bot.Config) { c.Sharding = &bot.Sharding{Clock: &stepClock{}} },
				noSpec: true,
			})
			var guilds []fakediscord.Who
			for i := range 64 {
				guilds = append(guilds, who(stranger, guildOnShard(i%shards, shards), "0"))
			}
			var next atomic.Int64
			b.SetParallelism(8)
			b.ReportAllocs()
			b.ResetTimer()
			t0 := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1)
					in := h.fake.Command(guilds[i%int64(len(guilds))], "ask",
						fakediscord.Str("question", "Who directed Comrade Kim Goes Flying?"))
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					_, err := h.fake.Interact(ctx, in)
					cancel()
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "asks/s")
		})
	}
}

// metricsRecorder is a bot.Recorder that keeps the gateway events per shard.
type metricsRecorder struct{ shardEvents }

func (*metricsRecorder) Interaction(string, string, string, time.Duration)  {}
func (*metricsRecorder) Ask(bool)                                           {}
func (*metricsRecorder) Heartbeat(int, time.Duration)                       {}
func (*metricsRecorder) Transport(next http.RoundTripper) http.RoundTripper { return next }

// TestRun_shardMetrics checks that Config.Metrics hears every shard's drop and return
// once each: the gateway metrics are per shard.
func TestRun_shardMetrics(t *testing.T) {
	t.Parallel() // waits on shard connections; shares nothing with other tests
	rec := &metricsRecorder{}
	h := start(t, setup{
		fake: fakediscord.Options{ShardCount: 4, MaxConcurrency: 4},
		cfg: func(c *bot.Config) {
			c.Sharding = &bot.Sharding{Clock: &stepClock{}}
			c.Metrics = rec
		},
	})
	if err := h.fake.DropShard(2); err != nil {
		t.Fatal(err)
	}
	h.until("shard 2 back", func() bool { return len(h.fake.ReadyShards()) == 4 })
	h.interact(h.fake.Command(who(stranger, guildOnShard(2, 4), ""), "help"))
	// Up, down, then up again with one reconnect, each once and in order.
	got := rec.of(2)
	if d := cmp.Diff([]string{"2 ready=true", "2 ready=false", "2 ready=true", "2 reconnect"}, got); d != "" {
		t.Errorf("metrics of shard 2 (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"3 ready=true"}, rec.of(3)); d != "" {
		t.Errorf("metrics of shard 3 (-want +got):\n%s", d)
	}
}

// TestRun_shardInLogs checks that the interaction log lines of a sharded bot carry the
// shard the interaction came on (shard=N), DMs shard 0, and an unsharded bot's none.
func TestRun_shardInLogs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		shards int
	}{{"sharded", 4}, {"unsharded", 1}} {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, setup{
				level: slog.LevelDebug,
				fake:  fakediscord.Options{ShardCount: tc.shards, MaxConcurrency: 4},
				cfg:   func(c *bot.Config) { c.Sharding = &bot.Sharding{Clock: &stepClock{}} },
			})
			want := map[string]string{} // interaction ID → the shard attribute its lines carry
			for _, guild := range []string{guildOnShard(2, tc.shards), guildOnShard(3, tc.shards), ""} {
				in := h.fake.Command(who(stranger, guild, ""), "help")
				h.interact(in)
				switch {
				case tc.shards == 1:
					want[in.ID()] = ""
				case guild == "":
					want[in.ID()] = "shard=0"
				default:
					want[in.ID()] = "shard=" + strconv.Itoa(h.fake.ShardOf(guild))
				}
			}
			answered := func() map[string]string {
				got := map[string]string{}
				for _, line := range strings.Split(h.logs.String(), "\n") {
					if !strings.Contains(line, "msg=answered") {
						continue
					}
					id, shard := "", ""
					for _, f := range strings.Fields(line) {
						if v, ok := strings.CutPrefix(f, "interaction="); ok {
							id = v
						}
						if strings.HasPrefix(f, "shard=") {
							shard = f
						}
					}
					got[id] = shard
				}
				return got
			}
			// Each line is written after its reply is sent: wait for all three.
			h.until("three answered lines", func() bool { return len(answered()) == len(want) })
			if d := cmp.Diff(want, answered()); d != "" {
				t.Errorf("shard attribute of each interaction's log line (-want +got):\n%s", d)
			}
		})
	}
}
