package qaset

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAndScore(t *testing.T) {
	data := []byte("# comment\nwho directed it\tcarol reed|reed\n\nwho plays sam\tUNKNOWN\nwhen & where\t1949&vienna\n")
	lines, err := Parse("set.tsv", data)
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{{2, "who directed it", "carol reed|reed"}, {4, "who plays sam", "UNKNOWN"}, {5, "when & where", "1949&vienna"}}
	if d := cmp.Diff(want, lines); d != "" {
		t.Fatalf("Parse (-want +got):\n%s", d)
	}
	var s Score
	s.Add(lines[0], true, "Carol REED directed it.")  // right
	s.Add(lines[1], true, "Dooley Wilson plays Sam.") // wrong: must refuse
	s.Add(lines[2], true, "It came out in 1949.")     // wrong: no Vienna
	if d := cmp.Diff(Score{Answerable: 2, Right: 1, Unanswerable: 1, Refused: 0, Answered: 3, Wrong: 2}, s); d != "" {
		t.Errorf("Score (-want +got):\n%s", d)
	}
	if got, want := s.String(), "answered right 1/2 (50%), refused 0/1 (0%), wrong when answering 2/3 (67%)"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestParse_BadLine(t *testing.T) {
	_, err := Parse("set.tsv", []byte("ok\tyes\nno tab here\n"))
	if err == nil || err.Error() != `set.tsv:2: want question<TAB>expected, got "no tab here"` {
		t.Errorf("err = %v", err)
	}
}
