package answer

import (
	"math"
)

// Scoring weights. BM25 scores the words a question shares with an item; a cue word that
// matches an item's topic (a fact's tag, or what a built sentence is for) adds topicWeight;
// naming the item's character or person adds entityWeight.
const (
	bm25K1        = 1.2
	bm25B         = 0.75
	topicWeight   = 2.0
	entityWeight  = 3.0
	minScore      = 0.5
	reasonWeight  = 1.5
	whoWeight     = 1.5
	whereWeight   = 1.0
	softWeight    = 0.3
	relaxCover    = 3
	relaxImported = 2
	builtFactor   = 0.9
	// ambiguity is how close another film's answer may score before a question that names
	// no film is refused as ambiguous.
	ambiguity = 0.9
	// maxPosting bounds the work for a question that names no film: a word held by more
	// items than this is too common to find anything with, and is given no postings.
	maxPosting = 20000
	// topN is how many of the best-scoring items are checked before giving up.
	topN = 8
)

func (ix *Index) idf(term int32) float64 {
	n := float64(len(ix.items))
	df := float64(ix.df[term])
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

func findTerm(tfs []termFreq, term int32) int32 {
	lo, hi := 0, len(tfs)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case tfs[m].term() < term:
			lo = m + 1
		case tfs[m].term() > term:
			hi = m
		default:
			return tfs[m].n()
		}
	}
	return 0
}

func hasRef(refs []int32, v int32) bool {
	for _, r := range refs {
		if r == v {
			return true
		}
	}
	return false
}

// mentions reports whether an item's text holds every word of one of a name's forms.
func (ix *Index) mentions(it *item, names [][]int32) bool {
	tfs := ix.termsOf(it)
	for _, name := range names {
		all := len(name) > 0
		for _, t := range name {
			if findTerm(tfs, t) == 0 {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// score rates how well an item answers a question.
func (ix *Index) score(q *query, it *item, titled bool) float64 {
	tfs := ix.termsOf(it)
	topics := ix.refsOf(it.topics)
	s := 0.0
	norm := bm25K1 * (1 - bm25B + bm25B*float64(it.length)/ix.avgLen)
	for _, t := range q.terms {
		if t.term < 0 {
			continue
		}
		w := 1.0
		if t.soft {
			w = softWeight // "want", "join": a hint, not the topic
		}
		if tf := float64(findTerm(tfs, t.term)); tf > 0 {
			s += w * ix.idf(t.term) * tf * (bm25K1 + 1) / (tf + norm)
		}
		if hasRef(topics, t.term) {
			s += w * topicWeight
		}
	}
	entities := 0
	chars := ix.refsOf(it.chars)
	for _, ch := range q.chars {
		switch {
		case hasRef(chars, ch):
			s += entityWeight
			entities++
		case ix.mentions(it, ix.chars[ch].name):
			s += entityWeight * 0.6
			entities++
		case len(chars) > 0:
			s -= entityWeight * 0.5
		}
	}
	persons := ix.refsOf(it.persons)
	for _, p := range q.persons {
		switch {
		case hasRef(persons, p):
			s += entityWeight
			entities++
		case ix.mentions(it, ix.people[p].name):
			s += entityWeight * 0.6
			entities++
		case len(persons) > 0:
			s -= entityWeight * 0.5
		}
	}
	if len(q.terms) == 0 && (q.qt == qWhat || q.qt == qWho) && hasRef(topics, ix.dict["identity"]) {
		// "Who is Pak Jang Phil?", "What is Comrade Kim Goes Flying?"
		switch {
		case entities > 0:
			s += entityWeight
			if it.kind == kindBio {
				s += 0.5
			}
		case len(q.chars) == 0 && len(q.persons) == 0 && titled && it.kind == kindOverview:
			s += entityWeight
		}
	}
	for _, t := range q.exTerms {
		if findTerm(tfs, t) > 0 || hasRef(topics, t) {
			s -= topicWeight
		}
	}
	for _, ch := range q.exChars {
		if hasRef(chars, ch) {
			s -= 2 * entityWeight
		}
	}
	for _, p := range q.exPersons {
		if hasRef(persons, p) {
			s -= 2 * entityWeight
		}
	}
	if (q.qt == qWho || q.wantsName) && (it.chars.n > 0 || it.persons.n > 0) {
		s += whoWeight
	}
	if it.kind == kindCastList && q.qt == qWho && len(q.chars)+len(q.persons) == 0 && q.hardTerms() <= 1 {
		s += whoWeight // "who is in it?": the cast, not its first name alone
	}
	if q.plural && (it.chars.n >= 2 || it.persons.n >= 2) {
		s += whoWeight
	}
	if q.qt == qWhy && it.flags&hasReason != 0 {
		s += reasonWeight
	}
	if q.qt == qWhere && (it.kind == kindWatch || it.kind == kindLocation) {
		s += whereWeight // a place to watch or to shoot answers "where" by name
	}
	if q.factual && ix.desire >= 0 && !q.has(ix, "dream") && (hasRef(topics, ix.desire) || findTerm(tfs, ix.desire) > 0) {
		s -= topicWeight // "did she become an acrobat?" asks what happened, not what she wished
	}
	if q.plural && it.kind == kindFact && it.film >= 0 && it.persons.n < 2 && ix.castNamed(it) >= 2 {
		s += whoWeight // "were the actors acrobats?": the fact about both leads
	}
	switch {
	case it.kind != kindFact && it.kind != kindBio && it.persons.n > 0 && (q.qt == qWho || q.qt == qWhat) &&
		!(it.kind == kindCastList && len(q.chars)+len(q.persons) > 0) && q.coveredBy(topics):
		// A credit built for exactly what is asked ("who's in the cast?", "who plays Yong
		// Mi?") answers it whole, better than a fact that mentions the topic; the whole
		// cast list only when no one in it is named; among credits, billing order breaks
		// ties.
		s += topicWeight
		if it.kind == kindCredit {
			s -= 0.1 * float64(it.sub)
		}
	case it.kind != kindFact:
		// A curated fact keeps the article's own wording; a built sentence rephrases it.
		s *= builtFactor
	}
	return s
}

// castNamed counts the film's credited people an item's text names.
func (ix *Index) castNamed(it *item) int {
	n := 0
	for _, cr := range ix.films[it.film].f.Cast {
		if p, ok := ix.personIndex(cr.Person); ok && ix.mentions(it, ix.people[p].name) {
			n++
		}
	}
	return n
}
