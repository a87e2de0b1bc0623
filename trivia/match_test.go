package trivia

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"filmbot/seed"
)

func TestMatch(t *testing.T) {
	q := func(answer string, accept ...string) seed.Question {
		return seed.Question{Answer: answer, Accept: accept}
	}
	tests := []struct {
		name  string
		typed string
		q     seed.Question
		want  bool
	}{
		// exact and case
		{"exact", "Pyongyang", q("Pyongyang"), true},
		{"case", "PYONGYANG", q("Pyongyang"), true},
		{"surrounding space", "   pyongyang  ", q("Pyongyang"), true},
		{"empty", "", q("Pyongyang"), false},
		{"only punctuation", "?!", q("Pyongyang"), false},

		// substrings never count
		{"air is not chair", "air", q("Chair"), false},
		{"chair is not air", "chair", q("Air"), false},
		{"prefix of a word", "pyong", q("Pyongyang"), false},
		{"one word of two", "Circus", q("The Pyongyang Circus"), false},
		{"extra word", "Pyongyang Circus tent", q("The Pyongyang Circus"), false},

		// Unicode and accents
		{"accent missing", "Amelie", q("Amélie"), true},
		{"accent added", "Pyŏngyang", q("Pyongyang"), true},
		{"decomposed accent", "Ame\u0301lie", q("Amélie"), true},
		{"full-width letters", "ＫＯＲＹＯ", q("Koryo"), true},
		{"curly apostrophe", "Yong Mi’s", q("Yong Mi's"), true},

		// punctuation
		{"hyphen", "rom-com", q("rom com"), true},
		{"trailing dot", "Koryo Tours.", q("Koryo Tours"), true},
		{"words written together", "romcom", q("Rom com"), true},

		// articles
		{"answer has the", "Pyongyang Circus", q("The Pyongyang Circus"), true},
		{"typed has the", "the Koryo Tours", q("Koryo Tours"), true},
		{"answer has an", "acrobat", q("An acrobat"), true},
		{"typed has a", "a coal miner", q("Coal miner"), true},
		{"article is not the answer", "the", q("The Pyongyang Circus"), false},
		{"article inside stays", "Beauty Beast", q("Beauty and the Beast"), false},

		// & and "and"
		{"ampersand for and", "Beauty & the Beast", q("Beauty and the Beast"), true},
		{"and for ampersand", "Tom and Jerry", q("Tom & Jerry"), true},

		// numbers
		{"number words", "twenty-eight", q("28"), true},
		{"number words spaced", "twenty eight", q("28"), true},
		{"digits for words", "28", q("twenty-eight"), true},
		{"hundred and", "one hundred and five", q("105"), true},
		{"year in words", "two thousand twelve", q("2012"), true},
		{"thousands separator", "1500", q("1,500"), true},
		{"ordinal digits", "June 1st", q("June 1"), true},
		{"ordinal word", "first of June", q("1 of June"), true},
		{"wrong number", "23", q("28"), false},
		{"number one digit off", "2013", q("2012"), false},
		{"two numbers are not one", "one two", q("12"), false},

		// parentheses
		{"parenthesised text dropped", "Koryo Tours", q("Koryo Tours (Beijing)"), true},
		{"parenthesised text kept", "Koryo Tours Beijing", q("Koryo Tours (Beijing)"), true},
		{"typed parentheses dropped", "Pyongyang (the capital)", q("Pyongyang"), true},
		{"brackets", "Vimeo", q("Vimeo [On Demand]"), true},

		// typos
		{"one typo in short word", "Koryp", q("Koryo"), true},
		{"swapped letters", "Pyongynag", q("Pyongyang"), true},
		{"two typos in long word", "Pyongyyanng", q("Pyongyang"), true},
		{"two typos in short word", "Kroyp", q("Koryo"), false},
		{"three typos in long word", "Pjongjanx", q("Pyongyang"), false},
		{"typo in each word", "Nicholos Boner", q("Nicholas Bonner"), true},
		{"wrong word", "Nicholas Cage", q("Nicholas Bonner"), false},
		{"one letter off a short word is allowed", "Han", q("Kan"), true},

		// accept lists
		{"accepted alternative", "Vimeo", q("Vimeo On Demand", "Vimeo"), true},
		{"accepted with typo", "Vimoe", q("Vimeo On Demand", "Vimeo"), true},
		{"not in accept list", "Netflix", q("Vimeo On Demand", "Vimeo"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Match(tt.typed, tt.q); got != tt.want {
				t.Errorf("Match(%q, answer %q accept %q) = %v, want %v", tt.typed, tt.q.Answer, tt.q.Accept, got, tt.want)
			}
		})
	}
}

func TestNormalise(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"The Pyongyang Circus", []string{"pyongyang", "circus"}},
		{"Tom & Jerry", []string{"tom", "and", "jerry"}},
		{"twenty-eight years old", []string{"28", "years", "old"}},
		{"Seven Samurai", []string{"7", "samurai"}},
		{"Koryo Tours (Beijing)", []string{"koryo", "tours"}},
		{"1,500 extras", []string{"1500", "extras"}},
		{"3rd of May", []string{"3", "of", "may"}},
		{"eight twenty", []string{"8", "20"}},
		{"the", []string{"the"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, normalise(tt.in)); diff != "" {
			t.Errorf("normalise(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"kitten", "sitting", 5, 3},
		{"kitten", "sitting", 2, 3}, // over the limit: limit+1
		{"ab", "ba", 2, 1},
		{"", "abc", 5, 3},
		{"abc", "abc", 0, 0},
		{"amélie", "amelie", 2, 1},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}
