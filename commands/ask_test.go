package commands

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"filmbot/console/render"
)

func TestAsk(t *testing.T) {
	f := newFixture(t, nil, nil)
	tests := []struct {
		name      string
		opts      map[string]string
		found     bool
		wantText  string // a substring the reply must hold, case-insensitive
		ephemeral bool
	}{
		{"cast", map[string]string{"question": "Who plays Yong Mi in Comrade Kim Goes Flying?"}, true, "han jong sim", false},
		{"film option by title", map[string]string{"question": "Who directed it?", "film": "Comrade Kim Goes Flying"}, true, "bonner", false},
		{"film option by ID", map[string]string{"question": "Where can I stream it?", "film": kimID}, true, "vimeo", false},
		{"not in the data", map[string]string{"question": "Who wrote the film's music?"}, false, "", false},
		{"unknown film option", map[string]string{"question": "Who directed it?", "film": "Star Wars"}, false, "star wars", true},
		{"blank question", map[string]string{"question": "   "}, false, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.handle(command("ask", tt.opts))
			if r.Type != discordgo.InteractionResponseChannelMessageWithSource || isEphemeral(r) != tt.ephemeral {
				t.Fatalf("reply type %v ephemeral %v (%q), want ephemeral=%v", r.Type, isEphemeral(r), r.Data.Content, tt.ephemeral)
			}
			text := strings.ToLower(r.Data.Content)
			if !strings.Contains(text, tt.wantText) {
				t.Errorf("reply %q lacks %q", r.Data.Content, tt.wantText)
			}
			if tt.ephemeral {
				return
			}
			hasSource := strings.Contains(r.Data.Content, "\nSource: ")
			if hasSource != tt.found {
				t.Errorf("reply %q: source line present %v, want %v (found answers cite, refusals do not)", r.Data.Content, hasSource, tt.found)
			}
			// The reply is the same text Answer gives the CLI.
			q := tt.opts["question"]
			film := ""
			if tt.opts["film"] != "" {
				film = kimID
			}
			a, err := f.set.Knowledge().Ask(context.Background(), q, film)
			if err != nil {
				t.Fatal(err)
			}
			if a.Found != tt.found || ReplyText(a) != r.Data.Content {
				t.Errorf("Answer(%q) = found %v %q; /ask said %q, want found=%v and the same text", q, a.Found, ReplyText(a), r.Data.Content, tt.found)
			}
		})
	}
}

// A reseed through the Set replaces the index /ask uses.
func TestAsk_AfterReseed(t *testing.T) {
	small, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, nil, nil)
	q := map[string]string{"question": "Who directed The Small Film?"}
	if r := f.handle(command("ask", q)); strings.Contains(r.Data.Content, "Ada Director") {
		t.Fatalf("knows the small film before it is installed: %q", r.Data.Content)
	}
	cat, err := LoadSeed(map[string][]byte{"small.toml": small})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.set.Knowledge().Reseed(context.Background(), cat, nil); err != nil {
		t.Fatal(err)
	}
	if r := f.handle(command("ask", q)); !strings.Contains(r.Data.Content, "Ada Director") {
		t.Errorf("after reseed, /ask = %q, want the new film's director", r.Data.Content)
	}
}

// A reseed by another process (another Set on the same store here) is seen through the
// generation check.
func TestAsk_GenerationCheck(t *testing.T) {
	small, _ := os.ReadFile("testdata/small.toml")
	f := newFixture(t, nil, nil)
	q := map[string]string{"question": "Who directed The Small Film?"}
	f.handle(command("ask", q)) // build the index
	other := New(Deps{Store: f.store})
	cat, err := LoadSeed(map[string][]byte{"small.toml": small})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Knowledge().Reseed(context.Background(), cat, nil); err != nil {
		t.Fatal(err)
	}
	if r := f.handle(command("ask", q)); !strings.Contains(r.Data.Content, "Ada Director") {
		t.Errorf("after a reseed elsewhere, /ask = %q, want the new film's director", r.Data.Content)
	}
}

func TestHelp(t *testing.T) {
	f := newFixture(t, nil, nil)
	f.set.AddHelp(HelpSection{Title: "Trivia scoring", Text: "10 points a right answer."})
	tests := []struct {
		name       string
		guild      string
		wantReseed bool
	}{
		{"home guild", homeGuild, true},
		{"other guild", "41771983423143938", false},
		{"DM", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := command("help", nil)
			req.GuildID = tt.guild
			r := f.handle(req)
			text := render.Text(r.Data)
			for _, want := range []string{"1 film", "/film title:", "/ask question: [film:]", "/fact [film:]", "/help", "Lonely Planet", "Trivia scoring", "10 points"} {
				if !strings.Contains(text, want) {
					t.Errorf("/help lacks %q:\n%s", want, text)
				}
			}
			if strings.Contains(text, "/reseed") != tt.wantReseed {
				t.Errorf("/help mentions /reseed: %v, want %v", !tt.wantReseed, tt.wantReseed)
			}
		})
	}
}
