package trivia

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/console/render"
)

// edits returns how many times the message id was edited (1 once revealed).
func (h *harness) edits(id string) int {
	h.t.Helper()
	return h.msgs.message(id).edits
}

// TestGame_FirstQuestionClosesEarly: once the starter and everyone else who answered the
// first question have, it closes Early later (at Join after it was asked at the soonest),
// rather than running its full timer.
func TestGame_FirstQuestionClosesEarly(t *testing.T) {
	tests := []struct {
		name    string
		join    time.Duration
		answers map[string]time.Duration // user → when after the question they answer
		want    time.Duration            // when the question closes
	}{
		// The console's case: one player, no Join window.
		{"solo", 0, map[string]time.Duration{"ann": 2 * time.Second}, 3 * time.Second},
		{"solo within join", 5 * time.Second, map[string]time.Duration{"ann": 0}, 5 * time.Second},
		{"two players", 5 * time.Second, map[string]time.Duration{"ann": time.Second, "bob": 4500 * time.Millisecond}, 5500 * time.Millisecond},
		{"two players past join", 5 * time.Second, map[string]time.Duration{"bob": time.Second, "ann": 7 * time.Second}, 8 * time.Second},
		// The starter never answers: nobody knows who else plays, so the timer runs out.
		{"starter silent", 0, map[string]time.Duration{"bob": time.Second}, 20 * time.Second},
		// The last answer comes so late that Early would pass the deadline.
		{"late answer", 0, map[string]time.Duration{"ann": 19*time.Second + 500*time.Millisecond}, 20 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.timing.Join = tt.join
			h.restart()
			h.command("ann", "trivia", "start", 0, map[string]any{"film": "kim", "questions": 3, "seconds": 20})
			h.clock.Advance(h.timing.Lead)
			id, p := h.msgs.last()
			asked := h.clock.Now()
			// Answers in time order.
			for len(tt.answers) > 0 {
				first := ""
				for u, at := range tt.answers {
					if first == "" || at < tt.answers[first] || (at == tt.answers[first] && u < first) {
						first = u
					}
				}
				h.clock.Advance(asked.Add(tt.answers[first]).Sub(h.clock.Now()))
				if h.edits(id) != 0 {
					t.Fatalf("question closed before %s answered", first)
				}
				if r := h.answerRight(first, p); !strings.HasPrefix(content(r), "Locked in") {
					t.Fatalf("%s's answer: %q", first, content(r))
				}
				delete(tt.answers, first)
			}
			h.clock.Advance(asked.Add(tt.want - time.Millisecond).Sub(h.clock.Now()))
			if h.edits(id) != 0 {
				t.Fatalf("question closed before %v", tt.want)
			}
			h.clock.Advance(time.Millisecond)
			if h.edits(id) != 1 {
				t.Fatalf("question not closed at %v", tt.want)
			}
		})
	}
}

// TestGame_LaterQuestionClosesAfterEarly: from the second question on, the reveal comes
// Early after the last player's answer, not at once.
func TestGame_LaterQuestionClosesAfterEarly(t *testing.T) {
	h := newHarness(t)
	h.timing.Join = 0
	h.restart()
	h.command("ann", "trivia", "start", 0, map[string]any{"film": "kim", "questions": 3, "seconds": 20})
	h.clock.Advance(h.timing.Lead)
	_, p := h.msgs.last()
	h.answerRight("ann", p)
	h.answerRight("bob", p)
	h.untilSent() // the second question
	id, p := h.msgs.last()
	if !strings.Contains(p.content, "Question 2 of") {
		t.Fatalf("second message %q, want question 2", p.content)
	}
	h.clock.Advance(3 * time.Second)
	h.answerWrong("bob", p)
	h.answerRight("ann", p)
	if h.edits(id) != 0 {
		t.Fatal("question 2 closed at once when the last player answered")
	}
	h.clock.Advance(h.timing.Early - time.Millisecond)
	if h.edits(id) != 0 {
		t.Fatal("question 2 closed before Early passed")
	}
	h.clock.Advance(time.Millisecond)
	if h.edits(id) != 1 {
		t.Fatal("question 2 still open Early after everyone answered")
	}
}

var relTimestamp = regexp.MustCompile(`<t:(\d+):R>`)

// TestGame_DeadlineShownIsReal: a 10-second question asked at a fractional second shows
// "ends in 10 s", and closes exactly at the time it shows.
func TestGame_DeadlineShownIsReal(t *testing.T) {
	for _, frac := range []time.Duration{0, 300 * time.Millisecond, 700 * time.Millisecond, 999 * time.Millisecond} {
		t.Run(frac.String(), func(t *testing.T) {
			h := newHarness(t)
			h.clock.mu.Lock()
			h.clock.now = h.clock.now.Add(frac)
			h.clock.mu.Unlock()
			h.command("ann", "trivia", "start", 0, map[string]any{"film": "kim", "questions": 2, "seconds": 10})
			h.clock.Advance(h.timing.Lead)
			id, p := h.msgs.last()
			shown := render.Style{Now: h.clock.Now()}.Text(&discordgo.InteractionResponseData{Content: p.content})
			if !strings.Contains(shown, "ends in 10 s") {
				t.Errorf("question shows %q, want \"ends in 10 s\"", shown)
			}
			m := relTimestamp.FindStringSubmatch(p.content)
			if m == nil {
				t.Fatalf("no relative timestamp in %q", p.content)
			}
			unix, _ := strconv.ParseInt(m[1], 10, 64)
			deadline := time.Unix(unix, 0)
			h.clock.Advance(deadline.Add(-time.Nanosecond).Sub(h.clock.Now()))
			if h.edits(id) != 0 {
				t.Fatal("question closed before the time it shows")
			}
			h.clock.Advance(time.Nanosecond)
			if h.edits(id) != 1 {
				t.Fatal("question still open at the time it shows")
			}
		})
	}
}

// TestStart_announcementReadsForTheStarter: the console shows the starter's own mention
// as "you", so the announcement must not open with it.
func TestStart_announcementReadsForTheStarter(t *testing.T) {
	h := newHarness(t)
	r := h.command("ann", "trivia", "start", 0, map[string]any{"film": "kim", "questions": 3, "seconds": 15})
	st := render.Style{Name: func(id string) string {
		if id == "ann" {
			return "you"
		}
		return id
	}}
	got := st.Text(r.Data)
	want := "Trivia! 3 questions about Comrade Kim Goes Flying, 15 seconds each, started by you."
	if !strings.HasPrefix(got, want) {
		t.Errorf("announcement = %q, want it to start %q", got, want)
	}
	if !strings.Contains(r.Data.Content, "<@ann>") {
		t.Errorf("announcement %q does not mention the starter", r.Data.Content)
	}
}
