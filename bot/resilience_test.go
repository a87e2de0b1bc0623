package bot_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/bot"
	"filmbot/bot/fakediscord"
	"filmbot/commands"
)

// TestServe_everyCommandEveryKind gives every registered command every kind of
// interaction, in a guild and in a DM: each gets an answer and nothing panics.
func TestServe_everyCommandEveryKind(t *testing.T) {
	h := start(t, setup{})
	global, home := h.set.Definitions()
	places := map[string]fakediscord.Who{
		"DM":    who(stranger, "", ""),
		"guild": who(stranger, otherGuild, "0"),
		"home":  who(owner, homeGuild, adminPerms),
	}
	for _, def := range append(global, home...) {
		name := def.Name
		firstOpt := "x"
		if len(def.Options) > 0 {
			firstOpt = def.Options[0].Name
		}
		kinds := map[string]func(fakediscord.Who) fakediscord.Interaction{
			"command, no options": func(w fakediscord.Who) fakediscord.Interaction { return h.fake.Command(w, name) },
			"command, wrong option type": func(w fakediscord.Who) fakediscord.Interaction {
				return h.fake.Command(w, name, fakediscord.Bool(firstOpt, true))
			},
			"autocomplete": func(w fakediscord.Who) fakediscord.Interaction {
				return h.fake.Autocomplete(w, name, fakediscord.Focused(fakediscord.Str(firstOpt, "a")))
			},
			"button": func(w fakediscord.Who) fakediscord.Interaction { return h.fake.Button(w, name+":x") },
			"select": func(w fakediscord.Who) fakediscord.Interaction { return h.fake.Select(w, name+":x", "1") },
			"modal": func(w fakediscord.Who) fakediscord.Interaction {
				return h.fake.Modal(w, name+":x", map[string]string{"a": "b"})
			},
			"no data": func(w fakediscord.Who) fakediscord.Interaction {
				in := h.fake.Command(w, name)
				delete(in, "data")
				return in
			},
		}
		for kind, build := range kinds {
			for place, w := range places {
				if name == "reseed" && kind == "command, no options" && place == "home" {
					continue // the owner's real reseed; covered by the security test
				}
				t.Run(fmt.Sprintf("%s/%s/%s", name, kind, place), func(t *testing.T) {
					cb := h.interact(build(w))
					checkMessage(t, cb)
				})
			}
		}
	}
	if n := h.bot.Stats().Panicked; n != 0 {
		t.Errorf("bot recovered %d panics", n)
	}
	if strings.Contains(h.logs.String(), "panic") {
		t.Errorf("a handler panicked:\n%s", h.logs.String())
	}
}

// panicky is a command set whose handler panics, for the bot's own recovery.
type panicky struct {
	inThen bool
}

func (p panicky) Definitions() (global, home []*discordgo.ApplicationCommand) {
	return []*discordgo.ApplicationCommand{{Name: "boom", Description: "panics"}}, nil
}

func (p panicky) Handle(ctx context.Context, req *commands.Request) commands.Response {
	if req.Name == "ok" {
		return commands.Response{InteractionResponse: &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "fine", AllowedMentions: commands.NoMentions()},
		}}
	}
	if !p.inThen {
		panic("handler exploded")
	}
	return commands.Response{
		InteractionResponse: &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{AllowedMentions: commands.NoMentions()},
		},
		Then: func(context.Context, func(string)) *discordgo.InteractionResponseData {
			panic("slow work exploded")
		},
	}
}

func TestServe_panicIsAnsweredAndTheBotLivesOn(t *testing.T) {
	t.Run("in the command set", func(t *testing.T) {
		h := start(t, setup{register: func(s *commands.Set) {
			s.Register("boom", &discordgo.ApplicationCommand{Name: "boom", Description: "panics"}, false,
				commands.HandlerFunc(func(context.Context, *commands.Request) (commands.Response, error) { panic("kaboom") }))
		}})
		cb := h.interact(h.fake.Command(who(stranger, otherGuild, "0"), "boom"))
		if !cb.Response.Data.Ephemeral() || !strings.Contains(cb.Response.Data.Text(), "ref ") {
			t.Errorf("panic answered with %s, want an ephemeral \"something went wrong (ref …)\"", cb.Body)
		}
		next := h.interact(h.fake.Command(who(stranger, otherGuild, "0"), "help"))
		if !isHelp(next) {
			t.Errorf("the next interaction got %s", next.Body)
		}
	})
	for _, inThen := range []bool{false, true} {
		t.Run(fmt.Sprintf("past the command set, in slow work %v", inThen), func(t *testing.T) {
			h := start(t, setup{serve: panicky{inThen: inThen}})
			in := h.fake.Command(who(stranger, otherGuild, "0"), "boom")
			cb := h.interact(in)
			text := cb.Response.Data.Text()
			if inThen {
				if cb.Response.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
					t.Fatalf("got %s, want the deferral", cb.Body)
				}
				text = waitEdit(t, h, in).Text()
			} else if !cb.Response.Data.Ephemeral() {
				t.Errorf("panic answered with %s, want ephemeral", cb.Body)
			}
			_, ref, ok := strings.Cut(text, "(ref ")
			ref, _, _ = strings.Cut(ref, ")")
			if !ok || ref == "" {
				t.Fatalf("reply %q has no reference", text)
			}
			logs := h.logs.String()
			if n := strings.Count(logs, "ref="+ref); n != 1 {
				t.Errorf("reference %s appears in %d log lines, want 1:\n%s", ref, n, logs)
			}
			if !strings.Contains(logs, "goroutine ") || !strings.Contains(logs, "exploded") {
				t.Errorf("the log line has no stack:\n%s", logs)
			}
			if got := h.bot.Stats().Panicked; got != 1 {
				t.Errorf("Panicked = %d, want 1", got)
			}
			next := h.interact(h.fake.Command(who(stranger, otherGuild, "0"), "ok"))
			if next.Response.Data.Text() != "fine" {
				t.Errorf("next interaction got %s", next.Body)
			}
		})
	}
}

func TestServe_rateLimitPerUser(t *testing.T) {
	h := start(t, setup{cfg: func(c *bot.Config) { c.RateLimit, c.RateWindow = 2, time.Minute }})
	me, other := who(stranger, otherGuild, "0"), who("400000000000000555", otherGuild, "0")
	for i := range 2 {
		if cb := h.interact(h.fake.Command(me, "help")); !isHelp(cb) {
			t.Fatalf("command %d was limited: %s", i+1, cb.Body)
		}
	}
	// Typing is not running a command: autocomplete stays free.
	for range 3 {
		if cb := h.interact(h.fake.Autocomplete(me, "film", fakediscord.Focused(fakediscord.Str("title", "com")))); len(cb.Response.Data.Choices) == 0 {
			t.Errorf("autocomplete was limited: %s", cb.Body)
		}
	}
	cb := h.interact(h.fake.Command(me, "help"))
	checkMessage(t, cb)
	if !cb.Response.Data.Ephemeral() || !strings.Contains(cb.Response.Data.Text(), "Slow down") {
		t.Errorf("third command in the window got %s, want a friendly ephemeral slow-down", cb.Body)
	}
	if cb := h.interact(h.fake.Command(other, "help")); !isHelp(cb) {
		t.Errorf("another user was limited: %s", cb.Body)
	}
}

// TestServe_429StormEndsWithinTheReplyWindow: a callback answered 429 forever is retried
// only while the (2 s) reply window allows. Each retry waits retry_after first and none starts
// once the window cannot hold the wait, so a storm makes at most window/retry_after + 1
// attempts and the handler then ends: bounded by counting, not by a clock.
func TestServe_429StormEndsWithinTheReplyWindow(t *testing.T) {
	// Mostly waiting (on discordgo's reconnect pauses and short timeouts), so it runs beside
	// the other waiting tests. Parallel tests share discordgo's package-level logger, so
	// only tests that assert nothing about discordgo's own lines or the goroutine count do.
	t.Parallel()
	const (
		callback = "/api/v9/interactions/{id}/{token}/callback"
		window   = 2 * time.Second
	)
	for _, retryAfter := range []time.Duration{100 * time.Millisecond, time.Minute} {
		t.Run(retryAfter.String(), func(t *testing.T) {
			h := start(t, setup{cfg: func(c *bot.Config) { c.ReplyWindow = window }})
			h.fake.RateLimit("POST", callback, -1, retryAfter)
			ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
			defer cancel()
			if _, err := h.fake.Send(ctx, h.fake.Command(who(stranger, otherGuild, "0"), "help")); err != nil {
				t.Fatal(err)
			}
			if _, err := h.fake.WaitCall(ctx, "POST", callback, 0); err != nil {
				t.Fatal(err)
			}
			h.until("the handler to give up on the storm", func() bool { return h.bot.Stats().InFlight == 0 })
			tries := len(h.fake.CallsTo("POST", callback))
			if most := int(window/retryAfter) + 1; tries > most {
				t.Errorf("%d callback attempts, want at most %d in a %v window", tries, most, window)
			}
			if retryAfter < window && tries < 2 {
				t.Errorf("%d callback attempts, want retries while the window allowed", tries)
			}
			if retryAfter > window && tries != 1 {
				t.Errorf("%d callback attempts, want 1: a minute's retry_after does not fit the window", tries)
			}
			h.fake.RateLimit("POST", callback, 0, 0)
			if cb := h.interact(h.fake.Command(who(stranger, otherGuild, "0"), "help")); !isHelp(cb) {
				t.Errorf("after the storm: %s", cb.Body)
			}
		})
	}
}

// TestRun_openTimeout: a gateway that never sends READY is given up on after every
// attempt has timed out; one that deadlocks discordgo's Open once (op 7 during Open) is
// left behind, and the next attempt, on a fresh session, connects.
func TestRun_openTimeout(t *testing.T) {
	// Mostly waiting (on discordgo's reconnect pauses and short timeouts), so it runs beside
	// the other waiting tests. Parallel tests share discordgo's package-level logger, so
	// only tests that assert nothing about discordgo's own lines or the goroutine count do.
	t.Parallel()
	quick := func(c *bot.Config) {
		c.OpenTimeout = 500 * time.Millisecond
		c.StartAttempts = 2
		c.RetryBackoff = time.Millisecond
	}
	t.Run("READY never comes", func(t *testing.T) {
		h := start(t, setup{noWait: true, fake: fakediscord.Options{HoldReady: true}, cfg: quick})
		if err := h.result("two attempts without READY"); !errors.Is(err, bot.ErrOpenTimeout) {
			t.Errorf("Run = %v, want ErrOpenTimeout", err)
		}
		if n := h.fake.GatewayStats().Identifies; n != 2 {
			t.Errorf("%d IDENTIFYs, want one per attempt (2)", n)
		}
		if n := strings.Count(h.logs.String(), "retrying"); n != 1 {
			t.Errorf("%d retries logged, want 1:\n%s", n, h.logs.String())
		}
	})
	t.Run("RECONNECT during Open", func(t *testing.T) {
		// discordgo handles op 7 inside Open by closing the session, which needs the lock
		// Open holds: that session deadlocks, and only a new one can connect.
		h := start(t, setup{noWait: true, cfg: quick,
			before: func(f *fakediscord.Server) { f.ReconnectOnIdentify(1) }})
		select {
		case <-h.bot.Ready():
		case err := <-h.done:
			h.done <- err
			t.Fatalf("Run = %v, want a connection on the second attempt", err)
		case <-time.After(hangGuard):
			t.Fatal("no READY after a deadlocked first attempt")
		}
		if cb := h.interact(h.fake.Command(who(stranger, otherGuild, "0"), "help")); !isHelp(cb) {
			t.Errorf("after the retry: %s", cb.Body)
		}
	})
}

func TestRun_stalledGateway(t *testing.T) {
	// Mostly waiting (on discordgo's reconnect pauses and short timeouts), so it runs beside
	// the other waiting tests. Parallel tests share discordgo's package-level logger, so
	// only tests that assert nothing about discordgo's own lines or the goroutine count do.
	t.Parallel()
	// A long heartbeat interval keeps discordgo's own ACK check out of the way: only the
	// bot's watchdog notices the silence.
	h := start(t, setup{
		fake: fakediscord.Options{HeartbeatInterval: time.Minute},
		cfg:  func(c *bot.Config) { c.StallTimeout = 400 * time.Millisecond },
		// discordgo reconnects a second after the watchdog closes the socket; 4 s is
		// plenty for that on a busy machine, and how long the outage below takes to be
		// given up on.
		prepare: func(b *bot.Bot) { bot.SetReconnectWait(b, 4*time.Second) },
	})
	// Silence: the watchdog closes the connection, discordgo resumes.
	h.until("a RESUME after the gateway went silent", func() bool { return h.fake.GatewayStats().Resumes > 0 })
	if cb := h.interact(h.fake.Command(who(stranger, otherGuild, "0"), "help")); !isHelp(cb) {
		t.Errorf("after the stall: %s", cb.Body)
	}

	// An outage: the reconnect cannot succeed, so Run gives up and says why.
	h.fake.RefuseGateway(true)
	h.fake.Drop()
	if err := h.result("a gateway outage"); !errors.Is(err, bot.ErrStalled) {
		t.Errorf("Run = %v, want ErrStalled", err)
	}
}

// disruptionCycles is how often TestRun_gatewayDisruption repeats its disruptions. Each
// costs discordgo's fixed one-second pause before it reconnects, so the default is small;
// a soak run asks for more (go test ./bot/ -run Disruption -disruption-cycles 50).
var disruptionCycles = flag.Int("disruption-cycles", 2, "cycles of gateway disruptions in TestRun_gatewayDisruption")

// TestRun_gatewayDisruption drops, starves, reconnects and invalidates the gateway, a few
// times each: after every disruption the next interaction is answered, and at the end no
// goroutine is left over.
func TestRun_gatewayDisruption(t *testing.T) {
	cycles := *disruptionCycles
	// discordgo reconnects after 5 missed ACKs; 250 ms heartbeats keep that quick for the
	// withheld-ACK case without a busy -race run tripping it by accident.
	h := start(t, setup{fake: fakediscord.Options{HeartbeatInterval: 250 * time.Millisecond}})
	g := who(stranger, otherGuild, "0")
	h.interact(h.fake.Command(g, "help"))
	base := stableGoroutines()

	disruptions := []struct {
		name string
		do   func(f *fakediscord.Server) error
	}{
		{"dropped connection", func(f *fakediscord.Server) error { return f.Drop() }},
		{"withheld heartbeat ACKs", func(f *fakediscord.Server) error {
			resumes := f.GatewayStats().Resumes
			f.WithholdAcks(true)
			defer f.WithholdAcks(false)
			h.until("discordgo to reconnect without ACKs", func() bool { return f.GatewayStats().Resumes > resumes })
			return nil
		}},
		{"op 7 reconnect", func(f *fakediscord.Server) error { return f.Reconnect() }},
		{"op 9 invalid session", func(f *fakediscord.Server) error { return f.InvalidSession(false) }},
	}
	for i := range cycles {
		for _, d := range disruptions {
			// Each disruption hits a ready session. On a loaded machine discordgo may also
			// reconnect by itself (a late ACK); that is not what this cycle measures.
			ready, cancel := context.WithTimeout(context.Background(), hangGuard)
			err := h.fake.WaitReady(ready)
			cancel()
			if err != nil {
				t.Fatalf("cycle %d, before %s: %v", i, d.name, err)
			}
			if err := d.do(h.fake); err != nil {
				t.Fatalf("cycle %d, %s: %v", i, d.name, err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
			cb, err := h.fake.Interact(ctx, h.fake.Command(g, "help"))
			cancel()
			if err != nil {
				t.Fatalf("cycle %d, after %s: %v", i, d.name, err)
			}
			if !isHelp(cb) {
				t.Errorf("cycle %d, after %s: %s", i, d.name, cb.Body)
			}
		}
	}
	st := h.fake.GatewayStats()
	t.Logf("%d connections, %d identifies, %d resumes", st.Connections, st.Identifies, st.Resumes)
	if st.Open != 1 {
		t.Errorf("%d gateway connections open, want 1", st.Open)
	}
	// Goroutines of closed connections and finished handlers wind down shortly after;
	// nothing announces their end, so the count is re-read until it is down (as goleak
	// does), within the hang guard.
	if n := goroutinesDownTo(base + 3); n > base+3 {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after %d disruptions, %d before:\n%s", n, cycles*len(disruptions), base, buf[:runtime.Stack(buf, true)])
	}
}

// goroutinesDownTo re-reads the goroutine count, yielding in between, until it is at most
// want or hangGuard has passed, and returns the last count.
func goroutinesDownTo(want int) int {
	deadline := time.Now().Add(hangGuard)
	for {
		runtime.GC()
		n := runtime.NumGoroutine()
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stableGoroutines returns the goroutine count once it has stopped falling.
func stableGoroutines() int {
	last := runtime.NumGoroutine()
	for range 100 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		n := runtime.NumGoroutine()
		if n >= last {
			return n
		}
		last = n
	}
	return last
}

// isHelp reports whether cb is /help's answer (an embed), not an error note.
func isHelp(cb *fakediscord.Callback) bool {
	return cb.Response.Type == discordgo.InteractionResponseChannelMessageWithSource && len(cb.Response.Data.Embeds) > 0
}

func TestRun_shutdownLetsInFlightFinish(t *testing.T) {
	release := make(chan struct{})
	h := start(t, setup{register: func(s *commands.Set) {
		s.Register("slow", &discordgo.ApplicationCommand{Name: "slow", Description: "takes a while"}, false,
			commands.HandlerFunc(func(ctx context.Context, _ *commands.Request) (commands.Response, error) {
				select {
				case <-release:
				case <-ctx.Done():
				}
				return commands.Response{InteractionResponse: &discordgo.InteractionResponse{
					Type: discordgo.InteractionResponseChannelMessageWithSource,
					Data: &discordgo.InteractionResponseData{Content: "done"},
				}}, nil
			}))
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var waits []<-chan *fakediscord.Callback
	for range 5 {
		ch, err := h.fake.Send(ctx, h.fake.Command(who(stranger, otherGuild, "0"), "slow"))
		if err != nil {
			t.Fatal(err)
		}
		waits = append(waits, ch)
	}
	// Each handler is running once its interaction has been dispatched and the bot counts it.
	h.until("five interactions in flight", func() bool { return h.bot.Stats().InFlight == 5 })
	h.stop()
	select {
	case <-h.bot.Draining(): // shutdown has begun and waits for the five
	case <-time.After(hangGuard):
		t.Fatal("no drain after cancel")
	}
	if got := h.bot.Stats().InFlight; got != 5 {
		t.Fatalf("in flight at the start of the drain: %d, want 5", got)
	}
	close(release)
	if err := h.shutdown(); err != nil {
		t.Errorf("Run = %v, want nil after a clean shutdown", err)
	}
	for i, ch := range waits {
		cb, err := fakediscord.Await(ctx, ch)
		if err != nil {
			t.Fatalf("interaction %d: %v", i, err)
		}
		if cb.Response.Data.Text() != "done" {
			t.Errorf("interaction %d got %s", i, cb.Body)
		}
	}
}

// TestLogs_noSecretsAtAnyLevel runs traffic that makes every kind of log line — discordgo's
// own debug dump of payloads, REST errors quoting interaction URLs, reconnects — at each
// level the bot offers, and the harness's check finds no token in any of it.
func TestLogs_noSecretsAtAnyLevel(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
		t.Run(level.String(), func(t *testing.T) {
			// Start through a failed login and a failed gateway lookup, so the retry
			// warnings (which quote URLs and errors) are among the lines searched.
			h := start(t, setup{level: level, fake: fakediscord.Options{HeartbeatInterval: 100 * time.Millisecond},
				cfg: retrying(5),
				before: func(f *fakediscord.Server) {
					f.Fail("GET", mePath, 1, http.StatusServiceUnavailable)
					f.RateLimit("GET", gatewayPath, 1, 10*time.Millisecond)
				}})
			if level <= slog.LevelWarn && strings.Count(h.logs.String(), "retrying") != 2 {
				t.Errorf("the two start retries were not logged:\n%s", h.logs.String())
			}
			g := who(stranger, otherGuild, "0")
			h.interact(h.fake.Command(g, "help"))
			h.interact(h.fake.Command(g, "film", fakediscord.Str("title", "Comrade Kim Goes Flying")))
			// REST errors: a callback rate limited past the window, then a follow-up
			// to an unknown token.
			h.fake.RateLimit("POST", "/api/v9/interactions/{id}/{token}/callback", 1, time.Minute)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if _, err := h.fake.Send(ctx, h.fake.Command(g, "help")); err != nil {
				t.Fatal(err)
			}
			// Two interactions answered, then the rate-limited callback: the third call.
			if _, err := h.fake.WaitCall(ctx, "POST", "/api/v9/interactions/{id}/{token}/callback", 2); err != nil {
				t.Fatal(err)
			}
			h.until("the rate-limited reply to end", func() bool { return h.bot.Stats().InFlight == 0 })
			if err := h.fake.Drop(); err != nil {
				t.Fatal(err)
			}
			h.interact(h.fake.Command(g, "help"))
			in := h.fake.Command(who(owner, homeGuild, adminPerms), "reseed")
			h.interact(in)
			waitEdit(t, h, in)
			if level == slog.LevelDebug && !strings.Contains(h.logs.String(), "INTERACTION_CREATE") {
				t.Error("debug level did not include discordgo's payload dump, so the check proved little")
			}
		})
	}
}
