package commands

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// A reply must never ping anyone: allowed_mentions with an explicit empty parse list must
// survive JSON encoding (an omitted or null list means Discord's default, which pings).
func TestNoMentions_JSON(t *testing.T) {
	b, err := json.Marshal(&discordgo.InteractionResponseData{Content: "@everyone", AllowedMentions: NoMentions()})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("encoded reply %s lacks \"allowed_mentions\":{\"parse\":[]", b)
	}
}

// Every message reply, whatever produced it, carries the empty parse list.
func TestHandle_AllowedMentionsOnEveryReply(t *testing.T) {
	f := newFixture(t, nil, nil)
	f.set.Register("boom", &discordgo.ApplicationCommand{Name: "boom", Description: "panics"}, false,
		HandlerFunc(func(context.Context, *Request) (Response, error) { panic("kaboom") }))
	dm := command("film", map[string]string{"title": kimID})
	dm.GuildID = ""
	reqs := map[string]*Request{
		"film":          command("film", map[string]string{"title": "Comrade Kim Goes Flying"}),
		"film unknown":  command("film", map[string]string{"title": "Nope"}),
		"film in DM":    dm,
		"ask":           command("ask", map[string]string{"question": "Who plays Yong Mi?"}),
		"fact":          command("fact", nil),
		"fact button":   {Kind: KindComponent, Name: "fact", CustomID: "fact:another:*"},
		"help":          command("help", nil),
		"reseed denied": command("reseed", nil),
		"unknown":       command("nosuch", nil),
		"panic":         command("boom", nil),
		"nil request":   nil,
	}
	for name, req := range reqs {
		t.Run(name, func(t *testing.T) {
			r := f.handle(req)
			b, err := json.Marshal(r.InteractionResponse)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), `"allowed_mentions":{"parse":[]`) {
				t.Errorf("reply %s lacks an empty allowed_mentions parse list", b)
			}
		})
	}
}

func TestHandle_Panic(t *testing.T) {
	f := newFixture(t, nil, nil)
	f.set.Register("boom", &discordgo.ApplicationCommand{Name: "boom", Description: "panics"}, false,
		HandlerFunc(func(_ context.Context, req *Request) (Response, error) {
			var names []string
			return Response{}, errors.New(names[len(req.Name)]) // a real runtime panic: index out of range
		}))
	r := f.handle(command("boom", nil))
	ref := regexp.MustCompile(`\(ref ([0-9A-F]{6})\)`).FindStringSubmatch(r.Data.Content)
	if ref == nil || !isEphemeral(r) {
		t.Fatalf("reply = %q (ephemeral %v), want an ephemeral reply quoting a ref", r.Data.Content, isEphemeral(r))
	}
	logged := strings.Split(strings.TrimSpace(f.log.String()), "\n")
	if len(logged) != 1 {
		t.Fatalf("logged %d lines, want 1:\n%s", len(logged), f.log)
	}
	for _, want := range []string{"level=ERROR", "ref=" + ref[1], "command=boom", "stack=", "index out of range"} {
		if !strings.Contains(logged[0], want) {
			t.Errorf("log line lacks %q:\n%s", want, logged[0])
		}
	}
}

func TestHandle_Errors(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		wantMsg string // exact reply, or "" for the ref reply
		logged  bool
	}{
		{name: "user error", err: Userf("No film called %q.", "X"), wantMsg: `No film called "X".`},
		{name: "wrapped user error", err: errors.Join(errors.New("ctx"), &UserError{Msg: "Try again."}), wantMsg: "Try again."},
		{name: "internal error", err: errors.New("disk on fire"), logged: true},
		{name: "no response", err: nil, logged: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil, nil)
			f.set.Register("x", &discordgo.ApplicationCommand{Name: "x", Description: "x"}, false,
				HandlerFunc(func(context.Context, *Request) (Response, error) { return Response{}, tt.err }))
			r := f.handle(command("x", nil))
			if !isEphemeral(r) || r.Type != discordgo.InteractionResponseChannelMessageWithSource {
				t.Errorf("reply type %v ephemeral %v, want an ephemeral message", r.Type, isEphemeral(r))
			}
			if tt.wantMsg != "" && r.Data.Content != tt.wantMsg {
				t.Errorf("reply = %q, want %q", r.Data.Content, tt.wantMsg)
			}
			if tt.wantMsg == "" && !strings.HasPrefix(r.Data.Content, "Something went wrong (ref ") {
				t.Errorf("reply = %q, want the ref reply", r.Data.Content)
			}
			if got := strings.Count(f.log.String(), "\n"); tt.logged && got != 1 || !tt.logged && got != 0 {
				t.Errorf("logged %d lines, want logged=%v:\n%s", got, tt.logged, f.log)
			}
			if strings.Contains(f.log.String(), "disk on fire") != (tt.err != nil && tt.logged) {
				t.Errorf("log %q: internal error text should be logged exactly when internal", f.log)
			}
		})
	}
}

func TestHandle_WrongKinds(t *testing.T) {
	f := newFixture(t, nil, nil)
	tests := []struct {
		name string
		req  *Request
		want discordgo.InteractionResponseType
	}{
		{"modal to /film", &Request{Kind: KindModal, Name: "film", CustomID: "film:x"}, discordgo.InteractionResponseChannelMessageWithSource},
		{"button to /help", &Request{Kind: KindComponent, Name: "help", CustomID: "help:x"}, discordgo.InteractionResponseChannelMessageWithSource},
		{"button to /reseed", &Request{Kind: KindComponent, Name: "reseed", CustomID: "reseed:x"}, discordgo.InteractionResponseChannelMessageWithSource},
		{"unknown fact button", &Request{Kind: KindComponent, Name: "fact", CustomID: "fact:other"}, discordgo.InteractionResponseChannelMessageWithSource},
		{"button for a gone command", &Request{Kind: KindComponent, CustomID: "gone:1"}, discordgo.InteractionResponseChannelMessageWithSource},
		{"unknown kind", &Request{Kind: Kind(99), Name: "film"}, discordgo.InteractionResponseChannelMessageWithSource},
		{"autocomplete on /help", autocomplete("help", "x", "a"), discordgo.InteractionApplicationCommandAutocompleteResult},
		{"autocomplete on a plain option", autocomplete("ask", "question", "who"), discordgo.InteractionApplicationCommandAutocompleteResult},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.handle(tt.req)
			if r.Type != tt.want {
				t.Fatalf("type = %v, want %v", r.Type, tt.want)
			}
			if tt.want == discordgo.InteractionApplicationCommandAutocompleteResult {
				if len(r.Data.Choices) != 0 {
					t.Errorf("choices = %v, want none", r.Data.Choices)
				}
			} else if !isEphemeral(r) || r.Data.Content == "" {
				t.Errorf("reply %+v, want a short ephemeral note", r.Data)
			}
			if f.log.String() != "" {
				t.Errorf("a wrong kind is the caller's mistake, not ours; logged:\n%s", f.log)
			}
		})
	}
}

func TestHandle_OversizedOptions(t *testing.T) {
	f := newFixture(t, nil, nil)
	long := strings.Repeat("why ", 1500) // 6000 characters
	tests := []struct {
		name string
		req  *Request
	}{
		{"question", command("ask", map[string]string{"question": long})},
		{"title", command("film", map[string]string{"title": long})},
		{"fact film", command("fact", map[string]string{"film": long})},
		{"undeclared option", command("help", map[string]string{"x": long})},
		{"autocomplete", autocomplete("film", "title", long)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.handle(tt.req)
			if tt.req.Kind == KindAutocomplete {
				if r.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(r.Data.Choices) != 0 {
					t.Errorf("reply %v %+v, want no choices", r.Type, r.Data)
				}
				return
			}
			if !isEphemeral(r) || utf8.RuneCountInString(r.Data.Content) > 200 {
				t.Errorf("reply %q, want a short ephemeral error", r.Data.Content)
			}
		})
	}
	// Just under the limit is a real question.
	r := f.handle(command("ask", map[string]string{"question": strings.Repeat("a", maxQuestion)}))
	if isEphemeral(r) {
		t.Errorf("a %d-character question was refused: %q", maxQuestion, r.Data.Content)
	}
}

func TestHandle_DM(t *testing.T) {
	f := newFixture(t, nil, nil)
	for _, req := range []*Request{
		command("film", map[string]string{"title": "Comrade Kim Goes Flying"}),
		command("ask", map[string]string{"question": "Who plays Yong Mi?"}),
		command("fact", nil),
		command("help", nil),
		{Kind: KindComponent, Name: "fact", CustomID: "fact:another:" + kimID},
	} {
		t.Run(req.Name, func(t *testing.T) {
			req.GuildID = ""
			req.Permissions = 0
			r := f.handle(req)
			if strings.Contains(r.Data.Content, "Something went wrong") || (req.Name != "help" && isEphemeral(r)) {
				t.Errorf("DM reply %+v, want a normal answer", r.Data)
			}
			if r.Data.Content == "" && len(r.Data.Embeds) == 0 {
				t.Errorf("DM reply is empty")
			}
		})
	}
}

func TestDefinitions(t *testing.T) {
	f := newFixture(t, nil, nil)
	global, home := f.set.Definitions()
	names := func(defs []*discordgo.ApplicationCommand) []string {
		var ns []string
		for _, d := range defs {
			ns = append(ns, d.Name)
		}
		return ns
	}
	if got := strings.Join(names(global), " "); got != "film ask fact help" {
		t.Errorf("global commands = %q, want film ask fact help", got)
	}
	if len(home) != 1 || home[0].Name != "reseed" {
		t.Fatalf("home commands = %v, want reseed", names(home))
	}
	if p := home[0].DefaultMemberPermissions; p == nil || *p != 0 {
		t.Errorf("/reseed default_member_permissions = %v, want \"0\"", p)
	}
	if c := home[0].DMPermission; c == nil || *c {
		t.Errorf("/reseed dm_permission = %v, want false", c)
	}
	b, _ := json.Marshal(home[0])
	if !strings.Contains(string(b), `"default_member_permissions":"0"`) {
		t.Errorf("/reseed encodes as %s, want default_member_permissions \"0\"", b)
	}
	nameRE := regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)
	for _, d := range append(global, home...) {
		if !nameRE.MatchString(d.Name) || d.Description == "" || utf8.RuneCountInString(d.Description) > 100 || len(d.Options) > 25 {
			t.Errorf("/%s breaks Discord's rules for names, descriptions or option counts", d.Name)
		}
		for _, o := range d.Options {
			if !nameRE.MatchString(o.Name) || o.Description == "" || utf8.RuneCountInString(o.Description) > 100 {
				t.Errorf("/%s option %q breaks Discord's rules", d.Name, o.Name)
			}
		}
	}
}
