package bot_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"filmbot/bot"
	"filmbot/commands"
)

// readInteraction decodes a recorded INTERACTION_CREATE payload the way discordgo does on
// the gateway.
func readInteraction(t *testing.T, name string) *discordgo.Interaction {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "interactions", name))
	if err != nil {
		t.Fatal(err)
	}
	var ic discordgo.InteractionCreate
	if err := json.Unmarshal(data, &ic); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return ic.Interaction
}

func TestNewRequest(t *testing.T) {
	ana := commands.User{ID: "400000000000000001", Name: "Ana"}
	bo := commands.User{ID: "400000000000000002", Name: "bo"}
	const guild, channel = "600000000000000001", "300000000000000001"
	str := discordgo.ApplicationCommandOptionString

	tests := []struct {
		file string
		want *commands.Request
	}{
		{"slash_guild.json", &commands.Request{
			Kind: commands.KindCommand, Name: "film",
			Options: map[string]commands.Option{"title": {Type: str, Value: "Comrade Kim Goes Flying"}},
			User:    ana, GuildID: guild, ChannelID: channel, Permissions: 2147483648, Locale: "en-GB",
		}},
		{"slash_dm.json", &commands.Request{
			Kind: commands.KindCommand, Name: "fact", Options: map[string]commands.Option{},
			User: bo, ChannelID: channel, Locale: "en-GB",
		}},
		{"autocomplete_integer.json", &commands.Request{
			Kind: commands.KindAutocomplete, Name: "trivia", Subcommand: "start", Focused: "rounds",
			Options: map[string]commands.Option{
				"rounds": {Type: discordgo.ApplicationCommandOptionInteger, Value: "1"}, // as typed so far
				"film":   {Type: str, Value: "kim"},
			},
			User: ana, GuildID: guild, ChannelID: channel, Permissions: 2147483648, Locale: "en-GB",
		}},
		{"subcommand.json", &commands.Request{
			Kind: commands.KindCommand, Name: "trivia", Subcommand: "start",
			Options: map[string]commands.Option{
				"rounds": {Type: discordgo.ApplicationCommandOptionInteger, Value: 5.0},
				"public": {Type: discordgo.ApplicationCommandOptionBoolean, Value: true},
			},
			User: ana, GuildID: guild, ChannelID: channel, Permissions: 2147483648, Locale: "en-GB",
		}},
		{"attachment.json", &commands.Request{
			Kind: commands.KindCommand, Name: "reseed",
			Options: map[string]commands.Option{"file": {Type: discordgo.ApplicationCommandOptionAttachment, Value: "800000000000000001"}},
			Attachments: map[string]commands.Attachment{"file": {
				ID: "800000000000000001", Filename: "more.toml", Size: 1234, ContentType: "application/toml",
				URL: "https://cdn.discordapp.com/attachments/1/2/more.toml?ex=1",
			}},
			User: ana, GuildID: guild, ChannelID: channel, Permissions: 2147483648, Locale: "en-GB",
		}},
		{"button.json", &commands.Request{
			Kind: commands.KindComponent, CustomID: "fact:another:comrade-kim-goes-flying",
			MessageID: "900000000000000001",
			User:      ana, GuildID: guild, ChannelID: channel, Permissions: 2147483648, Locale: "en-GB",
		}},
		{"select.json", &commands.Request{
			Kind: commands.KindComponent, CustomID: "trivia:pick",
			Values:    map[string]string{"b": "b", "d": "d"},
			MessageID: "900000000000000002",
			User:      bo, ChannelID: channel, Locale: "en-GB",
		}},
		{"modal.json", &commands.Request{
			Kind: commands.KindModal, CustomID: "trivia:guess:42",
			Values: map[string]string{"answer": "Pyongyang"},
			User:   ana, GuildID: guild, ChannelID: channel, Permissions: 2147483648, Locale: "en-GB",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got, err := bot.NewRequest(readInteraction(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewRequest_refusesMalformed(t *testing.T) {
	tests := []struct {
		file string
		want error
	}{
		{"bad_option_type.json", bot.ErrMalformed},
		{"bad_guild_no_member.json", bot.ErrMalformed},
		{"bad_dm_no_user.json", bot.ErrMalformed},
		{"bad_unresolved_attachment.json", bot.ErrMalformed},
		{"bad_focused_in_command.json", bot.ErrMalformed},
		{"bad_long_custom_id.json", bot.ErrMalformed},
		{"bad_no_data.json", bot.ErrMalformed},
		{"bad_subcommand_beside_option.json", bot.ErrMalformed},
		{"unsupported_ping.json", bot.ErrUnsupported},
		{"unsupported_future_type.json", bot.ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			got, err := bot.NewRequest(readInteraction(t, tc.file))
			if !errors.Is(err, tc.want) {
				t.Errorf("NewRequest = %+v, %v; want %v", got, err, tc.want)
			}
		})
	}
	t.Run("nil", func(t *testing.T) {
		if _, err := bot.NewRequest(nil); !errors.Is(err, bot.ErrMalformed) {
			t.Errorf("NewRequest(nil) error = %v, want ErrMalformed", err)
		}
	})
	t.Run("data of another type", func(t *testing.T) {
		// A hand-built interaction can carry data that does not match its type, which
		// discordgo's accessors would panic on.
		i := readInteraction(t, "button.json")
		i.Type = discordgo.InteractionApplicationCommand
		if _, err := bot.NewRequest(i); !errors.Is(err, bot.ErrMalformed) {
			t.Errorf("error = %v, want ErrMalformed", err)
		}
	})
}

// FuzzNewRequest feeds arbitrary interaction JSON through discordgo's decoder and the
// converter: whatever arrives, NewRequest returns a request or an error, never a panic.
func FuzzNewRequest(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "interactions", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var ic discordgo.InteractionCreate
		if json.Unmarshal(data, &ic) != nil || ic.Interaction == nil {
			return
		}
		req, err := bot.NewRequest(ic.Interaction)
		if err == nil && (req.Kind == 0 || req.User.ID == "") {
			t.Errorf("request without kind or user: %+v", req)
		}
	})
}
