package answer

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"filmbot/fold"
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

// Ask answers question. film, when not empty, is a film ID, title or alias that scopes the
// question, as the /ask film option does.
func (ix *Index) Ask(question, film string) Answer {
	q := ix.parse(question)
	scope := int32(-1)
	if film != "" {
		fi, ok := ix.lookupFilm(film)
		if !ok {
			return ix.notInData("")
		}
		scope = fi
	}
	if scope < 0 && len(q.films) > 0 && !q.weakFilm {
		scope = q.films[0]
	}
	if scope < 0 {
		scope = ix.entityFilm(&q)
	}
	if scope < 0 && len(q.films) > 0 {
		scope = q.films[0]
	}
	if scope < 0 && len(ix.films) == 1 {
		scope = 0
	}
	if scope >= 0 {
		q.chars = keepChars(ix, q.chars, scope)
		q.persons = keepPersons(ix, q.persons, scope)
	}
	if q.unanswerable || (scope >= 0 && q.qt == qWho && len(q.chars)+len(q.persons) == 0 && q.onlyTitle(ix, scope)) {
		// "who is Comrade Kim?": a title names no one
		return ix.dontKnow(scope, question)
	}

	var top [topN]scored
	n := 0
	consider := func(id int32) {
		s := ix.score(&q, &ix.items[id], scope >= 0 && len(q.films) > 0)
		if s < minScore {
			return
		}
		n = insertTop(&top, n, scored{id, s})
	}
	if scope >= 0 {
		for _, id := range ix.films[scope].items {
			if q.exFilm && (ix.items[id].film == scope || ix.mentions(&ix.items[id], ix.films[scope].name)) {
				continue // "what other films…": nothing about this one
			}
			consider(id)
		}
	} else {
		ix.eachCandidate(&q, consider)
	}
	for i, c := range top[:n] {
		it := &ix.items[c.id]
		if !ix.accept(&q, it) {
			continue
		}
		if scope < 0 && len(ix.films) > 1 && (!ix.pinned(&q, it) || ix.ambiguous(&q, it, c.s, top[i+1:n])) {
			return ix.whichFilm()
		}
		return ix.reply(it)
	}
	if film == "" && len(q.films) == 0 {
		if name := unknownName(question, ix); name != "" {
			return ix.notInData(name)
		}
	}
	return ix.dontKnow(scope, question)
}

type scored struct {
	id int32
	s  float64
}

// insertTop keeps the best topN scores in order, earlier items first among equals.
func insertTop(top *[topN]scored, n int, c scored) int {
	i := n
	for i > 0 && top[i-1].s < c.s {
		i--
	}
	if i >= topN {
		return n
	}
	if n < topN {
		n++
	}
	copy(top[i+1:n], top[i:n-1])
	top[i] = c
	return n
}

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

// lookupFilm resolves the film option: an ID, a title or an alias.
func (ix *Index) lookupFilm(film string) (int32, bool) {
	if fi, ok := ix.filmByID[strings.TrimSpace(film)]; ok {
		return fi, true
	}
	key := fold.String(film)
	if fs := ix.filmKeys[key]; len(fs) > 0 {
		return fs[0], true
	}
	return -1, false
}

// entityFilm returns the one film the characters and people a question names belong to, or
// -1.
func (ix *Index) entityFilm(q *query) int32 {
	film := int32(-1)
	for _, ch := range q.chars {
		f := ix.chars[ch].film
		if f < 0 || (film >= 0 && f != film) {
			return -1
		}
		film = f
	}
	for _, p := range q.persons {
		fs := ix.people[p].films
		if len(fs) != 1 || (film >= 0 && fs[0] != film) {
			return -1
		}
		film = fs[0]
	}
	return film
}

func keepChars(ix *Index, chars []int32, film int32) []int32 {
	out := chars[:0]
	for _, ch := range chars {
		if ix.chars[ch].film == film {
			out = append(out, ch)
		}
	}
	return out
}

func keepPersons(ix *Index, persons []int32, film int32) []int32 {
	out := persons[:0]
	for _, p := range persons {
		for _, f := range ix.people[p].films {
			if f == film {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// eachCandidate calls fn with every item that may answer a question naming no film: the
// items of the people and characters it names and those holding its rarer words.
func (ix *Index) eachCandidate(q *query, fn func(int32)) {
	seen := make(map[int32]bool)
	visit := func(id int32) {
		if !seen[id] {
			seen[id] = true
			fn(id)
		}
	}
	for _, p := range q.persons {
		for _, id := range ix.people[p].items {
			visit(id)
		}
	}
	for _, ch := range q.chars {
		if f := ix.chars[ch].film; f >= 0 && len(q.chars) <= 16 {
			for _, id := range ix.films[f].items {
				visit(id)
			}
		}
	}
	for _, t := range q.terms {
		if t.term < 0 {
			continue
		}
		// A word held by more than maxPosting items has no postings: too common to find
		// anything with.
		for _, id := range ix.post[ix.postAt[t.term]:ix.postAt[t.term+1]] {
			visit(id)
		}
	}
}

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
	tfs := ix.termsOf(it)
	topics := ix.refsOf(it.topics)
	chars := ix.refsOf(it.chars)
	persons := ix.refsOf(it.persons)
	if it.kind == kindRelease && ix.askedOfService(q, it) {
		return false
	}
	if (q.qt == qYesNo || (q.firstWord && q.hardTerms() > 1)) && it.kind == kindFact && !ix.claimMatches(q, tfs, topics) {
		return false
	}
	if q.otherCrew && len(persons) < 2 && (it.film < 0 || ix.castNamed(it) < 2) {
		return false // "the other director": an answer naming one person names no other
	}
	if ix.onlyOpinion(q) {
		return false // "is the film good?": the data reports, it does not judge
	}
	if q.relation != -1 {
		// "Who is Yong Mi's father?" needs an item about someone other than Yong Mi that
		// says what they are to her.
		if q.relation < 0 || findTerm(tfs, q.relation) == 0 {
			return false
		}
		if !ix.describesOther(q, it) {
			return false
		}
	}
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

// reply builds the answer for an item.
func (ix *Index) reply(it *item) Answer {
	a := Answer{Found: true, Text: clip(ix.render(it), maxText)}
	if it.film >= 0 {
		f := ix.films[it.film].f
		a.FilmID, a.Film = f.ID, f.Title
	}
	if it.source >= 0 {
		a.Sources = []string{ix.sources[it.source]}
	}
	return a
}

// dontKnow is the refusal: plain, short, and saying what the engine can answer instead.
func (ix *Index) dontKnow(scope int32, question string) Answer {
	a := Answer{Text: "I don't know: my data does not say."}
	if scope >= 0 {
		fi := ix.films[scope]
		a.FilmID, a.Film = fi.f.ID, fi.f.Title
		if fi.topics != "" {
			a.Text += " I can tell you about " + fi.f.Title + ": its " + fi.topics + "."
		}
	} else if len(ix.films) > 0 {
		a.Text += " " + ix.knownFilms()
	}
	a.Text = clip(a.Text, 300)
	return a
}

// whichFilm refuses a question several films answer alike.
func (ix *Index) whichFilm() Answer {
	return Answer{Text: clip("I don't know which film you mean: several films I know would fit. "+
		"Name the film in the question or use the film option.", 300)}
}

// notInData refuses a question about something the data does not hold. name, when not
// empty, is the unknown name, already reduced to letters, digits and spaces.
func (ix *Index) notInData(name string) Answer {
	a := Answer{Text: "I don't know that film: it is not in my data."}
	if name != "" {
		a.Text = "I don't know about " + name + ": it is not in my data."
	}
	if len(ix.films) > 0 {
		a.Text += " " + ix.knownFilms()
	}
	a.Text = clip(a.Text, 300)
	return a
}

func (ix *Index) knownFilms() string {
	const show = 3
	var titles []string
	for _, f := range ix.films[:min(show, len(ix.films))] {
		titles = append(titles, f.f.Title)
	}
	if len(ix.films) > show {
		return "I know about " + strings.Join(titles, ", ") + " and other films."
	}
	return "I know about " + list(titles) + "."
}

// unknownName returns the first run of capitalised words in question that names nothing the
// data holds ("Star Wars", "Titanic"), cleaned for safe display, or "".
func unknownName(question string, ix *Index) string {
	var run []string
	flush := func() string {
		defer func() { run = run[:0] }()
		if len(run) == 0 {
			return ""
		}
		known := true
		for _, w := range run {
			if !ix.knownWord(fold.String(w)) {
				known = false
			}
		}
		if known {
			return ""
		}
		return clip(strings.Join(run, " "), 60)
	}
	first := true
	for _, w := range strings.FieldsFunc(question, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}) {
		w = strings.Trim(w, "'")
		r, _ := utf8.DecodeRuneInString(w)
		if w != "" && unicode.IsUpper(r) && !first && w != "I" {
			run = append(run, w)
		} else if name := flush(); name != "" {
			return name
		}
		first = false
	}
	return flush()
}

// knownWord reports whether a folded word means something in the data: a name's word or a
// concept some item holds. A possessive ("mis" for "Mi's") counts as its name.
func (ix *Index) knownWord(fw string) bool {
	if ix.nameWords[fw] || (strings.HasSuffix(fw, "s") && ix.nameWords[fw[:len(fw)-1]]) {
		return true
	}
	c, class := ix.lex.concept(fw)
	if class != classContent {
		return true
	}
	_, ok := ix.dict[c]
	return ok
}

// Films returns the titles of every film the index knows, in catalog order.
func (ix *Index) Films() []string {
	out := make([]string, len(ix.films))
	for i, f := range ix.films {
		out[i] = f.f.Title
	}
	return out
}
