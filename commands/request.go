package commands

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// Kind is the type of interaction a request comes from.
type Kind int

// The interaction kinds filmbot routes.
const (
	KindCommand      Kind = iota + 1 // a slash command
	KindAutocomplete                 // an option being typed, asking for choices
	KindComponent                    // a button or select on one of our messages
	KindModal                        // a submitted modal form
)

// Request is one interaction, decoupled from the Discord session so the same handlers serve
// the gateway bot, the offline console and the tests. bot.NewRequest builds one from a
// *discordgo.Interaction; the console builds one from a typed line.
type Request struct {
	Kind Kind
	// Name is the slash command name; empty for components and modals, which are routed
	// by CustomID.
	Name string
	// Subcommand is the chosen subcommand of a command with subcommands ("start").
	Subcommand string
	// Options are the command's options by name, flattened out of any subcommand.
	Options map[string]Option
	// Focused names the option being typed in an autocomplete request.
	Focused string
	// CustomID is the full custom ID of a component or modal.
	CustomID string
	// Params are the values of the "{name}" segments of the custom-ID pattern that routed
	// a component or modal to its handler (Set.Component, Set.Modal); Handle sets them.
	Params map[string]string
	// Values are a component's selected values, or a modal's text inputs by custom ID.
	Values map[string]string

	User User
	// GuildID is empty in a DM.
	GuildID   string
	ChannelID string
	// Permissions are the invoking member's permissions in the channel; 0 in a DM.
	Permissions int64
	// MessageID is the message a component sits on.
	MessageID string
	Locale    string
	// Attachments are resolved attachments by option name.
	Attachments map[string]Attachment
}

// Option is one command option's value, kept as Discord sent it.
type Option struct {
	Type  discordgo.ApplicationCommandOptionType
	Value any // string, float64 (numbers and integers), bool, or an ID string
}

// String returns the option's value as a string, or "" when it is not one.
func (o Option) String() string {
	s, _ := o.Value.(string)
	return s
}

// Int returns an integer or number option's value, or 0.
func (o Option) Int() int64 {
	switch v := o.Value.(type) {
	case float64:
		return int64(v)
	case int64:
		return v
	case int:
		return int64(v)
	}
	return 0
}

// Bool returns a boolean option's value, or false.
func (o Option) Bool() bool {
	b, _ := o.Value.(bool)
	return b
}

// User is the person behind an interaction.
type User struct {
	ID   string
	Name string
}

// Attachment is a file attached to a command option.
type Attachment struct {
	ID          string
	Filename    string
	URL         string
	Size        int
	ContentType string
}

// Response is what a handler returns: the interaction response to send, and optionally slow
// work to run after it.
type Response struct {
	*discordgo.InteractionResponse
	// Then, when set, is slow work. The bot first sends InteractionResponse (normally a
	// deferral), then runs Then within the follow-up window and edits the original response
	// to the data it returns. progress sends interim follow-ups (each at most a line or
	// two); it is safe to call from Then's goroutine only.
	Then func(ctx context.Context, progress func(string)) *discordgo.InteractionResponseData
	// Outcome says how the request went, for metrics; Handle sets it on every response
	// (a handler sets only OutcomeRefused, for an honest "I don't know").
	Outcome Outcome
}

// Outcome is how a request went, as metrics count it.
type Outcome string

// The outcomes Handle reports.
const (
	OutcomeAnswered  Outcome = "answered"       // the handler did what was asked
	OutcomeRefused   Outcome = "refused"        // /ask said the data does not say
	OutcomeUserError Outcome = "user_error"     // the person was told what to fix
	OutcomeInternal  Outcome = "internal_error" // something went wrong (ref …)
)

// Handler answers one kind of request.
type Handler interface {
	Handle(ctx context.Context, req *Request) (Response, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, req *Request) (Response, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, req *Request) (Response, error) { return f(ctx, req) }
