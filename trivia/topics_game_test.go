package trivia

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
	"filmbot/fold"
	"filmbot/quiz"
	"filmbot/seed"
	"filmbot/store/storetest"
)

// movieCatalog is a catalog shaped like imported movie data: films with years, genres,
// directors and a cast, no hand-written questions.
func movieCatalog() *seed.Catalog {
	c := &seed.Catalog{Articles: []seed.Article{{ID: "a", Publisher: "Wikipedia", Headline: "Films"}}}
	for i := range 16 {
		for _, p := range []string{"dir", "lead", "second"} {
			c.People = append(c.People, seed.Person{ID: fmt.Sprintf("%s-%d", p, i), Name: fmt.Sprintf("%s Person %d", strings.ToUpper(p[:1])+p[1:], i), Source: "a"})
		}
		genre, year := "Western", 1950+i%10
		if i%2 == 1 {
			genre, year = "Drama", 1970+i%10
		}
		c.Films = append(c.Films, seed.Film{
			ID: fmt.Sprintf("film-%d", i), Title: fmt.Sprintf("Film Number %d", i), Year: year, Genres: []string{genre},
			Directors: []string{fmt.Sprintf("dir-%d", i)},
			Cast:      []seed.Credit{{Person: fmt.Sprintf("lead-%d", i)}, {Person: fmt.Sprintf("second-%d", i)}},
			Source:    "a",
		})
	}
	return c
}

// TestGame_Topic plays questions generated from film fields, picked by genre and decade,
// and suggests the genres and decades the bank has.
func TestGame_Topic(t *testing.T) {
	cat := movieCatalog()
	h := newHarnessOn(t, storetest.Open(t, cat))
	h.cat = cat
	h.cat.Questions = quiz.Generate(cat, 1) // the bank's, for h.question
	westerns := map[string]bool{}
	for _, f := range cat.Films {
		if f.Genres[0] == "Western" {
			westerns[f.ID] = true
		}
	}

	r := h.command("starter", "trivia", "start", 0, map[string]any{"genre": "western", "decade": "50s", "questions": 3})
	if r.Data == nil || !strings.Contains(r.Data.Content, "about Western films of the 1950s") {
		t.Fatalf("start = %+v, want a game about westerns of the 1950s", r.Data)
	}
	for n := range 3 {
		if n == 0 {
			h.clock.Advance(h.timing.Lead)
		} else {
			h.clock.Advance(h.timing.Join + h.timing.Between)
		}
		_, p := h.msgs.last()
		q := h.question(p)
		if !westerns[q.Film] {
			t.Errorf("question %d is about %s, not a western", n+1, q.Film)
		}
		seen := 0
		labels := map[string]bool{}
		for _, b := range buttons(p.components) {
			if fold.String(b.Label) == fold.String(q.Answer) {
				seen++
			}
			if labels[b.Label] {
				t.Errorf("question %d shows %q twice", n+1, b.Label)
			}
			labels[b.Label] = true
		}
		if seen != 1 || len(labels) != 4 {
			t.Errorf("question %d %q: the answer %q is on %d of %d buttons, want 1 of 4", n+1, q.Prompt, q.Answer, seen, len(labels))
		}
	}

	other := &commands.Request{Kind: commands.KindCommand, Name: "trivia", Subcommand: "start", GuildID: testGuild, ChannelID: "channel-2",
		User: commands.User{ID: "starter"}, Options: map[string]commands.Option{"genre": {Type: discordgo.ApplicationCommandOptionString, Value: "Musical"}}}
	if r := h.handle(other); r.Data == nil || !strings.Contains(r.Data.Content, "no Musical questions") {
		t.Errorf("start with an unknown genre = %+v", r.Data)
	}

	ac := h.handle(&commands.Request{Kind: commands.KindAutocomplete, Name: "trivia", Subcommand: "start", Focused: "genre",
		Options: map[string]commands.Option{"genre": {Type: discordgo.ApplicationCommandOptionString, Value: "we"}}})
	if ac.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(ac.Data.Choices) != 1 || ac.Data.Choices[0].Name != "Western" {
		t.Errorf("genre autocomplete for %q = %+v, want Western", "we", ac.Data)
	}
	ac = h.handle(&commands.Request{Kind: commands.KindAutocomplete, Name: "trivia", Subcommand: "start", Focused: "decade",
		Options: map[string]commands.Option{"decade": {Type: discordgo.ApplicationCommandOptionString, Value: ""}}})
	var decades []string
	for _, c := range ac.Data.Choices {
		decades = append(decades, c.Name)
	}
	if strings.Join(decades, ",") != "1950s,1970s" {
		t.Errorf("decade autocomplete = %q, want 1950s,1970s", decades)
	}
}
