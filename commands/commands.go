// Package commands turns interactions into replies: one handler per slash command, a router
// that picks the handler, and the single funnel every reply passes through (limits,
// allowed mentions, errors). Handlers never touch a Discord session, so the gateway bot,
// the offline console and the tests all call the same code.
//
// # Basics
//
// [New] returns a [Set] holding /film, /ask, /fact, /help and /reseed; other packages add
// theirs with [Set.Register]. [Set.Handle] takes a [Request] and returns the [Response] to
// send. Each kind of interaction has its own handlers: slash commands by name
// ([Set.Register]), suggestions by command name ([Set.Autocomplete]), buttons and selects
// ([Set.Component]) and modals ([Set.Modal]) by custom-ID pattern, so the button
// "fact:another:kim" reaches the handler registered for "fact:another:{film}" with
// req.Params["film"] = "kim". No handler switches on the kind it was given.
//
// # Errors
//
// A handler returns a [*UserError] for anything the person can fix (an unknown title, a
// refused command): its text is shown to them ephemerally. Any other error, and any panic,
// is logged once with a short reference and answered with "Something went wrong (ref …)."
package commands

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"filmbot/answer"
	"filmbot/knowledge"
	"filmbot/store"
)

// Deps is what the handlers need.
type Deps struct {
	Store *store.Store
	// Knowledge resolves films and answers questions; nil means a service of its own over
	// Store. A process that also runs trivia passes the one service both share.
	Knowledge *knowledge.Service
	Logger    *slog.Logger
	// Owners are the user IDs allowed to run owner-only commands.
	Owners []string
	// HomeGuild is the only guild where owner-only commands are registered and run.
	HomeGuild string
	// Fetch downloads an attachment, failing past max bytes. nil disables attachments.
	Fetch func(ctx context.Context, url string, max int64) ([]byte, error)
	// MaxSeedBytes caps a /reseed attachment; 0 means 1 MiB.
	MaxSeedBytes int64
	// FetchTimeout bounds downloading a /reseed attachment; 0 means 20 seconds.
	FetchTimeout time.Duration
	// Now returns the time; nil means time.Now.
	Now func() time.Time
}

// Set is every command filmbot offers, with its router. It is safe for concurrent use once
// all commands are registered.
type Set struct {
	deps Deps
	log  *slog.Logger
	// memory is each conversation's film, for follow-ups that name none.
	memory *answer.Memory

	mu    sync.RWMutex
	cmds  map[string]*entry
	order []string
	help  []HelpSection
	// autos, components and modals route the other kinds of interaction (route.go).
	autos      map[string]Handler
	components []route
	modals     []route

	know *knowledge.Service
}

type entry struct {
	def  *discordgo.ApplicationCommand
	home bool
	h    Handler
}

// UserError is an error whose text is safe and useful to show the person who ran the
// command: an unknown title, a refused owner command, a bad seed file. Handle shows it
// ephemerally and does not log it.
type UserError struct {
	Msg string
}

func (e *UserError) Error() string { return e.Msg }

// Userf returns a *UserError with a formatted message.
func Userf(format string, args ...any) error {
	return &UserError{Msg: fmt.Sprintf(format, args...)}
}

// ErrWrongKind is returned by a handler given a kind of request it does not take (a modal
// for a command that has none). Handle answers it with a short ephemeral note.
var ErrWrongKind = errors.New("this command does not take that kind of interaction")

// HelpSection is a paragraph /help shows after the command list, such as the trivia
// scoring rules.
type HelpSection struct {
	Title string
	Text  string
}

// defaultMaxOption caps string options whose definition sets no max_length, so a client
// that ignores the definition cannot make a handler chew on megabytes.
const defaultMaxOption = 1000

// New returns the command set with the built-in commands (/film, /ask, /fact, /help,
// /reseed) registered.
func New(deps Deps) *Set {
	if deps.MaxSeedBytes <= 0 {
		deps.MaxSeedBytes = 1 << 20
	}
	if deps.FetchTimeout <= 0 {
		deps.FetchTimeout = 20 * time.Second
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	log := deps.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if deps.Knowledge == nil {
		deps.Knowledge = knowledge.New(deps.Store)
	}
	s := &Set{deps: deps, log: log, cmds: map[string]*entry{}, autos: map[string]Handler{}, know: deps.Knowledge,
		memory: answer.NewMemory(answer.ContextTTL, deps.Now)}
	suggest := HandlerFunc(s.suggestFilms)
	s.Register("film", filmDef, false, HandlerFunc(s.film))
	s.Autocomplete("film", suggest)
	s.Register("ask", askDef, false, HandlerFunc(s.ask))
	s.Autocomplete("ask", suggest)
	s.Register("fact", factDef, false, HandlerFunc(s.fact))
	s.Autocomplete("fact", suggest)
	s.Component("fact:another:{film...}", HandlerFunc(s.anotherFact))
	s.Register("help", helpDef, false, HandlerFunc(s.helpCmd))
	s.Register("reseed", reseedDef, true, HandlerFunc(s.reseedCmd))
	return s
}

// Register adds a command. def is its definition for Discord; home reports whether it is
// registered only in the home guild (owner commands); h answers the slash command itself.
// Its suggestions, buttons and modals are routed with Autocomplete, Component and Modal.
// Registering a name again replaces it.
func (s *Set) Register(name string, def *discordgo.ApplicationCommand, home bool, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cmds[name]; !ok {
		s.order = append(s.order, name)
	}
	s.cmds[name] = &entry{def: def, home: home, h: h}
}

// AddHelp adds a section to /help, such as how trivia is scored.
func (s *Set) AddHelp(sec HelpSection) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.help = append(s.help, sec)
}

// Definitions returns the commands to register globally (or to the development guild) and
// those to register only in the home guild, in registration order.
func (s *Set) Definitions() (global, home []*discordgo.ApplicationCommand) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, name := range s.order {
		e := s.cmds[name]
		if e.def == nil {
			continue
		}
		if e.home {
			home = append(home, e.def)
		} else {
			global = append(global, e.def)
		}
	}
	return global, home
}

// Knowledge returns the knowledge service the commands resolve films and answer through,
// for front ends that share it (trivia, the console, the CLI).
func (s *Set) Knowledge() *knowledge.Service { return s.know }

// Handle routes req to its handler and returns the reply to send. It never panics and never
// returns a nil InteractionResponse: unknown names, wrong kinds, handler errors and panics
// become short ephemeral replies (internal errors are logged once with a reference), and
// every reply is cut to Discord's limits and carries allowed_mentions with an empty parse
// list.
func (s *Set) Handle(ctx context.Context, req *Request) (resp Response) {
	defer func() {
		if v := recover(); v != nil {
			resp = s.internal(req, fmt.Errorf("panic: %v", v), debug.Stack())
		}
		s.finish(req, &resp)
		if resp.Outcome == "" {
			resp.Outcome = OutcomeAnswered
		}
	}()
	if req == nil {
		return refuse(ephemeral("That interaction was empty."))
	}
	h, def, msg := s.route(req)
	if msg != "" {
		if req.Kind == KindAutocomplete {
			return refuse(noChoices())
		}
		return refuse(ephemeral(msg))
	}
	if msg := checkRequest(def, req); msg != "" {
		if req.Kind == KindAutocomplete {
			return refuse(noChoices())
		}
		return refuse(ephemeral(msg))
	}
	r, err := h.Handle(ctx, req)
	if err == nil && r.InteractionResponse == nil {
		err = errors.New("handler returned no response")
	}
	if err != nil {
		return s.fail(req, err)
	}
	return r
}

// route picks the handler for req by its kind: commands and autocomplete by command name,
// components and modals by custom-ID pattern (setting req.Params). It returns the
// command's definition when there is one, or why req goes nowhere.
func (s *Set) route(req *Request) (h Handler, def *discordgo.ApplicationCommand, refusal string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	switch req.Kind {
	case KindCommand:
		e := s.cmds[req.Name]
		if e == nil {
			return nil, nil, fmt.Sprintf("I don't know the command /%s.", Truncate(req.Name, 32))
		}
		return e.h, e.def, ""
	case KindAutocomplete:
		e, h := s.cmds[req.Name], s.autos[req.Name]
		if e == nil || h == nil {
			return nil, nil, "That option has no suggestions."
		}
		if o := findOption(e.def, req.Focused); o == nil || !o.Autocomplete {
			return nil, nil, "That option has no suggestions."
		}
		return h, e.def, ""
	case KindComponent, KindModal:
		if len(req.CustomID) > MaxCustomID {
			return nil, nil, "That button's ID is too long."
		}
		routes := s.components
		if req.Kind == KindModal {
			routes = s.modals
		}
		rt, params, ok := findRoute(routes, req.CustomID)
		if !ok {
			return nil, nil, "This button belongs to a command filmbot no longer has."
		}
		req.Params = params
		return rt.h, nil, ""
	}
	return nil, nil, "filmbot does not handle that kind of interaction."
}

// checkRequest returns why req's values are too big for its handler, or "": string
// options past their definition's max_length (or defaultMaxOption), inputs past 4000.
func checkRequest(def *discordgo.ApplicationCommand, req *Request) string {
	for name, o := range req.Options {
		str, ok := o.Value.(string)
		if !ok || o.Type == discordgo.ApplicationCommandOptionAttachment {
			continue
		}
		limit := defaultMaxOption
		if d := findOption(def, name); d != nil && d.MaxLength > 0 {
			limit = d.MaxLength
		}
		if len(str) > limit && utf8.RuneCountInString(str) > limit {
			return fmt.Sprintf("The %s option is too long: at most %d characters, please.", Truncate(name, 32), limit)
		}
	}
	for _, v := range req.Values {
		if len(v) > 4000 && utf8.RuneCountInString(v) > 4000 {
			return "That input is too long."
		}
	}
	return ""
}

// findOption returns the option called name in def, looking inside subcommands.
func findOption(def *discordgo.ApplicationCommand, name string) *discordgo.ApplicationCommandOption {
	if def == nil || name == "" {
		return nil
	}
	var walk func([]*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption
	walk = func(opts []*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		for _, o := range opts {
			if o == nil {
				continue
			}
			if o.Name == name && o.Type != discordgo.ApplicationCommandOptionSubCommand &&
				o.Type != discordgo.ApplicationCommandOptionSubCommandGroup {
				return o
			}
			if found := walk(o.Options); found != nil {
				return found
			}
		}
		return nil
	}
	return walk(def.Options)
}

// fail turns a handler error into a reply: a UserError's text, a note for a wrong kind,
// or a logged internal error with a reference.
func (s *Set) fail(req *Request, err error) Response {
	if req.Kind == KindAutocomplete {
		var ue *UserError
		if !errors.As(err, &ue) {
			return s.internal(req, err, nil)
		}
		return refuse(noChoices())
	}
	var ue *UserError
	if errors.As(err, &ue) {
		return refuse(ephemeral(ue.Msg))
	}
	if errors.Is(err, ErrWrongKind) {
		return refuse(ephemeral("That doesn't work here."))
	}
	return s.internal(req, err, nil)
}

// refuse marks r as the answer to a request the person must change: a user error.
func refuse(r Response) Response {
	r.Outcome = OutcomeUserError
	return r
}

// internal logs err once with a fresh reference and returns the reply that quotes it.
func (s *Set) internal(req *Request, err error, stack []byte) Response {
	ref := NewRef()
	attrs := []any{"ref", ref, "err", err}
	if req != nil {
		attrs = append(attrs, "command", req.Name, "kind", int(req.Kind), "user", req.User.ID, "guild", req.GuildID)
		if req.CustomID != "" {
			attrs = append(attrs, "custom_id", req.CustomID)
		}
	}
	if stack != nil {
		attrs = append(attrs, "stack", string(stack))
	}
	s.log.Error("command failed", attrs...)
	r := ephemeral(SomethingWrong(ref))
	if req != nil && req.Kind == KindAutocomplete {
		r = noChoices()
	}
	r.Outcome = OutcomeInternal
	return r
}

// finish applies the rules every reply follows: a response exists, it fits Discord's
// limits, and messages mention nobody. Slow work in Then gets the same treatment and its
// own recovery.
func (s *Set) finish(req *Request, r *Response) {
	if r.InteractionResponse == nil {
		*r = s.internal(req, errors.New("no response"), nil)
	}
	seal(r.InteractionResponse)
	if then := r.Then; then != nil {
		r.Then = func(ctx context.Context, progress func(string)) (data *discordgo.InteractionResponseData) {
			defer func() {
				if v := recover(); v != nil {
					data = s.internal(req, fmt.Errorf("panic: %v", v), debug.Stack()).Data
				}
				if data == nil {
					data = s.internal(req, errors.New("slow work returned nothing"), nil).Data
				}
				sealData(data)
			}()
			return then(ctx, func(msg string) {
				if progress != nil {
					progress(Truncate(msg, MaxContent))
				}
			})
		}
	}
}

// seal fits a response's data and sets allowed_mentions on every message-bearing reply.
func seal(ir *discordgo.InteractionResponse) {
	switch ir.Type {
	case discordgo.InteractionResponseChannelMessageWithSource,
		discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseUpdateMessage:
		if ir.Data == nil {
			ir.Data = &discordgo.InteractionResponseData{}
		}
		sealData(ir.Data)
	default:
		Fit(ir.Data)
	}
}

func sealData(d *discordgo.InteractionResponseData) {
	Fit(d)
	d.AllowedMentions = NoMentions()
}

// NoMentions returns allowed mentions that ping nobody: an explicit empty parse list
// (discordgo does not omit an empty Parse, so it goes out as "parse":[]).
func NoMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// ephemeral returns a message only the invoking user sees.
func ephemeral(msg string) Response {
	return Response{InteractionResponse: &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: msg, Flags: discordgo.MessageFlagsEphemeral},
	}}
}

// message returns a reply everyone in the channel sees.
func message(data *discordgo.InteractionResponseData) Response {
	return Response{InteractionResponse: &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: data,
	}}
}

// noChoices is the autocomplete answer when there is nothing to suggest.
func noChoices() Response {
	return choices(nil)
}

func choices(cs []*discordgo.ApplicationCommandOptionChoice) Response {
	if cs == nil {
		cs = []*discordgo.ApplicationCommandOptionChoice{}
	}
	return Response{InteractionResponse: &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: cs},
	}}
}
