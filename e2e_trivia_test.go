package main

// An end-to-end trivia game through the fake Discord, in-process: the app as Open wires it
// for `filmbot run` (store, knowledge, commands, bot, trivia, a real discordgo session).

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"filmbot/bot/fakediscord"
	"filmbot/config"
	"filmbot/internal/discordspec"
	"filmbot/seed"
	"filmbot/store"
	"filmbot/trivia"
)

// Who plays in the end-to-end game.
const (
	e2eGuild = "600000000000000001"
	ann      = "400000000000000011"
	bob      = "400000000000000012"
	cat      = "400000000000000013"

	messagesPattern = "/api/v9/channels/{channel}/messages"
	messagePattern  = "/api/v9/channels/{channel}/messages/{message}"
)

// e2e is the app against a fake Discord over loopback.
type e2e struct {
	t     *testing.T
	fake  *fakediscord.Server
	app   *App
	clock *stepClock
	cat   *seed.Catalog
	ctx   context.Context
}

// startE2E runs the app on a store holding trivia's test quiz, with the given pace.
func startE2E(t *testing.T, timing trivia.Timing) *e2e {
	t.Helper()
	fake := fakediscord.New(t, fakediscord.Options{HeartbeatInterval: time.Second, Check: discordspec.Checker(t)})
	const quiz = "trivia/testdata/quiz.toml"
	data, err := os.ReadFile(quiz)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := seed.Parse(quiz, data)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "filmbot.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Reseed(t.Context(), cat, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	cfg := config.Default()
	cfg.DB, cfg.Token, cfg.DiscordURL = db, fake.Token(), fake.URL()
	cfg.RateLimit = 0 // three players answer faster than people could
	cfg.OpenTimeout.Duration, cfg.StallTimeout.Duration = 5*time.Second, 30*time.Second
	cfg.RESTTimeout.Duration, cfg.ShutdownGrace.Duration = 3*time.Second, 5*time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	clock := newStepClock()
	a, err := Open(ctx, cfg, Options{Timing: &timing, Clock: clock})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("App.Run: %v", err)
		}
		if err := a.Close(); err != nil {
			t.Errorf("App.Close: %v", err)
		}
	})
	if _, err := fake.WaitCall(ctx, "PUT", "/api/v9/applications/{app}/commands", 0); err != nil {
		t.Fatal(err)
	}
	return &e2e{t: t, fake: fake, app: a, clock: clock, cat: cat, ctx: ctx}
}

// do sends an interaction and returns the bot's first response to it.
func (h *e2e) do(in fakediscord.Interaction) *fakediscord.ResponseData {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.ctx, 5*time.Second)
	defer cancel()
	cb, err := h.fake.Interact(ctx, in)
	if err != nil {
		h.t.Fatal(err)
	}
	return cb.Response.Data
}

func player(user string) fakediscord.Who {
	return fakediscord.Who{User: user, Guild: e2eGuild}
}

// posted returns the n-th message the bot posts in the channel (from 0), running the
// game's timers until it is out.
func (h *e2e) posted(n int) *fakediscord.ResponseData {
	h.t.Helper()
	return h.until("POST", messagesPattern, n)
}

// edited returns the n-th message edit in the channel (from 0), running the game's timers
// until it is out. Each question's message is edited once, by its reveal, so the n-th
// edit is the n-th reveal.
func (h *e2e) edited(n int) *fakediscord.ResponseData {
	h.t.Helper()
	return h.until("PATCH", messagePattern, n)
}

// until runs the game's timers one at a time, in the order a real clock would, until
// the n-th call to pattern has reached Discord. A timer's step sends its messages before
// it returns, so each check needs no waiting.
func (h *e2e) until(method, pattern string, n int) *fakediscord.ResponseData {
	h.t.Helper()
	for len(h.fake.CallsTo(method, pattern)) <= n {
		if !h.clock.next() {
			h.t.Fatalf("no timer left to run, and %s %s number %d never came", method, pattern, n)
		}
	}
	d, err := fakediscord.DecodeData(h.fake.CallsTo(method, pattern)[n].Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// stepClock is trivia's clock in the end-to-end game: time stands still until the test
// runs the next timer, so the game moves exactly when the test says, never waiting out a
// question.
type stepClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*stepTimer // pending, in the order they were set
}

type stepTimer struct {
	c    *stepClock
	when time.Time
	f    func()
	done bool // run or stopped
}

func newStepClock() *stepClock {
	return &stepClock{now: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) AfterFunc(d time.Duration, f func()) trivia.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &stepTimer{c: c, when: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *stepTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.done
	t.done = true
	return was
}

// next moves the time to the earliest pending timer and runs it in the caller's goroutine;
// it reports false when no timer is pending.
func (c *stepClock) next() bool {
	c.mu.Lock()
	var first *stepTimer
	live := c.timers[:0]
	for _, t := range c.timers {
		if t.done {
			continue
		}
		live = append(live, t)
		if first == nil || t.when.Before(first.when) {
			first = t
		}
	}
	c.timers = live
	if first == nil {
		c.mu.Unlock()
		return false
	}
	first.done = true
	c.now = first.when
	c.mu.Unlock()
	first.f()
	return true
}

func (h *e2e) question(d *fakediscord.ResponseData) seed.Question {
	h.t.Helper()
	for _, q := range h.cat.Questions {
		if strings.Contains(d.Text(), q.Prompt) {
			return q
		}
	}
	h.t.Fatalf("message asks no known question: %q", d.Text())
	return seed.Question{}
}

// answer has user answer question d: right or wrong, by button or, for a typed question,
// through the modal.
func (h *e2e) answer(user string, d *fakediscord.ResponseData, right bool) {
	h.t.Helper()
	q := h.question(d)
	bs := d.Buttons()
	var reply *fakediscord.ResponseData
	if q.Hard {
		modal := h.do(h.fake.Button(player(user), bs[0].CustomID))
		if modal.CustomID == "" || modal.Title == "" {
			h.t.Fatalf("type button did not open a modal: %+v", modal)
		}
		typed := "nineteen"
		if right {
			typed = "Twenty-Eight" // words for the digits
		}
		reply = h.do(h.fake.Modal(player(user), modal.CustomID, map[string]string{"answer": typed}))
	} else {
		for _, b := range bs {
			if (b.Label == q.Answer) == right {
				reply = h.do(h.fake.Button(player(user), b.CustomID))
				break
			}
		}
	}
	if reply == nil || !reply.Ephemeral() || !strings.HasPrefix(reply.Text(), "Locked in") || !reply.MentionsNobody() {
		h.t.Fatalf("%s's answer to %s got %+v, want an ephemeral 'Locked in' that mentions nobody", user, q.ID, reply)
	}
}

// TestE2E_Game plays a whole game through the fake Discord: three players clicking
// buttons, one typed answer through the modal, questions closed by their timer and early
// when everyone has answered, the reveals, the final standings and the leaderboard.
func TestE2E_TriviaGame(t *testing.T) {
	// The live pace: the step clock runs it without waiting.
	h := startE2E(t, trivia.DefaultTiming())
	defs, ok := h.fake.Commands("")
	names := map[string]bool{}
	for _, d := range defs {
		names[d.Name] = true
	}
	if !ok || !names["trivia"] || !names["leaderboard"] {
		t.Fatalf("registered commands %v lack trivia and leaderboard", names)
	}

	start := h.do(h.fake.Command(player(ann), "trivia", fakediscord.Sub("start",
		fakediscord.Str("film", "kim"), fakediscord.Int("questions", 4), fakediscord.Int("seconds", 10))))
	if start.Ephemeral() || !strings.Contains(start.Text(), "4 questions") || !start.MentionsNobody() {
		t.Fatalf("start reply: %+v", start)
	}
	if again := h.do(h.fake.Command(player(bob), "trivia", fakediscord.Sub("start"))); !again.Ephemeral() {
		t.Errorf("a second start in the channel was not refused: %q", again.Text())
	}

	typed := false
	for i := range 4 {
		d := h.posted(i)
		if !d.MentionsNobody() {
			t.Errorf("question %d mentions someone: %+v", i+1, d.AllowedMentions)
		}
		q := h.question(d)
		typed = typed || q.Hard
		h.answer(ann, d, true)
		h.answer(bob, d, false)
		// cat sits out question 3, so it closes on its timer; the first question closes
		// on its timer too (nobody had joined before it). The others close early.
		if i != 2 {
			h.answer(cat, d, true)
		}
		rev := h.edited(i)
		text := rev.Text()
		if !strings.Contains(text, "Answer: **"+q.Answer+"**") || !strings.Contains(text, "<@"+ann+">") ||
			!strings.Contains(text, "Fastest: <@"+ann+">") || strings.Contains(text, "<@"+bob+">") {
			t.Errorf("reveal of question %d (%s):\n%s", i+1, q.ID, text)
		}
		if (i != 2) != strings.Contains(text, "<@"+cat+">") {
			t.Errorf("reveal of question %d and cat:\n%s", i+1, text)
		}
		for _, b := range rev.Buttons() {
			if !b.Disabled {
				t.Errorf("button %q enabled after the reveal", b.Label)
			}
		}
		if !rev.MentionsNobody() {
			t.Errorf("reveal mentions someone: %+v", rev.AllowedMentions)
		}
	}
	if !typed {
		t.Error("the game had no typed question")
	}

	final := h.posted(4)
	text := final.Text()
	a, c, b := strings.Index(text, "<@"+ann+">"), strings.Index(text, "<@"+cat+">"), strings.Index(text, "<@"+bob+">")
	if !strings.Contains(text, "Trivia over") || a < 0 || c < a || b < c {
		t.Errorf("final standings not ann, cat, bob:\n%s", text)
	}

	annScore, err := h.app.Store.Score(e2eGuild, ann)
	if err != nil || annScore.Correct != 4 || annScore.Answered != 4 || annScore.Games != 1 || annScore.BestStreak != 4 {
		t.Errorf("ann's stored score = %+v, %v", annScore, err)
	}
	board := h.do(h.fake.Command(player(bob), "leaderboard"))
	if !strings.HasPrefix(strings.SplitN(board.Text(), "\n", 3)[1], "1. <@"+ann+">") || !strings.Contains(board.Text(), "You: #3") {
		t.Errorf("leaderboard:\n%s", board.Text())
	}
	if !board.MentionsNobody() {
		t.Errorf("leaderboard mentions someone")
	}
	if u := h.fake.Unknown(); len(u) != 0 {
		t.Errorf("calls to endpoints Discord does not have: %+v", u)
	}
}
