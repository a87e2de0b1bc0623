package store

import (
	"bytes"
	"context"
	"strings"

	bolt "go.etcd.io/bbolt"

	"filmbot/fold"
	"filmbot/seed"
)

// The title index serves autocomplete and exact title lookups.
//
// Every title and alias is folded (fold.String) and indexed whole (kind titleFull), and
// again from each later word on (kind titleWord: "kim goes flying", "goes flying",
// "flying" for "Comrade Kim Goes Flying"; the first 16 words), so a query may start at any
// word. Later words that are one letter or a stop word ("the", "of", "and"; see stopWord)
// are not indexed as starts: nobody types "of pyongyang" to find "River of Pyongyang", and
// they would make a sixth of the index. A key is
//
//	kind (1 byte) | length of the folded title or alias, at most 255 (1 byte) | text | 0 | film seed position (3 bytes)
//
// so the keys of one kind and length are in alphabetical order, and the best matches for
// a query are found by seeking to kind|length|query for each length in turn, shortest
// first, full titles before words. The value carries what a result shows: year, film ID,
// title, and the alias matched when it is not the title. Film IDs are usually the folded
// title with dashes for spaces, so the ID is stored as the part before the key's text
// with dashes, and a flag saying whether that text follows ("the-storm-and-the-" and yes
// for the entry "carnival" of "The Storm and the Carnival").
//
// Seeking every length from the query's up to 255 would make a query that matches nothing
// the slowest of all, so a second bucket maps kind|first up to eight bytes of the text to
// the lengths that occur under that prefix; a search seeks only those.
const (
	titleFull byte = 0
	titleWord byte = 1

	maxTitleLen     = 255
	maxWordsIndexed = 16
	lensPrefix      = 8
	seqBytes        = 3 // film seed position in a key, so at most 1<<24 films
	maxFilms        = 1 << (8 * seqBytes)

	// MaxTitleMatches is the most results SearchTitles returns: Discord's autocomplete cap.
	MaxTitleMatches = 25
)

// stopWord reports whether a word of a title is not indexed as a start: one letter, or a
// short English function word.
func stopWord(w string) bool {
	switch w {
	case "the", "an", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from":
		return true
	}
	return len(w) < 2
}

// slugTail reports whether id ends with text with its spaces as dashes, the way a film ID is
// usually made from its title.
func slugTail(id, text string) bool {
	if len(text) > len(id) {
		return false
	}
	tail := id[len(id)-len(text):]
	for i := range len(text) {
		c := text[i]
		if c == ' ' {
			c = '-'
		}
		if tail[i] != c {
			return false
		}
	}
	return true
}

// lengthSet is a set of title lengths (0 to 255). It is stored as its members in
// ascending order, one byte each: the sets of long prefixes, the most numerous, hold few.
type lengthSet [4]uint64

func (ls *lengthSet) add(l int) { ls[l/64] |= 1 << (l % 64) }

func (ls *lengthSet) encode(b []byte) []byte {
	for l := range maxTitleLen + 1 {
		if ls[l/64]&(1<<(l%64)) != 0 {
			b = append(b, byte(l))
		}
	}
	return b
}

// prefixKey identifies the length set of a kind and a text prefix of up to eight bytes.
type prefixKey struct {
	kind, n byte
	prefix  [lensPrefix]byte
}

// titleKey returns the key prefix kind|length|text.
func titleKey(b []byte, kind byte, length int, text string) []byte {
	b = append(b, kind, byte(min(length, maxTitleLen)))
	return append(b, text...)
}

// titleIndex builds the title index, sorted and without repeats, and the length sets, in
// key order. Entries are gathered by kind and length, the first two bytes of their keys,
// so each group sorts on its text alone.
func titleIndex(a *arena, films []seed.Film, name func(personID string) string) (index, lens []kv) {
	dis := disambiguations(films, name)
	groups := make([][]kv, 2*(maxTitleLen+1))
	var e enc
	var key []byte
	entries := 0
	for seq := range films {
		f := &films[seq]
		for n, name := range append([]string{f.Title}, f.Aliases...) {
			folded := fold.String(name)
			if folded == "" {
				continue
			}
			matched := ""
			if n > 0 {
				matched = name
			}
			add := func(kind byte, text string) {
				key = titleKey(key[:0], kind, len(folded), text)
				key = append(key, 0, byte(seq>>16), byte(seq>>8), byte(seq))
				e.b = a.start()
				e.int(f.Year)
				if slugTail(f.ID, text) {
					e.str(f.ID[:len(f.ID)-len(text)])
					e.bool(true)
				} else {
					e.str(f.ID)
					e.bool(false)
				}
				e.str(f.Title)
				e.str(matched)
				if d := dis[seq]; d != "" {
					e.str(d) // absent for most films, so older entries read the same
				}
				g := int(kind)*(maxTitleLen+1) + min(len(folded), maxTitleLen)
				v := a.end(e.b)
				groups[g] = append(groups[g], kv{k: a.copy(key), v: v})
				entries++
			}
			add(titleFull, folded)
			words := 1
			for i := 0; i < len(folded) && words < maxWordsIndexed; i++ {
				if folded[i] != ' ' {
					continue
				}
				words++
				rest := folded[i+1:]
				word, _, _ := strings.Cut(rest, " ")
				if !stopWord(word) {
					add(titleWord, rest)
				}
			}
		}
	}

	// Length sets by kind and text prefix. Within a sorted group, entries sharing their
	// first bytes are neighbours, so the sets change only where those bytes do.
	sets := make(map[prefixKey]*lengthSet)
	index = make([]kv, 0, entries)
	for g, group := range groups {
		if len(group) == 0 {
			continue
		}
		kind, length := byte(g/(maxTitleLen+1)), g%(maxTitleLen+1)
		sortKVs(group, 2)
		var prev []byte
		for i, r := range group {
			if i > 0 && bytes.Equal(r.k, group[i-1].k) {
				continue // a title and an alias that fold alike
			}
			index = append(index, r)
			text := r.k[2 : len(r.k)-1-seqBytes]
			head := text[:min(len(text), lensPrefix)]
			if prev != nil && bytes.Equal(head, prev) {
				continue
			}
			prev = head
			pk := prefixKey{kind: kind}
			for p := 0; p <= len(head); p++ {
				pk.n = byte(p)
				if p > 0 {
					pk.prefix[p-1] = head[p-1]
				}
				ls := sets[pk]
				if ls == nil {
					ls = new(lengthSet)
					sets[pk] = ls
				}
				ls.add(length)
			}
		}
	}
	lens = make([]kv, 0, len(sets))
	for pk, ls := range sets {
		key = append(append(key[:0], pk.kind), pk.prefix[:pk.n]...)
		lens = append(lens, kv{k: a.copy(key), v: a.end(ls.encode(a.start()))})
	}
	sortKVs(lens, 0)
	return index, lens
}

// SearchTitles returns up to limit films whose title or alias, or a word of it (among its
// first 16), starts with query after folding, best first: an exact title or alias, then
// titles and aliases that start with the query, then those with a later word that does;
// within each, shorter titles first, then alphabetically by the folded text from the
// matching word on. A film appears once, under its best match. limit is capped at
// MaxTitleMatches (Discord's autocomplete limit); 0 or less means that cap. An empty query
// lists the shortest titles.
func (s *Store) SearchTitles(ctx context.Context, query string, limit int) ([]TitleMatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxTitleMatches {
		limit = MaxTitleMatches
	}
	q := fold.String(query)
	var out []TitleMatch
	err := s.db.View(func(tx *bolt.Tx) error {
		idx, lens := tx.Bucket(bucketTitles), tx.Bucket(bucketTitleLens)
		if idx == nil || lens == nil {
			return nil
		}
		var seen [MaxTitleMatches]uint32
		c := idx.Cursor()
		key := make([]byte, 0, 2+len(q))
		lensKey := make([]byte, 0, 1+lensPrefix)
		for _, kind := range []byte{titleFull, titleWord} {
			lensKey = append(append(lensKey[:0], kind), q[:min(len(q), lensPrefix)]...)
			for _, l := range lens.Get(lensKey) {
				if int(l) < min(len(q), maxTitleLen) {
					continue
				}
				key = titleKey(key[:0], kind, int(l), q)
			scan:
				for k, v := c.Seek(key); bytes.HasPrefix(k, key); k, v = c.Next() {
					if len(k) < len(key)+1+seqBytes {
						return errCorrupt
					}
					seq := seqOf(k)
					for _, s := range seen[:len(out)] {
						if s == seq {
							continue scan
						}
					}
					m, err := decodeTitleMatch(k, v)
					if err != nil {
						return err
					}
					seen[len(out)] = seq
					out = append(out, m)
					if len(out) == limit {
						return nil
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// seqOf returns the film seed position at the end of a title index key.
func seqOf(k []byte) uint32 {
	t := k[len(k)-seqBytes:]
	return uint32(t[0])<<16 | uint32(t[1])<<8 | uint32(t[2])
}

// decodeTitleMatch decodes the title index entry k, v.
func decodeTitleMatch(k, v []byte) (TitleMatch, error) {
	d := dec{s: string(v)}
	m := TitleMatch{Year: d.int()}
	id, tail := d.str(), d.bool()
	m.Title, m.Matched = d.str(), d.str()
	if m.Matched == "" {
		m.Matched = m.Title
	}
	if d.err == nil && d.s != "" {
		m.Label = label(m.Title, m.Year, d.str())
	} else {
		m.Label = label(m.Title, m.Year, "")
	}
	if err := d.done("title index entry"); err != nil {
		return TitleMatch{}, err
	}
	m.FilmID = id
	if tail {
		if len(k) < 3+seqBytes {
			return TitleMatch{}, errCorrupt
		}
		text := k[2 : len(k)-1-seqBytes]
		var b strings.Builder
		b.Grow(len(id) + len(text))
		b.WriteString(id)
		for _, c := range text {
			if c == ' ' {
				c = '-'
			}
			b.WriteByte(c)
		}
		m.FilmID = b.String()
	}
	return m, nil
}

// findFilmID returns the ID of the first film (in seed order) whose title or alias folds to
// the same text as name, or else the film name means by its year ("treasure island
// (1950)").
func findFilmID(tx *bolt.Tx, name string) (string, error) {
	id, err := findTitle(tx, name)
	if err == ErrNotFound {
		return findWithYear(tx, name)
	}
	return id, err
}

// findTitle returns the ID of the first film (in seed order) whose title or alias folds to
// the same text as name.
func findTitle(tx *bolt.Tx, name string) (string, error) {
	q := fold.String(name)
	idx := tx.Bucket(bucketTitles)
	if q == "" || idx == nil {
		return "", ErrNotFound
	}
	key := append(titleKey(nil, titleFull, len(q), q), 0)
	k, v := idx.Cursor().Seek(key)
	if !bytes.HasPrefix(k, key) || len(k) != len(key)+seqBytes {
		return "", ErrNotFound
	}
	m, err := decodeTitleMatch(k, v)
	return m.FilmID, err
}
