package commands

import (
	"fmt"
	"strings"
	"testing"

	"filmbot/internal/catalogtest"
)

// helpField returns the value of /help's field called name, or "".
func helpField(t *testing.T, r Response, name string) string {
	t.Helper()
	if r.Data == nil || len(r.Data.Embeds) != 1 {
		t.Fatalf("/help reply has no embed: %+v", r.Data)
	}
	for _, f := range r.Data.Embeds[0].Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// TestHelp_namesFilms: /help names the first films and counts the rest, rather than only
// counting them.
func TestHelp_namesFilms(t *testing.T) {
	cat := catalogtest.Generate(30, 1)
	f := newFixture(t, cat, nil)
	got := helpField(t, f.handle(command("help", nil)), "Films")
	for i, film := range cat.Films {
		title := film.Title
		if film.Year > 0 {
			title = fmt.Sprintf("%s (%d)", film.Title, film.Year)
		}
		listed := strings.Contains(got, "• "+title+"\n") || strings.HasSuffix(got, "• "+title)
		if i < maxHelpFilms && !listed {
			t.Errorf("film %d %q is not named in:\n%s", i, title, got)
		}
		if i >= maxHelpFilms && listed {
			t.Errorf("film %d %q is named past the first %d", i, title, maxHelpFilms)
		}
	}
	if want := fmt.Sprintf("and %d more (%d in all)", 30-maxHelpFilms, 30); !strings.Contains(got, want) {
		t.Errorf("Films field does not count the rest (%q):\n%s", want, got)
	}

	// The embedded seed's one film is named, with nothing to count.
	f = newFixture(t, nil, nil)
	got = helpField(t, f.handle(command("help", nil)), "Films")
	if !strings.Contains(got, "Comrade Kim Goes Flying") || strings.Contains(got, "more") {
		t.Errorf("Films field for the embedded seed:\n%s", got)
	}
}
