package commands

import (
	"context"
	"testing"

	"github.com/bwmarrin/discordgo"

	"filmbot/internal/catalogtest"
)

// factTexts returns the text of every fact in the store, by film ID ("" for all).
func factTexts(t *testing.T, f *fixture) map[string]map[string]bool {
	t.Helper()
	cat, err := f.store.Knowledge(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]map[string]bool{"": {}}
	for _, fc := range cat.Facts {
		if m[fc.Film] == nil {
			m[fc.Film] = map[string]bool{}
		}
		m[fc.Film][fc.Text] = true
		m[""][fc.Text] = true
	}
	return m
}

func buttonID(t *testing.T, d *discordgo.InteractionResponseData) string {
	t.Helper()
	if len(d.Components) != 1 {
		t.Fatalf("%d component rows, want 1", len(d.Components))
	}
	row := d.Components[0].(discordgo.ActionsRow)
	b := row.Components[0].(discordgo.Button)
	if b.Label != "Another fact" {
		t.Errorf("button label %q", b.Label)
	}
	return b.CustomID
}

func TestFact(t *testing.T) {
	cat := catalogtest.Generate(50, 4)
	f := newFixture(t, cat, nil)
	texts := factTexts(t, f)
	film := cat.Films[7]

	tests := []struct {
		name     string
		req      *Request
		filmID   string
		wantType discordgo.InteractionResponseType
		wantID   string
	}{
		{"any film", command("fact", nil), "", discordgo.InteractionResponseChannelMessageWithSource, "fact:another:*"},
		{"one film by title", command("fact", map[string]string{"film": film.Title}), film.ID, discordgo.InteractionResponseChannelMessageWithSource, "fact:another:" + film.ID},
		{"one film by ID", command("fact", map[string]string{"film": film.ID}), film.ID, discordgo.InteractionResponseChannelMessageWithSource, "fact:another:" + film.ID},
		{"another, any", &Request{Kind: KindComponent, Name: "fact", CustomID: "fact:another:*"}, "", discordgo.InteractionResponseUpdateMessage, "fact:another:*"},
		{"another, one film", &Request{Kind: KindComponent, Name: "fact", CustomID: "fact:another:" + film.ID}, film.ID, discordgo.InteractionResponseUpdateMessage, "fact:another:" + film.ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := 0; i < 10; i++ {
				r := f.handle(tt.req)
				if r.Type != tt.wantType || isEphemeral(r) {
					t.Fatalf("type %v ephemeral %v (%q), want %v public", r.Type, isEphemeral(r), r.Data.Content, tt.wantType)
				}
				e := r.Data.Embeds[0]
				if !texts[tt.filmID][e.Description] {
					t.Errorf("fact %q is not a fact about %q", e.Description, tt.filmID)
				}
				if e.Footer == nil || e.Footer.Text == "" {
					t.Errorf("fact has no source")
				}
				if got := buttonID(t, r.Data); got != tt.wantID {
					t.Errorf("button custom ID %q, want %q", got, tt.wantID)
				}
			}
		})
	}

	r := f.handle(command("fact", map[string]string{"film": "No Such Film"}))
	if !isEphemeral(r) {
		t.Errorf("/fact for an unknown film = %q, want an ephemeral note", r.Data.Content)
	}
}

func TestFact_EmptyStore(t *testing.T) {
	f := newFixture(t, catalogtest.Generate(0, 0), nil)
	for _, req := range []*Request{command("fact", nil), {Kind: KindComponent, Name: "fact", CustomID: "fact:another:*"}} {
		r := f.handle(req)
		if !isEphemeral(r) || r.Data.Content == "" {
			t.Errorf("/fact on an empty store = %+v, want an ephemeral explanation", r.Data)
		}
		if f.log.String() != "" {
			t.Errorf("an empty store is not an internal error:\n%s", f.log)
		}
	}
}
