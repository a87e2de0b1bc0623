package answer

import (
	"filmbot/seed"
)

// Index is the answer engine's in-memory form of a catalog. It is immutable once built, so
// any number of goroutines may call Ask at once.
type Index struct {
	cat  *seed.Catalog
	lex  *lexicon
	dict map[string]int32 // concept → term ID

	sources []string // "Publisher — Headline" by article index
	article map[string]int32

	films  []filmInfo
	people []personInfo
	chars  []charInfo
	items  []item

	// Arenas the items point into, so a 100,000-film catalog is a few large slices rather
	// than millions of small ones.
	tfs  []termFreq
	refs []int32

	df     []int32 // items holding each term
	avgLen float64
	// Postings in compressed rows: the items holding term t are post[postAt[t]:postAt[t+1]].
	postAt []int32
	post   []int32

	filmKeys   map[string][]int32 // folded title, alias or ID → films
	charKeys   map[string][]int32 // folded role or role alias → characters
	personKeys map[string][]int32 // folded name, alias or unique surname → people
	spanLen    map[string]uint8   // first word of any key → most words in a key it starts
	nameWords  map[string]bool    // every word of a name of a film, person or character
	// titlePrefix maps the opening words of a title ("comrade kim") to its film, or to -1
	// when several titles open so
	titlePrefix map[string]int32
	filmByID    map[string]int32
	personByID  map[string]int32
	mainTerm    int32 // the concept of "heroine", "protagonist", "main character"
	desire      int32 // the concept of "dream", "want", "wish"
	// anchorTerm marks the terms of the lexicon's anchor concepts, by term ID
	anchorTerm []bool
	// vocab holds every folded word of the items and the lexicon, for mending typos
	vocab map[string]wordInfo
	// factByID holds the facts films cite for their fields, so an answer from a field
	// can quote the sentence it was read from.
	factByID map[string]int32
	// titleWords are the words of titles and character names, for mending typos in them
	titleWords map[string]bool
}

// lexiconOnly marks a vocab word that no item holds, only the lexicon.
const lexiconOnly = -2

// termFreq is a term and how often an item's text holds it, packed in four bytes (the
// term above, the count, at most 255, in the low byte) so that the largest arena stays
// small; sorting packed values sorts by term.
type termFreq uint32

func packTF(term, n int32) termFreq {
	return termFreq(uint32(term)<<8 | uint32(min(n, 255)))
}

func (tf termFreq) term() int32 { return int32(tf >> 8) }

func (tf termFreq) n() int32 { return int32(tf & 0xff) }

// span is a window [at, at+n) in one of the Index arenas.
type span struct {
	at int32
	n  uint16
}

type filmInfo struct {
	f       *seed.Film
	self    [1]int32 // the film's own index, as a slice's backing
	items   []int32  // everything about the film, its people's biographies included
	title   map[int32]bool
	name    [][]int32 // the title's term IDs
	chars   []int32   // its characters, credits first
	lead    int32     // the first credit's character, whom "the heroine" means; -1 none
	topics  string    // what a refusal offers to answer instead
	sources int32
}

type personInfo struct {
	p     *seed.Person
	items []int32
	films []int32
	name  [][]int32 // term IDs of each name form
}

type charInfo struct {
	film   int32
	credit int32 // index in the film's cast; -1 for a character only a fact names
	name   [][]int32
}

type itemKind uint8

const (
	kindFact itemKind = iota
	kindOverview
	kindGenre
	kindCountries
	kindDirectors
	kindCredit
	kindMain
	kindCastList
	kindRelease
	kindWatch
	kindLocation
	kindPlot
	kindBio
	kindArticle
	kindField // one of the fields prose fills (writers, runtime, …); sub is a fieldCode
)

// item is one thing the engine can answer with: a fact, or a sentence built from a film's
// or a person's record. Built sentences are rendered again when chosen, not stored.
type item struct {
	kind    itemKind
	flags   itemFlags
	film    int32 // -1 when about no film
	sub     int32 // fact, credit, watch or person index, by kind
	source  int32 // article index, -1 when unknown
	length  float32
	terms   span // in tfs, sorted by term
	topics  span // in refs
	chars   span // in refs
	persons span // in refs
}

type itemFlags uint8

const (
	hasDigit    itemFlags = 1 << iota // any digit: a date, an age, a count
	hasYear                           // a four-digit year
	hasNumber                         // a number, in digits or words
	hasMonth                          // a month name
	hasReason                         // "because", "so that": an answer to why
	imported                          // a sentence taken whole from an imported article
	hasDuration                       // minutes or hours: an answer to how long
	hasMoney                          // a currency: an answer to how much
)

// New builds the index from a catalog, usually the store's Knowledge(). The catalog must not
// change afterwards: the index keeps pointers into it.
func New(cat *seed.Catalog) *Index {
	if cat == nil {
		cat = &seed.Catalog{}
	}
	ix := &Index{
		cat:         cat,
		lex:         newLexicon(),
		dict:        make(map[string]int32),
		article:     make(map[string]int32, len(cat.Articles)),
		filmKeys:    make(map[string][]int32, len(cat.Films)*2),
		charKeys:    make(map[string][]int32),
		personKeys:  make(map[string][]int32, len(cat.People)*2),
		spanLen:     make(map[string]uint8),
		nameWords:   make(map[string]bool),
		filmByID:    make(map[string]int32, len(cat.Films)),
		vocab:       make(map[string]wordInfo),
		titlePrefix: make(map[string]int32, len(cat.Films)),
		titleWords:  make(map[string]bool),
	}
	for i, a := range cat.Articles {
		ix.article[a.ID] = int32(i)
		ix.sources = append(ix.sources, a.Credit())
	}
	cited := map[string]bool{}
	for i := range cat.Films {
		for _, c := range cat.Films[i].Cites {
			cited[c.Fact] = true
		}
	}
	ix.factByID = make(map[string]int32, len(cited))
	for i := range cat.Facts {
		if cited[cat.Facts[i].ID] {
			ix.factByID[cat.Facts[i].ID] = int32(i)
		}
	}
	ix.mainTerm = ix.term("main")
	ix.desire = ix.term("dream")
	ix.indexNames()
	n := itemCount(cat)
	ix.items = make([]item, 0, n)
	ix.tfs = make([]termFreq, 0, n*termsPerItem)
	ix.refs = make([]int32, 0, n*refsPerItem)
	b := &builder{ix: ix}
	for fi := range ix.films {
		b.filmItems(int32(fi))
	}
	for pi := range ix.people {
		b.add(item{kind: kindBio, film: -1, sub: int32(pi), source: ix.articleIndex(ix.people[pi].p.Source)},
			[]string{"identity", "person"}, nil, []int32{int32(pi)})
	}
	for i := range cat.Facts {
		b.factItem(int32(i))
	}
	// Each film cites one article: grouping the films by it once keeps this linear, where
	// scanning every film for every article took seconds on a 36,000-film store.
	cites := make([][]int32, len(cat.Articles))
	for fi := range ix.films {
		if a := ix.films[fi].sources; a >= 0 && int(a) < len(cites) {
			cites[a] = append(cites[a], int32(fi))
		}
	}
	for ai := range cat.Articles {
		// "Who published the article?": the source the answers cite is itself an answer.
		id := b.add(item{kind: kindArticle, film: -1, sub: int32(ai), source: int32(ai)}, []string{"source"}, nil, nil)
		for _, fi := range cites[ai] {
			ix.films[fi].items = append(ix.films[fi].items, id)
		}
	}
	b.flush()
	for w := range ix.lex.words {
		if _, ok := ix.vocab[w]; !ok {
			ix.vocab[w] = wordInfo{term: lexiconOnly}
		}
	}
	ix.finish()
	return ix
}

// termsPerItem and refsPerItem are typical counts per item, to size the arenas once rather
// than by doubling (the generated 100k catalog averages about 9 and 3).
const (
	termsPerItem = 10
	refsPerItem  = 3
)

// finish computes document frequencies and postings once every item is in.
func (ix *Index) finish() {
	// Biographies belong to every film the person worked on.
	for pi := range ix.people {
		for _, id := range ix.people[pi].items {
			if ix.items[id].kind != kindBio {
				continue
			}
			for _, f := range ix.people[pi].films {
				ix.films[f].items = append(ix.films[f].items, id)
			}
		}
	}
	ix.anchorTerm = make([]bool, len(ix.dict))
	for c := range ix.lex.anchor {
		if id, ok := ix.dict[c]; ok {
			ix.anchorTerm[id] = true
		}
	}
	ix.df = make([]int32, len(ix.dict))
	total := 0.0
	for i := range ix.items {
		it := &ix.items[i]
		total += float64(it.length)
		for _, tf := range ix.termsOf(it) {
			ix.df[tf.term()]++
		}
	}
	if len(ix.items) > 0 {
		ix.avgLen = total / float64(len(ix.items))
	}
	if ix.avgLen == 0 {
		ix.avgLen = 1
	}
	ix.postAt = make([]int32, len(ix.dict)+1)
	for t, n := range ix.df {
		if n > maxPosting {
			n = 0 // too common to search by: no question's candidates come from it
		}
		ix.postAt[t+1] = ix.postAt[t] + n
	}
	ix.post = make([]int32, ix.postAt[len(ix.dict)])
	fill := append([]int32(nil), ix.postAt[:len(ix.dict)]...)
	for i := range ix.items {
		for _, tf := range ix.termsOf(&ix.items[i]) {
			if t := tf.term(); ix.df[t] <= maxPosting {
				ix.post[fill[t]] = int32(i)
				fill[t]++
			}
		}
	}
}

func (ix *Index) termsOf(it *item) []termFreq {
	return ix.tfs[it.terms.at : it.terms.at+int32(it.terms.n)]
}

func (ix *Index) refsOf(s span) []int32 {
	return ix.refs[s.at : s.at+int32(s.n)]
}
