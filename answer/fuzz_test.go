package answer

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAsk feeds the engine anything a Discord user can type, and more: it must never panic,
// and its reply must be valid UTF-8 that fits a Discord message with its source line.
func FuzzAsk(f *testing.F) {
	ix := mustIndex(f)
	seeds := []string{
		"Who plays Yong Mi?",
		"@everyone who directed it?",
		"<@&123> <@!456> <#789> what is it about",
		"who\u200bplays\u200d yong\u2060mi",
		"\u202emi gnoy syalp ohw\u202c",
		"\xff\xfe\xfd who plays \xc3\x28 pak",
		"Comrade Kim Goes Flying's Comrade Kim Goes Flying's Comrade Kim Goes Flying's",
		strings.Repeat("yong mi's ", 600),
		strings.Repeat("how ", 1500),
		strings.Repeat("é", 3000),
		"\"Titanic\" — who directed it?",
		"",
	}
	for _, s := range seeds {
		f.Add(s, "")
	}
	f.Add("who directed it", "comrade-kim-goes-flying")
	f.Add("who directed it", "\x00@everyone")
	f.Fuzz(func(t *testing.T, question, film string) {
		if utf8.RuneCountInString(question) > 6000 || len(film) > 200 {
			t.Skip("longer than Discord allows")
		}
		a := ix.Ask(question, film)
		out := a.String()
		if !utf8.ValidString(out) {
			t.Fatalf("reply is not valid UTF-8: %q", out)
		}
		if len(out) > 2000 {
			t.Fatalf("reply is %d bytes, over Discord's 2000", len(out))
		}
		if a.Found && len(a.Sources) == 0 {
			t.Fatalf("answer %q cites no source", a.Text)
		}
		if !a.Found && strings.ContainsAny(a.Text, "@<>") {
			t.Fatalf("refusal %q echoes mention syntax", a.Text)
		}
	})
}
