package console

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
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
		{"/film\ttitle: Comrade Kim Goes Flying", &commands.Request{Name: "film", Options: map[string]commands.Option{"title": str("Comrade Kim Goes Flying")}}},
		{"/trivia\tstart\tquestions:\t3", &commands.Request{Name: "trivia", Subcommand: "start", Options: map[string]commands.Option{
			"questions": {Type: discordgo.ApplicationCommandOptionInteger, Value: float64(3)}}}},
		{"/film titel: Comrade Kim", nil},
		{"/ask qestion: Who plays Yong Mi? film: Comrade Kim", nil},
		{"/trivia start questons: 3", nil},
		{"/fact flim: Comrade Kim", nil},
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
			if err == nil || !errors.Is(err, errUsage) {
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

// An edit keeps what it leaves out and drops buttons it removes or disables, both from
// what is printed and from what can be pressed.
func TestConsole_EditForgetsButtons(t *testing.T) {
	var out bytes.Buffer
	con := New(Options{Out: &out})
	ctx := context.Background()
	row := func(disabled bool) []discordgo.MessageComponent {
		return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Pyongyang", CustomID: "trivia:ans:g:0:0", Disabled: disabled},
		}}}
	}
	id, _ := con.Send(ctx, Channel, &discordgo.MessageSend{Content: "Where?", Components: row(false)})
	if _, err := con.press("pyongyang"); err != nil {
		t.Fatalf("the question's button cannot be pressed: %v", err)
	}

	// Content only: the buttons stay.
	con.Edit(ctx, Channel, id, &discordgo.MessageEdit{Content: ptr("Where? (edited)")})
	if _, err := con.press("Pyongyang"); err != nil {
		t.Errorf("an edit of the text alone removed the buttons: %v", err)
	}
	for _, edit := range []*discordgo.MessageEdit{
		{Components: &[]discordgo.MessageComponent{}}, // removed
		{Components: ptr(row(true))},                  // disabled: the question closed
	} {
		con.Send(ctx, Channel, &discordgo.MessageSend{Content: "reset", Components: row(false)})
		id := "m" + strconv.Itoa(con.nextID)
		out.Reset()
		con.Edit(ctx, Channel, id, edit)
		if req, err := con.press("Pyongyang"); err == nil && req.MessageID == id {
			t.Errorf("after an edit to %d component rows, the old button can still be pressed", len(*edit.Components))
		}
		if strings.Contains(out.String(), "[Pyongyang]") || !strings.Contains(out.String(), "reset") {
			t.Errorf("edited message printed as %q, want its text without the button", out.String())
		}
	}
}

func ptr[T any](v T) *T { return &v }
