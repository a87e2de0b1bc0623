package discordspec_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"filmbot/internal/discordspec"
)

const (
	appID   = "1100000000000000001"
	guildID = "1200000000000000002"
	chanID  = "1300000000000000003"
	msgID   = "1400000000000000004"
	interID = "1500000000000000005"
	// An interaction token is long and opaque; this one is made up.
	token = "aW50ZXJhY3Rpb246MTUwMDAwMDAwMDAwMDAwMDAwNTp0ZXN0LXRva2VuLW5vdC1yZWFs"
)

var (
	callbackPath = "/api/v9/interactions/" + interID + "/" + token + "/callback"
	followupPath = "/api/v9/webhooks/" + appID + "/" + token + "?wait=true"
	originalPath = "/api/v9/webhooks/" + appID + "/" + token + "/messages/@original"
	followupEdit = "/api/v9/webhooks/" + appID + "/" + token + "/messages/" + msgID
	commandsPath = "/api/v9/applications/" + appID + "/commands"
	guildCmdPath = "/api/v9/applications/" + appID + "/guilds/" + guildID + "/commands"
	channelPath  = "/api/v9/channels/" + chanID + "/messages"
	messagePath  = "/api/v9/channels/" + chanID + "/messages/" + msgID
)

// mustJSON marshals v as discordgo does before sending it.
func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

func filmEmbed() *discordgo.MessageEmbed {
	return &discordgo.MessageEmbed{
		Title:       "Comrade Kim Goes Flying (2012)",
		Description: "A coal miner dreams of becoming a trapeze artist.",
		Color:       0x3366cc,
		Timestamp:   "2024-05-01T12:00:00Z",
		URL:         "https://example.org/films/comrade-kim",
		Fields: []*discordgo.MessageEmbedField{
			{Name: "Genre", Value: "Comedy", Inline: true},
			{Name: "Cast", Value: "Han Jong Sim as Kim Yong Mi"},
		},
		Footer: &discordgo.MessageEmbedFooter{Text: "Source: an article"},
		Author: &discordgo.MessageEmbedAuthor{Name: "filmbot"},
	}
}

func buttons() []discordgo.MessageComponent {
	return []discordgo.MessageComponent{
		discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Another fact", Style: discordgo.PrimaryButton, CustomID: "fact:next"},
			discordgo.Button{Label: "Read more", Style: discordgo.LinkButton, URL: "https://example.org/a"},
		}},
		discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.SelectMenu{CustomID: "film:pick", Placeholder: "Pick a film", Options: []discordgo.SelectMenuOption{
				{Label: "Comrade Kim Goes Flying", Value: "comrade-kim"},
				{Label: "Another film", Value: "another", Description: "a second one"},
			}},
		}},
	}
}

func commands() []*discordgo.ApplicationCommand {
	zero := int64(0)
	minLen := 1
	return []*discordgo.ApplicationCommand{
		{
			Name:        "film",
			Description: "Show a film card",
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionString, Name: "title", Description: "Film title",
				Required: true, Autocomplete: true, MinLength: &minLen, MaxLength: 100,
			}},
		},
		{
			Name:        "leaderboard",
			Description: "Top players",
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionString, Name: "scope", Description: "Which players",
				Choices: []*discordgo.ApplicationCommandOptionChoice{
					{Name: "This server", Value: "server"}, {Name: "All servers", Value: "all"},
				},
			}, {
				Type: discordgo.ApplicationCommandOptionInteger, Name: "top", Description: "How many",
				Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "Ten", Value: 10}},
			}},
		},
		{
			Name:                     "reseed",
			Description:              "Rebuild the knowledge (owner only)",
			DefaultMemberPermissions: &zero,
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionAttachment, Name: "file", Description: "A seed file",
			}},
		},
		{
			Name:        "trivia",
			Description: "Play a quiz",
			Options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "start", Description: "Start a quiz",
				Options: []*discordgo.ApplicationCommandOption{{
					Type: discordgo.ApplicationCommandOptionInteger, Name: "rounds", Description: "Rounds",
				}},
			}},
		},
	}
}

// validRequests are bodies the bot sends, made by discordgo's own types.
func validRequests(tb testing.TB) []struct {
	name, method, path string
	body               []byte
} {
	tb.Helper()
	content := "Comrade Kim Goes Flying was shot in Pyongyang."
	embeds := []*discordgo.MessageEmbed{filmEmbed()}
	comps := buttons()
	multipartType, multipartBody, err := discordgo.MultipartBodyWithJSON(&discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content:         "Your backup",
			AllowedMentions: noMentions(),
			Files:           []*discordgo.File{{Name: "seed.toml", Reader: strings.NewReader("[film]\n")}},
		},
	}, []*discordgo.File{{Name: "seed.toml", Reader: strings.NewReader("[film]\n")}})
	if err != nil || !strings.HasPrefix(multipartType, "multipart/form-data") {
		tb.Fatalf("multipart body: %v, %q", err, multipartType)
	}
	return []struct {
		name, method, path string
		body               []byte
	}{
		{"reply with content, embeds, components, ephemeral", "POST", callbackPath, mustJSON(tb, discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{
				Content: content, Embeds: embeds, Components: comps,
				AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsEphemeral,
			},
		})},
		{"deferral", "POST", callbackPath, mustJSON(tb, discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		})},
		{"ephemeral deferral", "POST", callbackPath, mustJSON(tb, discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()},
		})},
		{"autocomplete result", "POST", callbackPath, mustJSON(tb, discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{
				{Name: "Comrade Kim Goes Flying (2012)", Value: "comrade-kim-goes-flying"},
				{Name: "Another film", Value: "another"},
			}},
		})},
		{"empty autocomplete result", "POST", callbackPath, mustJSON(tb, discordgo.InteractionResponse{
			Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}},
		})},
		{"update message", "POST", callbackPath, mustJSON(tb, discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseUpdateMessage,
			Data: &discordgo.InteractionResponseData{Content: content, Components: comps, AllowedMentions: noMentions()},
		})},
		{"deferred update", "POST", callbackPath, mustJSON(tb, discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredMessageUpdate,
		})},
		{"reply with a file (multipart)", "POST", callbackPath, multipartBody},
		{"bulk overwrite of global commands", "PUT", commandsPath, mustJSON(tb, commands())},
		{"bulk overwrite of guild commands", "PUT", guildCmdPath, mustJSON(tb, commands()[2:3])},
		{"follow-up", "POST", followupPath, mustJSON(tb, discordgo.WebhookParams{
			Content: content, Embeds: embeds, Components: comps, AllowedMentions: noMentions(),
			Flags: discordgo.MessageFlagsEphemeral,
		})},
		{"edit of the original reply", "PATCH", originalPath, mustJSON(tb, discordgo.WebhookEdit{
			Content: &content, Embeds: &embeds, Components: &comps, AllowedMentions: noMentions(),
		})},
		{"edit of a follow-up", "PATCH", followupEdit, mustJSON(tb, discordgo.WebhookEdit{
			Content: &content, AllowedMentions: noMentions(),
		})},
		{"channel message", "POST", channelPath, mustJSON(tb, discordgo.MessageSend{
			Content: content, Embeds: embeds, Components: comps, AllowedMentions: noMentions(),
		})},
		{"channel message edit", "PATCH", messagePath, mustJSON(tb, discordgo.MessageEdit{
			Content: &content, Components: &comps, AllowedMentions: noMentions(),
		})},
		{"delete of the original reply", "DELETE", originalPath, nil},
		{"gateway discovery", "GET", "/api/v9/gateway", nil},
		{"v10 path", "POST", "/api/v10/channels/" + chanID + "/messages", mustJSON(tb, discordgo.MessageSend{
			Content: content, AllowedMentions: noMentions(),
		})},
	}
}

func TestSpec_ValidateRequest_valid(t *testing.T) {
	spec := discordspec.ForTest(t)
	for _, tc := range validRequests(t) {
		t.Run(tc.name, func(t *testing.T) {
			if err := spec.ValidateRequest(tc.method, tc.path, tc.body); err != nil {
				t.Errorf("%s\nbody: %s", err, tc.body)
			}
		})
	}
}

// at is a violation's place and rule, what the tests compare.
type at struct{ Pointer, Rule string }

func places(err error) []at {
	var ve *discordspec.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	out := make([]at, len(ve.Violations))
	for i, v := range ve.Violations {
		out[i] = at{v.Pointer, v.Rule}
	}
	return out
}

func reply(data map[string]any) map[string]any {
	if _, ok := data["allowed_mentions"]; !ok {
		data["allowed_mentions"] = map[string]any{"parse": []any{}}
	}
	return map[string]any{"type": 4, "data": data}
}

func repeat(n int) string { return strings.Repeat("a", n) }

func button(label, customID string) map[string]any {
	return map[string]any{"type": 2, "style": 1, "label": label, "custom_id": customID}
}

func row(comps ...any) map[string]any { return map[string]any{"type": 1, "components": comps} }

func manyChoices(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]any{"name": "film", "value": "film"}
	}
	return out
}

func TestSpec_ValidateRequest_invalid(t *testing.T) {
	spec := discordspec.ForTest(t)
	options := make([]any, 26)
	for i := range options {
		options[i] = map[string]any{"label": "x", "value": "x"}
	}
	tests := []struct {
		name, method, path string
		body               any // marshalled to JSON unless a string
		want               []at
	}{
		{"content over 2000", "POST", callbackPath, reply(map[string]any{"content": repeat(2001)}),
			[]at{{"/data/content", "maxLength"}}},
		{"content of 2000 emoji is 2000 characters", "POST", callbackPath, reply(map[string]any{"content": strings.Repeat("🎬", 2000)}),
			nil},
		{"embed title over 256", "POST", callbackPath, reply(map[string]any{"embeds": []any{map[string]any{"title": repeat(257)}}}),
			[]at{{"/data/embeds/0/title", "maxLength"}}},
		{"embed description over 4096 in a follow-up", "POST", followupPath,
			map[string]any{"embeds": []any{map[string]any{"description": repeat(4097)}}},
			[]at{{"/embeds/0/description", "maxLength"}}},
		{"flags as a string", "POST", callbackPath, reply(map[string]any{"content": "x", "flags": "64"}),
			[]at{{"/data/flags", "type"}}},
		{"eleven embeds", "POST", callbackPath, reply(map[string]any{"embeds": objects(11, map[string]any{"title": "x"})}),
			[]at{{"/data/embeds", "maxItems"}}},
		{"a null embed", "POST", callbackPath, reply(map[string]any{"embeds": []any{nil}}),
			[]at{{"/data/embeds/0", "type"}}},
		{"embed field without a value", "POST", callbackPath, reply(map[string]any{"embeds": []any{
			map[string]any{"fields": []any{map[string]any{"name": "Genre"}}}}}),
			[]at{{"/data/embeds/0/fields/0/value", "required"}}},
		{"embed colour out of range", "PATCH", originalPath, map[string]any{"embeds": []any{map[string]any{"color": 16777216}}},
			[]at{{"/embeds/0/color", "maximum"}}},
		{"26 autocomplete choices", "POST", callbackPath, map[string]any{"type": 8, "data": map[string]any{"choices": manyChoices(26)}},
			[]at{{"/data/choices", "maxItems"}}},
		{"autocomplete choice name over 100", "POST", callbackPath, map[string]any{"type": 8, "data": map[string]any{
			"choices": []any{map[string]any{"name": repeat(101), "value": "x"}}}},
			[]at{{"/data/choices/0/name", "maxLength"}}},
		{"custom_id over 100", "POST", callbackPath, reply(map[string]any{"components": []any{row(button("Next", repeat(101)))}}),
			[]at{{"/data/components/0/components/0/custom_id", "maxLength"}}},
		{"button label over 80", "POST", callbackPath, reply(map[string]any{"components": []any{row(button(repeat(81), "next"))}}),
			[]at{{"/data/components/0/components/0/label", "maxLength"}}},
		{"button style unknown", "POST", callbackPath, reply(map[string]any{"components": []any{row(
			map[string]any{"type": 2, "style": 9, "label": "x", "custom_id": "x"})}}),
			[]at{{"/data/components/0/components/0/style", "enum"}}},
		{"six buttons in a row", "POST", callbackPath, reply(map[string]any{"components": []any{row(
			button("1", "1"), button("2", "2"), button("3", "3"), button("4", "4"), button("5", "5"), button("6", "6"))}}),
			[]at{{"/data/components/0/components", "maxItems"}}},
		{"select with 26 options", "POST", channelPath, map[string]any{"components": []any{row(
			map[string]any{"type": 3, "custom_id": "pick", "options": options})}},
			[]at{{"/components/0/components/0/options", "maxItems"}}},
		{"unknown allowed mention type", "POST", callbackPath, reply(map[string]any{"content": "x",
			"allowed_mentions": map[string]any{"parse": []any{"bogus"}}}),
			[]at{{"/data/allowed_mentions/parse/0", "enum"}}},
		{"unknown callback type", "POST", callbackPath, map[string]any{"type": 99},
			[]at{{"/type", "enum"}}},
		{"callback that is not an object", "POST", callbackPath, []any{},
			[]at{{"", "type"}}},
		{"body that is not JSON", "POST", callbackPath, "{", []at{{"", "body"}}},
		{"missing body", "POST", callbackPath, "", []at{{"", "required"}}},
		{"body where none is taken", "DELETE", originalPath, map[string]any{}, []at{{"", "body"}}},
		{"command name over 32 and 26 options", "PUT", commandsPath, []any{map[string]any{
			"name": repeat(33), "description": "x", "options": objects(26, map[string]any{"type": 5, "name": "x", "description": "x"})}},
			[]at{{"/0/name", "maxLength"}, {"/0/options", "maxItems"}}},
		{"option with an empty description", "PUT", guildCmdPath, []any{map[string]any{
			"name": "film", "description": "x", "options": []any{map[string]any{"type": 3, "name": "title", "description": ""}}}},
			[]at{{"/0/options/0/description", "minLength"}}},
		{"permissions that are not a number", "PUT", commandsPath, []any{map[string]any{
			"name": "film", "description": "x", "default_member_permissions": "admins"}},
			[]at{{"/0/default_member_permissions", "type"}}},
		{"a channel id that is not a snowflake", "POST", "/api/v9/channels/general/messages", map[string]any{"content": "x"},
			[]at{{"{channel_id}", "pattern"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, ok := tc.body.(string)
			if !ok {
				body = string(mustJSON(t, tc.body))
			}
			err := spec.ValidateRequest(tc.method, tc.path, []byte(body))
			if diff := cmp.Diff(tc.want, places(err)); diff != "" {
				t.Errorf("violations (-want +got):\n%s\nerror: %v", diff, err)
			}
			if err != nil && strings.Contains(err.Error(), token) {
				t.Errorf("the error shows the interaction token: %v", err)
			}
		})
	}
}

// objects is n copies of obj.
func objects(n int, obj map[string]any) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = obj
	}
	return out
}

func TestSpec_ValidateRequest_unknownOperation(t *testing.T) {
	spec := discordspec.ForTest(t)
	tests := []struct{ name, method, path string }{
		{"unknown path", "POST", "/api/v9/films/" + chanID},
		{"unknown method on a known path", "PUT", callbackPath},
		{"missing segment", "POST", "/api/v9/interactions/" + interID + "/callback"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := spec.ValidateRequest(tc.method, tc.path, []byte(`{"type":4}`))
			if !errors.Is(err, discordspec.ErrUnknownOperation) {
				t.Fatalf("got %v, want ErrUnknownOperation", err)
			}
			if strings.Contains(err.Error(), token) {
				t.Errorf("the error shows the interaction token: %v", err)
			}
		})
	}
}

func TestLoad_missingFile(t *testing.T) {
	if _, err := discordspec.Load(t.TempDir() + "/openapi.json"); err == nil {
		t.Fatal("Load of a missing file succeeded")
	}
}

func BenchmarkSpec_ValidateRequest(b *testing.B) {
	spec := discordspec.ForTest(b)
	reqs := validRequests(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range reqs {
			if err := spec.ValidateRequest(r.method, r.path, r.body); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(reqs)), "ns/body")
}
