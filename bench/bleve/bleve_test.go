package bleve

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"filmbot/answer"
	"filmbot/seed"
)

// devLine is one dev-set question: the answer must hold expected ('&' groups of '|'
// alternatives), or the engine must refuse when expected is UNKNOWN.
type devLine struct{ question, expected string }

func devSet(b *testing.B) []devLine {
	b.Helper()
	dir := os.Getenv("FILMBOT_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	data, err := os.ReadFile(filepath.Join(dir, "qa", "ask-dev.tsv"))
	if err != nil {
		b.Skipf("dev set not found (set FILMBOT_SHARED): %v", err)
	}
	var lines []devLine
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		q, want, ok := strings.Cut(sc.Text(), "\t")
		if ok && !strings.HasPrefix(q, "#") {
			lines = append(lines, devLine{q, strings.TrimSpace(want)})
		}
	}
	return lines
}

// pass applies the dev set's rule to a reply: found and holding the expected text, or
// refused for UNKNOWN.
func (l devLine) pass(found bool, text string) bool {
	if l.expected == "UNKNOWN" {
		return !found
	}
	if !found {
		return false
	}
	text = strings.ToLower(text)
	for _, group := range strings.Split(l.expected, "&") {
		ok := false
		for _, alt := range strings.Split(group, "|") {
			ok = ok || strings.Contains(text, strings.ToLower(alt))
		}
		if !ok {
			return false
		}
	}
	return true
}

// engine answers a question: found, and the answer's text.
type engine func(question string) (bool, string)

// bleveEngine indexes every fact, biography and synopsis of the catalog in memory with
// bleve's default mapping and answers with the top hit; it refuses only when nothing
// matches, as a plain search box does.
func bleveEngine(b *testing.B, cat *seed.Catalog) engine {
	b.Helper()
	idx, err := bleve.NewMemOnly(bleve.NewIndexMapping())
	if err != nil {
		b.Fatal(err)
	}
	texts := map[string]string{}
	add := func(text string) {
		id := strconv.Itoa(len(texts))
		texts[id] = text
		if err := idx.Index(id, map[string]any{"text": text}); err != nil {
			b.Fatal(err)
		}
	}
	for _, f := range cat.Facts {
		add(f.Text)
	}
	for _, p := range cat.People {
		if p.Bio != "" {
			add(p.Bio)
		}
	}
	for _, f := range cat.Films {
		if f.Synopsis != "" {
			add(f.Synopsis)
		}
	}
	return func(question string) (bool, string) {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchQuery(question), 1, 0, false)
		res, err := idx.Search(req)
		if err != nil || len(res.Hits) == 0 {
			return false, ""
		}
		return true, texts[res.Hits[0].ID]
	}
}

func filmbotEngine(cat *seed.Catalog) engine {
	ix := answer.New(cat)
	return func(question string) (bool, string) {
		a := ix.Ask(question, "")
		return a.Found, a.Text
	}
}

// measure runs the dev set b.N times round-robin through an engine and reports latency
// percentiles and accuracy on answerable and unanswerable questions.
func measure(b *testing.B, ask engine, lines []devLine) {
	var answerable, right, unanswerable, refused int
	for _, l := range lines {
		found, text := ask(l.question)
		if l.expected == "UNKNOWN" {
			unanswerable++
			if l.pass(found, text) {
				refused++
			}
		} else {
			answerable++
			if l.pass(found, text) {
				right++
			}
		}
	}
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		ask(lines[i%len(lines)].question)
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durs)
	pct := func(p float64) float64 { return float64(durs[int(p*float64(len(durs)-1))].Nanoseconds()) }
	b.ReportMetric(pct(0.50), "p50-ns")
	b.ReportMetric(pct(0.99), "p99-ns")
	b.ReportMetric(100*float64(right)/float64(max(answerable, 1)), "answerable-%")
	b.ReportMetric(100*float64(refused)/float64(max(unanswerable, 1)), "refused-%")
}

// BenchmarkDevSet compares bleve's top hit with filmbot's answer engine on the embedded
// seed: latency and dev-set accuracy, side by side.
func BenchmarkDevSet(b *testing.B) {
	cat, err := seed.Default()
	if err != nil {
		b.Fatal(err)
	}
	lines := devSet(b)
	b.Run("bleve", func(b *testing.B) { measure(b, bleveEngine(b, cat), lines) })
	b.Run("filmbot", func(b *testing.B) { measure(b, filmbotEngine(cat), lines) })
}
