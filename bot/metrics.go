package bot

import (
	"errors"
	"net/http"
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

// ErrGatewayDown is GatewayReady's answer while no gateway session is READY.
var ErrGatewayDown = errors.New("gateway not READY")

// GatewayReady returns nil while the gateway session is READY (or resumed) and not
// draining, for the /readyz check, and why not otherwise.
func (b *Bot) GatewayReady() error {
	select {
	case <-b.draining:
		return errors.New("draining: shutting down")
	default:
	}
	if !b.gwUp.Load() {
		return ErrGatewayDown
	}
	return nil
}

// gatewayUp records the gateway session s as ready or not. A reconnect is counted when
// a session that was down becomes ready again after the first READY.
func (b *Bot) gatewayUp(s *discordgo.Session, up bool) {
	was := b.gwUp.Swap(up)
	if b.cfg.Metrics == nil {
		return
	}
	shard := 0
	if s != nil {
		shard = s.ShardID
	}
	b.cfg.Metrics.GatewayReady(shard, up)
	if up && !was && b.upBefore.Swap(true) {
		b.cfg.Metrics.Reconnect(shard)
	}
}

// trackGateway follows s's connection state: discordgo reports a lost connection as a
// Disconnect event, which never reaches onEvent's raw dispatches.
func (b *Bot) trackGateway(s *discordgo.Session) {
	s.AddHandler(func(s *discordgo.Session, _ *discordgo.Disconnect) {
		if b.gw.Load() == s {
			b.gatewayUp(s, false)
		}
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
