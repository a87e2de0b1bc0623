package trivia

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"filmbot/commands"
	"filmbot/fold"
	"filmbot/knowledge"
	"filmbot/seed"
	"filmbot/store"
)

// answerRight answers the open question p correctly as user, by button or, for a typed
// question, through the modal with a small typo-free variant.
func (h *harness) answerRight(user string, p posted) commands.Response {
	h.t.Helper()
	q := h.question(p)
	bs := buttons(p.components)
	if q.Hard {
		open := h.click(user, bs[0].CustomID)
		if open.Type != discordgo.InteractionResponseModal {
			h.t.Fatalf("type button opened %v, want a modal", open.Type)
		}
		typed := q.Answer
		if len(q.Accept) > 0 {
			typed = q.Accept[0]
		}
		return h.submit(user, open.Data.CustomID, typed)
	}
	return h.click(user, choice(h.t, p, q.Answer, true))
}

// answerWrong answers the open question p wrongly as user.
func (h *harness) answerWrong(user string, p posted) commands.Response {
	h.t.Helper()
	q := h.question(p)
	bs := buttons(p.components)
	if q.Hard {
		open := h.click(user, bs[0].CustomID)
		return h.submit(user, open.Data.CustomID, "a wrong answer")
	}
	return h.click(user, choice(h.t, p, q.Answer, false))
}

func TestGame_FullGame(t *testing.T) {
	h := newHarness(t)
	start := h.command("ann", "trivia", "start", 0, map[string]any{"film": "kim", "questions": 4, "seconds": 20})
	if isEphemeral(start) || !strings.Contains(content(start), "4 questions") {
		t.Fatalf("start reply = %q (ephemeral %v), want a public announcement of 4 questions", content(start), isEphemeral(start))
	}
	if again := h.command("bob", "trivia", "start", 0, nil); !isEphemeral(again) || !strings.Contains(content(again), "already running") {
		t.Errorf("second start = %q, want an ephemeral 'already running'", content(again))
	}

	h.clock.Advance(h.timing.Lead)
	seen := map[string]bool{}
	for i := range 4 {
		id, p := h.msgs.last()
		q := h.question(p)
		if seen[q.ID] {
			t.Fatalf("question %s asked twice in one game", q.ID)
		}
		seen[q.ID] = true
		checkQuestionMessage(t, p, q, i)

		// ann is right at once, bob wrong after 4 s, cat right at 10 s.
		if r := h.answerRight("ann", p); !isEphemeral(r) || !strings.HasPrefix(content(r), "Locked in") {
			t.Fatalf("ann's answer reply = %q, want an ephemeral 'Locked in'", content(r))
		}
		if r := h.answerRight("ann", p); !strings.Contains(content(r), "already answered") {
			t.Errorf("ann's second answer = %q, want 'already answered'", content(r))
		}
		h.clock.Advance(4 * time.Second)
		h.answerWrong("bob", p)
		h.clock.Advance(6 * time.Second)
		h.answerRight("cat", p)
		if i == 0 {
			// Everyone who answered the first question has, the starter (ann) too, but
			// it stays open for Join (15 s) so others can still join.
			h.clock.Advance(4*time.Second + 999*time.Millisecond)
			if h.msgs.message(id).edits != 0 {
				t.Fatal("first question revealed before Join was up")
			}
			h.clock.Advance(time.Millisecond)
		} else {
			// Everyone in the game has answered: the reveal comes early.
			h.clock.Advance(h.timing.Early)
		}
		rev := h.msgs.message(id)
		if rev.edits != 1 {
			t.Fatalf("question %d: %d edits, want the reveal", i+1, rev.edits)
		}
		for _, want := range []string{"Answer: **" + q.Answer + "**", "<@ann>", "<@cat>", "Fastest: <@ann>"} {
			if !strings.Contains(rev.content, want) {
				t.Errorf("reveal of %s lacks %q:\n%s", q.ID, want, rev.content)
			}
		}
		if strings.Contains(rev.content, "<@bob>") {
			t.Errorf("reveal lists bob, who was wrong:\n%s", rev.content)
		}
		for _, b := range buttons(rev.components) {
			if !b.Disabled {
				t.Errorf("button %q still enabled after the reveal", b.Label)
			}
		}
		late := "closed"
		if i == 3 {
			late = "over"
		}
		if r := h.click("dan", buttons(p.components)[0].CustomID); !strings.Contains(content(r), late) {
			t.Errorf("answer after the reveal of question %d = %q, want %q", i+1, content(r), late)
		}
		h.clock.Advance(h.timing.Between)
	}

	// ann: 10 + 5 (speed) + 0, 2, 4, 6 (streak) = 15+17+19+21; cat at 10 s of 20 gets
	// 10 + 3 (2.5 rounded) + the same streak bonus = 13+15+17+19; bob nothing.
	want := map[string]store.Score{
		"ann": {User: "ann", Points: 72, Correct: 4, Answered: 4, Games: 1, BestStreak: 4},
		"bob": {User: "bob", Points: 0, Correct: 0, Answered: 4, Games: 1, BestStreak: 0},
		"cat": {User: "cat", Points: 64, Correct: 4, Answered: 4, Games: 1, BestStreak: 4},
	}
	for user, w := range want {
		got, err := h.store.Score(testGuild, user)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("score of %s (-want +got):\n%s", user, diff)
		}
	}
	_, final := h.msgs.last()
	ann, cat, bob := strings.Index(final.content, "<@ann> · 72 points"), strings.Index(final.content, "<@cat> · 64 points"), strings.Index(final.content, "<@bob> · 0 points")
	if !strings.Contains(final.content, "Trivia over") || ann < 0 || cat < ann || bob < cat {
		t.Errorf("final standings not ann 72, cat 64, bob 0 in order:\n%s", final.content)
	}
	if games, _ := h.store.Games(); len(games) != 0 {
		t.Errorf("games still stored after the end: %+v", games)
	}
	if h.engine.game(testChannel) != nil {
		t.Error("the engine still holds the finished game")
	}

	board := h.command("bob", "leaderboard", "", 0, nil)
	if !strings.Contains(content(board), "1. <@ann> · 72 points") || !strings.Contains(content(board), "You: #3") {
		t.Errorf("leaderboard:\n%s", content(board))
	}
}

// checkQuestionMessage checks what players see of question i: the prompt, and 4 distinct
// buttons including the answer (or one button opening the typed-answer modal).
func checkQuestionMessage(t *testing.T, p posted, q seed.Question, i int) {
	t.Helper()
	if !strings.Contains(p.content, fmt.Sprintf("Question %d of", i+1)) {
		t.Errorf("question message lacks its number %d: %q", i+1, p.content)
	}
	if p.mentions == nil || p.mentions.Parse == nil || len(p.mentions.Parse) != 0 {
		t.Errorf("question message allowed_mentions = %+v, want an empty parse list", p.mentions)
	}
	bs := buttons(p.components)
	if q.Hard {
		if len(bs) != 1 || !strings.HasPrefix(bs[0].CustomID, "trivia:type:") {
			t.Errorf("typed question %s has buttons %+v, want one that opens the modal", q.ID, bs)
		}
		return
	}
	if len(bs) != knowledge.ChoiceCount {
		t.Fatalf("question %s has %d buttons, want %d", q.ID, len(bs), knowledge.ChoiceCount)
	}
	labels := map[string]bool{}
	for _, b := range bs {
		key := fold.String(b.Label)
		if labels[key] {
			t.Errorf("question %s shows %q twice", q.ID, b.Label)
		}
		labels[key] = true
		if len(b.CustomID) > 100 || !strings.HasPrefix(b.CustomID, "trivia:ans:") {
			t.Errorf("button custom ID %q", b.CustomID)
		}
	}
	if !labels[fold.String(q.Answer)] {
		t.Errorf("question %s has no button for its answer %q", q.ID, q.Answer)
	}
}

func TestGame_TypedAnswers(t *testing.T) {
	h := newHarness(t)
	// kim-age is the only hard question about kim. One-question games never repeat a
	// question before the other three have been asked, so it comes up within 4 games.
	for range 4 {
		h.command("ann", "trivia", "start", 0, map[string]any{"film": "kim", "questions": 1})
		h.clock.Advance(h.timing.Lead)
		id, p := h.msgs.last()
		if q := h.question(p); q.ID != "kim-age" {
			h.clock.Advance(time.Minute)
			continue
		}
		open := h.click("ann", buttons(p.components)[0].CustomID)
		if open.Type != discordgo.InteractionResponseModal || open.Data.CustomID == "" {
			t.Fatalf("type button reply = %+v, want a modal", open.InteractionResponse)
		}
		// In this order, so ann is the fastest right answer the reveal names first.
		for _, a := range []struct{ user, typed string }{{"ann", "Twenty Eight"}, {"bob", "27"}, {"cat", "28 "}} {
			if r := h.submit(a.user, open.Data.CustomID, a.typed); !strings.HasPrefix(content(r), "Locked in") {
				t.Errorf("%s typing %q got %q", a.user, a.typed, content(r))
			}
		}
		if r := h.submit("dan", open.Data.CustomID, "   "); !strings.Contains(content(r), "empty") {
			t.Errorf("empty typed answer got %q", content(r))
		}
		h.clock.Advance(20 * time.Second)
		rev := h.msgs.message(id).content
		if !strings.Contains(rev, "Right (2 of 3): <@ann>") || !strings.Contains(rev, "<@cat>") || strings.Contains(rev, "<@bob>") {
			t.Errorf("reveal of the typed question:\n%s", rev)
		}
		return
	}
	t.Fatal("the hard question never came up in 4 one-question games about its film")
}

func TestGame_NoRepeatsAcrossGames(t *testing.T) {
	h := newHarness(t)
	asked := func(n int) []string {
		t.Helper()
		h.command("ann", "trivia", "start", 0, map[string]any{"film": "kim", "questions": n})
		var ids []string
		h.clock.Advance(h.timing.Lead)
		for range n {
			_, p := h.msgs.last()
			ids = append(ids, h.question(p).ID)
			h.answerRight("ann", p) // keep the game from ending for silence
			h.untilSent()
		}
		if h.engine.game(testChannel) != nil {
			t.Fatalf("game of %d questions still running", n)
		}
		return ids
	}
	first := asked(3)
	second := asked(3) // the film has 4 questions: 1 unasked, then the oldest 2
	if second[0] == first[0] && second[1] == first[1] {
		t.Fatalf("second game repeated the first: %v then %v", first, second)
	}
	fresh := 0
	for _, id := range second {
		if !contains(first, id) {
			fresh++
		}
	}
	if fresh != 1 {
		t.Errorf("second game %v asked %d questions the first (%v) had not; want the 1 left", second, fresh, first)
	}
	if contains(second, first[2]) {
		t.Errorf("second game %v repeated %s, the most recently asked, before older ones", second, first[2])
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestGame_EndsAfterTwoSilentQuestions(t *testing.T) {
	h := newHarness(t)
	h.command("ann", "trivia", "start", 0, map[string]any{"questions": 5})
	h.clock.Advance(h.timing.Lead)
	h.clock.Advance(20 * time.Second) // q1: nobody
	h.clock.Advance(h.timing.Between)
	h.clock.Advance(20 * time.Second) // q2: nobody → over
	_, final := h.msgs.last()
	if !strings.Contains(final.content, "without answers") {
		t.Errorf("final message after two silent questions:\n%s", final.content)
	}
	if h.engine.game(testChannel) != nil {
		t.Error("game still running after two silent questions")
	}
	if n := h.msgs.count(); n != 3 {
		t.Errorf("%d messages sent, want 2 questions and the standings", n)
	}
}

func TestGame_Stop(t *testing.T) {
	h := newHarness(t)
	h.command("ann", "trivia", "start", 0, map[string]any{"questions": 5})
	h.clock.Advance(h.timing.Lead)
	qid, p := h.msgs.last()
	h.answerRight("bob", p)

	tests := []struct {
		user  string
		perms int64
		want  string
	}{
		{"bob", 0, "Only the player"},
		{"bob", discordgo.PermissionManageMessages, "Only the player"},
	}
	for _, tt := range tests {
		if r := h.command(tt.user, "trivia", "stop", tt.perms, nil); !strings.Contains(content(r), tt.want) || !isEphemeral(r) {
			t.Errorf("stop by %s with %d = %q, want %q", tt.user, tt.perms, content(r), tt.want)
		}
	}
	if r := h.command("ann", "trivia", "stop", 0, nil); isEphemeral(r) || !strings.Contains(content(r), "stopped") {
		t.Fatalf("stop by the starter = %q", content(r))
	}
	h.clock.Advance(0)
	if rev := h.msgs.message(qid); rev.edits != 1 || !strings.Contains(rev.content, "<@bob>") {
		t.Errorf("open question not revealed on stop: %+v", rev)
	}
	_, final := h.msgs.last()
	if !strings.Contains(final.content, "stopped by <@ann>") || !strings.Contains(final.content, "<@bob> · 15 points") {
		t.Errorf("standings after stop:\n%s", final.content)
	}
	if r := h.command("ann", "trivia", "stop", 0, nil); !strings.Contains(content(r), "no trivia game") {
		t.Errorf("stop with no game = %q", content(r))
	}
}

func TestGame_StopAllowed(t *testing.T) {
	for _, tt := range []struct {
		name  string
		user  string
		perms int64
	}{
		{"manage server", "mod", discordgo.PermissionManageServer},
		{"administrator", "admin", discordgo.PermissionAdministrator},
		{"bot owner", "owner", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.command("ann", "trivia", "start", 0, nil)
			// Stopped before the first question: no reveal, just the standings.
			if r := h.command(tt.user, "trivia", "stop", tt.perms, nil); isEphemeral(r) {
				t.Fatalf("stop refused: %q", content(r))
			}
			h.clock.Advance(0)
			_, final := h.msgs.last()
			if n := h.msgs.count(); n != 1 || !strings.Contains(final.content, "Nobody played") {
				t.Errorf("%d messages, last %q; want only the standings", n, final.content)
			}
			if h.engine.game(testChannel) != nil {
				t.Error("game still running")
			}
		})
	}
}

func TestEngine_Restore(t *testing.T) {
	h := newHarness(t)
	h.command("ann", "trivia", "start", 0, map[string]any{"questions": 5})
	h.clock.Advance(h.timing.Lead)
	qid, p := h.msgs.last()
	h.answerRight("bob", p)

	h.restart() // the process died mid-question
	if r := h.click("cat", buttons(p.components)[0].CustomID); !strings.Contains(content(r), "over") {
		t.Errorf("click on an interrupted game = %q", content(r))
	}
	n, err := h.engine.Restore(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("Restore = %d, %v; want 1 game closed", n, err)
	}
	if got := h.msgs.message(qid); got.content != interruptedText || len(buttons(got.components)) != 0 {
		t.Errorf("interrupted question message = %+v", got)
	}
	if games, _ := h.store.Games(); len(games) != 0 {
		t.Errorf("games after Restore: %+v", games)
	}
	if sc, err := h.store.Score(testGuild, "bob"); err != nil || sc.Points != 15 {
		t.Errorf("bob's score after the restart = %+v, %v; want his 15 points kept", sc, err)
	}
	if r := h.command("ann", "trivia", "start", 0, nil); isEphemeral(r) {
		t.Errorf("new game after Restore refused: %q", content(r))
	}
}

func TestEngine_SettingsAndReset(t *testing.T) {
	h := newHarness(t)
	if r := h.command("bob", "trivia", "settings", 0, map[string]any{"seconds": 30}); !strings.Contains(content(r), "Manage Server") {
		t.Errorf("settings change without permission = %q", content(r))
	}
	r := h.command("mod", "trivia", "settings", discordgo.PermissionManageServer, map[string]any{"questions": 2, "seconds": 15, "reveal": false})
	if !strings.HasPrefix(content(r), "Saved") {
		t.Fatalf("settings change = %q", content(r))
	}
	got, err := h.store.TriviaSettings(testGuild)
	if want := (store.TriviaSettings{Seconds: 15, Questions: 2, HideAnswers: true}); err != nil || got != want {
		t.Errorf("stored settings = %+v, %v; want %+v", got, err, want)
	}
	if r := h.command("bob", "trivia", "settings", 0, nil); !strings.Contains(content(r), "15 seconds") {
		t.Errorf("settings shown = %q", content(r))
	}

	// A game uses the defaults: 2 questions, 15 s, answers hidden in reveals.
	h.command("ann", "trivia", "start", 0, nil)
	h.clock.Advance(h.timing.Lead)
	qid, p := h.msgs.last()
	h.answerRight("ann", p)
	h.clock.Advance(15 * time.Second)
	q := h.question(p)
	if rev := h.msgs.message(qid).content; strings.Contains(rev, q.Answer) || !strings.Contains(rev, "1 answer in") {
		t.Errorf("reveal with reveal off:\n%s", rev)
	}
	h.clock.Advance(h.timing.Between)
	_, p = h.msgs.last()
	h.answerRight("ann", p)
	h.clock.Advance(15 * time.Second)
	if h.engine.game(testChannel) != nil {
		t.Fatal("game of the default 2 questions still running")
	}

	if r := h.command("bob", "trivia", "reset-scores", 0, nil); !strings.Contains(content(r), "Manage Server") {
		t.Errorf("reset without permission = %q", content(r))
	}
	confirm := h.command("mod", "trivia", "reset-scores", discordgo.PermissionManageServer, nil)
	if !isEphemeral(confirm) || len(buttons(confirm.Data.Components)) != 2 {
		t.Fatalf("reset asks no confirmation: %+v", confirm.Data)
	}
	if sc, _ := h.store.Scores(testGuild); len(sc) != 1 {
		t.Fatalf("scores before confirming = %+v", sc)
	}
	clear := buttons(confirm.Data.Components)[0].CustomID
	if r := h.handle(&commands.Request{Kind: commands.KindComponent, CustomID: clear, User: commands.User{ID: "bob"}, GuildID: testGuild, ChannelID: testChannel}); !strings.Contains(content(r), "Manage Server") {
		t.Errorf("confirm by a member without permission = %q", content(r))
	}
	done := h.handle(&commands.Request{Kind: commands.KindComponent, CustomID: clear, User: commands.User{ID: "mod"},
		GuildID: testGuild, ChannelID: testChannel, Permissions: discordgo.PermissionManageServer})
	if done.Type != discordgo.InteractionResponseUpdateMessage || !strings.Contains(content(done), "1 player") {
		t.Errorf("confirmed reset = %v %q", done.Type, content(done))
	}
	if sc, _ := h.store.Scores(testGuild); len(sc) != 0 {
		t.Errorf("scores after reset = %+v", sc)
	}
	other := h.handle(&commands.Request{Kind: commands.KindComponent, CustomID: clear, User: commands.User{ID: "mod"},
		GuildID: "guild-2", ChannelID: "c2", Permissions: discordgo.PermissionManageServer})
	if !strings.Contains(content(other), "another server") {
		t.Errorf("another guild's reset button = %q", content(other))
	}
}

func TestEngine_DirectMessages(t *testing.T) {
	h := newHarness(t)
	dm := func(name, sub string, opts map[string]any) commands.Response {
		req := &commands.Request{Kind: commands.KindCommand, Name: name, Subcommand: sub, User: commands.User{ID: "ann"},
			ChannelID: "dm-1", Options: map[string]commands.Option{}}
		for k, v := range opts {
			req.Options[k] = commands.Option{Type: discordgo.ApplicationCommandOptionString, Value: v}
		}
		return h.set.Handle(t.Context(), req)
	}
	for _, sub := range []string{"start", "stop", "settings", "reset-scores"} {
		if r := dm("trivia", sub, nil); !isEphemeral(r) || !strings.Contains(content(r), "server") {
			t.Errorf("/trivia %s in a DM = %q", sub, content(r))
		}
	}
	if r := dm("leaderboard", "", map[string]any{"scope": "server"}); !isEphemeral(r) || !strings.Contains(content(r), "global") {
		t.Errorf("/leaderboard scope:server in a DM = %q", content(r))
	}
	if r := dm("leaderboard", "", nil); isEphemeral(r) || !strings.Contains(content(r), "all servers") {
		t.Errorf("/leaderboard in a DM = %q, want the global board", content(r))
	}
}

func TestEngine_BadInput(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name string
		resp func() commands.Response
		want string
	}{
		{"unknown film", func() commands.Response {
			return h.command("ann", "trivia", "start", 0, map[string]any{"film": "No Such Film"})
		}, "don't have a film called"},
		{"too many questions", func() commands.Response {
			return h.command("ann", "trivia", "start", 0, map[string]any{"questions": 51})
		}, "between 1 and 50"},
		{"too few seconds", func() commands.Response {
			return h.command("ann", "trivia", "start", 0, map[string]any{"seconds": 5})
		}, "between 10 and 60"},
		{"settings seconds", func() commands.Response {
			return h.command("mod", "trivia", "settings", discordgo.PermissionManageServer, map[string]any{"seconds": 61})
		}, "between 10 and 60"},
		{"mangled button", func() commands.Response { return h.click("ann", "trivia:ans:x") }, "not one of mine"},
		{"bad index", func() commands.Response { return h.click("ann", "trivia:ans:1:x:2") }, "not one of mine"},
		{"old game", func() commands.Response { return h.click("ann", "trivia:ans:zz:0:1") }, "over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.resp()
			if !isEphemeral(r) || !strings.Contains(content(r), tt.want) {
				t.Errorf("reply = %q, want an ephemeral containing %q", content(r), tt.want)
			}
		})
	}
	if games, _ := h.store.Games(); len(games) != 0 {
		t.Errorf("bad input started games: %+v", games)
	}
}

// /trivia start resolves and refuses film names exactly as /film does: the start of one
// title names that film, and an unknown name gets the same "did you mean" reply.
func TestEngine_FilmNamesAsCommands(t *testing.T) {
	h := newHarness(t)
	film := h.cat.Films[0]
	words := strings.Fields(film.Title)
	prefix := strings.ToLower(strings.Join(words[:min(2, len(words))], " "))
	if card := h.command("ann", "film", "", 0, map[string]any{"title": prefix}); len(card.Data.Embeds) != 1 {
		t.Fatalf("/film title:%q gave no card: %q", prefix, content(card))
	}
	typo := film.Title + "x"
	want := content(h.command("ann", "film", "", 0, map[string]any{"title": typo}))
	got := h.command("bob", "trivia", "start", 0, map[string]any{"film": typo})
	if !isEphemeral(got) || content(got) != want || !strings.Contains(want, "Did you mean") {
		t.Errorf("/trivia start film:%q = %q; /film says %q; want the same did-you-mean refusal", typo, content(got), want)
	}

	r := h.command("ann", "trivia", "start", 0, map[string]any{"film": prefix})
	if isEphemeral(r) || !strings.Contains(content(r), film.Title) {
		t.Fatalf("/trivia start film:%q = %q, want a game about %s", prefix, content(r), film.Title)
	}
}

func TestGame_FailedPostEndsGame(t *testing.T) {
	h := newHarness(t)
	h.command("ann", "trivia", "start", 0, nil)
	h.msgs.failSends = true
	h.clock.Advance(h.timing.Lead)
	if h.engine.game(testChannel) != nil {
		t.Error("game still running after its question could not be posted")
	}
	if games, err := h.store.Games(); err != nil || len(games) != 0 {
		t.Errorf("stored games = %+v, %v", games, err)
	}
}

func TestGame_UnstoredAnswerIsNotAcknowledged(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "closing.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOn(t, st)
	if _, err := st.Reseed(t.Context(), h.cat, nil); err != nil {
		t.Fatal(err)
	}
	h.command("ann", "trivia", "start", 0, nil)
	h.clock.Advance(h.timing.Lead)
	_, p := h.msgs.last()
	if err := st.Close(); err != nil { // every commit fails from now on
		t.Fatal(err)
	}
	r := h.answerRight("ann", p)
	if strings.Contains(content(r), "Locked in") || !strings.Contains(content(r), "Something went wrong") {
		t.Errorf("reply to an answer that could not be stored = %q", content(r))
	}
}

func TestEngine_AutocompleteFilm(t *testing.T) {
	h := newHarness(t)
	r := h.handle(&commands.Request{
		Kind: commands.KindAutocomplete, Name: "trivia", Subcommand: "start", Focused: "film", User: commands.User{ID: "ann"},
		Options: map[string]commands.Option{"film": {Type: discordgo.ApplicationCommandOptionString, Value: "comr"}},
	})
	if r.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(r.Data.Choices) != 1 ||
		r.Data.Choices[0].Value != "kim" || !strings.HasPrefix(r.Data.Choices[0].Name, "Comrade Kim Goes Flying") {
		t.Errorf("film suggestions for %q: %+v", "comr", r.Data)
	}
}

func TestEngine_NoMessengerNoGames(t *testing.T) {
	h := newHarness(t)
	e := New(Deps{Store: h.store})
	set := commands.New(commands.Deps{Store: h.store})
	e.Register(set)
	r := set.Handle(t.Context(), &commands.Request{Kind: commands.KindCommand, Name: "trivia", Subcommand: "start",
		GuildID: testGuild, ChannelID: testChannel, User: commands.User{ID: "ann"}})
	if !isEphemeral(r) || !strings.Contains(content(r), "not connected") {
		t.Errorf("start without a messenger = %q", content(r))
	}
	if games, _ := h.store.Games(); len(games) != 0 {
		t.Errorf("a game was stored: %+v", games)
	}
}

func TestGame_ForgedAnswers(t *testing.T) {
	h := newHarness(t)
	h.command("ann", "trivia", "start", 0, map[string]any{"film": "harbour"}) // buttons only
	h.clock.Advance(h.timing.Lead)
	_, p := h.msgs.last()
	game := strings.Split(buttons(p.components)[0].CustomID, ":")[2]
	for _, tt := range []struct {
		name string
		resp commands.Response
		want string
	}{
		{"choice out of range", h.click("ann", answerID(game, 0, 9)), "not one of mine"},
		{"typed answer to a button question", h.submit("ann", modalID(game, 0), "1998"), "not one of mine"},
		{"future question", h.click("ann", answerID(game, 1, 0)), "closed"},
	} {
		if !isEphemeral(tt.resp) || !strings.Contains(content(tt.resp), tt.want) {
			t.Errorf("%s: reply %q, want %q", tt.name, content(tt.resp), tt.want)
		}
	}
	if got, _ := h.store.Answers(""); len(got) != 0 {
		t.Errorf("forged answers were stored: %+v", got)
	}
	// The player can still answer properly.
	if r := h.answerRight("ann", p); !strings.HasPrefix(content(r), "Locked in") {
		t.Errorf("real answer after forged ones = %q", content(r))
	}
}
