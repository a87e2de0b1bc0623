package answer

import (
	"strings"

	"filmbot/fold"
)

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
