// Package commands turns interactions into replies: one handler per slash command, a router
// that picks the handler, and the single funnel every reply passes through (limits,
// allowed mentions, errors). Handlers never touch a Discord session, so the gateway bot,
// the offline console and the tests all call the same code.
//
// STUB: the API below is the contract; the implementation is being written.
package commands

import (
	"context"
	"log/slog"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/store"
)

// Deps is what the handlers need.
type Deps struct {
	Store  *store.Store
	Logger *slog.Logger
	// Owners are the user IDs allowed to run owner-only commands.
	Owners []string
	// HomeGuild is the only guild where owner-only commands are registered and run.
	HomeGuild string
	// Fetch downloads an attachment, failing past max bytes. nil disables attachments.
	Fetch func(ctx context.Context, url string, max int64) ([]byte, error)
	// MaxSeedBytes caps a /reseed attachment.
	MaxSeedBytes int64
	// Now returns the time; nil means time.Now.
	Now func() time.Time
}

// Set is every command filmbot offers, with its router.
type Set struct {
	deps Deps
}

// New returns the command set with the built-in commands (/film, /ask, /fact, /help,
// /reseed) registered.
func New(deps Deps) *Set { return &Set{deps: deps} }

// Register adds a command. def is its definition for Discord; home reports whether it is
// registered only in the home guild (owner commands). Components and modals whose custom
// ID starts with name+":" are routed to h too.
func (s *Set) Register(name string, def *discordgo.ApplicationCommand, home bool, h Handler) {}

// Definitions returns the commands to register globally (or to the development guild) and
// those to register only in the home guild.
func (s *Set) Definitions() (global, home []*discordgo.ApplicationCommand) { return nil, nil }

// Handle routes req to its handler and returns the reply to send. It never panics and never
// returns a nil InteractionResponse: unknown names, wrong kinds, handler errors and panics
// become short ephemeral replies (internal errors are logged once with a reference), and
// every reply is cut to Discord's limits and carries allowed_mentions with an empty parse
// list.
func (s *Set) Handle(ctx context.Context, req *Request) Response { return Response{} }
