package commands

import (
	"context"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"
)

func TestRoute_Match(t *testing.T) {
	tests := []struct {
		pattern, id string
		want        map[string]string // nil with ok false: no match
		ok          bool
	}{
		{"trivia:reset-cancel", "trivia:reset-cancel", nil, true},
		{"trivia:reset-cancel", "trivia:reset", nil, false},
		{"trivia:reset:{guild}", "trivia:reset:42", map[string]string{"guild": "42"}, true},
		{"trivia:reset:{guild}", "trivia:reset:", nil, false},
		{"trivia:reset:{guild}", "trivia:reset:42:x", nil, false},
		{"trivia:reset:{guild}", "trivia:reset-cancel", nil, false},
		{"trivia:ans:{game}:{q}:{choice}", "trivia:ans:g1:0:3", map[string]string{"game": "g1", "q": "0", "choice": "3"}, true},
		{"trivia:ans:{game}:{q}:{choice}", "trivia:ans:g1:0", nil, false},
		{"trivia:ans:{game}:{q}:{choice}", "trivia:type:g1:0:3", nil, false},
		{"fact:another:{film...}", "fact:another:kim", map[string]string{"film": "kim"}, true},
		{"fact:another:{film...}", "fact:another:a:b", map[string]string{"film": "a:b"}, true},
		{"fact:another:{film...}", "fact:another:", nil, false},
		{"fact:another:{film...}", "fact:another", nil, false},
		{"fact:another:{film}", "fact:another:a:b", nil, false},
	}
	h := HandlerFunc(func(context.Context, *Request) (Response, error) { return Response{}, nil })
	for _, tt := range tests {
		got, ok := newRoute(tt.pattern, h).match(tt.id)
		if ok != tt.ok {
			t.Errorf("%q matches %q: %v, want %v", tt.pattern, tt.id, ok, tt.ok)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q on %q: params (-want +got):\n%s", tt.pattern, tt.id, diff)
		}
	}
}

// A malformed pattern is refused when it is registered, not when a button is pressed.
func TestRoute_BadPatterns(t *testing.T) {
	h := HandlerFunc(func(context.Context, *Request) (Response, error) { return Response{}, nil })
	for _, p := range []string{"", "a::b", "a:{}", "a:{x}:{x}", "a:b{c}", "a:{x...}:b"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("pattern %q was accepted", p)
				}
			}()
			newRoute(p, h)
		}()
	}
}

// Each kind of interaction reaches the handler registered for it, and only that one: a
// modal with a button's custom ID, or a button with a modal's, goes nowhere.
func TestHandle_RoutesByKind(t *testing.T) {
	f := newFixture(t, nil, nil)
	var got []string
	record := func(name string) Handler {
		return HandlerFunc(func(_ context.Context, req *Request) (Response, error) {
			got = append(got, name+" "+req.Params["id"])
			return ephemeral("ok"), nil
		})
	}
	def := &discordgo.ApplicationCommand{Name: "quiz", Description: "q", Options: []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "t", Autocomplete: true},
		{Type: discordgo.ApplicationCommandOptionString, Name: "plain", Description: "p"},
	}}
	f.set.Register("quiz", def, false, record("command"))
	f.set.Autocomplete("quiz", record("autocomplete"))
	f.set.Component("quiz:press:{id}", record("button"))
	f.set.Modal("quiz:form:{id}", record("modal"))
	f.set.Component("quiz:{rest...}", record("catch-all")) // registered last, and less specific
	f.set.Component("quiz:press:special", record("special"))

	typing := func(option string) *Request {
		return &Request{Kind: KindAutocomplete, Name: "quiz", Focused: option,
			Options: map[string]Option{option: {Type: discordgo.ApplicationCommandOptionString, Value: "x"}}}
	}
	for _, req := range []*Request{
		{Kind: KindCommand, Name: "quiz"},
		typing("topic"),
		typing("plain"), // no suggestions: the option does not autocomplete
		{Kind: KindComponent, CustomID: "quiz:press:7"},
		{Kind: KindModal, CustomID: "quiz:form:8"},
		{Kind: KindModal, CustomID: "quiz:press:9"},
		{Kind: KindComponent, CustomID: "quiz:form:10"},
		{Kind: KindComponent, CustomID: "other:press:11"},
		{Kind: KindComponent, CustomID: "quiz:press:special"},
		{Kind: KindComponent, CustomID: "quiz:what"},
	} {
		f.handle(req)
	}
	want := []string{"command ", "autocomplete ", "button 7", "modal 8", "catch-all ", "special ", "catch-all "}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("handlers reached (-want +got):\n%s", diff)
	}
	if r := f.handle(&Request{Kind: KindComponent, CustomID: "other:press:11"}); !isEphemeral(r) || r.Data.Content == "ok" {
		t.Errorf("an unrouted button got %q, want a short ephemeral refusal", r.Data.Content)
	}
}

// The context Handle is given (the bot's reply deadline) reaches the knowledge service and
// the store: once it is done, lookups stop and the reply is the referenced internal error.
func TestHandle_DoneContextReachesLookups(t *testing.T) {
	f := newFixture(t, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, req := range []*Request{
		command("film", map[string]string{"title": kimID}),
		command("ask", map[string]string{"question": "Who plays Yong Mi?"}),
		command("fact", nil),
	} {
		r := f.set.Handle(ctx, req)
		if !isEphemeral(r) || !strings.HasPrefix(r.Data.Content, "Something went wrong (ref ") {
			t.Errorf("/%s with a done context = %q, want the internal-error reply", req.Name, r.Data.Content)
		}
	}
	if n := strings.Count(f.log.String(), "context canceled"); n != 3 {
		t.Errorf("log names the cancelled context %d times, want 3:\n%s", n, f.log.String())
	}
	if r := f.handle(command("film", map[string]string{"title": kimID})); len(r.Data.Embeds) != 1 {
		t.Errorf("/film with a live context = %q, want the card", r.Data.Content)
	}
}

// BenchmarkRoute_Component is the routing cost of a trivia answer button among trivia's
// and /fact's patterns.
func BenchmarkRoute_Component(b *testing.B) {
	h := HandlerFunc(func(context.Context, *Request) (Response, error) { return Response{}, nil })
	var routes []route
	for _, p := range []string{
		"fact:another:{film...}", "trivia:reset-cancel", "trivia:reset:{guild}",
		"trivia:ans:{game}:{question}:{choice}", "trivia:type:{game}:{question}", "trivia:{rest...}",
	} {
		routes = append(routes, newRoute(p, h))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := findRoute(routes, "trivia:ans:01HZX3K9:3:2"); !ok {
			b.Fatal("no route")
		}
	}
}
