package render

import (
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"
)

// Text draws Discord's markup the way a reader sees it in the client, so a terminal shows
// no raw tags or asterisks.
func TestStyle_Markup(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	style := Style{
		Name: func(id string) string {
			if id == "42" {
				return "you"
			}
			return ""
		},
		Now:      now,
		Location: time.UTC,
	}
	tests := []struct {
		in, want string
	}{
		{"**Question 1 of 3** · *Comrade Kim Goes Flying* · ends <t:1795780820:R>",
			"Question 1 of 3 · Comrade Kim Goes Flying · ends in 20 s"},
		{"**Trivia!** <@42> started 3 questions.", "Trivia! you started 3 questions."},
		{"1. <@!7> · 3 points", "1. @7 · 3 points"},
		{"Locked in: **Pyongyang**.", "Locked in: Pyongyang."},
		{"__under__ and _lean_ text", "under and lean text"},
		{"closed <t:1795780680:R>", "closed 2 min ago"},
		{"on <t:1795780680:D> at <t:1795780680:t>", "on 27 November 2026 at 11:58"},
		{"<t:1795781100>", "27 November 2026 12:05"},
		// Not emphasis: left as typed.
		{"M*A*S*H and 2 * 3 * 4", "M*A*S*H and 2 * 3 * 4"},
		{"snake_case_name and file_2", "snake_case_name and file_2"},
		{"a ** b ** c", "a ** b ** c"},
		{"**unclosed bold", "**unclosed bold"},
		{"<@> and <t:soon>", "<@> and <t:soon>"},
	}
	for _, tt := range tests {
		got := style.Text(&discordgo.InteractionResponseData{Content: tt.in})
		if got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Buttons that can no longer be pressed (a closed question's) are not drawn as buttons.
func TestText_Buttons(t *testing.T) {
	d := &discordgo.InteractionResponseData{
		Content: "Question",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Open", CustomID: "a"},
			discordgo.Button{Label: "Closed", CustomID: "b", Disabled: true},
			&discordgo.Button{Label: "Also open", CustomID: "c"},
		}}},
	}
	if diff := cmp.Diff("Question\n\n[Open] [Also open]", Text(d)); diff != "" {
		t.Errorf("Text (-want +got):\n%s", diff)
	}
	d.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Closed", CustomID: "b", Disabled: true},
	}}}
	if diff := cmp.Diff("Question", Text(d)); diff != "" {
		t.Errorf("Text with only disabled buttons (-want +got):\n%s", diff)
	}
}
