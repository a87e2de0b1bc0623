package answer

import (
	"flag"
	"fmt"
	"go/format"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"filmbot/answer/qaset"
	"filmbot/internal/catalogtest"
	"filmbot/seed"
)

var (
	update = flag.Bool("update", false, "TestFit: write the fitted weights to weights.go")
	crossV = flag.Bool("cv", false, "TestFit: report leave-one-set-out cross-validated scores")
)

// fitGroup is one question set with the index it is asked against; cross-validation
// leaves out one group at a time.
type fitGroup struct {
	name, kind string // kind: "neat", "chat" or "article", for the report
	ix         *Index
	lines      []qaset.Line
}

// question is one labelled question with its candidates.
type question struct {
	unknown bool
	weight  float64 // each set weighs the same in the fit, however many questions it has
	cands   []candidate
	pass    []bool
}

// fitData reads every labelled set the model is fitted on: the embedded seed's sets in
// testdata (not testdata/fresh, the batches kept unseen), and the shared dev sets, the
// articles each imported raw beside the embedded seed as `filmbot eval -article` does.
func fitData(t *testing.T) []fitGroup {
	t.Helper()
	base := defaultCatalog(t)
	seedIx := New(base)
	var groups []fitGroup
	files, _ := filepath.Glob(filepath.Join("testdata", "*.tsv"))
	for _, f := range files {
		if strings.HasSuffix(f, "floors.tsv") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		groups = append(groups, fitGroup{filepath.Base(f), "neat", seedIx, mustParse(t, f, data)})
	}
	dev := sharedFile(t, filepath.Join("qa", "ask-dev.tsv"))
	groups = append(groups, fitGroup{"ask-dev.tsv", "neat", seedIx, mustParse(t, "ask-dev.tsv", dev)})
	chat := sharedFile(t, filepath.Join("qa", "ask-chat-dev.tsv"))
	groups = append(groups, fitGroup{"ask-chat-dev.tsv", "chat", seedIx, mustParse(t, "ask-chat-dev.tsv", chat)})
	for file, title := range sharedArticles(t) {
		text := sharedFile(t, filepath.Join("qa", "articles", file))
		cat, err := seed.ImportArticle(file, text, title, base)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		set := strings.TrimSuffix(file, ".txt") + ".tsv"
		lines := mustParse(t, set, sharedFile(t, filepath.Join("qa", "articles", set)))
		groups = append(groups, fitGroup{set, "article", New(cat), lines})
	}
	groups = append(groups, generatedGroup(t))
	sort.Slice(groups, func(i, j int) bool { return groups[i].name < groups[j].name })
	return groups
}

func mustParse(t *testing.T, name string, data []byte) []qaset.Line {
	t.Helper()
	lines, err := qaset.Parse(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// sharedArticles reads which film each shared dev article is about, from SOURCES.md.
func sharedArticles(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, line := range strings.Split(string(sharedFile(t, filepath.Join("qa", "articles", "SOURCES.md"))), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) > 3 && strings.HasSuffix(strings.TrimSpace(cells[1]), ".txt") {
			out[strings.TrimSpace(cells[1])] = strings.TrimSpace(cells[2])
		}
	}
	return out
}

// label asks every question of g and labels its candidates.
func label(g fitGroup) []question {
	var qs []question
	for _, l := range g.lines {
		var q question
		q.unknown = l.Unknown()
		q.weight = 40 / float64(len(g.lines))
		g.ix.ask(l.Question, "", "", func(cs []candidate) { q.cands = cs })
		for _, c := range q.cands {
			q.pass = append(q.pass, !q.unknown && l.Pass(true, c.reply.Text))
		}
		qs = append(qs, q)
	}
	return qs
}

// fit fits logistic-regression weights by batch gradient descent (deterministic: same
// data, same weights), with a light L2 penalty and wrong answers weighted up, since a
// wrong answer is worse than a refusal.
func fit(qs []question) [numFeatures]float64 {
	var w [numFeatures]float64
	type sample struct {
		f      features
		y, wgt float64
	}
	var xs []sample
	for _, q := range qs {
		for i, c := range q.cands {
			y, wgt := 0.0, 2.0
			if q.pass[i] {
				y, wgt = 1, 1
			}
			xs = append(xs, sample{c.f, y, wgt * q.weight})
		}
	}
	if len(xs) == 0 {
		return w
	}
	const rate, l2, rounds = 1.0, 1e-3, 1500
	for r := 0; r < rounds; r++ {
		var g [numFeatures]float64
		for _, x := range xs {
			d := (probability(&w, &x.f) - x.y) * x.wgt
			for i := range g {
				g[i] += d * x.f[i]
			}
		}
		for i := range w {
			reg := l2 * w[i]
			if i == 0 {
				reg = 0
			}
			w[i] -= rate * (g[i]/float64(len(xs)) + reg)
		}
	}
	return w
}

// decide replays the engine's decision for one question: the likeliest candidate, when its
// probability reaches its threshold.
func decide(w *[numFeatures]float64, q question, th [2]float64) (answered, right bool) {
	best, p := -1, 0.0
	for i, c := range q.cands {
		if pc := probability(w, &c.f); pc > p {
			best, p = i, pc
		}
	}
	if best < 0 {
		return false, false
	}
	need := th[1]
	if q.cands[best].f[5] == 1 {
		need = th[0]
	}
	return p >= need, q.pass[best]
}

// scoreAt counts a decision rule's outcome on questions.
func scoreAt(w *[numFeatures]float64, th [2]float64, qs []question) qaset.Score {
	var s qaset.Score
	for _, q := range qs {
		answered, right := decide(w, q, th)
		l := qaset.Line{Expected: "x"}
		if q.unknown {
			l.Expected = qaset.Unknown
		}
		text := ""
		if right && answered {
			text = "x"
		}
		s.Add(l, answered, text)
	}
	return s
}

// threshold picks the probabilities to answer at, one for candidates the shape rules
// accept and one for the rest: the pair that gets the most questions right (answered
// right or refused), each set weighing the same and a wrong answer counting as three misses.
func threshold(w *[numFeatures]float64, qs []question) [2]float64 {
	// The likeliest candidate does not depend on the thresholds: find it once.
	type pick struct {
		p               float64
		accepted, right bool
	}
	picks := make([]pick, len(qs))
	for i, q := range qs {
		best := -1
		for k, c := range q.cands {
			if pc := probability(w, &c.f); pc > picks[i].p {
				best, picks[i].p = k, pc
			}
		}
		if best >= 0 {
			picks[i].accepted, picks[i].right = q.cands[best].f[5] == 1, q.pass[best]
		}
	}
	best, bestV := [2]float64{0.5, 0.5}, math.Inf(-1)
	for a := 5; a <= 95; a += 2 {
		for o := a; o <= 95; o += 2 {
			th := [2]float64{float64(a) / 100, float64(o) / 100}
			v := 0.0
			for i, q := range qs {
				need := th[1]
				if picks[i].accepted {
					need = th[0]
				}
				answered := picks[i].p > 0 && picks[i].p >= need
				right := picks[i].right
				switch {
				case answered && right:
					v += q.weight
				case answered:
					v -= 3 * q.weight
				case q.unknown:
					v += q.weight
				}
			}
			if v > bestV {
				best, bestV = th, v
			}
		}
	}
	return best
}

// TestFit fits the answer model on the labelled sets and checks that weights.go holds
// exactly that fit, so the shipped weights are reproducible. -update rewrites weights.go;
// -cv also reports leave-one-set-out cross-validated scores, the figures to quote.
func TestFit(t *testing.T) {
	groups := fitData(t)
	var all []question
	byGroup := make([][]question, len(groups))
	for i, g := range groups {
		byGroup[i] = label(g)
		all = append(all, byGroup[i]...)
	}
	oracle := map[string][2]int{}
	for i, g := range groups {
		for _, q := range byGroup[i] {
			if q.unknown {
				continue
			}
			o := oracle[g.kind]
			o[1]++
			for _, p := range q.pass {
				if p {
					o[0]++
					break
				}
			}
			oracle[g.kind] = o
		}
	}
	t.Logf("answerable questions with a right candidate: %v", oracle)
	w := fit(all)
	th := threshold(&w, all)
	t.Logf("fitted on %d questions: %v at thresholds %.2f (rules accept) and %.2f", len(all), scoreAt(&w, th, all), th[0], th[1])
	for i, n := range featureNames {
		t.Logf("  %-16s %+.3f", n, w[i])
	}
	if *crossV {
		pooled := map[string]qaset.Score{}
		for i, g := range groups {
			var rest []question
			for j := range groups {
				if j != i {
					rest = append(rest, byGroup[j]...)
				}
			}
			cw := fit(rest)
			s := scoreAt(&cw, threshold(&cw, rest), byGroup[i])
			t.Logf("cv %-22s %v", g.name, s)
			pooled[g.kind] = pooled[g.kind].Plus(s)
		}
		for _, k := range []string{"neat", "chat", "article", "generated"} {
			t.Logf("cv pooled %-8s %v", k, pooled[k])
		}
	}
	src := weightsSource(w, th)
	if *update {
		if err := os.WriteFile("weights.go", []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("weights.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != src {
		t.Errorf("weights.go is not the fit of the labelled sets; run go test ./answer -run TestFit -update")
	}
}

func weightsSource(w [numFeatures]float64, th [2]float64) string {
	var b strings.Builder
	b.WriteString("// Code generated by TestFit (go test ./answer -run TestFit -update); DO NOT EDIT.\n\npackage answer\n\n")
	b.WriteString("// modelWeights are the fitted logistic-regression weights, by feature (see featureNames).\n")
	b.WriteString("var modelWeights = [numFeatures]float64{\n")
	for i, v := range w {
		fmt.Fprintf(&b, "\t%.4f, // %s\n", v, featureNames[i])
	}
	b.WriteString("}\n\n// acceptThreshold is the probability at or above which the engine answers with a\n// candidate the shape rules accept; modelThreshold, with any other.\n")
	fmt.Fprintf(&b, "const (\n\tacceptThreshold = %.2f\n\tmodelThreshold = %.2f\n)\n", th[0], th[1])
	out, err := format.Source([]byte(b.String()))
	if err != nil {
		panic(err)
	}
	return string(out)
}

// generatedGroup asks structured questions (credits, dates, runtime, and what no record
// holds) about a small generated catalog, in phrasings of its own (TestAsk_GeneratedCatalog
// uses others), so the model also learns a catalog of many films with no prose.
func generatedGroup(t *testing.T) fitGroup {
	t.Helper()
	cat := catalogtest.Generate(400, 5)
	names := map[string]string{}
	for _, p := range cat.People {
		names[p.ID] = p.Name
	}
	var lines []qaset.Line
	add := func(q, want string) {
		lines = append(lines, qaset.Line{Line: len(lines) + 1, Question: q, Expected: want})
	}
	factsOf := map[string][]string{}
	for _, fc := range cat.Facts {
		factsOf[fc.Film] = append(factsOf[fc.Film], fc.Text)
	}
	says := func(film, word string) bool {
		for _, text := range factsOf[film] {
			if strings.Contains(text, word) {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(cat.Films); i += 13 {
		f := &cat.Films[i]
		add(fmt.Sprintf("who was the director of %s", strings.ToLower(f.Title)), names[f.Directors[0]])
		add(fmt.Sprintf("in %s who played %s?", f.Title, f.Cast[0].Role), names[f.Cast[0].Person])
		add(fmt.Sprintf("when was %s released", f.Title), fmt.Sprint(f.Year))
		runtime := qaset.Unknown
		if says(f.ID, " minutes") {
			runtime = "minutes"
		}
		add(fmt.Sprintf("what's the running time of %s", f.Title), runtime)
		add(fmt.Sprintf("how many minutes does %s run", strings.ToLower(f.Title)), runtime)
		add(fmt.Sprintf("in what year was %s released?", f.Title), fmt.Sprint(f.Year))
		add(fmt.Sprintf("where did they film %s", f.Title), f.Locations[0])
		add(fmt.Sprintf("how much did %s cost to make", f.Title), qaset.Unknown)
		add(fmt.Sprintf("who designed the costumes for %s", f.Title), qaset.Unknown)
		add(fmt.Sprintf("how much money did %s make at the box office", f.Title), qaset.Unknown)
	}
	g := fitGroup{"generated", "generated", New(cat), lines}
	return g
}
