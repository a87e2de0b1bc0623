package commands

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"
)

// The replies the bot sends for interactions that never reach a handler follow the same
// rules as every handler's: ephemeral, fitted, mentioning nobody; autocomplete gets an
// empty list of choices.
func TestRefusal(t *testing.T) {
	ref := NewRef()
	tests := []struct {
		name string
		resp func(Kind) Response
		want string
	}{
		{"malformed", Malformed, "couldn't read"},
		{"slow down", func(k Kind) Response { return SlowDown(k, 2500*time.Millisecond) }, "in 3 seconds"},
		{"slow down briefly", func(k Kind) Response { return SlowDown(k, time.Millisecond) }, "in a second"},
		{"failure", func(k Kind) Response { return Failure(k, ref) }, "(ref " + ref + ")"},
		{"long", func(k Kind) Response { return Refusal(k, strings.Repeat("x", 3000)) }, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []Kind{KindCommand, KindComponent, KindModal} {
				r := tt.resp(k)
				if r.Type != discordgo.InteractionResponseChannelMessageWithSource || !isEphemeral(r) {
					t.Fatalf("kind %d: type %v ephemeral %v, want an ephemeral message", k, r.Type, isEphemeral(r))
				}
				if !strings.Contains(r.Data.Content, tt.want) || utf8.RuneCountInString(r.Data.Content) > MaxContent {
					t.Errorf("kind %d: %q, want it to say %q within %d characters", k, r.Data.Content, tt.want, MaxContent)
				}
				if diff := cmp.Diff(NoMentions(), r.Data.AllowedMentions); diff != "" {
					t.Errorf("kind %d: allowed mentions (-want +got):\n%s", k, diff)
				}
			}
			r := tt.resp(KindAutocomplete)
			if r.Type != discordgo.InteractionApplicationCommandAutocompleteResult || r.Data == nil || r.Data.Choices == nil || len(r.Data.Choices) != 0 {
				t.Errorf("autocomplete: %+v, want an empty choices list", r.InteractionResponse)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	tests := map[discordgo.InteractionType]Kind{
		discordgo.InteractionApplicationCommand:             KindCommand,
		discordgo.InteractionApplicationCommandAutocomplete: KindAutocomplete,
		discordgo.InteractionMessageComponent:               KindComponent,
		discordgo.InteractionModalSubmit:                    KindModal,
		discordgo.InteractionPing:                           0,
		99:                                                  0,
	}
	for typ, want := range tests {
		if got := KindOf(typ); got != want {
			t.Errorf("KindOf(%v) = %d, want %d", typ, got, want)
		}
	}
}

func TestFollowupAndEdit(t *testing.T) {
	long := strings.Repeat("é", MaxContent+5)
	p := Followup(long, true)
	if utf8.RuneCountInString(p.Content) != MaxContent || p.Flags != discordgo.MessageFlagsEphemeral || p.AllowedMentions == nil {
		t.Errorf("Followup: %d characters, flags %v, mentions %v; want %d, ephemeral, none",
			utf8.RuneCountInString(p.Content), p.Flags, p.AllowedMentions, MaxContent)
	}
	if p := Followup("x", false); p.Flags != 0 {
		t.Errorf("Followup(public) flags = %v", p.Flags)
	}
	data := &discordgo.InteractionResponseData{Content: long, Embeds: []*discordgo.MessageEmbed{{Title: "t"}}}
	e := Edit(data)
	if e.Content == nil || utf8.RuneCountInString(*e.Content) != MaxContent || e.Embeds == nil || e.Components != nil {
		t.Errorf("Edit = %+v, want fitted content, the embed and no components", e)
	}
	if diff := cmp.Diff(NoMentions(), e.AllowedMentions); diff != "" {
		t.Errorf("Edit allowed mentions (-want +got):\n%s", diff)
	}
	if data.Content != long {
		t.Error("Edit changed the caller's data")
	}
	if e := Edit(nil); e.Content == nil || *e.Content != "" {
		t.Errorf("Edit(nil) = %+v, want an empty content", e)
	}
}
