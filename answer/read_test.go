package answer

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadWords checks how a chat question is read: names typed without spaces, slips of
// one letter, and scene-setting clauses marked as context.
func TestReadWords(t *testing.T) {
	ix := mustIndex(t)
	tests := []struct {
		question string
		want     string // the words read, context words in brackets
	}{
		{"Who plays Yong Mi?", "who plays yong mi"},
		{"how old is yongmi", "how old is yong mi"},
		{"what is yongmis job", "what is yong mi job"},
		{"who dirrected it", "who directed it"},
		{"whos the lead actres", "whos the lead actress"},
		{"wher was it shot", "where was it shot"},
		{"wat genre is it", "what genre is it"},
		{"which contries made it", "which countries made it"},
		// a slip is only mended into a word the data or the lexicon knows, never a name,
		// and a short word only into a question word
		{"how tall is Han Jong Sim", "how tall is han jong sim"},
		{"what song plays at the end", "what song plays at the end"},
		{"is there a trailer", "is there a trailer"},
		{"who composed the score", "who composed the score"},
		// scene-setting before the question is context
		{"I watched this movie last night and was wondering, where exactly did they shoot it?",
			"[i watched this movie last night and was wondering] where exactly did they shoot it"},
		{"do you know who plays Yong Mi", "[do you know] who plays yong mi"},
		{"can you tell me who directed it", "[can you tell me] who directed it"},
		// a clause after the question is not
		{"Who plays Yong Mi, the heroine?", "who plays yong mi the heroine"},
		{"Tell me about the plot, I'm curious what happens.", "tell me about the plot [im curious] what happens"},
		{"Was it made by Belgian, British and North Korean filmmakers?", "was it made by belgian british and north korean filmmakers"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			var wbuf [maxWords]string
			var sbuf [maxWords]int
			var xbuf [maxWords]bool
			_, words, _, context := ix.readWords(tt.question, wbuf[:0], sbuf[:0], xbuf[:0])
			var b strings.Builder
			for i, w := range words {
				if i > 0 {
					b.WriteByte(' ')
				}
				if context[i] && (i == 0 || !context[i-1]) {
					b.WriteByte('[')
				}
				b.WriteString(w)
				if context[i] && (i == len(words)-1 || !context[i+1]) {
					b.WriteByte(']')
				}
			}
			if diff := cmp.Diff(tt.want, b.String()); diff != "" {
				t.Errorf("readWords(%q) (-want +got):\n%s", tt.question, diff)
			}
		})
	}
}

// TestAsk_Structured checks that questions a film's record answers get the record's direct
// sentence, not a fact that happens to mention the same people.
func TestAsk_Structured(t *testing.T) {
	ix := mustIndex(t)
	tests := []struct{ question, wantPrefix string }{
		{"Who plays Yong Mi?", "Han Jong Sim plays Comrade Yong Mi"},
		{"who plays pak jang phil", "Pak Chung Guk plays Pak Jang Phil"},
		{"What role does Han Jong Sim play?", "Han Jong Sim plays Comrade Yong Mi"},
		{"who's in the cast", "Comrade Kim Goes Flying stars Han Jong Sim as Comrade Yong Mi and Pak Chung Guk as Pak Jang Phil"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a := ix.Ask(tt.question, "")
			if !a.Found || !strings.HasPrefix(a.Text, tt.wantPrefix) {
				t.Errorf("Ask(%q) = found %v, %q; want an answer starting %q", tt.question, a.Found, a.Text, tt.wantPrefix)
			}
		})
	}
}
