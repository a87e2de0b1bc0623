package answer

import (
	"filmbot/fold"
)

// pinned reports whether a question that names no film still points at the item's film
// alone: it names a person or character, or shares with the item a word no other film's
// items hold ("Koryo").
func (ix *Index) pinned(q *query, it *item) bool {
	if it.film < 0 || len(q.chars) > 0 || len(q.persons) > 0 {
		return true
	}
	tfs := ix.termsOf(it)
	for _, t := range q.terms {
		if t.term < 0 || t.soft || ix.df[t.term] > maxPosting || findTerm(tfs, t.term) == 0 {
			continue // a word too common to have postings cannot be one film's alone
		}
		only := true
		for _, id := range ix.post[ix.postAt[t.term]:ix.postAt[t.term+1]] {
			if f := ix.items[id].film; f >= 0 && f != it.film {
				only = false
				break
			}
		}
		if only {
			return true
		}
	}
	return false
}

// ambiguous reports whether a question that names no film is answered about as well by
// another film's item: "where was the film shot?" in a store of many films.
func (ix *Index) ambiguous(q *query, best *item, score float64, rest []scored) bool {
	for _, c := range rest {
		it := &ix.items[c.id]
		if c.s < score*ambiguity {
			return false
		}
		if it.film != best.film && ix.accept(q, it) {
			return true
		}
	}
	return false
}

// counts reports whether an item's text puts a number before the thing counted: "three
// films", "2 prizes", not "both leads … were acrobats" for "how many acrobats?".
func (ix *Index) counts(it *item, counted string) bool {
	words := fold.Words(ix.render(it))
	for i, w := range words {
		if !ix.lex.number[w] && (w[0] < '0' || w[0] > '9') {
			continue
		}
		for k := i + 1; k < len(words) && k <= i+3; k++ {
			if ix.lex.stemConcept(words[k]) == counted {
				return true
			}
		}
	}
	return false
}

// askedOfService reports whether a question asks about one place to see the film ("when
// did it come out on Vimeo?"): the film's release summary does not answer it, that place's
// own record does, so a year from the summary is never passed off as the service's.
func (ix *Index) askedOfService(q *query, release *item) bool {
	topics := ix.refsOf(release.topics)
	for _, t := range q.terms {
		if t.term < 0 || t.soft || hasRef(topics, t.term) {
			continue
		}
		for _, id := range ix.films[release.film].items {
			w := &ix.items[id]
			if w.kind == kindWatch && findTerm(ix.termsOf(w), t.term) > 0 {
				return true
			}
		}
	}
	return false
}

// coveredBy reports whether every word the question asks about, soft ones too, is one of
// topics.
func (q *query) coveredBy(topics []int32) bool {
	n := 0
	for _, t := range q.terms {
		if t.term < 0 || !hasRef(topics, t.term) {
			return false
		}
		n++
	}
	return n > 0
}

// accept reports whether an item really answers the question: it is the kind of answer
// asked for, and it covers everything the question asks about.
func (ix *Index) accept(q *query, it *item) bool {
	switch q.qt {
	case qWhen:
		if it.flags&(hasDigit|hasMonth) == 0 {
			return false
		}
	case qYear:
		if it.flags&hasYear == 0 {
			return false
		}
	case qHowOld:
		if it.flags&hasDigit == 0 {
			return false
		}
		if len(q.persons) > 0 && len(q.chars) == 0 && it.chars.n > 0 {
			return false // an actor's age is not their character's
		}
	case qHowLong:
		if it.flags&hasDigit == 0 || it.flags&hasDuration == 0 {
			return false
		}
	case qHowMany:
		if it.flags&hasNumber == 0 || (q.counted != "" && !ix.counts(it, q.counted)) {
			return false
		}
	case qHowMuch:
		if it.flags&hasMoney == 0 {
			return false
		}
	}
	if ix.vetoed(q, it) {
		return false
	}
	tfs := ix.termsOf(it)
	topics := ix.refsOf(it.topics)
	chars := ix.refsOf(it.chars)
	persons := ix.refsOf(it.persons)
	if q.crew && len(persons) == 0 {
		return false // "the producer, by name": the answer must name a person
	}
	if q.wantsName && len(persons) == 0 && len(chars) == 0 {
		return false // a name was asked for: the answer must name someone
	}
	var title map[int32]bool
	if it.film >= 0 {
		title = ix.films[it.film].title
	}
	soft, known, covered := 0, 0, 0
	knownIdf, coveredIdf := 0.0, 0.0
	imp := it.flags&imported != 0
	for _, t := range q.terms {
		if t.term >= 0 && (findTerm(tfs, t.term) > 0 || hasRef(topics, t.term) || title[t.term]) ||
			(t.term == ix.mainTerm && ix.aboutLead(it)) {
			if !t.soft {
				covered++
				coveredIdf += ix.idf(t.term)
			}
			continue
		}
		switch {
		case t.soft:
			soft++
		case t.term >= 0 && (!t.anchor || imp) && !ix.lex.isRole(t.word) && !ix.lex.isCrew(t.word):
			// A word the data holds elsewhere, not here: over-specified ("supports her dream
			// of becoming an acrobat") rather than asking after something unknown.
			known++
			knownIdf = ix.idf(t.term)
		default:
			return false
		}
	}
	wordsCovered := covered
	for _, ch := range q.chars {
		if hasRef(chars, ch) || ix.mentions(it, ix.chars[ch].name) {
			covered++
		}
	}
	for _, p := range q.persons {
		if hasRef(persons, p) || ix.mentions(it, ix.people[p].name) {
			covered++
		}
	}
	// One such word may go uncovered when the item covers the rest well: three things
	// named, or two for an imported sentence, which has the article's wording and no tags;
	// and the word left out must be no rarer than those covered, so that it is a detail
	// rather than the point of the question.
	need := relaxCover
	if imp {
		need = relaxImported
	}
	if known == 1 && wordsCovered > 0 && knownIdf > coveredIdf/float64(wordsCovered)+1e-9 {
		return false
	}
	if soft > 1 || known > 1 || (known == 1 && covered < need) {
		return false
	}
	for _, ch := range q.chars {
		if !hasRef(chars, ch) && !ix.mentions(it, ix.chars[ch].name) {
			return false
		}
	}
	for _, p := range q.persons {
		if !hasRef(persons, p) && !ix.mentions(it, ix.people[p].name) {
			return false
		}
	}
	return true
}

// vetoed reports whether an item can never answer the question, whatever the model
// makes of it: the question's shape rules it out.
func (ix *Index) vetoed(q *query, it *item) bool {
	tfs := ix.termsOf(it)
	topics := ix.refsOf(it.topics)
	persons := ix.refsOf(it.persons)
	if it.kind == kindRelease && ix.askedOfService(q, it) {
		return true
	}
	if (q.qt == qYesNo || (q.firstWord && q.hardTerms() > 1)) && it.kind == kindFact && !ix.claimMatches(q, tfs, topics) {
		return true
	}
	if q.otherCrew && len(persons) < 2 && (it.film < 0 || ix.castNamed(it) < 2) {
		return true // "the other director": an answer naming one person names no other
	}
	if ix.onlyOpinion(q) && it.flags&imported == 0 {
		return true // "is the film good?": the curated data reports, it does not judge
	}
	if q.relation != -1 {
		// "Who is Yong Mi's father?" needs an item about someone other than Yong Mi that
		// says what they are to her.
		if q.relation < 0 || findTerm(tfs, q.relation) == 0 {
			return true
		}
		if !ix.describesOther(q, it) {
			return true
		}
	}
	return false
}

// claimMatches reports whether a yes/no question claims no more than a fact about a first
// says: "is it the first North Korean film?" is not confirmed by the first internationally
// financed one, so every topic that qualifies the fact's first must be in the question.
func (ix *Index) claimMatches(q *query, tfs []termFreq, topics []int32) bool {
	first, ok := ix.dict["first"]
	if !ok || (!hasRef(topics, first) && findTerm(tfs, first) == 0) || !q.has(ix, "first") {
		return true
	}
	release := ix.dict["release"]
	for _, tp := range topics {
		if tp == first || tp == release || !ix.anchorTerm[tp] {
			continue
		}
		asked := false
		for _, t := range q.terms {
			if t.term == tp {
				asked = true
				break
			}
		}
		if !asked {
			return false
		}
	}
	return true
}

// onlyTitle reports whether every content word of the question is a word of the film's
// title: "who is Kim?" asks about the title, not about anyone in the data.
func (q *query) onlyTitle(ix *Index, film int32) bool {
	title := ix.films[film].title
	for _, t := range q.terms {
		if t.term < 0 || !title[t.term] {
			return false
		}
	}
	return len(q.terms) > 0 || len(q.films) > 0
}

// hardTerms counts the question's content words that are not soft.
func (q *query) hardTerms() int {
	n := 0
	for _, t := range q.terms {
		if !t.soft {
			n++
		}
	}
	return n
}

// onlyOpinion reports whether the question's only content is a judgement ("good",
// "nice"): the data says what others said of the film, never whether it is good.
func (ix *Index) onlyOpinion(q *query) bool {
	good, ok := ix.dict["good"]
	if !ok || len(q.chars)+len(q.persons) > 0 {
		return false
	}
	judged := false
	for _, t := range q.terms {
		switch {
		case t.term == good:
			judged = true
		case !t.soft:
			return false
		}
	}
	return judged
}

// describesOther reports whether an item describes a credited character or a person the
// question does not name, so that what it says of them ("Yong Mi's nemesis") identifies
// them: a cast credit or a biography. A fact that merely mentions "her manager" names no
// one.
func (ix *Index) describesOther(q *query, it *item) bool {
	if it.kind != kindCredit && it.kind != kindMain && it.kind != kindBio {
		return false
	}
	for _, ch := range ix.refsOf(it.chars) {
		if ix.chars[ch].credit >= 0 && !hasRef(q.chars, ch) {
			return true
		}
	}
	for _, p := range ix.refsOf(it.persons) {
		if !hasRef(q.persons, p) {
			return true
		}
	}
	return false
}

// aboutLead reports whether an item is about its film's lead character, whom "the
// heroine" or "the protagonist" means.
func (ix *Index) aboutLead(it *item) bool {
	if it.film < 0 {
		return false
	}
	lead := ix.films[it.film].lead
	return lead >= 0 && (hasRef(ix.refsOf(it.chars), lead) || ix.mentions(it, ix.chars[lead].name))
}
