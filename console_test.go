package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"filmbot/commands"
	"filmbot/seed"
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

// A game started from piped input plays out after the input ends: its questions, reveals
// and standings are printed, drawn as a reader sees them (no raw mentions, timestamps or
// bold markers), closed questions offer no buttons, and no game is left behind.
func TestConsole_TriviaPlaysOut(t *testing.T) {
	cat, err := seed.Default()
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t, cat)
	var out, errb bytes.Buffer
	c := &cli{
		ctx: context.Background(), env: func(string) string { return "" },
		stdin:  strings.NewReader("/trivia start questions: 2\n"),
		stdout: &out, stderr: &errb,
	}
	// Questions close quickly so the test does not wait out real question times.
	code := c.converse(st, slog.New(slog.DiscardHandler), trivia.Timing{Question: 30 * time.Millisecond})
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errb.String())
	}
	text := out.String()
	start, q1, q2, over := strings.Index(text, "Trivia! 2 questions"), strings.Index(text, "Question 1 of 2"),
		strings.Index(text, "Question 2 of 2"), strings.Index(text, "Trivia over")
	if start < 0 || q1 < start || q2 < q1 || over < q2 {
		t.Errorf("want the announcement, both questions and the standings, in that order:\n%s", text)
	}
	for _, raw := range []string{"<@", "<t:", "**"} {
		if strings.Contains(text, raw) {
			t.Errorf("output shows raw markup %q:\n%s", raw, text)
		}
	}
	if !strings.Contains(text, "started by you.") {
		t.Errorf("the console user's mention is not drawn as \"you\":\n%s", text)
	}
	for _, msg := range strings.Split(text, "\n\n") {
		if strings.Contains(msg, "· closed") && strings.Contains(msg, "[") {
			t.Errorf("a closed question still offers buttons:\n%s", msg)
		}
	}
	games, err := st.Games()
	if err != nil {
		t.Fatal(err)
	}
	if len(games) != 0 {
		t.Errorf("the console left %d games behind", len(games))
	}
}

// An edit keeps what it leaves out and drops buttons it removes or disables, both from
// what is printed and from what can be pressed.
func TestConsole_EditForgetsButtons(t *testing.T) {
	var out bytes.Buffer
	con := &console{out: &out, msgs: map[string]*shown{}}
	ctx := context.Background()
	row := func(disabled bool) []discordgo.MessageComponent {
		return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Pyongyang", CustomID: "trivia:ans:g:0:0", Disabled: disabled},
		}}}
	}
	id, _ := con.Send(ctx, consoleChannel, &discordgo.MessageSend{Content: "Where?", Components: row(false)})
	if _, err := con.press("pyongyang"); err != nil {
		t.Fatalf("the question's button cannot be pressed: %v", err)
	}

	// Content only: the buttons stay.
	con.Edit(ctx, consoleChannel, id, &discordgo.MessageEdit{Content: ptr("Where? (edited)")})
	if _, err := con.press("Pyongyang"); err != nil {
		t.Errorf("an edit of the text alone removed the buttons: %v", err)
	}
	for _, edit := range []*discordgo.MessageEdit{
		{Components: &[]discordgo.MessageComponent{}}, // removed
		{Components: ptr(row(true))},                  // disabled: the question closed
	} {
		con.Send(ctx, consoleChannel, &discordgo.MessageSend{Content: "reset", Components: row(false)})
		id := "m" + strconv.Itoa(con.nextID)
		out.Reset()
		con.Edit(ctx, consoleChannel, id, edit)
		if req, err := con.press("Pyongyang"); err == nil && req.MessageID == id {
			t.Errorf("after an edit to %d component rows, the old button can still be pressed", len(*edit.Components))
		}
		if strings.Contains(out.String(), "[Pyongyang]") || !strings.Contains(out.String(), "reset") {
			t.Errorf("edited message printed as %q, want its text without the button", out.String())
		}
	}
}

func ptr[T any](v T) *T { return &v }

// Typed /film lines: a title with no letters or digits names no film; a mistyped option
// name is a usage error, not part of the title; a tab works like a space.
func TestCLI_ConsoleFilmNames(t *testing.T) {
	db := dbIn(t)
	for _, tt := range []struct {
		line string
		card bool
	}{
		{"/film title: !!!", false},
		{"/film title: ???", false},
		{"/film title: \u200b", false},
		{"/film title: \xff\xfe", false},
		{"/film titel: Comrade Kim Goes Flying", false},
		{"/film\ttitle: Comrade Kim Goes Flying", true},
	} {
		r := filmbot(t, "", nil, tt.line+"\n", "console", "-db", db).must(t, 0)
		if got := strings.Contains(r.stdout, "Comrade Kim Goes Flying (2012)\n"); got != tt.card {
			t.Errorf("%q shows the card: %v, want %v\n%s", tt.line, got, tt.card, r.stdout)
		}
	}
}
