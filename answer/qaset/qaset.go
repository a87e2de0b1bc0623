// Package qaset reads question sets in the team's dev-set format and scores answers
// against them, so the answer tests and `filmbot eval` judge by the same rule.
//
// A set is a TSV file: question<TAB>expected per line, blank lines and lines starting
// with '#' ignored. expected is UNKNOWN when the bot must refuse; otherwise '&' joins
// groups that must all appear in the answer and '|' separates alternatives within a
// group, compared case-insensitively.
package qaset

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// Unknown is the expected text of a question the bot must refuse.
const Unknown = "UNKNOWN"

// Line is one question of a set.
type Line struct {
	Line     int // 1-based line number in the file
	Question string
	Expected string
}

// Unknown reports whether the line expects a refusal.
func (l Line) Unknown() bool { return l.Expected == Unknown }

// Matches reports whether text holds the expected text.
func (l Line) Matches(text string) bool {
	text = strings.ToLower(text)
	for _, group := range strings.Split(l.Expected, "&") {
		ok := false
		for _, alt := range strings.Split(group, "|") {
			if strings.Contains(text, strings.ToLower(strings.TrimSpace(alt))) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// Pass reports whether an answer (found says whether the engine claimed to know) passes
// the line: a refusal for UNKNOWN, a found answer holding the expected text otherwise.
func (l Line) Pass(found bool, text string) bool {
	if l.Unknown() {
		return !found
	}
	return found && l.Matches(text)
}

// Parse reads a set; name is used in errors, which are name:line: message.
func Parse(name string, data []byte) ([]Line, error) {
	var lines []Line
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		q, want, ok := strings.Cut(text, "\t")
		if !ok || strings.TrimSpace(q) == "" || strings.TrimSpace(want) == "" {
			return nil, fmt.Errorf("%s:%d: want question<TAB>expected, got %q", name, n, text)
		}
		lines = append(lines, Line{Line: n, Question: q, Expected: strings.TrimSpace(want)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return lines, nil
}

// Score tallies a run over a set, in the three figures the answer-engine issue judges by.
type Score struct {
	Answerable, Right     int // questions with an answer; of them, answered right
	Unanswerable, Refused int // UNKNOWN questions; of them, refused
	Answered, Wrong       int // answers given (found); of them, wrong
}

// Add counts one answer to line l.
func (s *Score) Add(l Line, found bool, text string) {
	pass := l.Pass(found, text)
	if l.Unknown() {
		s.Unanswerable++
		if pass {
			s.Refused++
		}
	} else {
		s.Answerable++
		if pass {
			s.Right++
		}
	}
	if found {
		s.Answered++
		if !pass {
			s.Wrong++
		}
	}
}

// Plus returns the sum of two scores.
func (s Score) Plus(o Score) Score {
	return Score{s.Answerable + o.Answerable, s.Right + o.Right, s.Unanswerable + o.Unanswerable,
		s.Refused + o.Refused, s.Answered + o.Answered, s.Wrong + o.Wrong}
}

// String is the summary line: "answered right a/n, refused u/m, wrong when answering w/f".
func (s Score) String() string {
	return fmt.Sprintf("answered right %d/%d (%s), refused %d/%d (%s), wrong when answering %d/%d (%s)",
		s.Right, s.Answerable, pct(s.Right, s.Answerable), s.Refused, s.Unanswerable, pct(s.Refused, s.Unanswerable),
		s.Wrong, s.Answered, pct(s.Wrong, s.Answered))
}

// Rates returns the three figures as percentages; a rate over nothing is 100 for the
// first two and 0 for the third, so an empty side never fails a floor.
func (s Score) Rates() (right, refused, wrong float64) {
	right, refused = 100, 100
	if s.Answerable > 0 {
		right = 100 * float64(s.Right) / float64(s.Answerable)
	}
	if s.Unanswerable > 0 {
		refused = 100 * float64(s.Refused) / float64(s.Unanswerable)
	}
	if s.Answered > 0 {
		wrong = 100 * float64(s.Wrong) / float64(s.Answered)
	}
	return right, refused, wrong
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(a)/float64(b))
}
