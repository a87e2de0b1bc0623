package bot

import (
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
)

// ErrMalformed is returned (wrapped, with what was wrong) by NewRequest when an interaction
// does not have the shape Discord documents for its type: missing data, data of another
// type, an option whose value has the wrong JSON type, an attachment that is not resolved,
// a guild interaction without a member.
var ErrMalformed = errors.New("malformed interaction")

// ErrUnsupported is returned by NewRequest for interaction types filmbot does not route
// (PING, which only the HTTP-interactions endpoint receives, and types Discord adds later).
var ErrUnsupported = errors.New("unsupported interaction type")

// NewRequest turns a gateway interaction into a commands.Request. It never panics: it checks
// the concrete type of i.Data against i.Type instead of calling discordgo's accessors (which
// panic on a mismatch) and checks every option value's JSON type by hand. The invoking user
// comes from member.user in a guild and from user in a DM.
func NewRequest(i *discordgo.Interaction) (*commands.Request, error) {
	if i == nil {
		return nil, fmt.Errorf("%w: no interaction", ErrMalformed)
	}
	kind := commands.KindOf(i.Type)
	if kind == 0 {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, i.Type)
	}
	req := &commands.Request{
		Kind:      kind,
		GuildID:   i.GuildID,
		ChannelID: i.ChannelID,
		Locale:    string(i.Locale),
	}
	if err := fillUser(req, i); err != nil {
		return nil, err
	}

	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return nil, fmt.Errorf("%w: %v interaction without command data", ErrMalformed, i.Type)
		}
		if err := fillCommand(req, data); err != nil {
			return nil, err
		}
	case discordgo.InteractionMessageComponent:
		data, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok {
			return nil, fmt.Errorf("%w: component interaction without component data", ErrMalformed)
		}
		if err := fillCustomID(req, data.CustomID); err != nil {
			return nil, err
		}
		if len(data.Values) > commands.MaxOptions {
			return nil, fmt.Errorf("%w: %d selected values", ErrMalformed, len(data.Values))
		}
		if len(data.Values) > 0 {
			req.Values = make(map[string]string, len(data.Values))
			for _, v := range data.Values {
				req.Values[v] = v
			}
		}
		if i.Message != nil {
			req.MessageID = i.Message.ID
		}
	case discordgo.InteractionModalSubmit:
		data, ok := i.Data.(discordgo.ModalSubmitInteractionData)
		if !ok {
			return nil, fmt.Errorf("%w: modal interaction without modal data", ErrMalformed)
		}
		if err := fillCustomID(req, data.CustomID); err != nil {
			return nil, err
		}
		req.Values = make(map[string]string)
		if err := collectInputs(req.Values, data.Components, 0); err != nil {
			return nil, err
		}
		if i.Message != nil {
			req.MessageID = i.Message.ID
		}
	}
	return req, nil
}

// fillUser sets the invoking user and, in a guild, their permissions.
func fillUser(req *commands.Request, i *discordgo.Interaction) error {
	if i.GuildID != "" {
		if i.Member == nil || i.Member.User == nil || i.Member.User.ID == "" {
			return fmt.Errorf("%w: guild interaction without member", ErrMalformed)
		}
		req.User = commands.User{ID: i.Member.User.ID, Name: displayName(i.Member.Nick, i.Member.User)}
		req.Permissions = i.Member.Permissions
		return nil
	}
	// A DM: Discord sends user and no member. A member here is not Discord's doing; the
	// user field alone says who it is.
	if i.User == nil || i.User.ID == "" {
		return fmt.Errorf("%w: DM interaction without user", ErrMalformed)
	}
	req.User = commands.User{ID: i.User.ID, Name: displayName("", i.User)}
	return nil
}

func displayName(nick string, u *discordgo.User) string {
	switch {
	case nick != "":
		return nick
	case u.GlobalName != "":
		return u.GlobalName
	}
	return u.Username
}

// fillCommand copies a slash command's name, subcommand, options and attachments.
func fillCommand(req *commands.Request, data discordgo.ApplicationCommandInteractionData) error {
	if data.Name == "" || len(data.Name) > commands.MaxName {
		return fmt.Errorf("%w: command name %q", ErrMalformed, data.Name)
	}
	req.Name = data.Name
	req.Options = make(map[string]commands.Option)
	autocomplete := req.Kind == commands.KindAutocomplete
	if err := flattenOptions(req, data.Options, autocomplete, 0); err != nil {
		return err
	}
	for name, opt := range req.Options {
		if opt.Type != discordgo.ApplicationCommandOptionAttachment {
			continue
		}
		id, _ := opt.Value.(string)
		var a *discordgo.MessageAttachment
		if data.Resolved != nil {
			a = data.Resolved.Attachments[id]
		}
		if a == nil {
			if autocomplete { // Discord does not resolve attachments while the user types
				continue
			}
			return fmt.Errorf("%w: attachment %q not resolved", ErrMalformed, id)
		}
		if req.Attachments == nil {
			req.Attachments = make(map[string]commands.Attachment)
		}
		req.Attachments[name] = commands.Attachment{
			ID:          a.ID,
			Filename:    a.Filename,
			URL:         a.URL,
			Size:        a.Size,
			ContentType: a.ContentType,
		}
	}
	return nil
}

// flattenOptions walks subcommand groups and subcommands, recording the chosen subcommand
// and checking each value's type. While autocompleting, Discord sends the focused option's
// text as typed, so a number option may arrive as a string.
func flattenOptions(req *commands.Request, opts []*discordgo.ApplicationCommandInteractionDataOption, autocomplete bool, depth int) error {
	if depth >= commands.MaxOptionDepth {
		return fmt.Errorf("%w: options nested too deep", ErrMalformed)
	}
	if len(opts) > commands.MaxOptions {
		return fmt.Errorf("%w: %d options", ErrMalformed, len(opts))
	}
	for _, o := range opts {
		if o == nil || o.Name == "" || len(o.Name) > commands.MaxName {
			return fmt.Errorf("%w: option without a name", ErrMalformed)
		}
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommandGroup, discordgo.ApplicationCommandOptionSubCommand:
			if len(opts) != 1 {
				return fmt.Errorf("%w: subcommand %q beside other options", ErrMalformed, o.Name)
			}
			if o.Type == discordgo.ApplicationCommandOptionSubCommand {
				req.Subcommand = o.Name
			}
			if err := flattenOptions(req, o.Options, autocomplete, depth+1); err != nil {
				return err
			}
			continue
		}
		if len(o.Options) > 0 {
			return fmt.Errorf("%w: option %q has options", ErrMalformed, o.Name)
		}
		if !valueFits(o.Type, o.Value, autocomplete && o.Focused) {
			return fmt.Errorf("%w: option %q of type %v holds %T", ErrMalformed, o.Name, o.Type, o.Value)
		}
		if _, dup := req.Options[o.Name]; dup {
			return fmt.Errorf("%w: option %q given twice", ErrMalformed, o.Name)
		}
		req.Options[o.Name] = commands.Option{Type: o.Type, Value: o.Value}
		if o.Focused {
			if !autocomplete || req.Focused != "" {
				return fmt.Errorf("%w: unexpected focused option %q", ErrMalformed, o.Name)
			}
			req.Focused = o.Name
		}
	}
	return nil
}

// valueFits reports whether v is the JSON type Discord sends for an option of type t.
func valueFits(t discordgo.ApplicationCommandOptionType, v any, typing bool) bool {
	switch v.(type) {
	case string:
		switch t {
		case discordgo.ApplicationCommandOptionString,
			discordgo.ApplicationCommandOptionUser,
			discordgo.ApplicationCommandOptionChannel,
			discordgo.ApplicationCommandOptionRole,
			discordgo.ApplicationCommandOptionMentionable,
			discordgo.ApplicationCommandOptionAttachment:
			return true
		case discordgo.ApplicationCommandOptionInteger, discordgo.ApplicationCommandOptionNumber:
			return typing
		}
	case float64:
		return t == discordgo.ApplicationCommandOptionInteger || t == discordgo.ApplicationCommandOptionNumber
	case bool:
		return t == discordgo.ApplicationCommandOptionBoolean
	}
	return false
}

// fillCustomID sets the custom ID of a component or modal; package commands routes it.
func fillCustomID(req *commands.Request, id string) error {
	if id == "" || len(id) > commands.MaxCustomID {
		return fmt.Errorf("%w: custom_id of %d bytes", ErrMalformed, len(id))
	}
	req.CustomID = id
	return nil
}

// collectInputs gathers a modal's text inputs by custom ID, looking inside action rows.
func collectInputs(into map[string]string, comps []discordgo.MessageComponent, depth int) error {
	if depth > 2 || len(comps) > commands.MaxOptions {
		return fmt.Errorf("%w: modal components", ErrMalformed)
	}
	for _, c := range comps {
		switch c := c.(type) {
		case *discordgo.ActionsRow:
			if err := collectInputs(into, c.Components, depth+1); err != nil {
				return err
			}
		case *discordgo.TextInput:
			if c.CustomID == "" || len(c.CustomID) > commands.MaxCustomID {
				return fmt.Errorf("%w: text input custom_id", ErrMalformed)
			}
			into[c.CustomID] = c.Value
		}
	}
	return nil
}
