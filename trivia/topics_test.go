package trivia

import "testing"

func TestParseDecade(t *testing.T) {
	for in, want := range map[string]int{"1950s": 1950, "1957": 1950, "1950's": 1950, "50s": 1950, "'20s": 1920, " 2010S ": 2010} {
		if got, ok := parseDecade(in); !ok || got != want {
			t.Errorf("parseDecade(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"fifties", "195", "1950ss", "", "19500"} {
		if got, ok := parseDecade(in); ok {
			t.Errorf("parseDecade(%q) = %d, want no decade", in, got)
		}
	}
}
