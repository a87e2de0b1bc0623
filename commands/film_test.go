package commands

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"filmbot/console/render"
	"filmbot/fold"
	"filmbot/internal/catalogtest"
	"filmbot/seed"
)

func TestFilm_Card(t *testing.T) {
	f := newFixture(t, nil, nil)
	r := f.handle(command("film", map[string]string{"title": "Comrade Kim Goes Flying"}))
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource || isEphemeral(r) {
		t.Fatalf("reply type %v ephemeral %v, want a public message", r.Type, isEphemeral(r))
	}
	golden(t, "film-card.json", r.InteractionResponse)

	// What a reader checks on the card, independent of layout.
	card := r.Data.Embeds[0]
	text := render.Text(r.Data)
	for _, want := range []string{
		"Comrade Kim Goes Flying (2012)", "romantic comedy", "Nicholas Bonner",
		"Han Jong Sim as Comrade Yong Mi", "Pak Chung Guk as Pak Jang Phil", "Vimeo On Demand",
		"Source: Lonely Planet",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("card lacks %q:\n%s", want, text)
		}
	}
	if card.Description == "" || card.Footer == nil {
		t.Errorf("card has no synopsis or no footer")
	}
	for _, fl := range card.Fields {
		if fl.Name == "Facts" && strings.Count(fl.Value, "• ") > maxCardFacts {
			t.Errorf("card shows %d facts, want at most %d", strings.Count(fl.Value, "• "), maxCardFacts)
		}
	}
}

// Users may submit values autocomplete never offered: an ID, a title in any case, an
// alias. All reach the same card.
func TestFilm_Lookup(t *testing.T) {
	f := newFixture(t, nil, nil)
	want := f.handle(command("film", map[string]string{"title": kimID})).Data.Embeds
	for _, title := range []string{"Comrade Kim Goes Flying", "comrade kim goes flying", "  COMRADE KIM GOES FLYING!  "} {
		r := f.handle(command("film", map[string]string{"title": title}))
		if len(r.Data.Embeds) != 1 || r.Data.Embeds[0].Title != want[0].Title {
			t.Errorf("/film title:%q = %q, want the card %q", title, render.Text(r.Data), want[0].Title)
		}
	}
}

func TestFilm_Unknown(t *testing.T) {
	f := newFixture(t, nil, nil)
	genBefore, _ := f.store.Generation(context.Background())
	tests := []struct {
		title      string
		suggestion string // a title the reply must suggest, or ""
	}{
		{"Comrade Kin Goes Flyin", "Comrade Kim Goes Flying (2012)"},
		{"Star Wars", ""},
		{"   ", ""},
	}
	for _, tt := range tests {
		r := f.handle(command("film", map[string]string{"title": tt.title}))
		if !isEphemeral(r) || len(r.Data.Embeds) != 0 {
			t.Errorf("/film title:%q = %+v, want an ephemeral note", tt.title, r.Data)
		}
		if tt.suggestion != "" && !strings.Contains(r.Data.Content, tt.suggestion) {
			t.Errorf("/film title:%q = %q, want it to suggest %q", tt.title, r.Data.Content, tt.suggestion)
		}
	}
	if genAfter, _ := f.store.Generation(context.Background()); genAfter != genBefore {
		t.Errorf("generation moved from %d to %d on lookups", genBefore, genAfter)
	}
	if f.log.String() != "" {
		t.Errorf("unknown titles are not errors to log:\n%s", f.log)
	}
}

func TestFilm_Autocomplete(t *testing.T) {
	cat := catalogtest.Generate(2000, 1)
	// A title too long for a choice's name, and an ID too long for its value.
	cat.Films = append(cat.Films,
		seed.Film{ID: "long-title", Title: "The " + strings.Repeat("Very ", 40) + "Long Film", Year: 2001, Source: cat.Articles[0].ID},
		seed.Film{ID: "long-id-" + strings.Repeat("x", 120), Title: "Zebra Crossing", Source: cat.Articles[0].ID},
	)
	f := newFixture(t, cat, nil)

	for _, typed := range []string{"the", "t", "", "The Very Very", "zebra", "zzzzzz"} {
		r := f.handle(autocomplete("film", "title", typed))
		if r.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
			t.Fatalf("%q: type %v, want autocomplete result", typed, r.Type)
		}
		if len(r.Data.Choices) > MaxChoices {
			t.Errorf("%q: %d choices, want at most %d", typed, len(r.Data.Choices), MaxChoices)
		}
		for _, c := range r.Data.Choices {
			v, _ := c.Value.(string)
			if n := utf8.RuneCountInString(c.Name); n < 1 || n > MaxChoiceText || len(v) < 1 || utf8.RuneCountInString(v) > MaxChoiceText {
				t.Errorf("%q: choice %q = %q outside 1–100 characters", typed, c.Name, v)
			}
			// Whatever autocomplete offers, /film must accept.
			card := f.handle(command("film", map[string]string{"title": v}))
			if len(card.Data.Embeds) != 1 {
				t.Errorf("%q: choice value %q does not open a card: %q", typed, v, card.Data.Content)
			}
		}
	}
	if r := f.handle(autocomplete("film", "title", "the")); len(r.Data.Choices) != MaxChoices {
		t.Errorf("\"the\" matches hundreds of films; got %d choices, want %d", len(r.Data.Choices), MaxChoices)
	}
	for _, typed := range []string{"The Very Very", "zebra"} {
		if r := f.handle(autocomplete("film", "title", typed)); len(r.Data.Choices) == 0 {
			t.Errorf("%q: the film is not suggested", typed)
		}
	}
	// /ask and /fact share the film autocomplete.
	for _, name := range []string{"ask", "fact"} {
		if r := f.handle(autocomplete(name, "film", "the")); len(r.Data.Choices) != MaxChoices {
			t.Errorf("/%s film autocomplete gave %d choices, want %d", name, len(r.Data.Choices), MaxChoices)
		}
	}
}

// A film name with no letters or digits folds to nothing. It must not fall through to
// "the start of every title", which in a one-film store is that film: /film, and the film
// option of /ask and /fact, all say there is no such film.
func TestFindFilm_NoLettersOrDigits(t *testing.T) {
	cat := catalogtest.Generate(1, 3)
	f := newFixture(t, cat, nil)
	prefix := fold.Words(cat.Films[0].Title)[0]
	if only := f.handle(command("film", map[string]string{"title": prefix})); len(only.Data.Embeds) != 1 {
		t.Fatalf("the one film's card does not open from %q: %q", prefix, only.Data.Content)
	}
	for _, name := range []string{"!!!", "???", "\u200b", "\xff\xfe", "— … —"} {
		if _, err := f.set.FindFilm(context.Background(), name); err == nil {
			t.Errorf("FindFilm(%q) found a film, want a *UserError", name)
		} else if _, ok := err.(*UserError); !ok {
			t.Errorf("FindFilm(%q) = %v, want a *UserError", name, err)
		}
		for _, req := range []*Request{
			command("film", map[string]string{"title": name}),
			command("ask", map[string]string{"question": "Who directed it?", "film": name}),
			command("fact", map[string]string{"film": name}),
		} {
			r := f.handle(req)
			if !isEphemeral(r) || len(r.Data.Embeds) != 0 || len(r.Data.Components) != 0 {
				t.Errorf("/%s with film %q = %q, want the ephemeral unknown-film note", req.Name, name, render.Text(r.Data))
			}
		}
	}
}

// A film with more cast, places and facts than a card holds says how many it left out,
// and a synopsis too long for what room is left is cut with "…", never dropped.
func TestFilm_CardCutToFit(t *testing.T) {
	cat := catalogtest.Generate(1, 12)
	film := &cat.Films[0]
	film.Synopsis = strings.Repeat("A very long synopsis sentence. ", 132)[:4090]
	film.Cast = nil
	for i := range 120 {
		id := "player-" + strconv.Itoa(i)
		cat.People = append(cat.People, seed.Person{ID: id, Name: "Player Number " + strconv.Itoa(i), Source: film.Source})
		film.Cast = append(film.Cast, seed.Credit{Person: id, Role: "Villager " + strconv.Itoa(i)})
	}
	film.Watch = nil
	for i := range 60 {
		film.Watch = append(film.Watch, seed.Watch{Service: "Streaming Service " + strconv.Itoa(i), Kind: "stream"})
	}
	f := newFixture(t, cat, nil)
	r := f.handle(command("film", map[string]string{"title": film.ID}))
	if len(r.Data.Embeds) != 1 {
		t.Fatalf("no card: %q", r.Data.Content)
	}
	card := r.Data.Embeds[0]
	if total := embedChars(card); total > MaxEmbedTotal {
		t.Errorf("card holds %d characters, over %d", total, MaxEmbedTotal)
	}
	if !strings.HasPrefix(card.Description, "A very long synopsis") || !strings.HasSuffix(card.Description, "…") {
		t.Errorf("synopsis %q…, want the start of the synopsis cut with …", Truncate(card.Description, 40))
	}
	fields := map[string]string{}
	for _, fl := range card.Fields {
		fields[fl.Name] = fl.Value
	}
	for _, c := range []struct {
		field string
		total int
		item  string // what each shown line starts with
	}{
		{"Cast", len(film.Cast), "Player Number "},
		{"Where to watch", len(film.Watch), "Streaming Service "},
		{"Facts", 12, "• "},
	} {
		lines := strings.Split(fields[c.field], "\n")
		shown := 0
		for _, l := range lines[:len(lines)-1] {
			if !strings.HasPrefix(l, c.item) {
				t.Errorf("%s line %q is cut or stray", c.field, l)
			}
			shown++
		}
		var more int
		if _, err := fmt.Sscanf(lines[len(lines)-1], "…and %d more", &more); err != nil {
			t.Errorf("%s ends %q, want …and N more", c.field, lines[len(lines)-1])
			continue
		}
		if shown == 0 || shown+more != c.total {
			t.Errorf("%s shows %d and says %d more, want them to add up to %d", c.field, shown, more, c.total)
		}
	}
}
