package trivia

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
	"filmbot/knowledge"
	"filmbot/seed"
	"filmbot/store"
	"filmbot/store/storetest"
)

// fakeClock is a Clock that moves only when Advance is called; due timers run in the
// goroutine that advances it, in time order, so a test drives a game step by step.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c       *fakeClock
	when    time.Time
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, when: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// Advance moves the clock forward by d, running every timer that falls due on the way,
// including timers those timers set.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		var next *fakeTimer
		for _, t := range c.timers {
			if !t.stopped && !t.when.After(end) && (next == nil || t.when.Before(next.when)) {
				next = t
			}
		}
		if next == nil {
			c.now = end
			c.timers = slices.DeleteFunc(c.timers, func(t *fakeTimer) bool { return t.stopped })
			c.mu.Unlock()
			return
		}
		next.stopped = true
		if next.when.After(c.now) {
			c.now = next.when
		}
		c.mu.Unlock()
		next.f()
	}
}

// recorder is a Messenger that keeps every message it was asked to send or edit.
type recorder struct {
	mu   sync.Mutex
	n    int
	msgs map[string]*posted // by message ID
	sent []string           // message IDs in the order sent
	// failSends, when set, makes Send fail.
	failSends bool
}

type posted struct {
	channel    string
	content    string
	components []discordgo.MessageComponent
	edits      int
	mentions   *discordgo.MessageAllowedMentions
}

func newRecorder() *recorder { return &recorder{msgs: make(map[string]*posted)} }

func (r *recorder) Send(ctx context.Context, channel string, m *discordgo.MessageSend) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failSends {
		return "", fmt.Errorf("send refused")
	}
	r.n++
	id := fmt.Sprint("m", r.n)
	r.msgs[id] = &posted{channel: channel, content: m.Content, components: m.Components, mentions: m.AllowedMentions}
	r.sent = append(r.sent, id)
	return id, nil
}

func (r *recorder) Edit(ctx context.Context, channel, id string, m *discordgo.MessageEdit) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.msgs[id]
	if p == nil || p.channel != channel {
		return fmt.Errorf("unknown message %s in channel %s", id, channel)
	}
	if m.Content != nil {
		p.content = *m.Content
	}
	if m.Components != nil {
		p.components = *m.Components
	}
	p.mentions = m.AllowedMentions
	p.edits++
	return nil
}

// last returns the ID and a copy of the last message sent.
func (r *recorder) last() (string, posted) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.sent) == 0 {
		return "", posted{}
	}
	id := r.sent[len(r.sent)-1]
	return id, *r.msgs[id]
}

func (r *recorder) message(id string) posted {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p := r.msgs[id]; p != nil {
		return *p
	}
	return posted{}
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent)
}

// harness is an engine on a real seeded store with a fake clock and a recording
// messenger, reached through the same commands.Set routing the bot uses.
type harness struct {
	t      *testing.T
	store  *store.Store
	cat    *seed.Catalog
	clock  *fakeClock
	msgs   *recorder
	engine *Engine
	set    *commands.Set
	timing Timing
}

const (
	testGuild   = "guild-1"
	testChannel = "channel-1"
)

func loadTestCatalog(tb testing.TB) *seed.Catalog {
	tb.Helper()
	data, err := os.ReadFile("testdata/quiz.toml")
	if err != nil {
		tb.Fatal(err)
	}
	cat, err := seed.Parse("testdata/quiz.toml", data)
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	cat := loadTestCatalog(t)
	return newHarnessOn(t, storetest.Open(t, cat))
}

// newHarnessOn is newHarness on a store the test opened itself.
func newHarnessOn(t *testing.T, st *store.Store) *harness {
	t.Helper()
	h := &harness{
		t: t, cat: loadTestCatalog(t), store: st, clock: newFakeClock(), msgs: newRecorder(),
		timing: Timing{Lead: 3 * time.Second, Between: 4 * time.Second, Early: time.Second, Join: 15 * time.Second},
	}
	h.restart()
	return h
}

// restart replaces the engine with a new one on the same store, as a new process would
// have (without calling Restore).
func (h *harness) restart() {
	if h.engine != nil {
		h.engine.Close()
	}
	know := knowledge.New(h.store)
	h.engine = New(Deps{
		Store: h.store, Knowledge: know, Messenger: h.msgs, Clock: h.clock, Owners: []string{"owner"},
		Rand: rand.New(rand.NewPCG(1, 2)), Timing: &h.timing,
	})
	h.set = commands.New(commands.Deps{Store: h.store, Knowledge: know})
	h.engine.Register(h.set)
	h.t.Cleanup(h.engine.Close)
}

func (h *harness) handle(req *commands.Request) commands.Response {
	h.t.Helper()
	if req.GuildID == "" && req.ChannelID == "" {
		req.GuildID, req.ChannelID = testGuild, testChannel
	}
	resp := h.set.Handle(context.Background(), req)
	if resp.InteractionResponse == nil {
		h.t.Fatalf("no response to %+v", req)
	}
	return resp
}

// command runs /name sub with options as user; perms are the member's permissions.
func (h *harness) command(user, name, sub string, perms int64, opts map[string]any) commands.Response {
	h.t.Helper()
	req := &commands.Request{
		Kind: commands.KindCommand, Name: name, Subcommand: sub, User: commands.User{ID: user, Name: user},
		Options: map[string]commands.Option{}, Permissions: perms,
	}
	for k, v := range opts {
		o := commands.Option{Value: v}
		switch v := v.(type) {
		case int:
			o = commands.Option{Type: discordgo.ApplicationCommandOptionInteger, Value: float64(v)}
		case bool:
			o.Type = discordgo.ApplicationCommandOptionBoolean
		case string:
			o.Type = discordgo.ApplicationCommandOptionString
		}
		req.Options[k] = o
	}
	return h.handle(req)
}

func (h *harness) click(user, customID string) commands.Response {
	h.t.Helper()
	return h.handle(&commands.Request{Kind: commands.KindComponent, CustomID: customID, User: commands.User{ID: user}})
}

func (h *harness) submit(user, customID, text string) commands.Response {
	h.t.Helper()
	return h.handle(&commands.Request{
		Kind: commands.KindModal, CustomID: customID, User: commands.User{ID: user},
		Values: map[string]string{"answer": text},
	})
}

// question finds the catalog question a posted message asks.
func (h *harness) question(p posted) seed.Question {
	h.t.Helper()
	for _, q := range h.cat.Questions {
		if strings.Contains(p.content, q.Prompt) {
			return q
		}
	}
	h.t.Fatalf("message asks no known question: %q", p.content)
	return seed.Question{}
}

// buttons returns the buttons of a message.
func buttons(comps []discordgo.MessageComponent) []discordgo.Button {
	var out []discordgo.Button
	for _, c := range comps {
		if row, ok := c.(discordgo.ActionsRow); ok {
			for _, b := range row.Components {
				if b, ok := b.(discordgo.Button); ok {
					out = append(out, b)
				}
			}
		}
	}
	return out
}

// choice returns the custom ID of the button labelled label (the right answer when
// right is true, else any other).
func choice(t *testing.T, p posted, answer string, right bool) string {
	t.Helper()
	for _, b := range buttons(p.components) {
		if (b.Label == answer) == right {
			return b.CustomID
		}
	}
	t.Fatalf("no button for answer %q (right=%v) in %+v", answer, right, buttons(p.components))
	return ""
}

func content(r commands.Response) string {
	if r.Data == nil {
		return ""
	}
	return r.Data.Content
}

func isEphemeral(r commands.Response) bool {
	return r.Data != nil && r.Data.Flags&discordgo.MessageFlagsEphemeral != 0
}

// untilSent advances the clock a second at a time until a new message is posted (the
// next question or the standings).
func (h *harness) untilSent() {
	h.t.Helper()
	n := h.msgs.count()
	for range 600 {
		h.clock.Advance(time.Second)
		if h.msgs.count() > n {
			return
		}
	}
	h.t.Fatal("no message posted in 10 minutes of game time")
}
