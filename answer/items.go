package answer

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"filmbot/fold"
	"filmbot/seed"
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
		for _, fd := range filmFields {
			if fd.has(f) {
				n++
			}
		}
	}
	return n
}

// builder turns records into items. Its caches make building a large catalog's index a
// matter of one map lookup per word, with no garbage per word.
type builder struct {
	ix      *Index
	tally   []int32            // occurrences of each term in the item being added
	touched []int32            // the terms tallied
	words   []string           // the item's folded words
	topics  map[string][]int32 // topic list → terms
	queue   []pending          // items numbered but not yet read
	workers []*folder
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

// pending is an item add has numbered but not yet read: its text is rendered and folded
// with the rest of its batch, on every core, and then read into terms in order.
type pending struct {
	it             item
	topics         []string
	chars, persons []int32
	at, end        int32 // its folded text in its worker's buffer
	worker         int32
}

// batchSize bounds the rendered text held at once to a few megabytes.
const batchSize = 8192

// add numbers the item and links it to its film and people at once, so every list of item
// IDs comes out as when items were read one by one; reading its text waits for the batch.
func (b *builder) add(it item, topics []string, chars, persons []int32) int32 {
	ix := b.ix
	id := int32(len(ix.items) + len(b.queue))
	b.queue = append(b.queue, pending{it: it, topics: topics, chars: chars, persons: persons})
	if it.film >= 0 {
		ix.films[it.film].items = append(ix.films[it.film].items, id)
	}
	for _, p := range persons {
		ix.people[p].items = append(ix.people[p].items, id)
	}
	if len(b.queue) >= batchSize {
		b.flush()
	}
	return id
}

// flush renders and folds the queued items in parallel, each worker into its own buffer,
// then reads them into the index in order. Rendering reads only what indexNames built, and
// terms are numbered in the sequential part, so the index is the same on any core count.
func (b *builder) flush() {
	q := b.queue
	if len(q) == 0 {
		return
	}
	workers := min(runtime.GOMAXPROCS(0), len(q))
	for len(b.workers) < workers {
		b.workers = append(b.workers, &folder{})
	}
	var wg sync.WaitGroup
	for w := range workers {
		fw := b.workers[w]
		lo, hi := len(q)*w/workers, len(q)*(w+1)/workers
		wg.Go(func() {
			fw.buf = fw.buf[:0]
			for i := lo; i < hi; i++ {
				p := &q[i]
				text := b.ix.render(&p.it)
				p.at = int32(len(fw.buf))
				fw.buf = fw.fold.Append(fw.buf, text)
				p.it.flags |= digitFlags(unsafe.String(unsafe.SliceData(fw.buf[p.at:]), len(fw.buf)-int(p.at))) | moneyFlags(text)
				if p.it.kind == kindArticle {
					// An article answers questions about itself, not about what its headline says.
					fw.buf = fw.fold.Append(fw.buf[:p.at], "source article publisher headline")
				}
				p.end = int32(len(fw.buf))
				p.worker = int32(w)
			}
		})
	}
	wg.Wait()
	for i := range q {
		p := &q[i]
		buf := b.workers[p.worker].buf[p.at:p.end]
		b.read(p.it, unsafe.String(unsafe.SliceData(buf), len(buf)), p.topics, p.chars, p.persons)
		*p = pending{}
	}
	b.queue = q[:0]
}

// folder is one flush worker's folding state and text buffer.
type folder struct {
	fold fold.Folder
	buf  []byte
}

// read tokenises an item's folded text and appends it with its topics, characters and
// people.
func (b *builder) read(it item, folded string, topics []string, chars, persons []int32) {
	ix := b.ix
	fl := it.flags
	if b.topics == nil {
		b.topics = make(map[string][]int32)
	}
	// The folded text and its words are views of a worker's buffer, which the next batch
	// overwrites: nothing here keeps them (the vocabulary and the dictionary copy what they
	// keep), so folding a catalog's millions of items allocates nothing per item.
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
	ix.items = append(ix.items, it)
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
		if f.Cast[0].Role != "" {
			// a cast list without characters says nothing of who the main character is
			b.add(mk(kindMain, 0), []string{"main identity cast character"}, chars[:1], lead)
		}
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
	for _, fd := range filmFields {
		if !fd.has(f) {
			continue
		}
		var ps []int32
		for _, id := range fd.people(f) {
			if p, ok := ix.personIndex(id); ok {
				ps = append(ps, p)
			}
		}
		b.add(mk(kindField, int32(fd.code)), []string{fd.topics}, nil, ps)
		topics = append(topics, fd.offer)
	}
	ix.films[fi].topics = strings.Join(topics, ", ")
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
		// A character only a fact names gets its name's terms now: the queued items must
		// take theirs first, so that terms are numbered as if read one by one.
		b.flush()
		if ch := ix.character(fi, fc.Character); ch >= 0 {
			chars = []int32{ch}
		}
	}
	if p, ok := ix.personIndex(fc.Person); ok && fc.Person != "" {
		persons = []int32{p}
	}
	it := item{kind: kindFact, film: fi, sub: i, source: ix.articleIndex(fc.Source)}
	if slices.Contains(fc.Tags, seed.ImportTag) {
		it.flags |= imported
	}
	id := b.add(it, fc.Tags, chars, persons)
	// A person's fact with no film still belongs to the films they worked on.
	if fi < 0 {
		for _, p := range persons {
			for _, f := range ix.people[p].films {
				ix.films[f].items = append(ix.films[f].items, id)
			}
		}
	}
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
