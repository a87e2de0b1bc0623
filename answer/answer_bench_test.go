package answer

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"filmbot/internal/catalogtest"
	"filmbot/seed"
)

// benchQuestions returns the dev set's questions when the shared folder is at hand, else
// our paraphrase set, so the benchmark runs anywhere.
func benchQuestions(b *testing.B) []string {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "shared", "qa", "ask-dev.tsv"))
	if dir := os.Getenv("FILMBOT_SHARED"); dir != "" {
		data, err = os.ReadFile(filepath.Join(dir, "qa", "ask-dev.tsv"))
	}
	if err != nil {
		if data, err = os.ReadFile(filepath.Join("testdata", "paraphrases.tsv")); err != nil {
			b.Fatal(err)
		}
	}
	var qs []string
	for _, l := range parseQA(b, data) {
		qs = append(qs, l.question)
	}
	return qs
}

// timeAsks asks questions round-robin b.N times and reports the median and 99th percentile
// of single calls beside the mean go test prints.
func timeAsks(b *testing.B, ix *Index, qs []string, film func(int) string) {
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		ix.Ask(qs[i%len(qs)], film(i%len(qs)))
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durs)
	pct := func(p float64) float64 { return float64(durs[int(p*float64(len(durs)-1))].Nanoseconds()) }
	b.ReportMetric(pct(0.50), "p50-ns")
	b.ReportMetric(pct(0.99), "p99-ns")
}

// BenchmarkAsk answers the dev questions from the embedded seed's index.
func BenchmarkAsk(b *testing.B) {
	cat, err := seed.Default()
	if err != nil {
		b.Fatal(err)
	}
	ix := New(cat)
	timeAsks(b, ix, benchQuestions(b), func(int) string { return "" })
}

// BenchmarkAsk100k answers questions about films of a generated 100,000-film catalog, most
// naming the film in the question, some through the film option, some with no film.
func BenchmarkAsk100k(b *testing.B) {
	cat := catalogtest.Generate(100000, 5)
	start := time.Now()
	ix := New(cat)
	build := time.Since(start)
	var qs, films []string
	for i := 0; i < len(cat.Films); i += 997 {
		f := &cat.Films[i]
		role := f.Cast[0].Role
		for _, q := range []string{
			"Who directed %s?", "Who plays " + role + " in %s?", "When was %s released?",
			"Where was %s shot?", "How long is %s?", "Who composed the score for %s?",
			"What is the budget of %s?",
		} {
			qs = append(qs, fmt.Sprintf(q, f.Title))
			films = append(films, "")
		}
		qs = append(qs, "Who plays "+role+"?", "Who plays "+role+"?")
		films = append(films, f.ID, "")
	}
	b.Run("ask", func(b *testing.B) {
		timeAsks(b, ix, qs, func(i int) string { return films[i] })
		b.ReportMetric(build.Seconds(), "build-s")
	})
	b.Run("unscoped", func(b *testing.B) {
		var un []string
		for i, q := range qs {
			if films[i] == "" && i%9 == 8 {
				un = append(un, q)
			}
		}
		timeAsks(b, ix, un, func(int) string { return "" })
	})
}

// BenchmarkNew builds the index of the embedded seed.
func BenchmarkNew(b *testing.B) {
	cat, err := seed.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		New(cat)
	}
}

// BenchmarkNew100k builds the index of the generated 100,000-film catalog, as the bot does
// after a reseed of that size.
func BenchmarkNew100k(b *testing.B) {
	cat := catalogtest.Generate(100000, 5)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		New(cat)
	}
}
