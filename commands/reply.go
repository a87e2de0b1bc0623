package commands

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// The bounds Discord documents for what an interaction can carry; anything past them is
// not from Discord and is refused before a handler sees it.
const (
	MaxOptionDepth = 3  // command → group → subcommand → options
	MaxOptions     = 25 // options per level, values per select
	MaxName        = 32 // command and option names
)

// Replies to interactions that never reach a handler; the bot sends them, commands words
// them.
const (
	malformedText = "I couldn't read that request. Please try again."
	slowDownText  = "Slow down a little: you can use another command in %s."
)

// KindOf returns the Kind of a Discord interaction type, or 0 for types filmbot does not
// route (PING, and types Discord adds later).
func KindOf(t discordgo.InteractionType) Kind {
	switch t {
	case discordgo.InteractionApplicationCommand:
		return KindCommand
	case discordgo.InteractionApplicationCommandAutocomplete:
		return KindAutocomplete
	case discordgo.InteractionMessageComponent:
		return KindComponent
	case discordgo.InteractionModalSubmit:
		return KindModal
	}
	return 0
}

// Refusal is the reply msg shown only to the person, fitted and mentioning nobody; for
// autocomplete, which cannot show a message, it is an empty list of choices.
func Refusal(kind Kind, msg string) Response {
	if kind == KindAutocomplete {
		return noChoices()
	}
	r := ephemeral(msg)
	seal(r.InteractionResponse)
	return r
}

// Malformed is the reply to an interaction that could not be read.
func Malformed(kind Kind) Response { return Refusal(kind, malformedText) }

// SlowDown is the reply to a person over the rate limit, who may try again after wait.
func SlowDown(kind Kind, wait time.Duration) Response {
	return Refusal(kind, fmt.Sprintf(slowDownText, roundUp(wait)))
}

// Failure is the reply to an internal error the caller has logged with ref (from NewRef).
func Failure(kind Kind, ref string) Response { return Refusal(kind, SomethingWrong(ref)) }

// SomethingWrong is the text of the reply to an internal error, quoting the reference in
// the log line.
func SomethingWrong(ref string) string {
	return fmt.Sprintf("Something went wrong (ref %s).", ref)
}

// NewRef returns a short random reference that ties a reply to its log line.
func NewRef() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// Followup is the body of an interim message during slow work (see Response.Then).
func Followup(text string, ephemeral bool) *discordgo.WebhookParams {
	p := &discordgo.WebhookParams{Content: Truncate(text, MaxContent), AllowedMentions: NoMentions()}
	if ephemeral {
		p.Flags = discordgo.MessageFlagsEphemeral
	}
	return p
}

// Edit is the body that replaces an interaction's original response (the deferral of slow
// work) with data, fitted and mentioning nobody.
func Edit(data *discordgo.InteractionResponseData) *discordgo.WebhookEdit {
	if data == nil {
		data = &discordgo.InteractionResponseData{}
	}
	d := *data
	Fit(&d)
	edit := &discordgo.WebhookEdit{Content: &d.Content, AllowedMentions: NoMentions()}
	if len(d.Embeds) > 0 {
		edit.Embeds = &d.Embeds
	}
	if len(d.Components) > 0 {
		edit.Components = &d.Components
	}
	return edit
}

// roundUp renders a wait for people, in whole seconds.
func roundUp(d time.Duration) string {
	s := (d + time.Second - 1) / time.Second
	if s <= 1 {
		return "a second"
	}
	return strconv.Itoa(int(s)) + " seconds"
}
