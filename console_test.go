package main

import (
	"errors"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"filmbot/commands"
	"filmbot/store/storetest"
	"filmbot/trivia"
)

func TestParseSlash(t *testing.T) {
	set := commands.New(commands.Deps{Store: storetest.Open(t, nil)})
	trivia.New(trivia.Deps{Store: storetest.Open(t, nil)}).Register(set)
	global, home := set.Definitions()
	defs := append(global, home...)
	str := func(v string) commands.Option {
		return commands.Option{Type: discordgo.ApplicationCommandOptionString, Value: v}
	}
	tests := []struct {
		line string
		want *commands.Request // nil: an error
	}{
		{"/film title: Comrade Kim Goes Flying", &commands.Request{Name: "film", Options: map[string]commands.Option{"title": str("Comrade Kim Goes Flying")}}},
		{"/film Comrade Kim Goes Flying", &commands.Request{Name: "film", Options: map[string]commands.Option{"title": str("Comrade Kim Goes Flying")}}},
		{"/ask question: Who plays Yong Mi? film: Comrade Kim", &commands.Request{Name: "ask", Options: map[string]commands.Option{
			"question": str("Who plays Yong Mi?"), "film": str("Comrade Kim")}}},
		{"/ask film: Comrade Kim question: Who directed it?", &commands.Request{Name: "ask", Options: map[string]commands.Option{
			"question": str("Who directed it?"), "film": str("Comrade Kim")}}},
		{"/ask question: What is the film:about?", &commands.Request{Name: "ask", Options: map[string]commands.Option{
			"question": str("What is the film:about?")}}},
		{"/FACT", &commands.Request{Name: "fact", Options: map[string]commands.Option{}}},
		{"/trivia start questions: 3", &commands.Request{Name: "trivia", Subcommand: "start", Options: map[string]commands.Option{
			"questions": {Type: discordgo.ApplicationCommandOptionInteger, Value: float64(3)}}}},
		{"/trivia start questions: three", nil},
		{"/trivia", nil},
		{"/film", nil},
		{"/nosuch", nil},
		{"/reseed file: seed.toml", nil},
		{"/help me please", nil},
	}
	for _, tt := range tests {
		got, err := parseSlash(tt.line, defs)
		if tt.want == nil {
			if err == nil || !errors.Is(err, errConsoleUsage) {
				t.Errorf("parseSlash(%q) = %+v, %v; want a console usage error", tt.line, got, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseSlash(%q): %v", tt.line, err)
			continue
		}
		tt.want.Kind = commands.KindCommand
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("parseSlash(%q) (-want +got):\n%s", tt.line, diff)
		}
	}
}
