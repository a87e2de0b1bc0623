package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
	"filmbot/console/render"
	"filmbot/fold"
	"filmbot/store"
	"filmbot/trivia"
)

// The console plays one user in one channel of a pseudo-server, so per-server commands
// (trivia, leaderboard) work offline too.
const (
	Guild   = "console"
	Channel = "console"
	User    = "console"
)

// Timing is the pace of a trivia game in the console: the first question comes straight
// after the announcement and the next one soon after a reveal, and nobody else is
// joining, so the first question closes as soon as the player has answered it (a second
// later, as every question does, so the "locked in" is seen first). Question time is what
// the player chose.
func Timing() trivia.Timing {
	t := trivia.DefaultTiming()
	t.Lead, t.Between, t.Join = 0, time.Second, 0
	return t
}

// Options configure a Session.
type Options struct {
	// Out receives replies and channel messages.
	Out io.Writer
	// Err receives notes about the session itself; nil discards them.
	Err io.Writer
	// UserName is the console user's name in requests; "" means "you".
	UserName string
	// Prompt shows a greeting and a "> " prompt before each line: for a terminal.
	Prompt bool
	// Echo prints each line read as "> line" before its reply, so that the output of a
	// piped transcript reads as one: for input that is not a terminal (which echoes it).
	Echo bool
}

// New returns a session that prints to opts.Out. It drives nothing until Run.
func New(opts Options) *Session {
	con := &Session{
		out:      opts.Out,
		errOut:   opts.Err,
		userName: opts.UserName,
		prompt:   opts.Prompt,
		echo:     opts.Echo && !opts.Prompt,
		clock:    newCountingClock(),
		msgs:     map[string]*shown{},
		style: render.Style{Name: func(id string) string {
			if id == User {
				return "you"
			}
			return ""
		}},
	}
	if con.errOut == nil {
		con.errOut = io.Discard
	}
	if con.userName == "" {
		con.userName = "you"
	}
	return con
}

// Clock is the clock trivia must run on in this session (trivia.Deps.Clock): the real
// clock, counting its timers, so the session knows whether a game is still going.
func (con *Session) Clock() trivia.Clock { return con.clock }

// Run reads lines from in and prints replies from set until /quit, the end of the input
// (and of any game it started), or ctx's end: "/name opt: value …" runs a command,
// "[Label]" presses a button on an earlier reply, and any other line is a question for
// /ask. It returns an error only when reading in fails.
func (con *Session) Run(ctx context.Context, set *commands.Set, in io.Reader) error {
	con.set = set
	if con.prompt {
		con.print("filmbot console: type a question, a command such as /film title: Comrade Kim Goes Flying, /help, or /quit.\n")
	}
	lines := make(chan string)
	readErr := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		readErr <- sc.Err()
		close(lines)
	}()
	for {
		con.mu.Lock()
		prompt := con.prompt
		con.mu.Unlock()
		if prompt {
			con.print("> ")
		}
		select {
		case <-ctx.Done():
			con.leaving()
			return nil
		case line, ok := <-lines:
			if !ok {
				if err := <-readErr; err != nil {
					return err
				}
				con.playOut(ctx)
				return nil
			}
			if con.echo && strings.TrimSpace(line) != "" {
				con.print("> " + strings.TrimSpace(line) + "\n")
			}
			if quit := con.line(ctx, line); quit {
				con.leaving()
				return nil
			}
		}
	}
}

// Settle waits, at most max, for a timer that was already running when trivia closed (a
// reveal, the standings) to finish printing, so nothing prints after the session ends.
func (con *Session) Settle(max time.Duration) { con.clock.settle(max) }

// IsTerminal reports whether r is an interactive terminal, to decide on the prompt.
func IsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// playOut waits, at the end of the input, for a running trivia game to finish, printing
// its questions and reveals as they come; an interrupt stops it.
func (con *Session) playOut(ctx context.Context) {
	if !con.clock.busy() {
		return
	}
	con.mu.Lock()
	con.prompt = false // nothing more is read
	con.mu.Unlock()
	fmt.Fprintln(con.errOut, "filmbot console: end of input; the trivia game plays on to its end (Ctrl-C stops it)")
	if !con.clock.wait(ctx) {
		con.leaving()
	}
}

// leaving says so when the console closes with a game still running.
func (con *Session) leaving() {
	if con.clock.busy() {
		con.print("The trivia game was stopped: you left the console.\n\n")
	}
}

// EndGames closes trivia games the console started, so a later `filmbot run` does not try
// to tidy up messages in a channel Discord never had. Call it once the trivia engine is
// closed and Settle has returned.
func EndGames(st store.GuildStore, log *slog.Logger) {
	games, err := st.Games()
	if err != nil {
		return
	}
	for _, g := range games {
		if g.Channel == Channel {
			if err := st.EndGame(g.Channel, g.ID, time.Now()); err != nil {
				log.Warn("console: end game", "game", g.ID, "err", err)
			}
		}
	}
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

// Session is one console session: the set it drives, the messages it has printed (to
// press their buttons by label) and a modal waiting for its answer. It is the trivia
// messenger of the app it drives (Send, Edit) and gives that app its clock (Clock).
type Session struct {
	echo     bool // lines read are printed back before their replies (Options.Echo)
	set      *commands.Set
	clock    *countingClock
	style    render.Style
	userName string
	errOut   io.Writer

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
func (con *Session) line(ctx context.Context, line string) bool {
	line = strings.TrimSpace(line)
	switch {
	case line == "" || strings.HasPrefix(line, "#"):
		// A "#" line is a comment, so a transcript with its explanations can be pasted.
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
	req.User = commands.User{ID: User, Name: con.userName}
	req.GuildID, req.ChannelID = Guild, Channel

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
func (con *Session) release() {
	con.mu.Lock()
	defer con.mu.Unlock()
	con.typing = false
	for _, text := range con.held {
		fmt.Fprint(con.out, text)
	}
	con.held = nil
}

// reply prints a response the way Discord would show it, running slow work first.
func (con *Session) reply(ctx context.Context, req *commands.Request, r commands.Response) {
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
func (con *Session) show(id string, m *shown, isReply bool) {
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

func (con *Session) print(s string) {
	con.mu.Lock()
	defer con.mu.Unlock()
	fmt.Fprint(con.out, s)
}

func (con *Session) newMessageID() string {
	con.mu.Lock()
	defer con.mu.Unlock()
	con.nextID++
	return "m" + strconv.Itoa(con.nextID)
}

// press finds the newest button labelled label (compared folded) that can still be
// pressed, and returns the component request pressing it sends.
func (con *Session) press(label string) (*commands.Request, error) {
	want := fold.String(label)
	con.mu.Lock()
	defer con.mu.Unlock()
	for i := len(con.order) - 1; i >= 0; i-- {
		id := con.order[i]
		for _, b := range buttonsOf(con.msgs[id].comps) {
			if fold.String(b.label) == want {
				return &commands.Request{Kind: commands.KindComponent, CustomID: b.customID, MessageID: id}, nil
			}
		}
	}
	return nil, fmt.Errorf("no button labelled [%s] on the messages above", label)
}

// Send prints a channel message (trivia questions, reveals); it implements
// trivia.Messenger for the console.
func (con *Session) Send(ctx context.Context, channelID string, m *discordgo.MessageSend) (string, error) {
	id := con.newMessageID()
	con.show(id, &shown{content: m.Content, embeds: m.Embeds, comps: m.Components}, false)
	return id, nil
}

// Edit prints an edited channel message in full. As in Discord, a part the edit leaves
// out (nil) stays as it was, and an empty list of components removes the buttons.
func (con *Session) Edit(ctx context.Context, channelID, messageID string, m *discordgo.MessageEdit) error {
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
	req := &commands.Request{Kind: commands.KindModal, CustomID: m.CustomID, Values: map[string]string{}}
	if in := firstTextInput(m); in != nil {
		req.Values[in.CustomID] = text
	}
	return req
}
