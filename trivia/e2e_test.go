package trivia_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"filmbot/bot"
	"filmbot/bot/fakediscord"
	"filmbot/commands"
	"filmbot/internal/discordspec"
	"filmbot/seed"
	"filmbot/store"
	"filmbot/store/storetest"
	"filmbot/trivia"
)

// Who plays in the end-to-end game.
const (
	e2eGuild = "600000000000000001"
	ann      = "400000000000000011"
	bob      = "400000000000000012"
	cat      = "400000000000000013"
	channel  = fakediscord.DefaultChannel

	messagesPattern = "/api/v9/channels/{channel}/messages"
	messagePattern  = "/api/v9/channels/{channel}/messages/{message}"
)

// e2e is the real wiring (store, command set, trivia engine, bot, discordgo session)
// against a fake Discord over loopback.
type e2e struct {
	t     *testing.T
	fake  *fakediscord.Server
	store *store.Store
	cat   *seed.Catalog
	ctx   context.Context
}

func startE2E(t *testing.T, timing trivia.Timing) *e2e {
	t.Helper()
	var spec *discordspec.Spec
	t.Run("openapi", func(t *testing.T) { spec = discordspec.ForTest(t) })
	fake := fakediscord.New(t, fakediscord.Options{
		HeartbeatInterval: time.Second,
		Check: func(method, path string, body []byte) error {
			var errs []error
			if spec != nil {
				errs = append(errs, spec.ValidateRequest(method, path, body))
			}
			errs = append(errs, discordspec.CheckLimits(method, path, body))
			return errors.Join(errs...)
		},
	})
	data, err := os.ReadFile("testdata/quiz.toml")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := seed.Parse("testdata/quiz.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t, cat)
	logger := slog.New(slog.DiscardHandler)

	set := commands.New(commands.Deps{Store: st, Logger: logger})
	b, err := bot.New(bot.Config{
		Token: fake.Token(), DiscordURL: fake.URL(), OpenTimeout: 5 * time.Second,
		StallTimeout: 30 * time.Second, RESTTimeout: 3 * time.Second, ShutdownGrace: 5 * time.Second,
	}, set, logger)
	if err != nil {
		t.Fatal(err)
	}
	game := trivia.New(trivia.Deps{Store: st, Messenger: b.Messenger(), Logger: logger, Timing: &timing})
	game.Register(set)
	if _, err := game.Restore(t.Context()); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		game.Close()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("bot.Run: %v", err)
		}
	})
	if _, err := fake.WaitCall(ctx, "PUT", "/api/v9/applications/{app}/commands", 0); err != nil {
		t.Fatal(err)
	}
	return &e2e{t: t, fake: fake, store: st, cat: cat, ctx: ctx}
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

// posted waits for the n-th message the bot posts in the channel (from 0).
func (h *e2e) posted(n int) *fakediscord.ResponseData {
	h.t.Helper()
	call, err := h.fake.WaitCall(h.ctx, "POST", messagesPattern, n)
	if err != nil {
		h.t.Fatalf("message %d never posted: %v", n, err)
	}
	d, err := fakediscord.DecodeData(call.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// edited waits for the n-th message edit in the channel (from 0). Each question's
// message is edited once, by its reveal, so the n-th edit is the n-th reveal.
func (h *e2e) edited(n int) *fakediscord.ResponseData {
	h.t.Helper()
	call, err := h.fake.WaitCall(h.ctx, "PATCH", messagePattern, n)
	if err != nil {
		h.t.Fatalf("edit %d never came: %v", n, err)
	}
	d, err := fakediscord.DecodeData(call.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return d
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
func TestE2E_Game(t *testing.T) {
	h := startE2E(t, trivia.Timing{
		Lead: 50 * time.Millisecond, Between: 50 * time.Millisecond, Early: 50 * time.Millisecond,
		Question: 2 * time.Second,
	})
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

	annScore, err := h.store.Score(e2eGuild, ann)
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
