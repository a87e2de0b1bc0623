package answer

import (
	"strings"
	"sync"
	"testing"
	"time"

	"filmbot/seed"
)

// clock is a test clock moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestMemory(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	m := NewMemory(10*time.Minute, c.now)
	ch := ConversationKey("g1", "c1", "u1")
	dm := ConversationKey("", "c9", "u1")
	if ch == dm || ConversationKey("", "c8", "u1") != dm {
		t.Fatalf("keys: channel %q, DM %q: a DM is the user's, whatever the channel", ch, dm)
	}
	m.Remember(ch, "the-host")
	m.Remember(dm, "up")
	m.Remember(ch, "") // a reply about no film keeps the context
	if got := m.Recall(ch); got != "the-host" {
		t.Errorf("Recall(channel) = %q, want the-host", got)
	}
	if got := m.Recall(ConversationKey("g1", "c2", "u1")); got != "" {
		t.Errorf("another channel recalls %q, want nothing", got)
	}
	c.add(9 * time.Minute)
	if got := m.Recall(dm); got != "up" {
		t.Errorf("after 9 minutes Recall(DM) = %q, want up", got)
	}
	c.add(2 * time.Minute)
	if got := m.Recall(dm); got != "" {
		t.Errorf("after 11 minutes Recall(DM) = %q, want it forgotten", got)
	}
	var nilMemory *Memory
	nilMemory.Remember(ch, "x")
	if nilMemory.Recall(ch) != "" {
		t.Error("a nil Memory recalls something")
	}
}

// TestAskAbout: a follow-up that names no film is about the conversation's film; one that
// names a film is about that film; a film the data lacks is still refused.
func TestAskAbout(t *testing.T) {
	cat := defaultCatalog(t)
	other := &seed.Catalog{
		Articles: []seed.Article{{ID: "h", Publisher: "Test", Headline: "Monsters"}},
		People:   []seed.Person{{ID: "bjh", Name: "Bong Joon-ho", Source: "h"}},
		Films:    []seed.Film{{ID: "the-host", Title: "The Host", Year: 2006, Directors: []string{"bjh"}, Source: "h"}},
	}
	ix := New(seed.Merge(cat, other))
	if a := ix.Ask("who directed it?", ""); a.Found {
		t.Fatalf("with two films and no context, %q was answered: %q", "who directed it?", a.Text)
	}
	a := ix.AskAbout("who directed it?", "", "the-host")
	if !a.Found || !strings.Contains(a.Text, "Bong Joon-ho") || a.FilmID != "the-host" {
		t.Errorf("AskAbout(the-host) = %+v, want Bong Joon-ho about the-host", a)
	}
	a = ix.AskAbout("who directed comrade kim goes flying?", "", "the-host")
	if !a.Found || !strings.Contains(a.Text, "Bonner") {
		t.Errorf("a question naming a film follows it, not the context: %+v", a)
	}
	if a := ix.AskAbout("who directed parasite?", "", "the-host"); a.Found {
		t.Errorf("an unknown title in context was answered: %q", a.Text)
	}
}
