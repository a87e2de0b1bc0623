package answer

import (
	"os"
	"path/filepath"
	"testing"
)

// TestAsk_HeldOut runs the held-out batches: question sets written without looking at the
// engine's lexicon, each run once unseen (its first-run score is recorded in
// docs/bench/answer.md) and afterwards used only for general fixes. Each side is held to
// its own floor, as issue #3 judges them separately.
func TestAsk_HeldOut(t *testing.T) {
	tests := []struct {
		file string
		// minAnswered and minRefused are percentages of the answerable and of the
		// unanswerable lines that must pass.
		minAnswered, minRefused int
	}{
		{"heldout.tsv", 90, 90},
		{"heldout2.tsv", 90, 90},
		{"heldout3.tsv", 90, 90},
		{"heldout4.tsv", 90, 90},
		{"heldout5.tsv", 85, 90}, // 89% before the fitted model; see docs/answer.md
		{"heldout6.tsv", 90, 90},
		{"heldout7.tsv", 90, 90},
	}
	ix := mustIndex(t)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			r := runQA(ix, parseQA(t, data))
			for _, f := range r.failures {
				t.Log(f)
			}
			t.Logf("%s: answerable %d/%d right, unanswerable %d/%d refused",
				tt.file, r.answered, r.answerable, r.refused, r.unanswerable)
			if r.answerable == 0 || r.unanswerable == 0 {
				t.Fatalf("%s: want both answerable and unanswerable lines", tt.file)
			}
			if r.answered*100 < r.answerable*tt.minAnswered {
				t.Errorf("%s: answerable %d/%d right, want at least %d%%", tt.file, r.answered, r.answerable, tt.minAnswered)
			}
			if r.refused*100 < r.unanswerable*tt.minRefused {
				t.Errorf("%s: unanswerable %d/%d refused, want at least %d%%", tt.file, r.refused, r.unanswerable, tt.minRefused)
			}
		})
	}
}
