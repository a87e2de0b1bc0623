package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"filmbot/bot"
	"filmbot/bot/fakediscord"
	"filmbot/commands"
)

func commandNames(cmds []*discordgo.ApplicationCommand) []string {
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	return names
}

func TestRun_registersCommands(t *testing.T) {
	h := start(t, setup{})

	global, ok := h.fake.Commands("")
	if !ok {
		t.Fatal("no global bulk overwrite")
	}
	if diff := cmp.Diff([]string{"ask", "fact", "film", "help"}, commandNames(global)); diff != "" {
		t.Errorf("global commands (-want +got):\n%s", diff)
	}
	for _, c := range global {
		if c.DMPermission == nil || !*c.DMPermission {
			t.Errorf("/%s dm_permission = %v, want true (usable in DMs)", c.Name, c.DMPermission)
		}
	}
	home, ok := h.fake.Commands(homeGuild)
	if !ok {
		t.Fatal("no bulk overwrite in the home guild")
	}
	if diff := cmp.Diff([]string{"reseed"}, commandNames(home)); diff != "" {
		t.Errorf("home guild commands (-want +got):\n%s", diff)
	}
	for _, c := range home {
		if c.DefaultMemberPermissions == nil || *c.DefaultMemberPermissions != 0 {
			t.Errorf("/%s default_member_permissions = %v, want \"0\"", c.Name, c.DefaultMemberPermissions)
		}
		if c.DMPermission == nil || *c.DMPermission {
			t.Errorf("/%s dm_permission = %v, want false (guild only)", c.Name, c.DMPermission)
		}
	}
	if got := len(h.fake.CallsTo("PUT", "/api/v9/applications/{app}/commands")); got != 1 {
		t.Errorf("%d global overwrites, want exactly 1", got)
	}
	if got := h.fake.GatewayStats().Intents; got != int(discordgo.IntentsGuilds) {
		t.Errorf("IDENTIFY intents = %d, want %d (guilds only, nothing privileged)", got, discordgo.IntentsGuilds)
	}
	if got := h.bot.AppID(); got != h.fake.AppID() {
		t.Errorf("AppID = %q, want %q from READY", got, h.fake.AppID())
	}
}

func TestRun_devGuildRegistersEverythingThere(t *testing.T) {
	tests := []struct {
		name       string
		guild      string
		wantGuilds map[string][]string
	}{
		{
			name:  "development guild apart from home",
			guild: devGuild,
			wantGuilds: map[string][]string{
				devGuild:  {"ask", "fact", "film", "help"},
				homeGuild: {"reseed"},
			},
		},
		{
			// One overwrite per guild: a second one would delete the first's commands.
			name:  "development guild is the home guild",
			guild: homeGuild,
			wantGuilds: map[string][]string{
				homeGuild: {"ask", "fact", "film", "help", "reseed"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, setup{cfg: func(c *bot.Config) { c.Guild = tc.guild }})
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if _, err := h.fake.WaitCall(ctx, "PUT", "/api/v9/applications/{app}/guilds/{guild}/commands", len(tc.wantGuilds)-1); err != nil {
				t.Fatal(err)
			}
			if _, ok := h.fake.Commands(""); ok {
				t.Error("commands were registered globally")
			}
			for guild, want := range tc.wantGuilds {
				got, _ := h.fake.Commands(guild)
				if diff := cmp.Diff(want, commandNames(got)); diff != "" {
					t.Errorf("guild %s commands (-want +got):\n%s", guild, diff)
				}
			}
			if n := len(h.fake.CallsTo("PUT", "/api/v9/applications/{app}/guilds/{guild}/commands")); n != len(tc.wantGuilds) {
				t.Errorf("%d guild overwrites, want %d", n, len(tc.wantGuilds))
			}
		})
	}
}

// seen is what a user would see of a reply, for comparison.
type seen struct {
	Type      discordgo.InteractionResponseType
	Ephemeral bool
	Text      string
	Titles    []string // embed titles
	Buttons   []string // button labels
	Choices   []string // autocomplete choice names
}

func look(cb *fakediscord.Callback) seen {
	d := cb.Response.Data
	s := seen{Type: cb.Response.Type, Ephemeral: d.Ephemeral(), Text: d.Text()}
	if d == nil {
		return s
	}
	for _, e := range d.Embeds {
		s.Titles = append(s.Titles, e.Title)
	}
	for _, b := range d.Buttons() {
		s.Buttons = append(s.Buttons, b.Label)
	}
	for _, c := range d.Choices {
		s.Choices = append(s.Choices, c.Name)
	}
	return s
}

// checkMessage checks the rules every message reply follows.
func checkMessage(t *testing.T, cb *fakediscord.Callback) {
	t.Helper()
	switch cb.Response.Type {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage:
		if !cb.Response.Data.MentionsNobody() {
			t.Errorf("reply without allowed_mentions {parse: []}: %s", cb.Body)
		}
	}
}

func TestRoundTrip_commands(t *testing.T) {
	h := start(t, setup{})
	cat := defaultCatalog(t)
	film := cat.Films[0]
	guild := who(stranger, otherGuild, "0")
	dm := who(stranger, "", "")

	t.Run("film card", func(t *testing.T) {
		for _, where := range []fakediscord.Who{guild, dm} {
			cb := h.interact(h.fake.Command(where, "film", fakediscord.Str("title", film.Title)))
			checkMessage(t, cb)
			got := look(cb)
			if got.Type != discordgo.InteractionResponseChannelMessageWithSource || got.Ephemeral {
				t.Errorf("/film: %+v, want a public message", got)
			}
			if len(got.Titles) != 1 || !strings.Contains(got.Titles[0], film.Title) {
				t.Errorf("/film embed titles = %q, want one naming %q", got.Titles, film.Title)
			}
		}
	})
	t.Run("film autocomplete", func(t *testing.T) {
		cb := h.interact(h.fake.Autocomplete(guild, "film", fakediscord.Focused(fakediscord.Str("title", "comr"))))
		got := look(cb)
		if got.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
			t.Fatalf("type = %v, want autocomplete result", got.Type)
		}
		if len(got.Choices) == 0 || len(got.Choices) > 25 || !strings.Contains(got.Choices[0], film.Title) {
			t.Errorf("choices = %q, want %q first, at most 25", got.Choices, film.Title)
		}
	})
	t.Run("film unknown title", func(t *testing.T) {
		cb := h.interact(h.fake.Command(guild, "film", fakediscord.Str("title", "No Such Film At All")))
		checkMessage(t, cb)
		if got := look(cb); !got.Ephemeral || got.Text == "" {
			t.Errorf("unknown title: %+v, want an ephemeral note", got)
		}
	})
	t.Run("fact and another", func(t *testing.T) {
		cb := h.interact(h.fake.Command(guild, "fact"))
		checkMessage(t, cb)
		got := look(cb)
		if got.Ephemeral || len(got.Buttons) != 1 {
			t.Fatalf("/fact: %+v, want a public message with one button", got)
		}
		button := cb.Response.Data.Buttons()[0]
		next := h.interact(h.fake.Button(guild, button.CustomID))
		checkMessage(t, next)
		if got := look(next); got.Type != discordgo.InteractionResponseUpdateMessage || len(got.Buttons) != 1 {
			t.Errorf("another fact: %+v, want the message updated with a new fact and its button", got)
		}
	})
	t.Run("fact about a film", func(t *testing.T) {
		cb := h.interact(h.fake.Command(dm, "fact", fakediscord.Str("film", film.ID)))
		checkMessage(t, cb)
		if got := look(cb); got.Ephemeral {
			t.Errorf("/fact film: %+v, want a public fact", got)
		}
	})
	t.Run("help", func(t *testing.T) {
		cb := h.interact(h.fake.Command(guild, "help"))
		checkMessage(t, cb)
		got := look(cb)
		all := got.Text + strings.Join(got.Titles, " ")
		for _, e := range cb.Response.Data.Embeds {
			all += e.Description
			for _, f := range e.Fields {
				all += f.Name + f.Value
			}
		}
		for _, cmd := range []string{"/film", "/ask", "/fact"} {
			if !strings.Contains(all, cmd) {
				t.Errorf("/help does not mention %s", cmd)
			}
		}
	})
	t.Run("ask", func(t *testing.T) {
		cb := h.interact(h.fake.Command(guild, "ask", fakediscord.Str("question", "Where was "+film.Title+" shot?")))
		checkMessage(t, cb)
		got := look(cb)
		all := got.Text
		for _, e := range cb.Response.Data.Embeds {
			all += " " + e.Title + " " + e.Description
		}
		if got.Ephemeral || !strings.Contains(all, film.Locations[0]) {
			t.Errorf("/ask where was it shot: %+v, want a public answer naming %q", got, film.Locations[0])
		}
	})
	t.Run("ask autocomplete film", func(t *testing.T) {
		cb := h.interact(h.fake.Autocomplete(guild, "ask",
			fakediscord.Str("question", "who"), fakediscord.Focused(fakediscord.Str("film", "kim"))))
		if got := look(cb); len(got.Choices) == 0 {
			t.Errorf("ask film autocomplete: %+v, want choices", got)
		}
	})
	t.Run("unknown command", func(t *testing.T) {
		cb := h.interact(h.fake.Command(guild, "nosuchcommand"))
		checkMessage(t, cb)
		if got := look(cb); !got.Ephemeral {
			t.Errorf("unknown command: %+v, want an ephemeral note", got)
		}
	})
	t.Run("unknown button and modal", func(t *testing.T) {
		for _, in := range []fakediscord.Interaction{
			h.fake.Button(guild, "gone:1"),
			h.fake.Modal(guild, "gone:form", map[string]string{"x": "y"}),
			h.fake.Select(guild, "gone:pick", "a"),
		} {
			cb := h.interact(in)
			checkMessage(t, cb)
			if got := look(cb); !got.Ephemeral {
				t.Errorf("%v: %+v, want an ephemeral note", in["type"], got)
			}
		}
	})
	if n := h.bot.Stats().Panicked; n != 0 {
		t.Errorf("%d panics", n)
	}
	if u := h.fake.Unknown(); len(u) != 0 {
		t.Errorf("calls to unknown endpoints: %v", u)
	}
}

// TestRoundTrip_customCommand covers what another package (trivia) relies on: its command
// registered on the set is registered with Discord and its buttons and modals reach it.
func TestRoundTrip_customCommand(t *testing.T) {
	var got []commands.Request
	gotCh := make(chan commands.Request, 10)
	h := start(t, setup{register: func(s *commands.Set) {
		handler := commands.HandlerFunc(func(ctx context.Context, req *commands.Request) (commands.Response, error) {
			gotCh <- *req
			return commands.Response{InteractionResponse: &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "ok <@" + owner + "> @everyone"},
			}}, nil
		})
		s.Register("quiz", &discordgo.ApplicationCommand{Name: "quiz", Description: "test quiz", Options: []*discordgo.ApplicationCommandOption{{
			Type: discordgo.ApplicationCommandOptionSubCommand, Name: "start", Description: "start one",
			Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "rounds", Description: "how many"}},
		}}}, false, handler)
		s.Component("quiz:{rest...}", handler)
		s.Modal("quiz:{rest...}", handler)
	}})
	g := who(stranger, otherGuild, "0")
	ins := []fakediscord.Interaction{
		h.fake.Command(g, "quiz", fakediscord.Sub("start", fakediscord.Int("rounds", 3))),
		h.fake.Button(g, "quiz:answer:2"),
		h.fake.Modal(g, "quiz:form", map[string]string{"guess": "Pyongyang"}),
		h.fake.Select(g, "quiz:pick", "b"),
	}
	for _, in := range ins {
		cb := h.interact(in)
		checkMessage(t, cb)
		if look(cb).Ephemeral {
			t.Errorf("%v answered ephemerally: %s", in["type"], cb.Body)
		}
		got = append(got, <-gotCh)
	}
	want := []commands.Request{
		{Kind: commands.KindCommand, Name: "quiz", Subcommand: "start",
			Options: map[string]commands.Option{"rounds": {Type: discordgo.ApplicationCommandOptionInteger, Value: 3.0}}},
		{Kind: commands.KindComponent, CustomID: "quiz:answer:2", Params: map[string]string{"rest": "answer:2"}},
		{Kind: commands.KindModal, CustomID: "quiz:form", Params: map[string]string{"rest": "form"},
			Values: map[string]string{"guess": "Pyongyang"}},
		{Kind: commands.KindComponent, CustomID: "quiz:pick", Params: map[string]string{"rest": "pick"},
			Values: map[string]string{"b": "b"}},
	}
	ignore := func(r commands.Request) commands.Request {
		r.User, r.GuildID, r.ChannelID, r.Locale, r.MessageID = commands.User{}, "", "", "", ""
		return r
	}
	for i := range got {
		if got[i].User.ID != stranger || got[i].GuildID != otherGuild {
			t.Errorf("request %d from %q in %q, want %q in %q", i, got[i].User.ID, got[i].GuildID, stranger, otherGuild)
		}
		got[i] = ignore(got[i])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	global, _ := h.fake.Commands("")
	if !slices.Contains(commandNames(global), "quiz") {
		t.Errorf("quiz not registered: %v", commandNames(global))
	}
}

// TestRoundTrip_slowWork covers a deferred response: the deferral, progress follow-ups
// (ephemeral like the deferral, mentioning nobody, cut to Discord's limit) and the edit
// that replaces the deferral with the result.
func TestRoundTrip_slowWork(t *testing.T) {
	long := strings.Repeat("é", 2500)
	h := start(t, setup{register: func(s *commands.Set) {
		s.Register("slow", &discordgo.ApplicationCommand{Name: "slow", Description: "works a while"}, false,
			commands.HandlerFunc(func(context.Context, *commands.Request) (commands.Response, error) {
				return commands.Response{
					InteractionResponse: &discordgo.InteractionResponse{
						Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
						Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
					},
					Then: func(ctx context.Context, progress func(string)) *discordgo.InteractionResponseData {
						progress("half way @everyone")
						progress(long)
						return &discordgo.InteractionResponseData{Content: "all done <@" + owner + ">"}
					},
				}, nil
			}))
	}})
	in := h.fake.Command(who(stranger, otherGuild, "0"), "slow")
	cb := h.interact(in)
	if cb.Response.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || !cb.Response.Data.Ephemeral() {
		t.Fatalf("first response %s, want an ephemeral deferral", cb.Body)
	}
	if got := waitEdit(t, h, in).Text(); got != "all done <@"+owner+">" {
		t.Errorf("edited to %q", got)
	}
	follow := h.fake.FollowupsOf(in)
	if len(follow) != 2 {
		t.Fatalf("%d follow-ups, want 2", len(follow))
	}
	for i, c := range follow {
		d, err := fakediscord.DecodeData(c.Body)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Ephemeral() || !d.MentionsNobody() {
			t.Errorf("follow-up %d: %s, want ephemeral and mentioning nobody", i, c.Body)
		}
		if n := len([]rune(d.Text())); n > 2000 {
			t.Errorf("follow-up %d has %d characters", i, n)
		}
	}
}
