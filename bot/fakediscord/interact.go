package fakediscord

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// Interaction is an INTERACTION_CREATE payload as Discord sends it, kept as a JSON object so
// a test can forge or remove any field.
type Interaction map[string]any

// ID returns the interaction's ID.
func (in Interaction) ID() string { s, _ := in["id"].(string); return s }

// Token returns the interaction's token.
func (in Interaction) Token() string { s, _ := in["token"].(string); return s }

// Who says who invokes an interaction, and where.
type Who struct {
	// User is the user ID; "" means DefaultUser.
	User string
	// Guild is the guild ID; "" means a DM (user and no member, as Discord sends it).
	Guild string
	// Permissions are the member's permissions as Discord sends them, a decimal string;
	// "" means "0". Ignored in a DM.
	Permissions string
}

// Default IDs for the interactions the builders make.
const (
	DefaultUser    = "400000000000000001"
	DefaultChannel = "300000000000000001"
)

// Option is one command option as Discord sends it.
type Option map[string]any

// Str is a string option.
func Str(name, value string) Option { return Option{"name": name, "type": 3, "value": value} }

// Int is an integer option.
func Int(name string, value int) Option { return Option{"name": name, "type": 4, "value": value} }

// Bool is a boolean option.
func Bool(name string, value bool) Option { return Option{"name": name, "type": 5, "value": value} }

// Sub is a subcommand with its options.
func Sub(name string, opts ...Option) Option {
	return Option{"name": name, "type": 1, "options": opts}
}

// Focused marks o as the option being typed, in an autocomplete interaction.
func Focused(o Option) Option {
	o["focused"] = true
	return o
}

// base builds the fields every interaction has.
func (s *Server) base(typ discordgo.InteractionType, who Who) Interaction {
	user := who.User
	if user == "" {
		user = DefaultUser
	}
	// The username ends with the ID's last four digits, or the whole ID when it is shorter.
	tail := user[max(len(user)-4, 0):]
	u := map[string]any{"id": user, "username": "user" + tail, "discriminator": "0", "global_name": nil}
	in := Interaction{
		"id":                             s.NextID(),
		"application_id":                 s.opts.AppID,
		"type":                           int(typ),
		"token":                          "aW50ZXJhY3Rpb246" + s.NextID() + "OnNlY3JldC10b2tlbi1mb3ItdGVzdHM",
		"version":                        1,
		"channel_id":                     DefaultChannel,
		"locale":                         "en-US",
		"app_permissions":                "562949953421311",
		"entitlements":                   []any{},
		"authorizing_integration_owners": map[string]any{"0": "500000000000000001"},
	}
	if who.Guild == "" {
		in["context"] = 1
		in["user"] = u
		return in
	}
	perms := who.Permissions
	if perms == "" {
		perms = "0"
	}
	in["context"] = 0
	in["guild_id"] = who.Guild
	in["guild_locale"] = "en-US"
	in["member"] = map[string]any{
		"user":        u,
		"roles":       []any{},
		"joined_at":   "2024-01-01T00:00:00.000000+00:00",
		"permissions": perms,
		"deaf":        false,
		"mute":        false,
		"flags":       0,
	}
	return in
}

// Command builds a slash command interaction.
func (s *Server) Command(who Who, name string, opts ...Option) Interaction {
	in := s.base(discordgo.InteractionApplicationCommand, who)
	in["data"] = map[string]any{"id": s.NextID(), "name": name, "type": 1, "options": opts}
	return in
}

// Autocomplete builds an autocomplete interaction; mark the typed option with Focused.
func (s *Server) Autocomplete(who Who, name string, opts ...Option) Interaction {
	in := s.base(discordgo.InteractionApplicationCommandAutocomplete, who)
	in["data"] = map[string]any{"id": s.NextID(), "name": name, "type": 1, "options": opts}
	return in
}

// Button builds a button click on a message the bot sent.
func (s *Server) Button(who Who, customID string) Interaction {
	in := s.base(discordgo.InteractionMessageComponent, who)
	in["data"] = map[string]any{"custom_id": customID, "component_type": 2}
	in["message"] = s.botMessage()
	return in
}

// Select builds a string select choice on a message the bot sent.
func (s *Server) Select(who Who, customID string, values ...string) Interaction {
	in := s.base(discordgo.InteractionMessageComponent, who)
	in["data"] = map[string]any{"custom_id": customID, "component_type": 3, "values": values}
	in["message"] = s.botMessage()
	return in
}

// Modal builds a modal submission with text inputs by custom ID.
func (s *Server) Modal(who Who, customID string, fields map[string]string) Interaction {
	in := s.base(discordgo.InteractionModalSubmit, who)
	rows := []any{}
	for id, v := range fields {
		rows = append(rows, map[string]any{"type": 1, "components": []any{
			map[string]any{"type": 4, "custom_id": id, "value": v},
		}})
	}
	in["data"] = map[string]any{"custom_id": customID, "components": rows}
	return in
}

func (s *Server) botMessage() map[string]any {
	return map[string]any{
		"id": s.NextID(), "channel_id": DefaultChannel, "type": 0, "content": "",
		"author": s.botUser(), "timestamp": "2024-01-01T00:00:00.000000+00:00",
		"embeds": []any{}, "attachments": []any{}, "components": []any{}, "flags": 0,
	}
}

// Attach adds an attachment option to a command interaction: the file is served by the
// fake, and appears in the options and in data.resolved.attachments as Discord sends it.
func (s *Server) Attach(in Interaction, option, filename string, data []byte) Interaction {
	id := s.NextID()
	d, _ := in["data"].(map[string]any)
	if d == nil {
		return in
	}
	opts, _ := d["options"].([]Option)
	d["options"] = append(opts, Option{"name": option, "type": 11, "value": id})
	url := s.ServeFile(filename, data)
	d["resolved"] = map[string]any{"attachments": map[string]any{id: map[string]any{
		"id": id, "filename": filename, "size": len(data), "url": url, "proxy_url": url,
		"content_type": "text/plain; charset=utf-8",
	}}}
	return in
}

// maxTokens bounds how many interaction tokens the fake remembers, so a long benchmark
// does not grow it without bound.
const maxTokens = 1 << 16

// Send dispatches in and returns a channel that receives its callback.
func (s *Server) Send(ctx context.Context, in Interaction) (<-chan *Callback, error) {
	id, token := in.ID(), in.Token()
	ch := make(chan *Callback, 1)
	s.mu.Lock()
	if id != "" && token != "" {
		s.waiters[id] = ch
		s.tokens[token] = &tokenState{id: id}
		s.tokenOrder = append(s.tokenOrder, token)
		if len(s.tokenOrder) > maxTokens {
			for _, t := range s.tokenOrder[:maxTokens/2] {
				if ts := s.tokens[t]; ts != nil {
					delete(s.waiters, ts.id)
				}
				delete(s.tokens, t)
			}
			s.tokenOrder = append([]string(nil), s.tokenOrder[maxTokens/2:]...)
		}
	}
	s.mu.Unlock()
	data, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	if err := s.dispatchRaw(ctx, "INTERACTION_CREATE", data); err != nil {
		s.forget(id)
		return nil, err
	}
	return ch, nil
}

func (s *Server) forget(id string) {
	s.mu.Lock()
	delete(s.waiters, id)
	s.mu.Unlock()
}

// Interact dispatches in and waits for its callback.
func (s *Server) Interact(ctx context.Context, in Interaction) (*Callback, error) {
	ch, err := s.Send(ctx, in)
	if err != nil {
		return nil, err
	}
	select {
	case cb := <-ch:
		return cb, nil
	case <-ctx.Done():
		s.forget(in.ID())
		return nil, fmt.Errorf("interaction %s (%v): no callback: %w", in.ID(), in["type"], ctx.Err())
	}
}

// Await waits for the callback on a channel from Send.
func Await(ctx context.Context, ch <-chan *Callback) (*Callback, error) {
	select {
	case cb := <-ch:
		return cb, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("no callback: %w", ctx.Err())
	}
}

// WebhookPattern is the path pattern of an interaction's follow-up messages.
const WebhookPattern = "/api/v9/webhooks/{app}/{token}"

// OriginalPattern is the path pattern of edits to an interaction's first response.
const OriginalPattern = "/api/v9/webhooks/{app}/{token}/messages/@original"

// FollowupsOf returns the follow-ups posted for in, oldest first.
func (s *Server) FollowupsOf(in Interaction) []Call {
	return s.CallsTo("POST", "/api/v9/webhooks/"+s.opts.AppID+"/"+in.Token())
}

// EditsOf returns the edits of in's original response, oldest first.
func (s *Server) EditsOf(in Interaction) []Call {
	return s.CallsTo("PATCH", "/api/v9/webhooks/"+s.opts.AppID+"/"+in.Token()+"/messages/@original")
}

// IssuedTokens returns the interaction tokens of the most recent interactions sent (up to
// 65536), for checking that none reached a log.
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokenOrder...)
}
