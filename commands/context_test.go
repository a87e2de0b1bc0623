package commands

import (
	"strings"
	"sync"
	"testing"
	"time"

	"filmbot/seed"
)

// TestAsk_ConversationContext: /film, then /ask "who directed it?" in the same channel is
// about that film; another channel, or the same one after the context has expired, is not.
func TestAsk_ConversationContext(t *testing.T) {
	cat := embedded(t)
	cat = seed.Merge(cat, &seed.Catalog{
		Articles: []seed.Article{{ID: "host", Publisher: "Test", Headline: "Monsters in the Han"}},
		People:   []seed.Person{{ID: "bong", Name: "Bong Joon-ho", Source: "host"}},
		Films:    []seed.Film{{ID: "the-host", Title: "The Host", Year: 2006, Directors: []string{"bong"}, Source: "host"}},
		Facts:    []seed.Fact{{ID: "host-1", Film: "the-host", Text: "A creature climbs out of the Han River in Seoul.", Source: "host"}},
	})
	var mu sync.Mutex
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	f := newFixture(t, cat, func(d *Deps) {
		d.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	})
	ask := func(channel, q string) string {
		t.Helper()
		req := command("ask", map[string]string{"question": q})
		req.ChannelID = channel
		return f.handle(req).Data.Content
	}
	show := command("film", map[string]string{"title": "The Host"})
	show.ChannelID = "1"
	f.handle(show)
	if got := ask("1", "who directed it?"); !strings.Contains(got, "Bong Joon-ho") {
		t.Errorf("after /film The Host: %q, want Bong Joon-ho", got)
	}
	if got := ask("2", "who directed it?"); strings.Contains(got, "Bong Joon-ho") {
		t.Errorf("another channel used this one's context: %q", got)
	}
	// Asking about a film moves the context to it.
	if got := ask("1", "who plays yong mi in comrade kim goes flying?"); !strings.Contains(got, "Han Jong Sim") {
		t.Fatalf("named film: %q", got)
	}
	if got := ask("1", "who directed it?"); !strings.Contains(got, "Bonner") {
		t.Errorf("after asking about Comrade Kim Goes Flying: %q, want Bonner", got)
	}
	// A fact shown in the channel makes its film the context too.
	fact := command("fact", map[string]string{"film": "The Host"})
	fact.ChannelID = "1"
	f.handle(fact)
	if got := ask("1", "who directed it?"); !strings.Contains(got, "Bong Joon-ho") {
		t.Errorf("after /fact about The Host: %q, want Bong Joon-ho", got)
	}
	mu.Lock()
	now = now.Add(11 * time.Minute)
	mu.Unlock()
	if got := ask("1", "who directed it?"); strings.Contains(got, "Bonner") || strings.Contains(got, "Bong Joon-ho") {
		t.Errorf("after 11 minutes the context should be gone: %q", got)
	}
}
