package answer

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"filmbot/fold"
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
func (tf termFreq) n() int32    { return int32(tf & 0xff) }

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
	}
	for i, a := range cat.Articles {
		ix.article[a.ID] = int32(i)
		ix.sources = append(ix.sources, a.Citation())
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
	for ai := range cat.Articles {
		// "Who published the article?": the source the answers cite is itself an answer.
		id := b.add(item{kind: kindArticle, film: -1, sub: int32(ai), source: int32(ai)}, []string{"source"}, nil, nil)
		for fi := range ix.films {
			if ix.films[fi].sources == int32(ai) {
				ix.films[fi].items = append(ix.films[fi].items, id)
			}
		}
	}
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

// itemCount returns how many items New makes of a catalog: filmItems's built sentences,
// a biography per person and an item per fact.
func itemCount(cat *seed.Catalog) int {
	n := len(cat.People) + len(cat.Facts) + len(cat.Articles)
	for i := range cat.Films {
		f := &cat.Films[i]
		n += 1 + len(f.Watch) // the overview, and one per place to watch
		for _, has := range []bool{len(f.Genres) > 0, len(f.Countries) > 0, len(f.Directors) > 0,
			f.Year != 0 || len(f.Watch) > 0, len(f.Locations) > 0, f.Synopsis != ""} {
			if has {
				n++
			}
		}
		if len(f.Cast) > 0 {
			n += len(f.Cast) + 2 // a credit each, the main character, the cast list
		}
	}
	return n
}

func (ix *Index) articleIndex(id string) int32 {
	if i, ok := ix.article[id]; ok {
		return i
	}
	return -1
}

// term returns the ID of a concept, adding it.
func (ix *Index) term(concept string) int32 {
	if id, ok := ix.dict[concept]; ok {
		return id
	}
	id := int32(len(ix.dict))
	ix.dict[concept] = id
	return id
}

// nameTerms returns the term IDs of a name's words.
func (ix *Index) nameTerms(name string) []int32 {
	var ids []int32
	for _, w := range fold.Words(name) {
		c, _ := ix.lex.concept(w)
		ids = append(ids, ix.term(c))
	}
	return ids
}

// addKey records key → value in m and notes the key's length for span detection.
func (ix *Index) addKey(m map[string][]int32, name string, v int32) {
	key := fold.String(name)
	if key == "" {
		return
	}
	vs := m[key]
	if n := len(vs); n > 0 && vs[n-1] == v {
		return // values arrive in order, so a repeat is always the last one
	}
	m[key] = append(vs, v)
	for _, w := range strings.Fields(key) {
		ix.nameWords[w] = true
	}
	first, _, _ := strings.Cut(key, " ")
	if n := uint8(min(strings.Count(key, " ")+1, 255)); n > ix.spanLen[first] {
		ix.spanLen[first] = n
	}
}

// indexNames records every way a question can name a film, a person or a character.
func (ix *Index) indexNames() {
	cat := ix.cat
	ix.people = make([]personInfo, len(cat.People))
	ix.personByID = make(map[string]int32, len(cat.People))
	personByID := ix.personByID
	surnames := make(map[string]int, len(cat.People))
	for i := range cat.People {
		p := &cat.People[i]
		personByID[p.ID] = int32(i)
		ix.people[i] = personInfo{p: p}
		info := &ix.people[i]
		for _, name := range append([]string{p.Name}, p.Aliases...) {
			ix.addKey(ix.personKeys, name, int32(i))
			info.name = append(info.name, ix.nameTerms(name))
		}
		if w := fold.Words(p.Name); len(w) > 1 {
			surnames[w[len(w)-1]]++
		}
	}
	// A surname alone names a person when no one else has it ("Bonner").
	for i := range cat.People {
		w := fold.Words(cat.People[i].Name)
		if len(w) > 1 && len(w[len(w)-1]) >= 4 && surnames[w[len(w)-1]] == 1 {
			if c, _ := ix.lex.concept(w[len(w)-1]); c == stem(w[len(w)-1]) {
				ix.addKey(ix.personKeys, w[len(w)-1], int32(i))
			}
		}
	}
	ix.films = make([]filmInfo, len(cat.Films))
	for fi := range cat.Films {
		f := &cat.Films[fi]
		ix.films[fi] = filmInfo{f: f, title: make(map[int32]bool), sources: ix.articleIndex(f.Source), lead: -1, self: [1]int32{int32(fi)}}
		ix.filmByID[f.ID] = int32(fi)
		for _, name := range append([]string{f.Title, strings.ReplaceAll(f.ID, "-", " ")}, f.Aliases...) {
			ix.addKey(ix.filmKeys, name, int32(fi))
			terms := ix.nameTerms(name)
			for _, t := range terms {
				ix.films[fi].title[t] = true
			}
			if name == f.Title {
				ix.films[fi].name = [][]int32{terms}
			}
		}
		ix.addPrefixes(f.Title, int32(fi))
		for ci, cr := range f.Cast {
			ch := int32(len(ix.chars))
			info := charInfo{film: int32(fi), credit: int32(ci)}
			for _, name := range append([]string{cr.Role}, cr.RoleAliases...) {
				ix.addKey(ix.charKeys, name, ch)
				info.name = append(info.name, ix.nameTerms(name))
			}
			ix.chars = append(ix.chars, info)
			ix.films[fi].chars = append(ix.films[fi].chars, ch)
			if ci == 0 {
				ix.films[fi].lead = ch
			}
			if pi, ok := personByID[cr.Person]; ok {
				ix.linkPerson(pi, int32(fi))
			}
		}
		for _, d := range f.Directors {
			if pi, ok := personByID[d]; ok {
				ix.linkPerson(pi, int32(fi))
			}
		}
	}
	for i := range cat.Facts {
		fc := &cat.Facts[i]
		pi, ok := personByID[fc.Person]
		if !ok {
			continue
		}
		if fi, ok := ix.filmByID[fc.Film]; ok {
			ix.linkPerson(pi, fi)
		}
	}
}

// addPrefixes records the title's openings of two words or more, short of the whole, so a
// question may name "Comrade Kim" for Comrade Kim Goes Flying. An opening of only grammar
// and trivia words ("the last") names nothing.
func (ix *Index) addPrefixes(title string, fi int32) {
	key := fold.String(title)
	content := false
	for n, i := 1, 0; ; n++ {
		j := strings.IndexByte(key[i:], ' ')
		if j < 0 {
			return // the whole title is a film key already
		}
		w := key[i : i+j]
		if c, class := ix.lex.concept(w); class == classContent && c != "" {
			content = true
		}
		i += j + 1
		if n < 2 || !content {
			continue
		}
		p := key[:i-1]
		if have, ok := ix.titlePrefix[p]; ok && have != fi {
			ix.titlePrefix[p] = -1
		} else {
			ix.titlePrefix[p] = fi
		}
	}
}

func (ix *Index) linkPerson(pi, fi int32) {
	for _, f := range ix.people[pi].films {
		if f == fi {
			return
		}
	}
	ix.people[pi].films = append(ix.people[pi].films, fi)
}

// character returns the character a fact names within a film, adding one a credit does not
// list ("her manager").
func (ix *Index) character(fi int32, name string) int32 {
	key := fold.String(name)
	if key == "" {
		return -1
	}
	if fi >= 0 {
		for _, ch := range ix.films[fi].chars {
			for _, ch2 := range ix.charKeys[key] {
				if ch == ch2 {
					return ch
				}
			}
		}
	}
	ch := int32(len(ix.chars))
	ix.chars = append(ix.chars, charInfo{film: fi, credit: -1, name: [][]int32{ix.nameTerms(name)}})
	ix.addKey(ix.charKeys, name, ch)
	if fi >= 0 {
		ix.films[fi].chars = append(ix.films[fi].chars, ch)
	}
	return ch
}

// builder turns records into items. Its caches make building a large catalog's index a
// matter of one map lookup per word, with no garbage per word.
type builder struct {
	ix      *Index
	tally   []int32            // occurrences of each term in the item being added
	touched []int32            // the terms tallied
	words   []string           // the item's folded words
	topics  map[string][]int32 // topic list → terms
}

// wordInfo is what the index knows of a folded word, looked up once per distinct word.
type wordInfo struct {
	term   int32     // its concept's term; -1 for no content, lexiconOnly for no item's word
	flags  itemFlags // the kind of value it makes a text hold (a month, a number…)
	phrase bool      // a lexicon phrase may start with it
}

// info returns what the index knows of a word of an item's text, learning it the first
// time. A name's possessive ("Yong Mi's" folds to "yong mis") is read as the name.
func (b *builder) info(w string) wordInfo {
	ix := b.ix
	if inf, ok := ix.vocab[w]; ok && inf.term != lexiconOnly {
		return inf
	}
	base := w
	if n := len(w); n > 1 && w[n-1] == 's' && ix.nameWords[w[:n-1]] && !ix.nameWords[w] {
		base = w[:n-1]
	}
	inf := wordInfo{term: -1, flags: ix.lex.flagOf[w], phrase: ix.lex.phraseStart[w]}
	if c, class := ix.lex.concept(base); class == classContent {
		inf.term = ix.term(c)
	}
	ix.vocab[strings.Clone(w)] = inf // a copy, so the key does not pin the whole text
	return inf
}

// add tokenises the item's text and appends it with its topics, characters and people.
func (b *builder) add(it item, topics []string, chars, persons []int32) int32 {
	ix := b.ix
	text := ix.render(&it)
	fl := digitFlags(fold.String(text)) | moneyFlags(text)
	if it.kind == kindArticle {
		// An article answers questions about itself, not about what its headline says.
		text = "source article publisher headline"
	}
	if b.topics == nil {
		b.topics = make(map[string][]int32)
	}
	folded := fold.String(text)
	words := b.words[:0]
	for i := 0; i < len(folded); {
		j := strings.IndexByte(folded[i:], ' ')
		if j < 0 {
			j = len(folded) - i
		}
		words = append(words, folded[i:i+j])
		i += j + 1
	}
	b.words = words
	none := func(int) bool { return false }
	n := 0
	for i := 0; i < len(words); i++ {
		inf := b.info(words[i])
		fl |= inf.flags
		t := inf.term
		if inf.phrase {
			if c, k := ix.lex.phrase(words, i, none); k > 0 {
				for _, w := range words[i+1 : i+k] {
					fl |= b.info(w).flags
				}
				t = ix.term(c)
				i += k - 1
			}
		}
		if t < 0 {
			continue
		}
		for int(t) >= len(b.tally) {
			b.tally = append(b.tally, 0)
		}
		if b.tally[t] == 0 {
			b.touched = append(b.touched, t)
		}
		b.tally[t]++
		n++
	}
	it.flags = fl
	it.terms.at = int32(len(ix.tfs))
	slices.Sort(b.touched)
	for _, t := range b.touched[:min(len(b.touched), math.MaxUint16)] {
		ix.tfs = append(ix.tfs, packTF(t, b.tally[t]))
	}
	for _, t := range b.touched {
		b.tally[t] = 0
	}
	it.terms.n = uint16(min(len(b.touched), math.MaxUint16))
	b.touched = b.touched[:0]
	it.length = float32(n)

	it.topics.at = int32(len(ix.refs))
	for _, tp := range topics {
		ids, ok := b.topics[tp]
		if !ok {
			ix.eachConcept(fold.Words(tp), func(w, c string) {
				if c == "" {
					var class wordClass
					if c, class = ix.lex.concept(w); class != classContent {
						return
					}
				}
				ids = append(ids, ix.term(c))
			})
			b.topics[tp] = ids
		}
		ix.refs = append(ix.refs, ids...)
	}
	it.topics.n = uint16(len(ix.refs) - int(it.topics.at))
	it.chars = ix.putRefs(chars)
	it.persons = ix.putRefs(persons)

	id := int32(len(ix.items))
	ix.items = append(ix.items, it)
	if it.film >= 0 {
		ix.films[it.film].items = append(ix.films[it.film].items, id)
	}
	for _, p := range persons {
		ix.people[p].items = append(ix.people[p].items, id)
	}
	return id
}

func (ix *Index) putRefs(ids []int32) span {
	s := span{at: int32(len(ix.refs)), n: uint16(min(len(ids), math.MaxUint16))}
	ix.refs = append(ix.refs, ids[:s.n]...)
	return s
}

// eachConcept calls fn for every word of a folded text: with the word and "" to be looked
// up, or with "" and a phrase's concept. Phrases are read first, and a name's possessive
// ("Yong Mi's" folds to "yong mis") is read as the name.
func (ix *Index) eachConcept(words []string, fn func(w, concept string)) {
	none := func(int) bool { return false }
	for i := 0; i < len(words); i++ {
		if c, n := ix.lex.phrase(words, i, none); n > 0 {
			fn("", c)
			i += n - 1
			continue
		}
		w := words[i]
		if n := len(w); n > 1 && w[n-1] == 's' && ix.nameWords[w[:n-1]] && !ix.nameWords[w] {
			w = w[:n-1]
		}
		fn(w, "")
	}
}

// digitFlags notes the numbers a folded text holds: any digit, and a four-digit year.
func digitFlags(folded string) itemFlags {
	var fl itemFlags
	run := 0
	for i := 0; i <= len(folded); i++ {
		if i < len(folded) && folded[i] >= '0' && folded[i] <= '9' {
			run++
			fl |= hasDigit | hasNumber
			continue
		}
		if run == 4 {
			fl |= hasYear
		}
		run = 0
	}
	return fl
}

// moneyFlags notes a currency sign, which folding drops: $, or £, ¥ and € in UTF-8.
func moneyFlags(text string) itemFlags {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '$':
			return hasMoney
		case c == 0xC2 && i+1 < len(text) && (text[i+1] == 0xA3 || text[i+1] == 0xA5):
			return hasMoney
		case c == 0xE2 && i+2 < len(text) && text[i+1] == 0x82 && text[i+2] == 0xAC:
			return hasMoney
		}
	}
	return 0
}

// filmItems adds the items built from one film's record.
func (b *builder) filmItems(fi int32) {
	ix := b.ix
	f := ix.films[fi].f
	src := ix.films[fi].sources
	var directors []int32
	for _, d := range f.Directors {
		if p, ok := ix.personIndex(d); ok {
			directors = append(directors, p)
		}
	}
	var topics []string
	mk := func(kind itemKind, sub int32) item {
		return item{kind: kind, film: fi, sub: sub, source: src}
	}
	b.add(mk(kindOverview, 0), []string{"identity"}, nil, nil)
	if len(f.Genres) > 0 {
		b.add(mk(kindGenre, 0), []string{"genre"}, nil, nil)
		topics = append(topics, "genre")
	}
	if len(f.Countries) > 0 {
		b.add(mk(kindCountries, 0), []string{"country produce make finance"}, nil, nil)
		topics = append(topics, "the countries that made it")
	}
	if len(directors) > 0 {
		b.add(mk(kindDirectors, 0), []string{"direct make"}, nil, directors)
		topics = append(topics, "director")
	}
	if len(f.Cast) > 0 {
		var all, chars []int32
		for ci, cr := range f.Cast {
			ch := ix.charOf(fi, int32(ci))
			chars = append(chars, ch)
			var ps []int32
			if p, ok := ix.personIndex(cr.Person); ok {
				ps = []int32{p}
				all = append(all, p)
			}
			b.add(mk(kindCredit, int32(ci)), []string{"cast identity character"}, []int32{ch}, ps)
		}
		var lead []int32
		if p, ok := ix.personIndex(f.Cast[0].Person); ok {
			lead = []int32{p}
		}
		b.add(mk(kindMain, 0), []string{"main identity cast character"}, chars[:1], lead)
		b.add(mk(kindCastList, 0), []string{"cast main"}, chars, all)
		topics = append(topics, "cast")
	}
	if f.Year != 0 || len(f.Watch) > 0 {
		b.add(mk(kindRelease, 0), []string{"release"}, nil, nil)
		topics = append(topics, "release")
	}
	for wi, w := range f.Watch {
		// Only the film's release item carries the release topic: "when did it come out?"
		// means the film's year before any one service's date.
		tp := "watch"
		if isFestival(w) {
			tp = "festival"
		}
		b.add(mk(kindWatch, int32(wi)), []string{tp}, nil, nil)
	}
	if hasStreaming(f) {
		topics = append(topics, "where to watch it")
	}
	if len(f.Locations) > 0 {
		b.add(mk(kindLocation, 0), []string{"location"}, nil, nil)
		topics = append(topics, "where it was shot")
	}
	if f.Synopsis != "" {
		b.add(mk(kindPlot, 0), []string{"plot"}, nil, nil)
		topics = append(topics, "plot")
	}
	ix.films[fi].topics = strings.Join(topics, ", ")
}

func (ix *Index) personIndex(id string) (int32, bool) {
	pi, ok := ix.personByID[id]
	return pi, ok
}

// charOf returns the character of a film's credit.
func (ix *Index) charOf(fi, ci int32) int32 {
	for _, ch := range ix.films[fi].chars {
		if ix.chars[ch].credit == ci {
			return ch
		}
	}
	return -1
}

// factItem adds a catalog fact.
func (b *builder) factItem(i int32) {
	ix := b.ix
	fc := &ix.cat.Facts[i]
	fi, ok := ix.filmByID[fc.Film]
	if !ok {
		fi = -1
	}
	var chars, persons []int32
	if fc.Character != "" {
		if ch := ix.character(fi, fc.Character); ch >= 0 {
			chars = []int32{ch}
		}
	}
	if p, ok := ix.personIndex(fc.Person); ok && fc.Person != "" {
		persons = []int32{p}
	}
	id := b.add(item{kind: kindFact, film: fi, sub: i, source: ix.articleIndex(fc.Source)}, fc.Tags, chars, persons)
	if slices.Contains(fc.Tags, seed.ImportTag) {
		ix.items[id].flags |= imported
	}
	// A person's fact with no film still belongs to the films they worked on.
	if fi < 0 {
		for _, p := range persons {
			for _, f := range ix.people[p].films {
				ix.films[f].items = append(ix.films[f].items, id)
			}
		}
	}
}

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

func isFestival(w seed.Watch) bool {
	return strings.EqualFold(w.Kind, "festival")
}

func hasStreaming(f *seed.Film) bool {
	for _, w := range f.Watch {
		switch strings.ToLower(w.Kind) {
		case "festival", "cinema":
		default:
			return true
		}
	}
	return false
}

// render returns the text of an item: the fact's own words, or a sentence built from the
// film's or person's record.
func (ix *Index) render(it *item) string {
	if it.kind == kindFact {
		return ix.cat.Facts[it.sub].Text
	}
	if it.kind == kindBio {
		p := ix.people[it.sub].p
		return bioText(p)
	}
	if it.kind == kindArticle {
		return articleText(ix.cat.Articles[it.sub])
	}
	f := ix.films[it.film].f
	title := f.Title
	var b strings.Builder
	switch it.kind {
	case kindOverview:
		b.WriteString(title)
		if f.Year != 0 {
			b.WriteString(" (" + strconv.Itoa(f.Year) + ")")
		}
		if len(f.Genres) > 0 {
			b.WriteString(" is " + article(f.Genres[0]) + " " + list(f.Genres))
		} else {
			b.WriteString(" is a film")
		}
		if len(f.Countries) > 0 {
			b.WriteString(" from " + list(countryNames(f.Countries)))
		}
		if d := ix.directorNames(f); d != "" {
			b.WriteString(", " + ix.directedBy(f) + " " + d)
		}
		b.WriteString(".")
	case kindGenre:
		b.WriteString(title + " is " + article(f.Genres[0]) + " " + list(f.Genres) + ".")
	case kindCountries:
		b.WriteString(title + " was produced by filmmakers from " + list(countryNames(f.Countries)) + ".")
	case kindDirectors:
		b.WriteString(ix.directorsText(f))
	case kindCredit:
		cr := f.Cast[it.sub]
		b.WriteString(ix.personName(cr.Person) + " plays " + cr.Role + " in " + title + yearSuffix(f))
		if cr.Description != "" {
			b.WriteString(": " + cr.Description)
		}
		b.WriteString(".")
	case kindMain:
		cr := f.Cast[0]
		b.WriteString("The main character of " + title + " is " + cr.Role)
		if cr.Description != "" {
			b.WriteString(", " + cr.Description + ",")
		}
		b.WriteString(" played by " + ix.personName(cr.Person) + ".")
	case kindCastList:
		var parts []string
		for _, cr := range f.Cast[:min(len(f.Cast), 12)] {
			parts = append(parts, ix.personName(cr.Person)+" as "+cr.Role)
		}
		b.WriteString(title + " stars " + list(parts) + ".")
	case kindRelease:
		b.WriteString(title)
		var parts []string
		if f.Year != 0 {
			parts = append(parts, "came out in "+strconv.Itoa(f.Year))
		}
		for _, w := range f.Watch {
			parts = append(parts, watchClause(w))
		}
		b.WriteString(" " + list(parts) + ".")
	case kindWatch:
		w := f.Watch[it.sub]
		b.WriteString(title + " " + watchClause(w))
		if w.Note != "" {
			b.WriteString(" (" + w.Note + ")")
		}
		b.WriteString(".")
	case kindLocation:
		b.WriteString(title + " was shot in " + list(f.Locations) + ".")
	case kindPlot:
		b.WriteString(f.Synopsis)
	}
	return b.String()
}

func bioText(p *seed.Person) string {
	bio := strings.TrimSpace(p.Bio)
	if bio == "" {
		return p.Name + " is in the catalog without a biography."
	}
	for _, lead := range []string{"A ", "An ", "The "} {
		if strings.HasPrefix(bio, lead) {
			return p.Name + " is " + strings.ToLower(lead[:1]) + bio[1:]
		}
	}
	if strings.HasPrefix(bio, p.Name) {
		return bio
	}
	return p.Name + ": " + bio
}

func yearSuffix(f *seed.Film) string {
	if f.Year == 0 {
		return ""
	}
	return " (" + strconv.Itoa(f.Year) + ")"
}

func (ix *Index) personName(id string) string {
	if p, ok := ix.personIndex(id); ok {
		return ix.people[p].p.Name
	}
	return id
}

// coDirector returns how a person's biography names them as a co-director ("the British
// co-director"), or "" when it does not.
func coDirector(p *seed.Person) string {
	bio := strings.TrimSpace(p.Bio)
	lower := strings.ToLower(bio)
	at := strings.Index(lower, "co-director")
	if at < 0 {
		return ""
	}
	desc := bio[:at+len("co-director")]
	for _, lead := range []string{"The ", "A ", "An "} {
		if strings.HasPrefix(desc, lead) && !strings.ContainsAny(desc, ",;.") {
			return strings.ToLower(lead[:1]) + desc[1:]
		}
	}
	return "a co-director"
}

// directedBy is "directed by", or "co-directed by" when a director's biography says that
// they shared the job.
func (ix *Index) directedBy(f *seed.Film) string {
	for _, d := range f.Directors {
		if p, ok := ix.personIndex(d); ok && coDirector(ix.people[p].p) != "" {
			return "co-directed by"
		}
	}
	return "directed by"
}

// directorsText answers "who directed it?": when the only director the data credits is a
// co-director, it says so rather than passing them off as the sole director.
func (ix *Index) directorsText(f *seed.Film) string {
	if len(f.Directors) == 1 {
		if p, ok := ix.personIndex(f.Directors[0]); ok {
			if desc := coDirector(ix.people[p].p); desc != "" {
				return ix.people[p].p.Name + " is " + desc + " of " + f.Title +
					"; my data names no other director."
			}
		}
	}
	return f.Title + " was " + ix.directedBy(f) + " " + ix.directorNames(f) + "."
}

// articleText says what a source article is: its headline, who published it and when.
func articleText(a seed.Article) string {
	var b strings.Builder
	b.WriteString("The source is ")
	switch {
	case a.Headline != "":
		b.WriteString("the article \u201c" + a.Headline + "\u201d")
	default:
		b.WriteString("an article")
	}
	if a.Publisher != "" {
		b.WriteString(", published by " + a.Publisher)
	}
	if a.Date != "" {
		b.WriteString(" on " + a.Date)
	}
	b.WriteString(".")
	return b.String()
}

func (ix *Index) directorNames(f *seed.Film) string {
	var names []string
	for _, d := range f.Directors {
		names = append(names, ix.personName(d))
	}
	return list(names)
}

// watchClause says how a film reached one place to see it: "started streaming on Vimeo On
// Demand on 1 June".
func watchClause(w seed.Watch) string {
	when := ""
	if s := strings.TrimSpace(w.Since); s != "" {
		first, _, _ := strings.Cut(s, " ")
		if n, err := strconv.Atoi(first); err == nil && n <= 31 && strings.Contains(s, " ") {
			when = " on " + s
		} else {
			when = " in " + s
		}
	}
	switch strings.ToLower(w.Kind) {
	case "festival":
		return "played at " + w.Service + when
	case "stream":
		return "started streaming on " + w.Service + when
	case "rent":
		return "became available to rent on " + w.Service + when
	case "buy":
		return "became available to buy on " + w.Service + when
	case "cinema":
		return "opened in cinemas (" + w.Service + ")" + when
	}
	return "became available on " + w.Service + when
}

// countryNames adds "the" where English needs it.
func countryNames(cs []string) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		lc := strings.ToLower(c)
		if strings.HasPrefix(lc, "united ") || strings.HasSuffix(lc, "netherlands") || strings.HasSuffix(lc, "philippines") {
			c = "the " + c
		}
		out[i] = c
	}
	return out
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "an"
	}
	return "a"
}

// list joins items as English does: "a", "a and b", "a, b and c".
func list(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
