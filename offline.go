package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
	"filmbot/config"
	"filmbot/fold"
	"filmbot/store"
	"filmbot/trivia"
)

// maxQuestion matches /ask's question limit.
const maxQuestion = 1000

// askJSON is `filmbot ask -json`'s output.
type askJSON struct {
	Found   bool     `json:"found"`
	Answer  string   `json:"answer"`
	Film    string   `json:"film"`
	Sources []string `json:"sources"`
}

// ask prints the answer /ask would give, from the same Set and the same renderer.
func (c *cli) ask(args []string) int {
	fs, co := c.flags("ask")
	asJSON := fs.Bool("json", false, `print one JSON object: {"found", "answer", "film", "sources"}`)
	film := fs.String("film", "", "the `film` the question is about: title, alias or ID")
	if code := c.parse(fs, args); code >= 0 {
		return code
	}
	q := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if q == "" {
		fmt.Fprintln(c.stderr, "filmbot ask: no question; try: filmbot ask \"Who plays Yong Mi in Comrade Kim Goes Flying?\"")
		return exitUsage
	}
	if utf8.RuneCountInString(q) > maxQuestion {
		fmt.Fprintf(c.stderr, "filmbot ask: the question is too long: at most %d characters, please\n", maxQuestion)
		return exitUsage
	}
	st, cfg, code := c.configuredStore("ask", co, readOnly, args)
	if code >= 0 {
		return code
	}
	defer c.closeStore(st)
	set := commands.New(commands.Deps{Store: st, Knowledge: c.knowledgeOf(st), Logger: c.quietLogger(cfg)})

	filmID := ""
	if *film != "" {
		f, err := set.FindFilm(c.ctx, *film)
		var unknown *commands.UserError
		if errors.As(err, &unknown) && *asJSON {
			// A film the data does not hold is an honest "not found", as /ask says it in
			// Discord; only real failures are errors.
			return c.printJSON(askJSON{Answer: unknown.Msg, Sources: []string{}})
		}
		if err != nil {
			return c.fail("ask", err)
		}
		filmID = f.ID
	}
	a, err := set.Knowledge().Ask(c.ctx, q, filmID)
	if err != nil {
		return c.fail("ask", err)
	}
	if *asJSON {
		out := askJSON{Found: a.Found, Answer: a.Text, Film: a.Film, Sources: a.Sources}
		if out.Sources == nil {
			out.Sources = []string{}
		}
		return c.printJSON(out)
	}
	fmt.Fprintln(c.stdout, commands.ReplyText(a))
	return exitOK
}

// configuredStore loads the config and opens its store for the command name. A code of
// 0 or more is the command's exit code when either fails, or when the store is held by a
// running filmbot that ran the command (args) itself; -1 means carry on, and the caller
// closes the store.
func (c *cli) configuredStore(name string, co *common, mode openMode, args []string) (*store.Store, config.Config, int) {
	cfg, ok := c.config(co)
	if !ok {
		return nil, cfg, exitUsage
	}
	st, err := c.openStore(cfg, mode)
	if _, ok := forwardable(err, name); ok {
		return nil, cfg, c.forward(name, cfg.DB, args, nil)
	}
	if err != nil {
		return nil, cfg, c.fail(name, err)
	}
	return st, cfg, -1
}

// printJSON writes `filmbot ask -json`'s one object.
func (c *cli) printJSON(out askJSON) int {
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return c.fail("ask", err)
	}
	return exitOK
}

// The console plays one user in one channel of a pseudo-server, so per-server commands
// (trivia, leaderboard) work offline too.
const (
	consoleGuild   = "console"
	consoleChannel = "console"
	consoleUser    = "console"
)

// consoleTiming is the pace of a trivia game in the console: the first question comes
// straight after the announcement and the next one soon after a reveal, since nobody else
// is joining. Question time is what the player chose.
func consoleTiming() trivia.Timing {
	t := trivia.DefaultTiming()
	t.Lead, t.Between, t.Early = 0, time.Second, 0
	return t
}

// console reads lines and prints replies: "/name opt: value …" runs a command, "[Label]"
// presses a button on an earlier reply, "/quit" leaves, and any other line is a question
// for /ask. At the end of the input a trivia game still running plays out to its end.
func (c *cli) console(args []string) int {
	fs, co := c.flags("console")
	if code := c.parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(c.stderr, "filmbot console: takes no arguments; type commands on standard input")
		return exitUsage
	}
	st, cfg, code := c.configuredStore("console", co, readWrite, args)
	if code >= 0 {
		return code
	}
	defer c.closeStore(st)
	log := c.quietLogger(cfg)
	// The console holds the store: its socket tells others so, and serves them meanwhile.
	defer c.serveControl(cfg, st, c.knowledgeOf(st), "filmbot console", log)()
	return c.converse(st, log, consoleTiming())
}

// converse runs a console session over st until /quit, the end of the input (and of any
// game it started), or an interrupt.
func (c *cli) converse(st *store.Store, log *slog.Logger, timing trivia.Timing) int {
	con := &console{
		cli:   c,
		out:   c.stdout,
		clock: newCountingClock(),
		msgs:  map[string]*shown{},
		style: commands.TextStyle{Name: func(id string) string {
			if id == consoleUser {
				return "you"
			}
			return ""
		}},
	}
	know := c.knowledgeOf(st)
	con.set = commands.New(commands.Deps{Store: st, Knowledge: know, Logger: log})
	eng := trivia.New(trivia.Deps{
		Store: st, Knowledge: know, Messenger: con, Logger: log, Owners: []string{consoleUser},
		Clock: con.clock, Timing: &timing,
	})
	eng.Register(con.set)
	defer func() {
		eng.Close()
		// Let a timer that was already running (a reveal, the standings) finish
		// printing before the store closes under it.
		con.clock.settle(5 * time.Second)
		endConsoleGames(st, log)
	}()

	interactive := c.interactive()
	con.prompt = interactive
	if interactive {
		fmt.Fprintln(c.stdout, "filmbot console: type a question, a command such as /film title: Comrade Kim Goes Flying, /help, or /quit.")
	}
	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(c.stdin)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		readErr <- sc.Err()
		close(lines)
	}()
	for {
		if interactive {
			con.print("> ")
		}
		select {
		case <-c.ctx.Done():
			con.leaving()
			return exitOK
		case line, ok := <-lines:
			if !ok {
				if err := <-readErr; err != nil {
					return c.fail("console", err)
				}
				return con.playOut(c.ctx)
			}
			if quit := con.line(c.ctx, line); quit {
				con.leaving()
				return exitOK
			}
		}
	}
}

// playOut waits, at the end of the input, for a running trivia game to finish, printing
// its questions and reveals as they come; an interrupt stops it.
func (con *console) playOut(ctx context.Context) int {
	if !con.clock.busy() {
		return exitOK
	}
	con.mu.Lock()
	con.prompt = false // nothing more is read
	con.mu.Unlock()
	fmt.Fprintln(con.cli.stderr, "filmbot console: end of input; the trivia game plays on to its end (Ctrl-C stops it)")
	if !con.clock.wait(ctx) {
		con.leaving()
	}
	return exitOK
}

// leaving says so when the console closes with a game still running.
func (con *console) leaving() {
	if con.clock.busy() {
		con.print("The trivia game was stopped: you left the console.\n\n")
	}
}

// endConsoleGames closes trivia games the console started, so a later `filmbot run` does
// not try to tidy up messages in a channel Discord never had.
func endConsoleGames(st *store.Store, log *slog.Logger) {
	games, err := st.Games()
	if err != nil {
		return
	}
	for _, g := range games {
		if g.Channel == consoleChannel {
			if err := st.EndGame(g.Channel, g.ID, time.Now()); err != nil {
				log.Warn("console: end game", "game", g.ID, "err", err)
			}
		}
	}
}

// countingClock is the real clock, counting the timers that are pending or running, so
// the console knows whether a game is still going: a running game always has its next
// step scheduled, and its last step (the standings) runs inside a timer.
type countingClock struct {
	mu      sync.Mutex
	pending int
	idle    chan struct{} // closed while pending is 0
}

func newCountingClock() *countingClock {
	c := &countingClock{idle: make(chan struct{})}
	close(c.idle)
	return c
}

// Now returns time.Now().
func (c *countingClock) Now() time.Time { return time.Now() }

// AfterFunc runs f after d, counting it until it has returned or been stopped.
func (c *countingClock) AfterFunc(d time.Duration, f func()) trivia.Timer {
	c.add(1)
	return &countedTimer{c: c, t: time.AfterFunc(d, func() {
		defer c.add(-1)
		f()
	})}
}

func (c *countingClock) add(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == 0 && n > 0 {
		c.idle = make(chan struct{})
	}
	c.pending += n
	if c.pending == 0 {
		close(c.idle)
	}
}

// busy reports whether any timer is pending or running.
func (c *countingClock) busy() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending > 0
}

// wait blocks until no timer is pending or running, and reports whether it got there
// before ctx ended.
func (c *countingClock) wait(ctx context.Context) bool {
	c.mu.Lock()
	idle := c.idle
	c.mu.Unlock()
	select {
	case <-idle:
		return true
	case <-ctx.Done():
		return false
	}
}

// settle waits at most max for running timers to return.
func (c *countingClock) settle(max time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), max)
	defer cancel()
	c.wait(ctx)
}

type countedTimer struct {
	c *countingClock
	t *time.Timer
}

// Stop stops the timer; a timer stopped before it ran is no longer counted.
func (t *countedTimer) Stop() bool {
	if t.t.Stop() {
		t.c.add(-1)
		return true
	}
	return false
}

type button struct {
	label, customID string
}

// shown is what a printed message shows now, so an edit that leaves a part out keeps it.
type shown struct {
	content string
	embeds  []*discordgo.MessageEmbed
	comps   []discordgo.MessageComponent
}

// console is the state of one console session: the set it drives, the messages it has
// printed (to press their buttons by label) and a modal waiting for its answer.
type console struct {
	cli   *cli
	set   *commands.Set
	clock *countingClock
	style commands.TextStyle

	mu     sync.Mutex // guards out and everything below; trivia timers print too
	out    io.Writer
	prompt bool     // a "> " prompt is shown: repeat it after a timer's message
	typing bool     // a typed line is being answered: timer messages wait for its reply
	held   []string // timer messages to print after that reply, in order
	nextID int
	order  []string          // message IDs, oldest first
	msgs   map[string]*shown // by message ID
	modal  *discordgo.InteractionResponseData
	// modalOf is the message ID the modal came from.
	modalOf string
}

// line handles one input line; it reports whether the console should stop.
func (con *console) line(ctx context.Context, line string) bool {
	line = strings.TrimSpace(line)
	switch {
	case line == "":
		return false
	case line == "/quit" || line == "/exit":
		return true
	}
	con.mu.Lock()
	modal, modalOf := con.modal, con.modalOf
	con.modal = nil
	con.mu.Unlock()

	var req *commands.Request
	var err error
	switch {
	case modal != nil && !strings.HasPrefix(line, "/") && !strings.HasPrefix(line, "["):
		req = modalRequest(modal, line)
		req.MessageID = modalOf
	case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
		req, err = con.press(strings.TrimSpace(line[1 : len(line)-1]))
	case strings.HasPrefix(line, "/"):
		global, home := con.set.Definitions()
		req, err = parseSlash(line, append(global, home...))
	default:
		req = &commands.Request{Kind: commands.KindCommand, Name: "ask",
			Options: map[string]commands.Option{"question": {Type: discordgo.ApplicationCommandOptionString, Value: line}}}
	}
	if err != nil {
		con.print(err.Error() + "\n\n")
		return false
	}
	req.User = commands.User{ID: consoleUser, Name: userName(con.cli.env)}
	req.GuildID, req.ChannelID = consoleGuild, consoleChannel

	// Messages a game posts meanwhile come after the reply, as they would in Discord,
	// where the reply to a command is what the command's own action follows.
	con.mu.Lock()
	con.typing = true
	con.mu.Unlock()
	defer con.release()
	con.reply(ctx, req, con.set.Handle(ctx, req))
	return false
}

// release prints the timer messages held back while a line was answered.
func (con *console) release() {
	con.mu.Lock()
	defer con.mu.Unlock()
	con.typing = false
	for _, text := range con.held {
		fmt.Fprint(con.out, text)
	}
	con.held = nil
}

// reply prints a response the way Discord would show it, running slow work first.
func (con *console) reply(ctx context.Context, req *commands.Request, r commands.Response) {
	data := r.Data
	switch r.Type {
	case discordgo.InteractionResponseModal:
		con.mu.Lock()
		con.modal, con.modalOf = data, req.MessageID
		con.mu.Unlock()
		label := "your answer"
		if in := firstTextInput(data); in != nil && in.Label != "" {
			label = in.Label
		}
		con.print(fmt.Sprintf("%s\n%s (type it on the next line)\n\n", data.Title, label))
		return
	case discordgo.InteractionResponseDeferredChannelMessageWithSource, discordgo.InteractionResponseDeferredMessageUpdate:
		if r.Then == nil {
			return
		}
		data = r.Then(ctx, func(s string) { con.print(s + "\n") })
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		return
	}
	if data == nil {
		return
	}
	id := req.MessageID
	if r.Type != discordgo.InteractionResponseUpdateMessage || id == "" {
		id = con.newMessageID()
	}
	con.show(id, &shown{content: data.Content, embeds: data.Embeds, comps: data.Components}, true)
}

// show records a message under id, to press its buttons later, and prints it: now when
// it is the reply to the line being answered, otherwise once that reply is out.
func (con *console) show(id string, m *shown, isReply bool) {
	text := con.style.Text(&discordgo.InteractionResponseData{Content: m.content, Embeds: m.embeds, Components: m.comps}) + "\n\n"
	con.mu.Lock()
	defer con.mu.Unlock()
	if _, seen := con.msgs[id]; !seen {
		con.order = append(con.order, id)
	}
	con.msgs[id] = m
	if con.typing && !isReply {
		con.held = append(con.held, text)
		return
	}
	fmt.Fprint(con.out, text)
	if con.prompt && !isReply {
		fmt.Fprint(con.out, "> ")
	}
}

func (con *console) print(s string) {
	con.mu.Lock()
	defer con.mu.Unlock()
	fmt.Fprint(con.out, s)
}

func (con *console) newMessageID() string {
	con.mu.Lock()
	defer con.mu.Unlock()
	con.nextID++
	return "m" + strconv.Itoa(con.nextID)
}

// press finds the newest button labelled label (compared folded) that can still be
// pressed, and returns the component request pressing it sends.
func (con *console) press(label string) (*commands.Request, error) {
	want := fold.String(label)
	con.mu.Lock()
	defer con.mu.Unlock()
	for i := len(con.order) - 1; i >= 0; i-- {
		id := con.order[i]
		for _, b := range buttonsOf(con.msgs[id].comps) {
			if fold.String(b.label) == want {
				name, _, _ := strings.Cut(b.customID, ":")
				return &commands.Request{Kind: commands.KindComponent, Name: name, CustomID: b.customID, MessageID: id}, nil
			}
		}
	}
	return nil, fmt.Errorf("no button labelled [%s] on the messages above", label)
}

// Send prints a channel message (trivia questions, reveals); it implements
// trivia.Messenger for the console.
func (con *console) Send(ctx context.Context, channelID string, m *discordgo.MessageSend) (string, error) {
	id := con.newMessageID()
	con.show(id, &shown{content: m.Content, embeds: m.Embeds, comps: m.Components}, false)
	return id, nil
}

// Edit prints an edited channel message in full. As in Discord, a part the edit leaves
// out (nil) stays as it was, and an empty list of components removes the buttons.
func (con *console) Edit(ctx context.Context, channelID, messageID string, m *discordgo.MessageEdit) error {
	con.mu.Lock()
	next := shown{}
	if old := con.msgs[messageID]; old != nil {
		next = *old
	}
	con.mu.Unlock()
	if m.Content != nil {
		next.content = *m.Content
	}
	if m.Embeds != nil {
		next.embeds = *m.Embeds
	}
	if m.Components != nil {
		next.comps = *m.Components
	}
	con.show(messageID, &next, false)
	return nil
}

// rowItems returns the components inside a message's action rows, in order.
func rowItems(comps []discordgo.MessageComponent) []discordgo.MessageComponent {
	var items []discordgo.MessageComponent
	for _, c := range comps {
		switch row := c.(type) {
		case discordgo.ActionsRow:
			items = append(items, row.Components...)
		case *discordgo.ActionsRow:
			items = append(items, row.Components...)
		}
	}
	return items
}

func buttonsOf(comps []discordgo.MessageComponent) []button {
	var bs []button
	for _, x := range rowItems(comps) {
		var b *discordgo.Button
		switch v := x.(type) {
		case discordgo.Button:
			b = &v
		case *discordgo.Button:
			b = v
		}
		if b != nil && !b.Disabled && b.CustomID != "" {
			bs = append(bs, button{b.Label, b.CustomID})
		}
	}
	return bs
}

func firstTextInput(d *discordgo.InteractionResponseData) *discordgo.TextInput {
	for _, x := range rowItems(d.Components) {
		switch in := x.(type) {
		case discordgo.TextInput:
			return &in
		case *discordgo.TextInput:
			return in
		}
	}
	return nil
}

// modalRequest submits text as the answer to a modal's first text input.
func modalRequest(m *discordgo.InteractionResponseData, text string) *commands.Request {
	name, _, _ := strings.Cut(m.CustomID, ":")
	req := &commands.Request{Kind: commands.KindModal, Name: name, CustomID: m.CustomID, Values: map[string]string{}}
	if in := firstTextInput(m); in != nil {
		req.Values[in.CustomID] = text
	}
	return req
}

// errConsoleUsage is wrapped by parseSlash's errors.
var errConsoleUsage = errors.New("console")

// parseSlash turns "/name [subcommand] opt: value opt2: value" into a command request,
// using the command's definition to know its subcommands and option names and types.
// Text before the first "opt:" goes to the first string option not given, so
// "/film Comrade Kim Goes Flying" works too.
func parseSlash(line string, defs []*discordgo.ApplicationCommand) (*commands.Request, error) {
	// Tabs and other blanks separate words like spaces do.
	line = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, line)
	body := strings.TrimSpace(strings.TrimPrefix(line, "/"))
	name, rest, _ := strings.Cut(body, " ")
	name = strings.ToLower(name)
	var def *discordgo.ApplicationCommand
	for _, d := range defs {
		if d.Name == name {
			def = d
		}
	}
	if def == nil {
		var names []string
		for _, d := range defs {
			names = append(names, "/"+d.Name)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("%w: no command /%s; there are %s, and /quit", errConsoleUsage, name, strings.Join(names, ", "))
	}
	req := &commands.Request{Kind: commands.KindCommand, Name: name, Options: map[string]commands.Option{}}
	opts := def.Options
	rest = strings.TrimSpace(rest)
	var subs []string
	for _, o := range def.Options {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand {
			subs = append(subs, o.Name)
		}
	}
	if len(subs) > 0 {
		word, after, _ := strings.Cut(rest, " ")
		for _, o := range def.Options {
			if o.Type == discordgo.ApplicationCommandOptionSubCommand && o.Name == strings.ToLower(word) {
				req.Subcommand, opts, rest = o.Name, o.Options, strings.TrimSpace(after)
			}
		}
		if req.Subcommand == "" {
			return nil, fmt.Errorf("%w: /%s needs one of: %s", errConsoleUsage, name, strings.Join(subs, ", "))
		}
	}

	// Find "name: " for each known option, at the start or after a space, and followed by
	// a space or the end, so "film:about" inside a question stays text.
	type mark struct {
		opt        *discordgo.ApplicationCommandOption
		start, end int // of "name:" in rest
	}
	var marks []mark
	lower := strings.ToLower(rest)
	for _, o := range opts {
		key := o.Name + ":"
		for i := 0; i+len(key) <= len(lower); {
			j := strings.Index(lower[i:], key)
			if j < 0 {
				break
			}
			at := i + j
			end := at + len(key)
			if (at == 0 || lower[at-1] == ' ') && (end == len(lower) || lower[end] == ' ') {
				marks = append(marks, mark{o, at, end})
				break
			}
			i = at + 1
		}
	}
	sort.Slice(marks, func(a, b int) bool { return marks[a].start < marks[b].start })
	// A "name:" where the options begin that names no option is a mistyped option, not
	// the start of a value: "/film titel: Comrade Kim".
	if word, _, _ := strings.Cut(rest, " "); optionLike(word) && (len(marks) == 0 || marks[0].start > 0) {
		var names []string
		for _, o := range opts {
			names = append(names, o.Name)
		}
		cmd := "/" + name
		if req.Subcommand != "" {
			cmd += " " + req.Subcommand
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("%w: %s has no option %s; it takes none", errConsoleUsage, cmd, strings.TrimSuffix(word, ":"))
		}
		return nil, fmt.Errorf("%w: %s has no option %s; options: %s", errConsoleUsage, cmd, strings.TrimSuffix(word, ":"), strings.Join(names, ", "))
	}
	values := map[*discordgo.ApplicationCommandOption]string{}
	lead := rest
	if len(marks) > 0 {
		lead = rest[:marks[0].start]
	}
	for i, m := range marks {
		end := len(rest)
		if i+1 < len(marks) {
			end = marks[i+1].start
		}
		values[m.opt] = strings.TrimSpace(rest[m.end:end])
	}
	if lead = strings.TrimSpace(lead); lead != "" {
		var target *discordgo.ApplicationCommandOption
		for _, o := range opts {
			if _, given := values[o]; !given && o.Type == discordgo.ApplicationCommandOptionString {
				target = o
				break
			}
		}
		if target == nil {
			return nil, fmt.Errorf("%w: what is %q? write options as name: value", errConsoleUsage, lead)
		}
		values[target] = lead
	}
	for o, v := range values {
		opt, err := optionValue(o, v)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errConsoleUsage, o.Name, err)
		}
		req.Options[o.Name] = opt
	}
	for _, o := range opts {
		if _, ok := req.Options[o.Name]; o.Required && !ok {
			return nil, fmt.Errorf("%w: /%s needs %s: (%s)", errConsoleUsage, name, o.Name, o.Description)
		}
	}
	return req, nil
}

// optionLike reports whether word is written like an option name and its colon:
// "titel:", "seconds:".
func optionLike(word string) bool {
	name, ok := strings.CutSuffix(word, ":")
	if !ok || name == "" {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// optionValue converts typed text to the value Discord would send for the option's type.
func optionValue(o *discordgo.ApplicationCommandOption, v string) (commands.Option, error) {
	opt := commands.Option{Type: o.Type}
	switch o.Type {
	case discordgo.ApplicationCommandOptionInteger:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return opt, fmt.Errorf("%q is not a whole number", v)
		}
		opt.Value = float64(n)
	case discordgo.ApplicationCommandOptionNumber:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return opt, fmt.Errorf("%q is not a number", v)
		}
		opt.Value = f
	case discordgo.ApplicationCommandOptionBoolean:
		switch strings.ToLower(v) {
		case "true", "yes", "on", "1":
			opt.Value = true
		case "false", "no", "off", "0":
			opt.Value = false
		default:
			return opt, fmt.Errorf("%q is not true or false", v)
		}
	case discordgo.ApplicationCommandOptionAttachment:
		return opt, errors.New("the console cannot attach files; use filmbot reseed FILE")
	default:
		if len(o.Choices) > 0 {
			for _, ch := range o.Choices {
				if strings.EqualFold(ch.Name, v) || strings.EqualFold(fmt.Sprint(ch.Value), v) {
					opt.Value = ch.Value
					return opt, nil
				}
			}
			var names []string
			for _, ch := range o.Choices {
				names = append(names, fmt.Sprint(ch.Value))
			}
			return opt, fmt.Errorf("%q is not one of %s", v, strings.Join(names, ", "))
		}
		opt.Value = v
	}
	return opt, nil
}

func userName(env func(string) string) string {
	if u := env("USER"); u != "" {
		return u
	}
	return "you"
}

// isTerminal reports whether r is an interactive terminal, to decide on the prompt.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
