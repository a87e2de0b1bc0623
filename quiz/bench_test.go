package quiz

import (
	"testing"

	"filmbot/internal/moviedata"
)

// BenchmarkGenerate makes the questions of the whole Wikipedia movie data, as the quiz
// bank does on the first game after a start or a reseed.
func BenchmarkGenerate(b *testing.B) {
	cat := moviedata.Catalog(b)
	b.ReportAllocs()
	for b.Loop() {
		Generate(cat, 1)
	}
}
