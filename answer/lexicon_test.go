package answer

import (
	"strings"
	"testing"
)

func TestStem(t *testing.T) {
	tests := []struct{ words, want string }{
		{"plays played playing player", "play"},
		{"miner mine mining mines", "min"},
		{"stars starred starring", "star"},
		{"directed directing directs", "direct"},
		{"comedy comedies", "comed"},
		{"released release releases", "releas"},
		{"premiere premiered premier", "premi"},
		{"offer offered offering", "off"},
		{"yong", "yong"},
		{"mi", "mi"},
		{"28", "28"},
	}
	for _, tt := range tests {
		for _, w := range strings.Fields(tt.words) {
			if got := stem(w); got != tt.want {
				t.Errorf("stem(%q) = %q, want %q", w, got, tt.want)
			}
		}
	}
}

// TestLexicon_GroupsApart checks that no word of one synonym group stems like a word of
// another: the later group would silently lose it ("backer" once sent "backed by her
// father" to financing).
func TestLexicon_GroupsApart(t *testing.T) {
	owner := map[string]string{}
	for _, line := range strings.Split(synonymGroups, "\n") {
		words := strings.Fields(line)
		if len(words) == 0 {
			continue
		}
		for _, w := range words {
			st := stem(w)
			if head, ok := owner[st]; ok && head != words[0] {
				t.Errorf("%q (stem %q) is in group %q and group %q", w, st, head, words[0])
			}
			owner[st] = words[0]
		}
	}
}

func TestLexicon_Concept(t *testing.T) {
	l := newLexicon()
	tests := []struct {
		word    string
		concept string
		class   wordClass
	}{
		{"portrays", "cast", classContent},
		{"filmed", "location", classContent},
		{"films", "films", classGeneric},
		{"the", "the", classStop},
		{"aspires", "dream", classContent},
		{"nemesis", "rival", classContent},
		{"composer", "music", classContent},
	}
	for _, tt := range tests {
		c, class := l.concept(tt.word)
		if c != tt.concept || class != tt.class {
			t.Errorf("concept(%q) = %q, %d; want %q, %d", tt.word, c, class, tt.concept, tt.class)
		}
	}
}
