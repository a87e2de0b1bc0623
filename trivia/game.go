package trivia

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
	"filmbot/seed"
	"filmbot/store"
)

// phase is where a game is between its timed steps.
type phase int

const (
	phaseLead      phase = iota // announced, first question not asked yet
	phaseAsking                 // a question is open for answers
	phaseRevealing              // a question closed, its reveal being written
	phaseBetween                // revealed, next question not asked yet
	phaseOver                   // finished; nothing more happens
)

// endReason is why a game ended. It is set once, where the game ends, and decides the
// words of the final message.
type endReason int

const (
	endNone        endReason = iota // still running
	endRanOut                       // every question was asked
	endStopped                      // someone ran /trivia stop
	endSilent                       // silentLimit questions in a row had no answer
	endPostFailed                   // a question could not be posted
	endInterrupted                  // the process shut down or restarted mid-game
)

// String names the reason for logs.
func (r endReason) String() string {
	switch r {
	case endNone:
		return "running"
	case endRanOut:
		return "ran out of questions"
	case endStopped:
		return "stopped"
	case endSilent:
		return "no answers"
	case endPostFailed:
		return "question not posted"
	case endInterrupted:
		return "interrupted"
	}
	return fmt.Sprintf("endReason(%d)", int(r))
}

// label names the reason in metrics.
func (r endReason) label() string {
	switch r {
	case endRanOut:
		return "finished"
	case endStopped:
		return "stopped"
	case endSilent:
		return "idle"
	case endPostFailed:
		return "not_posted"
	case endInterrupted:
		return "interrupted"
	}
	return "other"
}

// text is how the standings say why the game ended early; by is who stopped it.
func (r endReason) text(by string) string {
	switch r {
	case endStopped:
		return "stopped by <@" + by + ">"
	case endSilent:
		return fmt.Sprintf("stopped after %d questions in a row without answers", silentLimit)
	case endPostFailed:
		return "a question could not be posted"
	}
	return "" // a game that ran its course needs no reason; an interrupted one has no standings

}

// round is one question of a game with its buttons.
type round struct {
	q       seed.Question
	film    string   // the film's title, shown above the question
	choices []string // button labels; empty for a typed (hard) question
	right   int      // position of the answer in choices
}

// player is one person's part in a game.
type player struct {
	id       string
	joined   int // the question they first answered
	points   int
	right    int
	answered int
	// streak counts right answers in a row up to the last revealed question.
	streak int
}

// given is one answer to the current question.
type given struct {
	shown   string // the answer as the player gave it
	correct bool
	points  int
	after   time.Duration // since the question was asked
	acked   bool          // stored and acknowledged; false while the commit runs
}

// game is one running game. Its methods are called from interaction handlers and from
// timers at once; mu guards everything below it.
type game struct {
	e       *Engine
	rounds  []round
	seconds time.Duration
	hide    bool // keep answers out of reveals

	mu    sync.Mutex
	rec   store.GameRecord
	phase phase
	// step is bumped each time the next timed action is replaced, so a timer that fires
	// after being replaced does nothing.
	step     int
	timer    Timer
	cur      int  // the question asked (or last asked), -1 before the first
	posted   bool // the current question's message exists and rec.MessageID names it
	asked    time.Time
	deadline time.Time
	players  map[string]*player
	order    []string          // player IDs in the order they joined
	answers  map[string]*given // to the current question, by user
	present  int               // players who joined before the current question
	silent   int               // questions in a row nobody answered
	stopBy   string            // who asked to stop, when someone did
	ended    endReason         // why the game ended; endNone while it runs
	// pending counts answers to the current question whose commit is running; the
	// reveal waits for them, so it includes every answer that will be acknowledged.
	pending sync.WaitGroup
}

// schedule replaces the game's next timed action with f after d. f receives the step it
// was scheduled at and must ignore a stale call. Call with g.mu held.
func (g *game) schedule(d time.Duration, f func(step int)) {
	if g.timer != nil {
		g.timer.Stop()
	}
	g.step++
	step := g.step
	e := g.e
	g.timer = e.clock.AfterFunc(max(d, 0), func() {
		if !e.enter() {
			return
		}
		defer e.busy.Done()
		f(step)
	})
}

// halt cancels the next timed action for good (engine shutdown). The game stays stored,
// so the next process's Restore closes it.
func (g *game) halt() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.timer != nil {
		g.timer.Stop()
	}
	g.step++
	if g.phase != phaseOver {
		g.phase = phaseOver
		g.ended = endInterrupted
		g.e.rec.TriviaEnded(endInterrupted.label())
	}
}

// ask posts the next question.
func (g *game) ask(step int) {
	g.mu.Lock()
	if step != g.step || (g.phase != phaseLead && g.phase != phaseBetween) {
		g.mu.Unlock()
		return
	}
	g.cur++
	i := g.cur
	g.phase = phaseAsking
	g.posted = false
	g.answers = make(map[string]*given)
	g.present = len(g.players)
	g.asked = g.e.clock.Now()
	g.deadline = g.asked.Add(g.seconds)
	if g.seconds%time.Second == 0 { // players choose whole seconds; tests' short times stay exact
		g.deadline = wholeSecond(g.deadline)
	}
	msg := g.questionMessage(i)
	g.mu.Unlock()

	id, err := g.e.send(g.rec.Channel, msg)
	if err != nil {
		if g.e.isClosed() {
			return // shutting down: the game stays stored for Restore
		}
		g.e.log.Error("trivia: post question", "game", g.rec.ID, "channel", g.rec.Channel, "err", err)
		g.finish(endPostFailed)
		return
	}

	g.mu.Lock()
	if g.phase != phaseAsking || g.cur != i {
		g.mu.Unlock()
		return
	}
	g.posted = true
	g.rec.Index, g.rec.MessageID, g.rec.Deadline = i, id, g.deadline
	switch {
	case g.stopBy != "":
		g.schedule(0, g.reveal)
	case g.everyoneAnswered():
		g.schedule(g.earlyDelay(g.e.clock.Now()), g.reveal)
	default:
		g.schedule(g.deadline.Sub(g.e.clock.Now()), g.reveal)
	}
	rec := g.rec
	g.mu.Unlock()
	g.save(rec)
}

// save stores rec; a failure only matters to a later Restore, so it is logged.
func (g *game) save(rec store.GameRecord) {
	if err := g.e.guilds.SaveGame(rec); err != nil && !errors.Is(err, store.ErrNotFound) {
		g.e.log.Error("trivia: save game", "game", rec.ID, "err", err)
	}
}

// wholeSecond rounds t to the nearest whole second. A question's message shows its
// deadline as a Discord timestamp, which has whole seconds: rounding the deadline itself
// makes the shown time the real one, and the time left stays within half a second of what
// was chosen. Cutting the fraction off instead showed a 10-second question as "ends in
// 9 s" and closed it later than shown.
func wholeSecond(t time.Time) time.Time {
	return t.Round(time.Second)
}

// earlyDelay is how long after now a question that everyone has answered closes: Early
// (so the last "locked in" is seen first), no later than its deadline, and for the first
// question no sooner than Join after it was asked. Call with g.mu held.
func (g *game) earlyDelay(now time.Time) time.Duration {
	at := now.Add(g.e.timing.Early)
	if g.cur == 0 {
		at = later(at, g.asked.Add(g.e.timing.Join))
	}
	if at.After(g.deadline) {
		at = g.deadline
	}
	return at.Sub(now)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// everyoneAnswered reports whether every player of the current question has an
// acknowledged answer to it. From the second question on, the players are those who
// joined before it. Nobody has joined before the first, so its players are the one who
// started the game and everyone who has answered it (every answer acknowledged). Call
// with g.mu held.
func (g *game) everyoneAnswered() bool {
	if g.cur == 0 {
		if a := g.answers[g.rec.StartedBy]; a == nil || !a.acked {
			return false
		}
		for _, a := range g.answers {
			if !a.acked {
				return false
			}
		}
		return true
	}
	if g.present == 0 {
		return false
	}
	n := 0
	for id, a := range g.answers {
		if a.acked && g.players[id].joined < g.cur {
			n++
		}
	}
	return n >= g.present
}

// Errors answer returns for answers it refuses.
var (
	// errClosed is returned for a question that no longer takes answers.
	errClosed = errors.New("question closed")
	// errNoChoice is returned for a choice the question does not offer.
	errNoChoice = errors.New("no such choice")
)

// judge tells whether an answer to a round is right, and how to show it back to the
// player; it returns errNoChoice for an answer the round cannot take.
type judge func(r round) (correct bool, shown string, err error)

// pressed judges a click on button k.
func pressed(k int) judge {
	return func(r round) (bool, string, error) {
		if k < 0 || k >= len(r.choices) {
			return false, "", errNoChoice
		}
		return k == r.right, r.choices[k], nil
	}
}

// typed judges a typed answer.
func typed(text string) judge {
	return func(r round) (bool, string, error) {
		if len(r.choices) > 0 {
			return false, "", errNoChoice
		}
		return Match(text, r.q), text, nil
	}
}

// answer records user's answer to question q, judged by judge, and returns it once it is
// stored. It returns errClosed, errNoChoice, store.ErrAnswered, or a storage error.
func (g *game) answer(user string, q int, judge judge) (*given, error) {
	g.mu.Lock()
	if g.phase != phaseAsking || q != g.cur {
		g.mu.Unlock()
		return nil, errClosed
	}
	if _, ok := g.answers[user]; ok {
		g.mu.Unlock()
		return nil, store.ErrAnswered
	}
	r := g.rounds[q]
	correct, shown, err := judge(r)
	if err != nil {
		g.mu.Unlock()
		return nil, err
	}
	now := g.e.clock.Now()
	streak := 0
	if p := g.players[user]; p != nil {
		streak = p.streak
	}
	a := &given{shown: shown, correct: correct, after: now.Sub(g.asked)}
	a.points = points(a.correct, g.deadline.Sub(now), g.deadline.Sub(g.asked), streak)
	g.answers[user] = a
	g.pending.Add(1)
	defer g.pending.Done()
	rec := store.Answer{
		Guild: g.rec.Guild, Game: g.rec.ID, Question: q, QuestionID: r.q.ID, User: user,
		Correct: a.correct, Points: a.points, At: now,
	}
	if a.correct {
		rec.Streak = streak + 1
	}
	g.mu.Unlock()

	err = g.e.guilds.RecordAnswer(rec)

	g.mu.Lock()
	defer g.mu.Unlock()
	if err != nil {
		delete(g.answers, user)
		return nil, err
	}
	a.acked = true
	g.e.rec.TriviaAnswer(a.correct)
	p := g.players[user]
	if p == nil {
		p = &player{id: user, joined: q}
		g.players[user] = p
		g.order = append(g.order, user)
	}
	p.points += a.points
	p.answered++
	if a.correct {
		p.right++
	}
	// Each answer that completes the set moves the reveal to Early after it, so the last
	// "locked in" is seen first; on the first question a newcomer can complete it again.
	if g.phase == phaseAsking && g.cur == q && g.posted && g.stopBy == "" && g.everyoneAnswered() {
		g.schedule(g.earlyDelay(g.e.clock.Now()), g.reveal)
	}
	return a, nil
}

// reveal closes the current question and edits its message to show how it went.
func (g *game) reveal(step int) {
	g.mu.Lock()
	if step != g.step || g.phase != phaseAsking {
		g.mu.Unlock()
		return
	}
	g.phase = phaseRevealing
	i := g.cur
	g.mu.Unlock()

	// Answers already let in finish their commits; no new ones are let in.
	g.pending.Wait()

	g.mu.Lock()
	acked := 0
	for _, a := range g.answers {
		if a.acked {
			acked++
		}
	}
	for id, p := range g.players {
		if a := g.answers[id]; a != nil && a.acked && a.correct {
			p.streak++
		} else {
			p.streak = 0
		}
	}
	if acked == 0 {
		g.silent++
	} else {
		g.silent = 0
	}
	edit := g.revealMessage(i)
	msgID := g.rec.MessageID
	last := i+1 >= len(g.rounds)
	g.mu.Unlock()

	if err := g.e.edit(g.rec.Channel, msgID, edit); err != nil {
		g.e.log.Warn("trivia: reveal", "game", g.rec.ID, "channel", g.rec.Channel, "err", err)
	}

	g.mu.Lock()
	if g.phase != phaseRevealing {
		g.mu.Unlock()
		return
	}
	// The first that applies is the reason: a stop was asked for, the questions ran
	// out, or nobody has been answering.
	var why endReason
	switch {
	case g.stopBy != "":
		why = endStopped
	case last:
		why = endRanOut
	case g.silent >= silentLimit:
		why = endSilent
	default:
		g.phase = phaseBetween
		g.schedule(g.e.timing.Between, g.ask)
		g.mu.Unlock()
		return
	}
	g.mu.Unlock()
	g.finish(why)
}

// stop asks the game to end early on behalf of user: the open question is revealed, then
// the standings are posted. It reports false when the game is already ending.
func (g *game) stop(user string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.phase == phaseOver || g.stopBy != "" {
		return false
	}
	g.stopBy = user
	switch g.phase {
	case phaseLead, phaseBetween:
		g.schedule(0, func(step int) {
			g.mu.Lock()
			stale := step != g.step
			g.mu.Unlock()
			if !stale {
				g.finish(endStopped)
			}
		})
	case phaseAsking:
		if g.posted {
			g.schedule(0, g.reveal)
		}
		// Otherwise ask sees stopBy once the question is posted.
	}
	return true
}

// finish ends the game for the reason why: it is removed from the store and the engine,
// and the standings are posted.
func (g *game) finish(why endReason) {
	g.mu.Lock()
	if g.phase == phaseOver {
		g.mu.Unlock()
		return
	}
	g.phase = phaseOver
	g.ended = why
	g.e.rec.TriviaEnded(why.label())
	if g.timer != nil {
		g.timer.Stop()
	}
	g.step++
	msg := g.standingsMessage(why)
	g.mu.Unlock()

	if err := g.e.guilds.EndGame(g.rec.Channel, g.rec.ID, g.e.clock.Now()); err != nil {
		g.e.log.Error("trivia: end game", "game", g.rec.ID, "err", err)
	}
	g.e.removeGame(g)
	if _, err := g.e.send(g.rec.Channel, msg); err != nil {
		g.e.log.Warn("trivia: post standings", "game", g.rec.ID, "channel", g.rec.Channel, "err", err)
	}
	g.e.log.Info("trivia: game over", "game", g.rec.ID, "guild", g.rec.Guild, "players", len(g.players), "why", why.String())
}

// Custom IDs of a game's buttons and modal.
func answerID(game string, q, choice int) string {
	return fmt.Sprintf("trivia:ans:%s:%d:%d", game, q, choice)
}

func typeID(game string, q int) string  { return fmt.Sprintf("trivia:type:%s:%d", game, q) }
func modalID(game string, q int) string { return fmt.Sprintf("trivia:modal:%s:%d", game, q) }

// header is the first line of a question's message.
func (g *game) header(i int) string {
	h := fmt.Sprintf("**Question %d of %d**", i+1, len(g.rounds))
	if f := g.rounds[i].film; f != "" {
		h += " · *" + f + "*"
	}
	return h
}

// questionMessage is question i as first posted. Call with g.mu held.
func (g *game) questionMessage(i int) *discordgo.MessageSend {
	r := g.rounds[i]
	var b strings.Builder
	fmt.Fprintf(&b, "%s · ends <t:%d:R>\n%s", g.header(i), g.deadline.Unix(), r.q.Prompt)
	if len(r.choices) == 0 {
		b.WriteString("\n*Type your answer; small typos are forgiven.*")
	}
	return &discordgo.MessageSend{
		Content:    commands.Truncate(b.String(), commands.MaxContent),
		Components: g.buttons(i, false),
	}
}

// buttons returns question i's button row; closed disables it and, unless answers are
// hidden, marks the right answer green.
func (g *game) buttons(i int, closed bool) []discordgo.MessageComponent {
	r := g.rounds[i]
	var row []discordgo.MessageComponent
	if len(r.choices) == 0 {
		row = append(row, discordgo.Button{
			Label: "Type your answer", Style: discordgo.PrimaryButton,
			CustomID: typeID(g.rec.ID, i), Disabled: closed,
		})
	}
	for k, c := range r.choices {
		style := discordgo.PrimaryButton
		if closed {
			style = discordgo.SecondaryButton
			if k == r.right && !g.hide {
				style = discordgo.SuccessButton
			}
		}
		row = append(row, discordgo.Button{
			Label: commands.Truncate(c, commands.MaxButtonLabel), Style: style,
			CustomID: answerID(g.rec.ID, i, k), Disabled: closed,
		})
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
}

// revealMessage is question i's message once closed. Call with g.mu held.
func (g *game) revealMessage(i int) *discordgo.MessageEdit {
	r := g.rounds[i]
	var b strings.Builder
	fmt.Fprintf(&b, "%s · closed\n%s\n", g.header(i), r.q.Prompt)
	type hit struct {
		user string
		a    *given
	}
	var right []hit
	acked := 0
	for _, id := range g.order {
		if a := g.answers[id]; a != nil && a.acked {
			acked++
			if a.correct {
				right = append(right, hit{id, a})
			}
		}
	}
	switch {
	case acked == 0:
		if !g.hide {
			fmt.Fprintf(&b, "Answer: **%s**\n", r.q.Answer)
		}
		b.WriteString("Nobody answered.")
	case g.hide:
		fmt.Fprintf(&b, "%s in.", plural(acked, "answer"))
	default:
		fmt.Fprintf(&b, "Answer: **%s**\n", r.q.Answer)
		if len(right) == 0 {
			fmt.Fprintf(&b, "Nobody got it (%s).", plural(acked, "answer"))
			break
		}
		slices.SortStableFunc(right, func(x, y hit) int { return cmp.Compare(x.a.after, y.a.after) })
		fmt.Fprintf(&b, "Right (%d of %d):", len(right), acked)
		for k, h := range right {
			if k == 20 {
				fmt.Fprintf(&b, " and %d more", len(right)-k)
				break
			}
			fmt.Fprintf(&b, " <@%s> +%d", h.user, h.a.points)
		}
		fmt.Fprintf(&b, "\nFastest: <@%s> in %s s", right[0].user, strconv.FormatFloat(right[0].a.after.Seconds(), 'f', 1, 64))
	}
	content := commands.Truncate(b.String(), commands.MaxContent)
	comps := g.buttons(i, true)
	return &discordgo.MessageEdit{Content: &content, Components: &comps}
}

// standingsMessage is the game's final message, for a game that ended for the reason
// why. Call with g.mu held.
func (g *game) standingsMessage(why endReason) *discordgo.MessageSend {
	var b strings.Builder
	asked := max(g.cur+1, 0)
	if why == endRanOut {
		fmt.Fprintf(&b, "**Trivia over** after %s.\n", plural(asked, "question"))
	} else {
		fmt.Fprintf(&b, "**Trivia over**: %s, after %s of %d.\n", why.text(g.stopBy), plural(asked, "question"), len(g.rounds))
	}
	ps := make([]*player, 0, len(g.players))
	for _, id := range g.order {
		ps = append(ps, g.players[id])
	}
	slices.SortStableFunc(ps, func(x, y *player) int { return y.points - x.points })
	if len(ps) == 0 {
		b.WriteString("Nobody played.")
	}
	rank := 0
	for k, p := range ps {
		if k == 20 {
			fmt.Fprintf(&b, "…and %d more.\n", len(ps)-k)
			break
		}
		if k == 0 || p.points != ps[k-1].points {
			rank = k + 1
		}
		fmt.Fprintf(&b, "%d. <@%s> · %s · %d of %d right\n", rank, p.id, plural(p.points, "point"), p.right, p.answered)
	}
	return &discordgo.MessageSend{Content: commands.Truncate(strings.TrimRight(b.String(), "\n"), commands.MaxContent)}
}

// plural writes n with its noun, adding "s" unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
