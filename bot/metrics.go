package bot

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
)

// Recorder receives what the bot observes, for the operator's metrics. *metrics.Metrics
// is one; the bot never imports Prometheus. Config.Metrics nil records nothing.
type Recorder interface {
	// Interaction records one interaction: its command, kind ("command", "autocomplete",
	// "component", "modal"), outcome, and the time from its arrival to its first
	// response being ready to send.
	Interaction(command, kind, outcome string, took time.Duration)
	// Ask records one /ask answered (true) or refused.
	Ask(answered bool)
	GatewayReady(shard int, ready bool)
	Heartbeat(shard int, latency time.Duration)
	Reconnect(shard int)
	// Transport wraps the REST client's transport to count requests by route.
	Transport(next http.RoundTripper) http.RoundTripper
}

// outcomeRateLimited is the outcome of an interaction the per-user limit turned away.
const outcomeRateLimited = "rate_limited"

// kindName is a request kind as a metrics label.
func kindName(k commands.Kind) string {
	switch k {
	case commands.KindCommand:
		return "command"
	case commands.KindAutocomplete:
		return "autocomplete"
	case commands.KindComponent:
		return "component"
	case commands.KindModal:
		return "modal"
	}
	return "other"
}

// commandLabel names the command a request belongs to, for metrics: its name, or for a
// button or modal the command its custom ID starts with. Only registered command names
// are used, so a label can never carry an ID or free text.
func (b *Bot) commandLabel(req *commands.Request) string {
	if req == nil {
		return "unknown"
	}
	name := req.Name
	if name == "" {
		name, _, _ = strings.Cut(req.CustomID, ":")
	}
	b.knownOnce.Do(func() {
		global, home := b.set.Definitions()
		b.known = map[string]bool{}
		for _, d := range append(global, home...) {
			b.known[d.Name] = true
		}
	})
	if b.known[name] {
		return name
	}
	return "unknown"
}

// observe records one interaction, just before its first response is sent.
func (b *Bot) observe(req *commands.Request, outcome string, received time.Time) {
	if b.cfg.Metrics == nil {
		return
	}
	if outcome == "" {
		// Handle sets an outcome on every response; none means the set answered nothing.
		outcome = string(commands.OutcomeInternal)
	}
	cmd := b.commandLabel(req)
	kind := "other"
	if req != nil {
		kind = kindName(req.Kind)
	}
	b.cfg.Metrics.Interaction(cmd, kind, outcome, time.Since(received))
	if cmd == "ask" && kind == "command" {
		switch commands.Outcome(outcome) {
		case commands.OutcomeAnswered:
			b.cfg.Metrics.Ask(true)
		case commands.OutcomeRefused:
			b.cfg.Metrics.Ask(false)
		}
	}
}

// ErrGatewayDown is GatewayReady's answer while a gateway session this process runs is
// not READY.
var ErrGatewayDown = errors.New("gateway not READY")

// gateState is one shard's gateway session state.
type gateState struct {
	// up is whether the shard's session is READY (or resumed); wasUp whether it ever
	// was, so that its next READY counts as a reconnect.
	up, wasUp bool
}

// GatewayReady returns nil while every shard this process runs (the one session of an
// unsharded bot) is READY or resumed and the bot is not draining, for the /readyz check;
// otherwise why not, naming the shards that are down.
func (b *Bot) GatewayReady() error {
	select {
	case <-b.draining:
		return errors.New("draining: shutting down")
	default:
	}
	want := []int{0}
	if ss := b.shardSet.Load(); ss != nil {
		want = ss.plan.IDs
	}
	b.gwMu.Lock()
	var down []string
	for _, id := range want {
		if !b.gwState[id].up {
			down = append(down, strconv.Itoa(id))
		}
	}
	b.gwMu.Unlock()
	switch {
	case len(down) == 0:
		return nil
	case b.shardSet.Load() == nil:
		return ErrGatewayDown
	case len(down) > 16:
		return fmt.Errorf("%w: %d of %d shards down, first %s", ErrGatewayDown, len(down), len(want), strings.Join(down[:16], ", "))
	}
	return fmt.Errorf("%w: shard %s", ErrGatewayDown, strings.Join(down, ", "))
}

// shardOf returns the shard s runs, and whether s is a current session of the bot (a
// replaced session's late events change nothing).
func (b *Bot) shardOf(s *discordgo.Session) (int, bool) {
	if ss := b.shardSet.Load(); ss != nil {
		return ss.shard(s)
	}
	return 0, s != nil && b.gw.Load() == s
}

// gatewayUp records the gateway session s as READY (or resumed) or down. Each shard's
// change is reported once to the metrics and the shard observer, in order; a shard that
// comes back after having been READY counts a reconnect.
func (b *Bot) gatewayUp(s *discordgo.Session, up bool) {
	shard, ok := b.shardOf(s)
	if !ok {
		return
	}
	b.gwMu.Lock()
	defer b.gwMu.Unlock()
	st := b.gwState[shard]
	if st.up == up {
		return
	}
	again := up && st.wasUp
	st.up = up
	st.wasUp = st.wasUp || up
	if b.gwState == nil {
		b.gwState = make(map[int]gateState)
	}
	b.gwState[shard] = st
	var obs []ShardObserver
	if b.cfg.Metrics != nil {
		obs = append(obs, b.cfg.Metrics)
	}
	if b.cfg.Sharding != nil && b.cfg.Sharding.Observer != nil {
		obs = append(obs, b.cfg.Sharding.Observer)
	}
	for _, o := range obs {
		o.GatewayReady(shard, up)
		if again {
			o.Reconnect(shard)
		}
	}
}

// trackGateway follows s's connection state: discordgo reports a lost connection as a
// Disconnect event, which never reaches onEvent's raw dispatches.
func (b *Bot) trackGateway(s *discordgo.Session) {
	s.AddHandler(func(s *discordgo.Session, _ *discordgo.Disconnect) {
		b.gatewayUp(s, false)
	})
}

// sampleHeartbeat records the current gateway session's heartbeat round trip.
func (b *Bot) sampleHeartbeat() {
	s := b.gw.Load()
	if b.cfg.Metrics == nil || s == nil || !s.TryRLock() {
		return
	}
	sent, ack := s.LastHeartbeatSent, s.LastHeartbeatAck
	shard := s.ShardID
	s.RUnlock()
	if !sent.IsZero() && !ack.Before(sent) {
		b.cfg.Metrics.Heartbeat(shard, ack.Sub(sent))
	}
}
