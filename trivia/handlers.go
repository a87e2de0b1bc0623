package trivia

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
	"filmbot/store"
)

// filmMax caps the film option, as titles do.
const filmMax = 100

var (
	minQ, minS = float64(minQuestions), float64(minSeconds)

	notInDMs  = false
	triviaDef = &discordgo.ApplicationCommand{
		Name:        "trivia",
		Description: "Play a film quiz in this channel",
		// Games and scores belong to a server: keep the commands out of DMs.
		DMPermission: &notInDMs,
		Options: []*discordgo.ApplicationCommandOption{
			{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "start",
				Description: "Start a game in this channel",
				Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "film", Description: "Only ask about this film", Autocomplete: true, MaxLength: filmMax},
					{Type: discordgo.ApplicationCommandOptionString, Name: "genre", Description: "Only ask about films of this genre", Autocomplete: true, MaxLength: filmMax},
					{Type: discordgo.ApplicationCommandOptionString, Name: "decade", Description: "Only ask about films of this decade, like 1950s", Autocomplete: true, MaxLength: 10},
					{Type: discordgo.ApplicationCommandOptionInteger, Name: "questions", Description: "How many questions (1-50)", MinValue: &minQ, MaxValue: maxQuestions},
					{Type: discordgo.ApplicationCommandOptionInteger, Name: "seconds", Description: "Seconds per question (10-60)", MinValue: &minS, MaxValue: maxSeconds},
				},
			},
			{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "stop",
				Description: "Stop this channel's game (its starter or Manage Server)",
			},
			{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "settings",
				Description: "Show or change this server's trivia defaults",
				Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionInteger, Name: "seconds", Description: "Default seconds per question (10-60)", MinValue: &minS, MaxValue: maxSeconds},
					{Type: discordgo.ApplicationCommandOptionInteger, Name: "questions", Description: "Default questions per game (1-50)", MinValue: &minQ, MaxValue: maxQuestions},
					{Type: discordgo.ApplicationCommandOptionBoolean, Name: "reveal", Description: "Show the right answer after each question"},
				},
			},
			{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "reset-scores",
				Description: "Clear this server's leaderboard (Manage Server)",
			},
		},
	}

	leaderboardDef = &discordgo.ApplicationCommand{
		Name:         "leaderboard",
		Description:  "Top trivia players",
		DMPermission: &notInDMs,
		Options: []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionString, Name: "scope", Description: "This server or all servers",
			Choices: []*discordgo.ApplicationCommandOptionChoice{
				{Name: "server", Value: "server"}, {Name: "global", Value: "global"},
			},
		}},
	}
)

// Replies the handlers give; kept here so each is worded once.
const (
	dmText          = "Trivia is played in servers: run this in a server channel."
	noGameText      = "There is no trivia game running in this channel."
	gameOverText    = "This game is over."
	notMineText     = "That button is not one of mine."
	closedText      = "Too late: that question is closed."
	answeredText    = "You already answered this question."
	notAllowedStop  = "Only the player who started the game, a member with Manage Server, or the bot's owner can stop it."
	needManageGuild = "You need the Manage Server permission for that."
	shuttingDown    = "filmbot is restarting; try again in a minute."
	leaderboardSize = 10
)

// Errors for option values outside their limits; each is returned joined with the
// *commands.UserError the player sees, so callers and tests can tell them apart.
var (
	// errQuestionsRange is returned when questions is given outside 1–50 (0 included).
	errQuestionsRange = errors.New("questions out of range")
	// errSecondsRange is returned when seconds is given outside 10–60 (0 included).
	errSecondsRange = errors.New("seconds out of range")
)

// intOption returns the integer option name of req and whether it was given at all. A
// given value is checked against the option's limits, whatever it is: 0 typed by the
// player is out of range, not "use the default", which only an absent option means.
func intOption(req *commands.Request, name string) (v int, given bool, err error) {
	o, ok := req.Options[name]
	if !ok {
		return 0, false, nil
	}
	v = int(o.Int())
	switch name {
	case "questions":
		if v < minQuestions || v > maxQuestions {
			return 0, true, fmt.Errorf("%w: %w", errQuestionsRange,
				commands.Userf("Pick between %d and %d questions.", minQuestions, maxQuestions))
		}
	case "seconds":
		if v < minSeconds || v > maxSeconds {
			return 0, true, fmt.Errorf("%w: %w", errSecondsRange,
				commands.Userf("Pick between %d and %d seconds per question.", minSeconds, maxSeconds))
		}
	}
	return v, true, nil
}

// suggest answers autocomplete for /trivia start's options. Handle lets through only
// options that suggest: film, genre and decade.
func (e *Engine) suggest(ctx context.Context, req *commands.Request) (commands.Response, error) {
	switch req.Focused {
	case "genre", "decade":
		return e.suggestTopic(ctx, req.Focused, req.Options[req.Focused].String())
	}
	return commands.SuggestFilms(ctx, e.know, req.Options[req.Focused].String())
}

// handleTrivia serves /trivia's subcommands.
func (e *Engine) handleTrivia(ctx context.Context, req *commands.Request) (commands.Response, error) {
	if req.GuildID == "" {
		return commands.Response{}, refuse(dmText)
	}
	switch req.Subcommand {
	case "start":
		return e.start(ctx, req)
	case "stop":
		return e.stopCmd(req)
	case "settings":
		return e.settings(req)
	case "reset-scores":
		return e.resetScores(req)
	}
	return commands.Response{}, commands.Userf("/trivia has no subcommand %q.", commands.Truncate(req.Subcommand, 32))
}

// canManage reports whether the member may change the server's trivia: Manage Server,
// or Administrator, which implies everything.
func canManage(req *commands.Request) bool {
	return req.Permissions&(discordgo.PermissionManageServer|discordgo.PermissionAdministrator) != 0
}

// start begins a game in the request's channel.
func (e *Engine) start(ctx context.Context, req *commands.Request) (commands.Response, error) {
	e.mu.Lock()
	closed, running := e.closed, e.games[req.ChannelID] != nil
	e.mu.Unlock()
	if closed {
		return commands.Response{}, refuse(shuttingDown)
	}
	if e.msgr == nil {
		return commands.Response{}, refuse("Trivia games are played on Discord; this copy of filmbot is not connected.")
	}
	if running {
		return commands.Response{}, refuse("A game is already running in this channel; `/trivia stop` ends it.")
	}
	n, hasN, err := intOption(req, "questions")
	if err != nil {
		return commands.Response{}, err
	}
	secs, hasSecs, err := intOption(req, "seconds")
	if err != nil {
		return commands.Response{}, err
	}
	set, err := e.guilds.TriviaSettings(req.GuildID)
	if err != nil {
		return commands.Response{}, err
	}
	// Absent options take the server's defaults, then the built-in ones; a stored
	// default outside today's limits is ignored rather than refused.
	if !hasN {
		n = defaultQuestions
		if set.Questions >= minQuestions && set.Questions <= maxQuestions {
			n = set.Questions
		}
	}
	if !hasSecs {
		secs = defaultSeconds
		if set.Seconds >= minSeconds && set.Seconds <= maxSeconds {
			secs = set.Seconds
		}
	}
	filmID, filmTitle := "", ""
	if name := req.Options["film"].String(); strings.TrimSpace(name) != "" {
		f, err := commands.FindFilm(ctx, e.know, name)
		if err != nil {
			return commands.Response{}, err
		}
		filmID, filmTitle = f.ID, f.Title
	}

	k, err := e.know.Current(ctx)
	if err != nil {
		return commands.Response{}, err
	}
	b := k.Quiz()
	topic, about, err := readTopic(b, req, filmID, filmTitle)
	if err != nil {
		return commands.Response{}, err
	}
	recent, err := e.guilds.RecentQuestions(req.ChannelID)
	if err != nil {
		return commands.Response{}, err
	}
	e.randMu.Lock()
	qs := b.PickTopic(topic, n, recent, e.rand)
	rounds := make([]round, len(qs))
	for i, q := range qs {
		rounds[i] = round{q: q, film: b.FilmTitle(q.Film)}
		if filmID != "" {
			rounds[i].film = "" // the announcement names it once
		}
		if !q.Hard {
			rounds[i].choices, rounds[i].right = b.Choices(q, e.rand)
		}
	}
	e.randMu.Unlock()
	if len(rounds) == 0 {
		if about != "" {
			return commands.Response{}, commands.Userf("I have no questions about %s yet.", about)
		}
		return commands.Response{}, commands.Userf("I have no quiz questions yet.")
	}

	ids := make([]string, len(rounds))
	for i, r := range rounds {
		ids[i] = r.q.ID
	}
	rec, err := e.guilds.StartGame(store.GameRecord{
		Guild: req.GuildID, Channel: req.ChannelID, StartedBy: req.User.ID, Film: filmID,
		Questions: ids, StartedAt: e.clock.Now(), Index: -1,
	})
	if errors.Is(err, store.ErrGameRunning) {
		return commands.Response{}, refuse("A game is already running in this channel; `/trivia stop` ends it.")
	}
	if err != nil {
		return commands.Response{}, err
	}
	seconds := e.timing.Question
	if seconds <= 0 {
		seconds = secondsDuration(secs)
	}
	g := &game{
		e: e, rounds: rounds, seconds: seconds, hide: set.HideAnswers,
		rec: rec, phase: phaseLead, cur: -1,
		players: make(map[string]*player), answers: make(map[string]*given),
	}
	e.mu.Lock()
	if e.closed || e.games[req.ChannelID] != nil {
		e.mu.Unlock()
		_ = e.guilds.EndGame(rec.Channel, rec.ID, e.clock.Now())
		return commands.Response{}, refuse("A game is already running in this channel; `/trivia stop` ends it.")
	}
	e.games[req.ChannelID] = g
	e.rec.TriviaStarted()
	g.mu.Lock()
	g.schedule(e.timing.Lead, g.ask)
	g.mu.Unlock()
	e.mu.Unlock()
	e.log.Info("trivia: game started", "game", rec.ID, "guild", rec.Guild, "channel", rec.Channel, "questions", len(rounds))

	switch {
	case filmTitle != "" && topic.Genre == "" && topic.Decade == 0:
		about = "*" + filmTitle + "*"
	case about == "":
		about = "films"
	}
	// The starter goes at the end: the console shows a mention of its own user as "you",
	// which must not open a sentence.
	text := fmt.Sprintf("**Trivia!** %s about %s, %d seconds each, started by <@%s>. "+
		"Click an answer below each question; you get one try per question.", plural(len(rounds), "question"), about, secs, req.User.ID)
	if len(rounds) < n {
		text += fmt.Sprintf(" (I only have %d.)", len(rounds))
	}
	return public(text), nil
}

func firstSet(vs ...int) int {
	for _, v := range vs {
		if v != 0 {
			return v
		}
	}
	return 0
}

// stopCmd ends the channel's game early.
func (e *Engine) stopCmd(req *commands.Request) (commands.Response, error) {
	g := e.game(req.ChannelID)
	if g == nil {
		return commands.Response{}, refuse(noGameText)
	}
	if req.User.ID != g.rec.StartedBy && !canManage(req) && !e.owners[req.User.ID] {
		return commands.Response{}, refuse(notAllowedStop)
	}
	if !g.stop(req.User.ID) {
		return commands.Response{}, refuse("This game is already ending.")
	}
	return public(fmt.Sprintf("<@%s> stopped the game; standings follow.", req.User.ID)), nil
}

// settings shows the server's defaults, or changes them.
func (e *Engine) settings(req *commands.Request) (commands.Response, error) {
	cur, err := e.guilds.TriviaSettings(req.GuildID)
	if err != nil {
		return commands.Response{}, err
	}
	_, hasSecs := req.Options["seconds"]
	_, hasQs := req.Options["questions"]
	reveal, hasReveal := req.Options["reveal"]
	changing := hasSecs || hasQs || hasReveal
	if changing {
		if !canManage(req) {
			return commands.Response{}, refuse(needManageGuild)
		}
		secs, _, err := intOption(req, "seconds")
		if err != nil {
			return commands.Response{}, err
		}
		qs, _, err := intOption(req, "questions")
		if err != nil {
			return commands.Response{}, err
		}
		if hasSecs {
			cur.Seconds = secs
		}
		if hasQs {
			cur.Questions = qs
		}
		if hasReveal {
			cur.HideAnswers = !reveal.Bool()
		}
		if err := e.guilds.SaveTriviaSettings(req.GuildID, cur); err != nil {
			return commands.Response{}, err
		}
	}
	onOff := "on"
	if cur.HideAnswers {
		onOff = "off"
	}
	text := fmt.Sprintf("Trivia settings for this server: %d seconds per question, %s per game, reveal %s.",
		firstSet(cur.Seconds, defaultSeconds), plural(firstSet(cur.Questions, defaultQuestions), "question"), onOff)
	if changing {
		text = "Saved. " + text
	} else if canManage(req) {
		text += " Change them with `/trivia settings seconds: questions: reveal:`."
	}
	return ephemeral(text), nil
}

// resetScores asks for confirmation before clearing the server's leaderboard.
func (e *Engine) resetScores(req *commands.Request) (commands.Response, error) {
	if !canManage(req) {
		return commands.Response{}, refuse(needManageGuild)
	}
	return commands.Response{InteractionResponse: &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content: "Clear every trivia score in this server? This cannot be undone.",
			Flags:   discordgo.MessageFlagsEphemeral,
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "Clear scores", Style: discordgo.DangerButton, CustomID: "trivia:reset:" + req.GuildID},
				discordgo.Button{Label: "Cancel", Style: discordgo.SecondaryButton, CustomID: "trivia:reset-cancel"},
			}}},
		},
	}}, nil
}

// The custom IDs of trivia's buttons and modal (answerID, typeID and modalID build the
// game's), as routed to their handlers by Register.
const (
	resetCancelPattern = "trivia:reset-cancel"
	resetPattern       = "trivia:reset:{guild}"
	answerPattern      = "trivia:ans:{game}:{question}:{choice}"
	typePattern        = "trivia:type:{game}:{question}"
	modalPattern       = "trivia:modal:{game}:{question}"
	// otherPattern catches any other trivia custom ID, so a mangled one is told apart
	// from a button of a command filmbot no longer has.
	otherPattern = "trivia:{rest...}"
)

// cancelReset answers the reset confirmation's Cancel button.
func (e *Engine) cancelReset(ctx context.Context, req *commands.Request) (commands.Response, error) {
	return update("Cancelled: the scores stay."), nil
}

// confirmReset answers the reset confirmation's Clear button: the server's scores go.
func (e *Engine) confirmReset(ctx context.Context, req *commands.Request) (commands.Response, error) {
	if req.Params["guild"] != req.GuildID || req.GuildID == "" {
		return commands.Response{}, refuse("That button belongs to another server.")
	}
	if !canManage(req) {
		return commands.Response{}, refuse(needManageGuild)
	}
	n, err := e.guilds.ResetScores(req.GuildID)
	if err != nil {
		return commands.Response{}, err
	}
	e.log.Info("trivia: scores reset", "guild", req.GuildID, "by", req.User.ID, "players", n)
	return update(fmt.Sprintf("Cleared the trivia scores of %s.", plural(n, "player"))), nil
}

// notMine refuses a trivia custom ID no route takes.
func (e *Engine) notMine(ctx context.Context, req *commands.Request) (commands.Response, error) {
	return commands.Response{}, refuse(notMineText)
}

// gameQuestion returns the running game and question a game button or modal names.
func (e *Engine) gameQuestion(req *commands.Request) (*game, int, error) {
	q, err := strconv.Atoi(req.Params["question"])
	if err != nil || q < 0 {
		return nil, 0, refuse(notMineText)
	}
	g := e.game(req.ChannelID)
	if g == nil || g.rec.ID != req.Params["game"] {
		return nil, 0, refuse(gameOverText)
	}
	return g, q, nil
}

// pressAnswer answers a choice button: the choice is locked in.
func (e *Engine) pressAnswer(ctx context.Context, req *commands.Request) (commands.Response, error) {
	g, q, err := e.gameQuestion(req)
	if err != nil {
		return commands.Response{}, err
	}
	choice, err := strconv.Atoi(req.Params["choice"])
	if err != nil {
		return commands.Response{}, refuse(notMineText)
	}
	return e.lockIn(g, req, q, pressed(choice))
}

// pressType answers the "Type your answer" button with the answer modal.
func (e *Engine) pressType(ctx context.Context, req *commands.Request) (commands.Response, error) {
	g, q, err := e.gameQuestion(req)
	if err != nil {
		return commands.Response{}, err
	}
	return e.openModal(g, q)
}

// submitTyped answers the submitted modal: the typed answer is locked in.
func (e *Engine) submitTyped(ctx context.Context, req *commands.Request) (commands.Response, error) {
	g, q, err := e.gameQuestion(req)
	if err != nil {
		return commands.Response{}, err
	}
	text := strings.TrimSpace(req.Values["answer"])
	if text == "" {
		return commands.Response{}, refuse("That answer was empty; nothing was recorded.")
	}
	return e.lockIn(g, req, q, typed(text))
}

// lockIn records the answer and acknowledges it only once it is stored.
func (e *Engine) lockIn(g *game, req *commands.Request, q int, judge judge) (commands.Response, error) {
	a, err := g.answer(req.User.ID, q, judge)
	switch {
	case errors.Is(err, errClosed) && e.isClosed():
		return commands.Response{}, refuse(shuttingDown)
	case errors.Is(err, errClosed):
		return commands.Response{}, refuse(closedText)
	case errors.Is(err, errNoChoice):
		return commands.Response{}, refuse(notMineText)
	case errors.Is(err, store.ErrAnswered):
		return commands.Response{}, refuse(answeredText)
	case err != nil:
		return commands.Response{}, fmt.Errorf("record answer: %w", err)
	}
	return ephemeral(fmt.Sprintf("Locked in: **%s**.", commands.Truncate(a.shown, 200))), nil
}

// openModal answers the "Type your answer" button with a one-field form.
func (e *Engine) openModal(g *game, q int) (commands.Response, error) {
	g.mu.Lock()
	open := g.phase == phaseAsking && g.cur == q
	g.mu.Unlock()
	if !open {
		return commands.Response{}, refuse(closedText)
	}
	return commands.Response{InteractionResponse: &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{
			CustomID: modalID(g.rec.ID, q),
			Title:    fmt.Sprintf("Question %d", q+1),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.TextInput{
					CustomID: "answer", Label: "Your answer", Style: discordgo.TextInputShort,
					Required: true, MaxLength: 100,
				},
			}}},
		},
	}}, nil
}

// handleLeaderboard serves /leaderboard.
func (e *Engine) handleLeaderboard(ctx context.Context, req *commands.Request) (commands.Response, error) {
	scope := req.Options["scope"].String()
	if scope == "" {
		scope = "server"
		if req.GuildID == "" {
			scope = "global"
		}
	}
	guild, title := req.GuildID, "this server"
	switch scope {
	case "server":
		if req.GuildID == "" {
			return commands.Response{}, refuse("A direct message has no server leaderboard; try `/leaderboard scope:global`.")
		}
	case "global":
		guild, title = "", "all servers"
	default:
		return commands.Response{}, commands.Userf("Scope is server or global.")
	}
	top, me, err := e.guilds.Leaderboard(guild, leaderboardSize, req.User.ID)
	if err != nil {
		return commands.Response{}, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**Trivia leaderboard · %s**\n", title)
	if len(top) == 0 {
		b.WriteString("No scores yet: `/trivia start` begins a game.")
		return public(b.String()), nil
	}
	for _, r := range top {
		fmt.Fprintf(&b, "%d. <@%s> · %s · %d of %d right · %s · best streak %d\n",
			r.Rank, r.User, plural(int(r.Points), "point"), r.Correct, r.Answered, plural(int(r.Games), "game"), r.BestStreak)
	}
	if me.Rank == 0 {
		b.WriteString("You have no score here yet.")
	} else {
		fmt.Fprintf(&b, "You: #%d with %s.", me.Rank, plural(int(me.Points), "point"))
	}
	return public(b.String()), nil
}

// refuse is the error a handler returns to turn someone away: commands.Set.Handle shows
// its text to them alone, as it does every command's refusals.
func refuse(text string) error { return &commands.UserError{Msg: text} }

// ephemeral is a reply only the person sees that is not a refusal ("Locked in").
// Handle fits every reply and sets its allowed mentions.
func ephemeral(text string) commands.Response {
	return commands.Response{InteractionResponse: &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: text, Flags: discordgo.MessageFlagsEphemeral},
	}}
}

func public(text string) commands.Response {
	return commands.Response{InteractionResponse: &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: text},
	}}
}

// update replaces the message a button sits on, removing its buttons.
func update(text string) commands.Response {
	return commands.Response{InteractionResponse: &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: text, Components: []discordgo.MessageComponent{}},
	}}
}

func secondsDuration(s int) time.Duration { return time.Duration(s) * time.Second }
