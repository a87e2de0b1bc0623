package trivia

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
	"filmbot/knowledge"
	"filmbot/store"
)

// Messenger posts and edits channel messages outside an interaction: questions, reveals
// and standings are sent from timers, long after the /trivia start token could be used.
// bot.Messenger implements it.
type Messenger interface {
	Send(ctx context.Context, channelID string, m *discordgo.MessageSend) (string, error)
	Edit(ctx context.Context, channelID, messageID string, m *discordgo.MessageEdit) error
}

// Timing is how long a game waits between its steps.
type Timing struct {
	// Lead is the pause between the start announcement and the first question. The
	// announcement is the interaction's reply, which the bot sends only after the handler
	// returns, while questions are channel messages sent from a timer: a short lead keeps
	// the announcement above the first question in the channel.
	Lead time.Duration
	// Between is the pause between a reveal and the next question.
	Between time.Duration
	// Early is the pause before revealing a question that every player already in the
	// game has answered, so the last "locked in" is seen before the reveal.
	Early time.Duration
	// Join is how long the first question stays open at the least. Nobody has joined
	// before it, so its players are whoever started the game and whoever answered it;
	// once they all have, it closes Early later, but not before Join has passed, so
	// others in the channel get a fair chance to join. The console, with one player,
	// sets it to 0.
	Join time.Duration
	// Question, when not zero, replaces the time per question that players choose (10 s
	// at the least). Only tests set it.
	Question time.Duration
}

// DefaultTiming is the timing of a live game.
func DefaultTiming() Timing {
	return Timing{Lead: time.Second, Between: 4 * time.Second, Early: time.Second, Join: 5 * time.Second}
}

// Deps is what the engine needs.
type Deps struct {
	// Store holds the knowledge the questions come from.
	Store *store.Store
	// Knowledge resolves films and holds the quiz bank; nil means the service of the
	// command set Register adds trivia to, so the two never keep two copies.
	Knowledge *knowledge.Service
	// Guilds holds scores, settings and games; nil means Store's own (one process, bbolt).
	Guilds store.GuildStore
	// Owns reports whether this process runs guild's shard, so that Restore closes only
	// its own interrupted games when several processes share Guilds; nil means every guild.
	Owns      func(guild string) bool
	Messenger Messenger
	// Clock runs question timers; nil means RealClock.
	Clock  Clock
	Logger *slog.Logger
	// Owners are the bot owners' user IDs; they may stop any game.
	Owners []string
	// Rand shuffles questions and choices; nil means a randomly seeded source.
	Rand *rand.Rand
	// Timing, when not nil, replaces DefaultTiming.
	Timing *Timing
	// SendTimeout bounds each message sent or edited from a timer; 0 means 10 seconds.
	SendTimeout time.Duration
	// Metrics counts games and answers; nil records nothing.
	Metrics Recorder
}

// Recorder receives games and answers for the operator's metrics; *metrics.Metrics is
// one.
type Recorder interface {
	TriviaStarted()
	// TriviaEnded records why a game ended: finished, stopped, idle, not_posted or
	// interrupted.
	TriviaEnded(reason string)
	TriviaAnswer(correct bool)
}

// noRecorder records nothing.
type noRecorder struct{}

func (noRecorder) TriviaStarted()     {}
func (noRecorder) TriviaEnded(string) {}
func (noRecorder) TriviaAnswer(bool)  {}

// Game settings and their limits, as /trivia start and /trivia settings offer them.
const (
	minQuestions     = 1
	maxQuestions     = 50
	defaultQuestions = 10
	minSeconds       = 10
	maxSeconds       = 60
	defaultSeconds   = 20
	// silentLimit ends a game after this many questions in a row that nobody answered.
	silentLimit = 2
)

// interruptedText replaces the last message of a game that a restart cut short
// (endInterrupted): such a game posts no standings.
const interruptedText = "This game was interrupted by a restart; scores are kept."

// Engine runs every trivia game of one bot process. It is safe for concurrent use.
type Engine struct {
	store   *store.Store
	guilds  store.GuildStore
	owns    func(guild string) bool
	msgr    Messenger
	clock   Clock
	log     *slog.Logger
	owners  map[string]bool
	timing  Timing
	sendTTL time.Duration
	rec     Recorder

	randMu sync.Mutex
	rand   *rand.Rand

	know *knowledge.Service

	// ctx bounds every message sent from a timer; Close cancels it.
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	games  map[string]*game // by channel ID
	closed bool
	// busy counts timer actions running; Close waits for them. Add only with mu held
	// and closed false, so no Add can race Close's Wait.
	busy sync.WaitGroup
}

// New returns an engine with no games running. Call Restore before taking interactions.
func New(deps Deps) *Engine {
	e := &Engine{
		store:   deps.Store,
		know:    deps.Knowledge,
		guilds:  deps.Guilds,
		owns:    deps.Owns,
		msgr:    deps.Messenger,
		clock:   deps.Clock,
		log:     deps.Logger,
		owners:  make(map[string]bool),
		timing:  DefaultTiming(),
		sendTTL: deps.SendTimeout,
		rec:     deps.Metrics,
		rand:    deps.Rand,
		games:   make(map[string]*game),
	}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	if e.guilds == nil && deps.Store != nil {
		e.guilds = deps.Store
	}
	if e.clock == nil {
		e.clock = RealClock{}
	}
	if e.rec == nil {
		e.rec = noRecorder{}
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if deps.Timing != nil {
		e.timing = *deps.Timing
	}
	if e.sendTTL <= 0 {
		e.sendTTL = 10 * time.Second
	}
	if e.rand == nil {
		e.rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	for _, o := range deps.Owners {
		e.owners[o] = true
	}
	return e
}

// Register adds /trivia and /leaderboard to set, with /trivia's suggestions, buttons and
// modal, and the scoring rules to /help.
func (e *Engine) Register(set *commands.Set) {
	if e.know == nil {
		e.know = set.Knowledge()
	}
	set.Register("trivia", triviaDef, false, commands.HandlerFunc(e.handleTrivia))
	set.Autocomplete("trivia", commands.HandlerFunc(e.suggest))
	set.Component(resetCancelPattern, commands.HandlerFunc(e.cancelReset))
	set.Component(resetPattern, commands.HandlerFunc(e.confirmReset))
	set.Component(answerPattern, commands.HandlerFunc(e.pressAnswer))
	set.Component(typePattern, commands.HandlerFunc(e.pressType))
	set.Component(otherPattern, commands.HandlerFunc(e.notMine))
	set.Modal(modalPattern, commands.HandlerFunc(e.submitTyped))
	set.Modal(otherPattern, commands.HandlerFunc(e.notMine))
	set.Register("leaderboard", leaderboardDef, false, commands.HandlerFunc(e.handleLeaderboard))
	set.AddHelp(commands.HelpSection{Title: "Trivia scoring", Text: ScoringHelp})
}

// Restore closes the games a previous process left running: each one's last message is
// edited to say the game was interrupted, and the game is removed. Call it at start,
// before the bot takes interactions; games this engine runs are left alone. Points of every
// acknowledged answer were stored with the answer and stay. It returns how many games it
// closed.
func (e *Engine) Restore(ctx context.Context) (int, error) {
	recs, err := e.guilds.Games()
	if err != nil {
		return 0, fmt.Errorf("trivia restore: %w", err)
	}
	n := 0
	var errs []error
	for _, rec := range recs {
		if g := e.game(rec.Channel); g != nil && g.rec.ID == rec.ID {
			continue // started by this process: not interrupted
		}
		if e.owns != nil && !e.owns(rec.Guild) {
			continue // another process's guild: its game may be running there
		}
		if rec.MessageID != "" && e.msgr != nil {
			edit := &discordgo.MessageEdit{
				Content:         ptr(interruptedText),
				Components:      &[]discordgo.MessageComponent{},
				AllowedMentions: commands.NoMentions(),
			}
			sctx, cancel := context.WithTimeout(ctx, e.sendTTL)
			if err := e.msgr.Edit(sctx, rec.Channel, rec.MessageID, edit); err != nil {
				// The message may be gone; the game is closed all the same.
				e.log.Warn("trivia: edit interrupted game message", "game", rec.ID, "channel", rec.Channel, "err", err)
			}
			cancel()
		}
		if err := e.guilds.EndGame(rec.Channel, rec.ID, e.clock.Now()); err != nil {
			errs = append(errs, fmt.Errorf("trivia restore: end game %s: %w", rec.ID, err))
			continue
		}
		e.log.Info("trivia: closed interrupted game", "game", rec.ID, "guild", rec.Guild, "channel", rec.Channel)
		n++
	}
	return n, errors.Join(errs...)
}

// Close stops the engine before the bot's session goes: it refuses new games and
// answers, stops every game's timers, cancels messages being sent from them, and returns
// once no timer action is running, so nothing posts to Discord after it. Games stay
// stored, so the next process's Restore closes them. It is safe to call more than once.
func (e *Engine) Close() {
	e.mu.Lock()
	e.closed = true
	games := make([]*game, 0, len(e.games))
	for _, g := range e.games {
		games = append(games, g)
	}
	e.mu.Unlock()
	e.cancel()
	for _, g := range games {
		g.halt()
	}
	e.busy.Wait()
}

// enter marks the start of a timer action; it reports false once the engine is closed,
// and the action must not run. Each true must be matched by a call to e.busy.Done.
func (e *Engine) enter() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return false
	}
	e.busy.Add(1)
	return true
}

// isClosed reports whether Close has been called.
func (e *Engine) isClosed() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.closed
}

// game returns the game running in channel, or nil.
func (e *Engine) game(channel string) *game {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.games[channel]
}

// removeGame forgets g if it is still its channel's game.
func (e *Engine) removeGame(g *game) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.games[g.rec.Channel] == g {
		delete(e.games, g.rec.Channel)
	}
}

// send posts a message from a timer, with its own deadline.
func (e *Engine) send(channel string, m *discordgo.MessageSend) (string, error) {
	ctx, cancel := context.WithTimeout(e.ctx, e.sendTTL)
	defer cancel()
	m.AllowedMentions = commands.NoMentions()
	return e.msgr.Send(ctx, channel, m)
}

// edit changes a message from a timer, with its own deadline.
func (e *Engine) edit(channel, message string, m *discordgo.MessageEdit) error {
	ctx, cancel := context.WithTimeout(e.ctx, e.sendTTL)
	defer cancel()
	m.AllowedMentions = commands.NoMentions()
	return e.msgr.Edit(ctx, channel, message, m)
}

func ptr[T any](v T) *T { return &v }
