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
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
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
	cfg, ok := c.config(co)
	if !ok {
		return exitUsage
	}
	st, err := c.openStore(cfg, readOnly)
	if err != nil {
		return c.fail("ask", err)
	}
	defer c.closeStore(st)
	set := commands.New(commands.Deps{Store: st, Logger: c.quietLogger(cfg)})

	filmID := ""
	if *film != "" {
		f, err := set.FindFilm(*film)
		if err != nil {
			return c.fail("ask", err)
		}
		filmID = f.ID
	}
	a, err := set.Answer(q, filmID)
	if err != nil {
		return c.fail("ask", err)
	}
	if *asJSON {
		out := askJSON{Found: a.Found, Answer: a.Text, Film: a.Film, Sources: a.Sources}
		if out.Sources == nil {
			out.Sources = []string{}
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return c.fail("ask", err)
		}
		return exitOK
	}
	fmt.Fprintln(c.stdout, commands.ReplyText(a))
	return exitOK
}

// The console plays one user in one channel of a pseudo-server, so per-server commands
// (trivia, leaderboard) work offline too.
const (
	consoleGuild   = "console"
	consoleChannel = "console"
	consoleUser    = "console"
)

// console reads lines and prints replies: "/name opt: value …" runs a command, "[Label]"
// presses a button on an earlier reply, "/quit" (or end of input) leaves, and any other
// line is a question for /ask.
func (c *cli) console(args []string) int {
	fs, co := c.flags("console")
	if code := c.parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(c.stderr, "filmbot console: takes no arguments; type commands on standard input")
		return exitUsage
	}
	cfg, ok := c.config(co)
	if !ok {
		return exitUsage
	}
	st, err := c.openStore(cfg, readWrite)
	if err != nil {
		return c.fail("console", err)
	}
	defer c.closeStore(st)
	log := c.quietLogger(cfg)

	con := &console{cli: c, out: c.stdout, buttons: map[string][]button{}}
	con.set = commands.New(commands.Deps{Store: st, Logger: log})
	eng := trivia.New(trivia.Deps{Store: st, Messenger: con, Logger: log, Owners: []string{consoleUser}})
	eng.Register(con.set)
	defer endConsoleGames(st, log)
	defer eng.Close()

	interactive := isTerminal(c.stdin)
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
			return exitOK
		case line, ok := <-lines:
			if !ok {
				if err := <-readErr; err != nil {
					return c.fail("console", err)
				}
				return exitOK
			}
			if quit := con.line(c.ctx, line); quit {
				return exitOK
			}
		}
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

type button struct {
	label, customID string
}

// console is the state of one console session: the set it drives, the buttons on the
// messages it has printed (to press them by label) and a modal waiting for its answer.
type console struct {
	cli *cli
	set *commands.Set

	mu      sync.Mutex // guards out and everything below; trivia timers print too
	out     io.Writer
	nextID  int
	order   []string            // message IDs, oldest first
	buttons map[string][]button // by message ID
	modal   *discordgo.InteractionResponseData
	modalOf string // message ID the modal came from
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
	con.reply(ctx, req, con.set.Handle(ctx, req))
	return false
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
	con.show(id, data.Content, data.Embeds, data.Components)
}

// show prints a message and remembers its buttons.
func (con *console) show(id, content string, embeds []*discordgo.MessageEmbed, comps []discordgo.MessageComponent) {
	text := commands.Text(&discordgo.InteractionResponseData{Content: content, Embeds: embeds, Components: comps})
	con.mu.Lock()
	defer con.mu.Unlock()
	if _, seen := con.buttons[id]; !seen {
		con.order = append(con.order, id)
	}
	con.buttons[id] = buttonsOf(comps)
	fmt.Fprint(con.out, text+"\n\n")
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

// press finds the newest button labelled label (compared folded) and returns the
// component request pressing it sends.
func (con *console) press(label string) (*commands.Request, error) {
	want := fold.String(label)
	con.mu.Lock()
	defer con.mu.Unlock()
	for i := len(con.order) - 1; i >= 0; i-- {
		id := con.order[i]
		for _, b := range con.buttons[id] {
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
	con.show(id, m.Content, m.Embeds, m.Components)
	return id, nil
}

// Edit prints an edited channel message in full.
func (con *console) Edit(ctx context.Context, channelID, messageID string, m *discordgo.MessageEdit) error {
	var content string
	if m.Content != nil {
		content = *m.Content
	}
	var embeds []*discordgo.MessageEmbed
	if m.Embeds != nil {
		embeds = *m.Embeds
	}
	var comps []discordgo.MessageComponent
	if m.Components != nil {
		comps = *m.Components
	}
	con.show(messageID, content, embeds, comps)
	return nil
}

func buttonsOf(comps []discordgo.MessageComponent) []button {
	var bs []button
	for _, c := range comps {
		var inner []discordgo.MessageComponent
		switch row := c.(type) {
		case discordgo.ActionsRow:
			inner = row.Components
		case *discordgo.ActionsRow:
			inner = row.Components
		}
		for _, x := range inner {
			switch b := x.(type) {
			case discordgo.Button:
				if !b.Disabled && b.CustomID != "" {
					bs = append(bs, button{b.Label, b.CustomID})
				}
			case *discordgo.Button:
				if !b.Disabled && b.CustomID != "" {
					bs = append(bs, button{b.Label, b.CustomID})
				}
			}
		}
	}
	return bs
}

func firstTextInput(d *discordgo.InteractionResponseData) *discordgo.TextInput {
	for _, c := range d.Components {
		var inner []discordgo.MessageComponent
		switch row := c.(type) {
		case discordgo.ActionsRow:
			inner = row.Components
		case *discordgo.ActionsRow:
			inner = row.Components
		}
		for _, x := range inner {
			switch in := x.(type) {
			case discordgo.TextInput:
				return &in
			case *discordgo.TextInput:
				return in
			}
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
