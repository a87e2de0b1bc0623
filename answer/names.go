package answer

import (
	"strings"

	"filmbot/fold"
)

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
	ix.dict[strings.Clone(concept)] = id // concept may be a view of a builder's buffer
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
	partNames := map[string]int{}
	for fi := range cat.Films {
		for _, cr := range cat.Films[fi].Cast {
			for _, w := range nameEnds(cr.Role) {
				partNames[w]++
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
		for _, name := range append([]string{f.Title}, f.Aliases...) {
			ix.addTitleWords(name)
		}
		for ci, cr := range f.Cast {
			ch := int32(len(ix.chars))
			info := charInfo{film: int32(fi), credit: int32(ci)}
			for _, name := range append([]string{cr.Role}, cr.RoleAliases...) {
				ix.addKey(ix.charKeys, name, ch)
				info.name = append(info.name, ix.nameTerms(name))
			}
			// "Ilsa" for Ilsa Lund, "Buzz" for Buzz Lightyear: a character's first or last
			// name alone names them, as people say it.
			// Only a word no other character's name holds, and no lexicon word, so "how
			// long" never reads as Brother Long.
			for _, w := range nameEnds(cr.Role) {
				if partNames[w] == 1 && len(w) >= 3 && !ix.lex.stop[w] && !ix.lex.generic[w] && !ix.lex.words[w] {
					ix.addKey(ix.charKeys, w, ch)
					info.name = append(info.name, ix.nameTerms(w))
				}
			}
			ix.addTitleWords(cr.Role)
			ix.chars = append(ix.chars, info)
			ix.films[fi].chars = append(ix.films[fi].chars, ch)
			if ci == 0 {
				ix.films[fi].lead = ch
			}
			if pi, ok := personByID[cr.Person]; ok {
				ix.linkPerson(pi, int32(fi))
			}
		}
		for _, ids := range [][]string{f.Directors, f.Writers, f.Composers, f.Producers} {
			for _, d := range ids {
				if pi, ok := personByID[d]; ok {
					ix.linkPerson(pi, int32(fi))
				}
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

// honorific words open a name without being one: "Mr. Potato Head" is not "Mr".
var honorific = map[string]bool{"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "sir": true, "lady": true, "lord": true, "captain": true, "chief": true}

// addTitleWords notes the words of a title or character name that respellTitle may mend
// into.
func (ix *Index) addTitleWords(name string) {
	for _, w := range fold.Words(name) {
		if len(w) >= 4 && isAlpha(w) && !ix.lex.stop[w] {
			ix.titleWords[w] = true
		}
	}
}

// nameEnds returns the first and last words of a character's name of two words or more
// ("ilsa" and "lund"), leaving out honorifics and articles.
func nameEnds(role string) []string {
	ws := fold.Words(role)
	if len(ws) < 2 {
		return nil
	}
	var out []string
	for _, w := range []string{ws[0], ws[len(ws)-1]} {
		if !honorific[w] && w != "the" && w != "a" && w != "an" {
			out = append(out, w)
		}
	}
	return out
}
