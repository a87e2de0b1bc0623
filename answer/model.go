package answer

import (
	"math"
	"strings"
	"unsafe"

	"filmbot/fold"
)

// The decision to answer is a fitted one. For each of the best-scoring items the engine
// measures features (below), and a logistic regression over them, fitted on labelled
// questions by TestFit (fit_test.go, `go test ./answer -run TestFit -update`), gives the
// probability that the item answers the question right. The engine answers with the
// likeliest item when that probability reaches the fitted threshold and refuses
// otherwise. The weights and threshold live in weights.go, which TestFit writes.

// numFeatures is the length of a feature vector; feature 0 is the constant 1.
const numFeatures = 32

// features describe one candidate item for one question.
type features [numFeatures]float64

// featureNames label the features in weights.go and in TestFit's report.
var featureNames = [numFeatures]string{
	"bias", "score", "log score", "margin", "top", "rules accept", "covered", "covered idf",
	"anchors missed", "words missed", "typed question", "type met", "structured", "imported",
	"entities met", "entities missed", "film named", "yes/no", "who", "name met",
	"content words", "opinion only", "imported covered idf", "imported top", "imported missed",
	"imported type met", "imported who", "raw covered", "imported raw covered", "raw covered idf", "raw best", "raw margin",
}

// featuresOf measures item it as an answer to q: s is its score, best the best score among
// the candidates and next the best score of any other candidate.
func (ix *Index) featuresOf(q *query, it *item, s, best, next float64, rank int, named bool, raw rawScores) features {
	var f features
	f[0] = 1
	f[1] = s / (s + 4)
	f[2] = math.Log1p(s)
	if rank == 0 {
		f[3] = (s - next) / (s + 1)
		f[4] = 1
	} else {
		f[3] = (s - best) / (best + 1)
	}
	if ix.accept(q, it) {
		f[5] = 1
	}
	c := ix.coverage(q, it)
	f[6], f[7] = c.frac, c.idfFrac
	f[8] = min(float64(c.anchorsMissed), 2) / 2
	f[9] = min(float64(c.missed), 3) / 3
	if typed(q.qt) {
		f[10] = 1
		if ix.typeMet(q, it) {
			f[11] = 1
		}
	}
	switch it.kind {
	case kindFact, kindBio, kindArticle:
	default:
		f[12] = 1
	}
	if it.flags&imported != 0 {
		f[13] = 1
	}
	if named := len(q.chars) + len(q.persons); named > 0 {
		f[14] = float64(c.entities) / float64(named)
		if c.entities == 0 {
			f[15] = 1
		}
	}
	if named {
		f[16] = 1 // by the question or the film option
	}
	if q.qt == qYesNo {
		f[17] = 1
	}
	if q.qt == qWho {
		f[18] = 1
	}
	if (q.qt == qWho || q.wantsName) && (it.persons.n > 0 || it.chars.n > 0) {
		f[19] = 1
	}
	f[20] = min(float64(c.hard), 5) / 5
	if ix.onlyOpinion(q) {
		f[21] = 1
	}
	// An imported sentence is raw prose with no tags: the same evidence means something
	// else there than in a curated item, so the model weighs it apart.
	if f[13] == 1 {
		f[22] = f[7]
		f[23] = f[4]
		f[24] = f[9]
		f[25] = f[11]
		f[26] = f[18]
	}
	f[27], f[29] = raw.share[rank], raw.idf[rank]
	if f[13] == 1 {
		f[28] = f[29]
	}
	// Which candidate holds the question's own rare words best: the sentence a plain
	// reader would pick.
	if raw.best == rank {
		f[30] = 1
		f[31] = raw.idf[rank] - raw.second
	} else {
		f[31] = raw.idf[rank] - raw.idf[raw.best]
	}
	return f
}

// probability is the fitted model's estimate that the candidate answers right.
func probability(w *[numFeatures]float64, f *features) float64 {
	z := 0.0
	for i := range f {
		z += w[i] * f[i]
	}
	return 1 / (1 + math.Exp(-z))
}

// typed reports whether a question type asks for a kind of value (a date, a number).
func typed(qt qtype) bool {
	switch qt {
	case qWhen, qYear, qHowOld, qHowLong, qHowMany, qHowMuch:
		return true
	}
	return false
}

// typeMet reports whether an item holds the kind of value a typed question asks for.
func (ix *Index) typeMet(q *query, it *item) bool {
	switch q.qt {
	case qWhen:
		return it.flags&(hasDigit|hasMonth) != 0
	case qYear:
		return it.flags&hasYear != 0
	case qHowOld:
		return it.flags&hasDigit != 0
	case qHowLong:
		return it.flags&hasDuration != 0
	case qHowMany:
		return it.flags&hasNumber != 0 && (q.counted == "" || ix.counts(it, q.counted))
	case qHowMuch:
		return it.flags&hasMoney != 0
	}
	return true
}

// cover is how much of a question an item covers.
type cover struct {
	hard, missed, anchorsMissed, entities int
	frac, idfFrac                         float64
}

func (ix *Index) coverage(q *query, it *item) cover {
	var c cover
	tfs := ix.termsOf(it)
	topics := ix.refsOf(it.topics)
	var title map[int32]bool
	if it.film >= 0 {
		title = ix.films[it.film].title
	}
	total, got := 0.0, 0.0
	covered := 0
	for _, t := range q.terms {
		if t.soft {
			continue
		}
		c.hard++
		idf := 1.0
		if t.term >= 0 {
			idf = ix.idf(t.term)
		} else {
			idf = math.Log(1 + float64(len(ix.items)))
		}
		total += idf
		if t.term >= 0 && (findTerm(tfs, t.term) > 0 || hasRef(topics, t.term) || title[t.term] ||
			(t.term == ix.mainTerm && ix.aboutLead(it))) {
			covered++
			got += idf
			continue
		}
		c.missed++
		if t.anchor {
			c.anchorsMissed++
		}
	}
	c.frac, c.idfFrac = 1, 1
	if c.hard > 0 {
		c.frac = float64(covered) / float64(c.hard)
		c.idfFrac = got / total
	}
	chars := ix.refsOf(it.chars)
	for _, ch := range q.chars {
		if hasRef(chars, ch) || ix.mentions(it, ix.chars[ch].name) {
			c.entities++
		}
	}
	persons := ix.refsOf(it.persons)
	for _, p := range q.persons {
		if hasRef(persons, p) || ix.mentions(it, ix.people[p].name) {
			c.entities++
		}
	}
	return c
}

// rawCover is the share of the question's own words (stemmed) that the item's text holds:
// the plain reader's measure, blind to the lexicon, which counts the words a chat question
// adds ("last scenes", "cgi") that the lexicon sets aside.
func (ix *Index) rawCover(q *query, it *item) (share, idfShare float64) {
	if len(q.raw) == 0 {
		return 1, 1
	}
	var buf [1024]byte
	text := foldedText(buf[:0], ix.render(it))
	have := 0
	got, total := 0.0, 0.0
	for i, w := range q.raw {
		total += q.rawIdf[i]
		if ix.holds(it, text, w) {
			have++
			got += q.rawIdf[i]
		}
	}
	if total == 0 {
		total = 1
	}
	return float64(have) / float64(len(q.raw)), got / total
}

// foldedText folds s into buf (growing it only for a long text), as " word word " with a
// space at each end, so hasStem finds a word's start by searching for " "+stem.
func foldedText(buf []byte, s string) string {
	buf = append(buf, ' ')
	buf = fold.Append(buf, s)
	buf = append(buf, ' ')
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

// hasStem reports whether a word of text (from foldedText) starts with stem s.
func hasStem(text, s string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], s)
		if j < 0 {
			return false
		}
		if k := i + j; k > 0 && text[k-1] == ' ' {
			return true
		}
		i += j + 1
	}
}

// rawScores are the candidates' raw word covers, by rank.
type rawScores struct {
	share, idf [topN]float64
	best       int
	second     float64
}

// rawScoresOf measures every candidate's raw cover.
func (ix *Index) rawScoresOf(q *query, top []scored) rawScores {
	var r rawScores
	r.best = -1
	for i, c := range top {
		r.share[i], r.idf[i] = ix.rawCover(q, &ix.items[c.id])
		if r.best < 0 || r.idf[i] > r.idf[r.best] {
			r.best = i
		}
	}
	for i := range top {
		if i != r.best && r.idf[i] > r.second {
			r.second = r.idf[i]
		}
	}
	return r
}

// answerThreshold is the probability a candidate needs to be the answer: lower for one
// the shape rules accept (a cover of every content word, the right kind of value), higher
// for the rest. TestFit fits both with the weights.
func answerThreshold(f *features) float64 {
	if f[5] == 1 {
		return acceptThreshold
	}
	return modelThreshold
}
