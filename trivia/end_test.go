package trivia

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
	"filmbot/store"
)

// ended returns why g ended (endNone while it runs).
func ended(g *game) endReason {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.ended
}

func TestGame_EndReason(t *testing.T) {
	tests := []struct {
		name string
		// play runs the game started with opts until it ends.
		opts  map[string]any
		play  func(h *harness)
		want  endReason
		asked int // questions posted
	}{
		{
			// QA's case: the last two questions had no answers, but the game simply ran
			// out of questions.
			name: "ran out after silent questions", opts: map[string]any{"questions": 3},
			play: func(h *harness) {
				h.clock.Advance(h.timing.Lead)
				_, p := h.msgs.last()
				h.answerRight("ann", p) // the only player: q1 closes early
				h.untilSent()           // q2, nobody answers
				h.untilSent()           // q3, nobody answers
				h.untilSent()           // the standings
			},
			want: endRanOut, asked: 3,
		},
		{
			name: "ran out", opts: map[string]any{"questions": 2},
			play: func(h *harness) {
				for range 2 {
					h.untilSent()
					_, p := h.msgs.last()
					h.answerRight("ann", p)
				}
				h.untilSent()
			},
			want: endRanOut, asked: 2,
		},
		{
			name: "silent", opts: map[string]any{"questions": 5},
			play: func(h *harness) {
				h.untilSent()
				h.untilSent()
				h.untilSent()
			},
			want: endSilent, asked: 2,
		},
		{
			name: "silent on the last question", opts: map[string]any{"questions": 2},
			play: func(h *harness) {
				h.untilSent()
				h.untilSent()
				h.untilSent()
			},
			want: endRanOut, asked: 2,
		},
		{
			name: "stopped mid-question", opts: map[string]any{"questions": 5},
			play: func(h *harness) {
				h.clock.Advance(h.timing.Lead)
				h.command("ann", "trivia", "stop", 0, nil)
				h.clock.Advance(0)
			},
			want: endStopped, asked: 1,
		},
		{
			name: "stopped on the last question", opts: map[string]any{"questions": 1},
			play: func(h *harness) {
				h.clock.Advance(h.timing.Lead)
				h.command("ann", "trivia", "stop", 0, nil)
				h.clock.Advance(0)
			},
			want: endStopped, asked: 1,
		},
		{
			name: "question not posted", opts: map[string]any{"questions": 5},
			play: func(h *harness) {
				h.msgs.failSends = true
				h.clock.Advance(h.timing.Lead)
			},
			want: endPostFailed, asked: 1, // tried to ask the first
		},
		{
			name: "interrupted by shutdown", opts: map[string]any{"questions": 5},
			play: func(h *harness) {
				h.clock.Advance(h.timing.Lead)
				h.engine.Close()
				h.clock.Advance(time.Hour)
			},
			want: endInterrupted, asked: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.command("ann", "trivia", "start", 0, tt.opts)
			g := h.engine.game(testChannel)
			if g == nil {
				t.Fatal("no game started")
			}
			tt.play(h)
			if got := ended(g); got != tt.want {
				t.Errorf("game ended because %v, want %v", got, tt.want)
			}
			g.mu.Lock()
			asked := g.cur + 1
			g.mu.Unlock()
			if asked != tt.asked {
				t.Errorf("%d questions asked, want %d", asked, tt.asked)
			}
			// A closed engine keeps its games, so late clicks hear it is shutting down.
			if tt.want != endInterrupted && h.engine.game(testChannel) != nil {
				t.Error("the engine still holds the game")
			}
		})
	}
}

func TestEngine_OptionLimits(t *testing.T) {
	tests := []struct {
		name string
		sub  string
		opts map[string]any
		want error
	}{
		{"start questions 0", "start", map[string]any{"questions": 0}, errQuestionsRange},
		{"start questions -1", "start", map[string]any{"questions": -1}, errQuestionsRange},
		{"start questions 51", "start", map[string]any{"questions": 51}, errQuestionsRange},
		{"start seconds 0", "start", map[string]any{"seconds": 0}, errSecondsRange},
		{"start seconds 9", "start", map[string]any{"seconds": 9}, errSecondsRange},
		{"start seconds 61", "start", map[string]any{"seconds": 61}, errSecondsRange},
		{"start seconds 0 with good questions", "start", map[string]any{"questions": 3, "seconds": 0}, errSecondsRange},
		{"settings questions 0", "settings", map[string]any{"questions": 0}, errQuestionsRange},
		{"settings seconds 0", "settings", map[string]any{"seconds": 0}, errSecondsRange},
		{"settings seconds 0 with reveal", "settings", map[string]any{"seconds": 0, "reveal": true}, errSecondsRange},
		{"settings questions 51", "settings", map[string]any{"questions": 51}, errQuestionsRange},
		{"start defaults", "start", nil, nil},
		{"start at the limits", "start", map[string]any{"questions": 50, "seconds": 10}, nil},
		{"settings at the limits", "settings", map[string]any{"questions": 1, "seconds": 60}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			req := &commands.Request{
				Kind: commands.KindCommand, Name: "trivia", Subcommand: tt.sub,
				User: commands.User{ID: "mod"}, Permissions: discordgo.PermissionManageServer,
				GuildID: testGuild, ChannelID: testChannel, Options: map[string]commands.Option{},
			}
			for k, v := range tt.opts {
				switch v := v.(type) {
				case int:
					req.Options[k] = commands.Option{Type: discordgo.ApplicationCommandOptionInteger, Value: float64(v)}
				case bool:
					req.Options[k] = commands.Option{Type: discordgo.ApplicationCommandOptionBoolean, Value: v}
				}
			}
			_, err := h.engine.handleTrivia(t.Context(), req)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("/trivia %s %v: error %v, want %v", tt.sub, tt.opts, err, tt.want)
			}
			var ue *commands.UserError
			if err != nil && !errors.As(err, &ue) {
				t.Errorf("error %v is not shown to the player", err)
			}
			games, _ := h.store.Games()
			settings, _ := h.store.TriviaSettings(testGuild)
			switch {
			case tt.want != nil && (len(games) != 0 || settings != store.TriviaSettings{}):
				t.Errorf("refused command changed something: games %+v, settings %+v", games, settings)
			case tt.want == nil && tt.sub == "start" && len(games) != 1:
				t.Errorf("accepted start stored %d games", len(games))
			case tt.want == nil && tt.sub == "settings" && (settings != store.TriviaSettings{Questions: 1, Seconds: 60}):
				t.Errorf("accepted settings stored %+v", settings)
			}
		})
	}
}

// A server default is used only when the option is absent.
func TestEngine_OptionsOverServerDefaults(t *testing.T) {
	h := newHarness(t)
	if err := h.store.SaveTriviaSettings(testGuild, store.TriviaSettings{Questions: 2, Seconds: 30}); err != nil {
		t.Fatal(err)
	}
	h.command("ann", "trivia", "start", 0, map[string]any{"questions": 3})
	g := h.engine.game(testChannel)
	if g == nil {
		t.Fatal("no game started")
	}
	if len(g.rounds) != 3 || g.seconds != 30*time.Second {
		t.Errorf("game of %d questions, %v each; want 3 (given) of 30s (server default)", len(g.rounds), g.seconds)
	}
}

// The first question follows the start announcement within a second under the default
// timing.
func TestEngine_FirstQuestionPrompt(t *testing.T) {
	h := newHarness(t)
	h.engine.Close()
	h.engine = New(Deps{Store: h.store, Messenger: h.msgs, Clock: h.clock})
	t.Cleanup(h.engine.Close)
	h.set = commands.New(commands.Deps{Store: h.store})
	h.engine.Register(h.set)

	h.command("ann", "trivia", "start", 0, nil)
	h.clock.Advance(time.Second)
	if n := h.msgs.count(); n != 1 {
		t.Fatalf("%d messages a second after the start, want the first question", n)
	}
	if _, p := h.msgs.last(); len(buttons(p.components)) == 0 {
		t.Errorf("first message is not a question: %q", p.content)
	}
}

// blockingMessenger holds every Send until its context ends, the way a hung REST call
// to a closing session would.
type blockingMessenger struct {
	sending chan struct{}
	ended   chan error
}

func (m *blockingMessenger) Send(ctx context.Context, _ string, _ *discordgo.MessageSend) (string, error) {
	m.sending <- struct{}{}
	<-ctx.Done()
	m.ended <- ctx.Err()
	return "", ctx.Err()
}

func (m *blockingMessenger) Edit(context.Context, string, string, *discordgo.MessageEdit) error {
	return nil
}

// Close cancels a post in flight, waits for it, and leaves nothing to post afterwards;
// the game stays stored for the next process's Restore.
func TestEngine_CloseStopsTimers(t *testing.T) {
	h := newHarness(t)
	msgr := &blockingMessenger{sending: make(chan struct{}, 10), ended: make(chan error, 10)}
	h.engine.Close()
	h.engine = New(Deps{Store: h.store, Messenger: msgr, Clock: h.clock, Timing: &h.timing})
	h.set = commands.New(commands.Deps{Store: h.store})
	h.engine.Register(h.set)
	t.Cleanup(h.engine.Close)

	h.command("ann", "trivia", "start", 0, nil)
	g := h.engine.game(testChannel)
	advanced := make(chan struct{})
	go func() {
		defer close(advanced)
		h.clock.Advance(h.timing.Lead) // posts the first question, which hangs
	}()
	<-msgr.sending
	h.engine.Close()
	// Close returned, so the post it cancelled has ended.
	select {
	case err := <-msgr.ended:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("post ended with %v, want it cancelled", err)
		}
	default:
		t.Fatal("Close returned while a question was still being posted")
	}
	<-advanced
	h.clock.Advance(time.Hour)
	select {
	case <-msgr.sending:
		t.Error("a message was posted after Close")
	default:
	}
	if got := ended(g); got != endInterrupted {
		t.Errorf("game ended because %v, want %v", got, endInterrupted)
	}
	if games, err := h.store.Games(); err != nil || len(games) != 1 {
		t.Errorf("stored games after Close = %+v, %v; want the game kept for Restore", games, err)
	}
	if r := h.click("bob", answerID(g.rec.ID, 0, 0)); !isEphemeral(r) || content(r) != shuttingDown {
		t.Errorf("answer after Close = %q, want the shutting-down note", content(r))
	}
	if r := h.command("bob", "trivia", "start", 0, nil); !isEphemeral(r) || content(r) != shuttingDown {
		t.Errorf("start after Close = %q, want the shutting-down note", content(r))
	}
}
