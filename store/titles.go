package store

import (
	"bytes"
	"encoding/binary"

	bolt "go.etcd.io/bbolt"

	"filmbot/fold"
	"filmbot/seed"
)

// The title index serves autocomplete and exact title lookups.
//
// Every title and alias is folded (fold.String) and indexed twice over: once whole (kind
// titleFull) and once for every later word it contains (kind titleWord: "kim goes flying",
// "goes flying", "flying" for "Comrade Kim Goes Flying"), so a query may start at any word.
// A key is
//
//	kind (1 byte) | length of the folded title or alias, at most 255 (1 byte) | text | 0 | film seed position (4 bytes)
//
// so the keys of one kind and length are in alphabetical order, and the best matches for
// a query are found by seeking to kind|length|query for each length in turn, shortest
// first, full titles before words. The value carries what a result shows: year, film ID,
// title, and the alias matched when it is not the title.
//
// Seeking every length from the query's up to 255 would make a query that matches nothing
// the slowest of all, so a second bucket maps kind|first up to four bytes of the text to a
// 256-bit set of the lengths that occur under that prefix; a search seeks only those.
const (
	titleFull byte = 0
	titleWord byte = 1

	maxTitleLen     = 255
	maxWordsIndexed = 16
	lensPrefix      = 4

	// MaxTitleMatches is the most results SearchTitles returns: Discord's autocomplete cap.
	MaxTitleMatches = 25
)

type lengthSet [4]uint64

func (ls *lengthSet) add(l int)      { ls[l/64] |= 1 << (l % 64) }
func (ls *lengthSet) has(l int) bool { return ls[l/64]&(1<<(l%64)) != 0 }
func (ls *lengthSet) encode(b []byte) []byte {
	for _, w := range ls {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return b
}

func decodeLengthSet(b []byte) (lengthSet, bool) {
	var ls lengthSet
	if len(b) != 32 {
		return ls, false
	}
	for i := range ls {
		ls[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return ls, true
}

// titleKey returns the key prefix kind|length|text.
func titleKey(b []byte, kind byte, length int, text string) []byte {
	b = append(b, kind, byte(min(length, maxTitleLen)))
	return append(b, text...)
}

// titleIndex builds the title index and the length sets, the index sorted and without
// repeats, the length sets in key order.
func titleIndex(a *arena, films []seed.Film) (index, lens []kv) {
	// Length sets are keyed by kind, prefix length and prefix packed in a number, to keep
	// the five map updates per index entry free of allocation.
	sets := make(map[uint64]*lengthSet)
	note := func(kind byte, length int, text string) {
		var packed uint64
		for p := 0; p <= min(lensPrefix, len(text)); p++ {
			if p > 0 {
				packed |= uint64(text[p-1]) << (8 * (lensPrefix - p))
			}
			k := uint64(kind)<<40 | uint64(p)<<32 | packed
			ls := sets[k]
			if ls == nil {
				ls = new(lengthSet)
				sets[k] = ls
			}
			ls.add(min(length, maxTitleLen))
		}
	}
	var e enc
	var key []byte
	for seq := range films {
		f := &films[seq]
		for n, name := range append([]string{f.Title}, f.Aliases...) {
			folded := fold.String(name)
			if folded == "" {
				continue
			}
			e.b = e.b[:0]
			e.int(f.Year)
			e.str(f.ID)
			e.str(f.Title)
			if n > 0 {
				e.str(name)
			} else {
				e.str("")
			}
			val := a.copy(e.b)
			add := func(kind byte, text string) {
				key = titleKey(key[:0], kind, len(folded), text)
				key = append(key, 0)
				key = binary.BigEndian.AppendUint32(key, uint32(seq))
				index = append(index, kv{k: a.copy(key), v: val})
				note(kind, len(folded), text)
			}
			add(titleFull, folded)
			words := 1
			for i := 0; i < len(folded) && words < maxWordsIndexed; i++ {
				if folded[i] == ' ' {
					add(titleWord, folded[i+1:])
					words++
				}
			}
		}
	}
	sortKVs(index)
	index = slicesCompactKeys(index)
	lens = make([]kv, 0, len(sets))
	for k, ls := range sets {
		key = append(key[:0], byte(k>>40))
		for i := range int(k >> 32 & 0xff) {
			key = append(key, byte(k>>(8*(lensPrefix-1-i))))
		}
		lens = append(lens, kv{k: a.copy(key), v: a.copy(ls.encode(nil))})
	}
	sortKVs(lens)
	return index, lens
}

// slicesCompactKeys drops records whose key repeats the one before (a title and an alias
// that fold alike).
func slicesCompactKeys(kvs []kv) []kv {
	out := kvs[:0]
	for i, r := range kvs {
		if i > 0 && bytes.Equal(r.k, kvs[i-1].k) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// SearchTitles returns up to limit films whose title or alias, or a word of it, starts with
// query after folding, best first: an exact title or alias, then titles and aliases that
// start with the query, then those with a later word that does; within each, shorter
// titles first, then alphabetically by the folded text from the matching word on. A film
// appears once, under its best match. limit is capped at MaxTitleMatches (Discord's
// autocomplete limit); 0 or less means that cap. An empty query lists the shortest titles.
func (s *Store) SearchTitles(query string, limit int) ([]TitleMatch, error) {
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
			ls, ok := decodeLengthSet(lens.Get(lensKey))
			if !ok {
				continue
			}
			for l := min(len(q), maxTitleLen); l <= maxTitleLen; l++ {
				if !ls.has(l) {
					continue
				}
				key = titleKey(key[:0], kind, l, q)
			scan:
				for k, v := c.Seek(key); bytes.HasPrefix(k, key); k, v = c.Next() {
					if len(k) < 5 {
						return errCorrupt
					}
					seq := binary.BigEndian.Uint32(k[len(k)-4:])
					for _, s := range seen[:len(out)] {
						if s == seq {
							continue scan
						}
					}
					m, err := decodeTitleMatch(v)
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

func decodeTitleMatch(v []byte) (TitleMatch, error) {
	d := dec{s: string(v)}
	m := TitleMatch{Year: d.int(), FilmID: d.str(), Title: d.str(), Matched: d.str()}
	if m.Matched == "" {
		m.Matched = m.Title
	}
	return m, d.done("title index entry")
}

// findFilmID returns the ID of the first film (in seed order) whose title or alias folds to
// the same text as name.
func findFilmID(tx *bolt.Tx, name string) (string, error) {
	q := fold.String(name)
	idx := tx.Bucket(bucketTitles)
	if q == "" || idx == nil {
		return "", ErrNotFound
	}
	key := append(titleKey(nil, titleFull, len(q), q), 0)
	k, v := idx.Cursor().Seek(key)
	if !bytes.HasPrefix(k, key) || len(k) != len(key)+4 {
		return "", ErrNotFound
	}
	m, err := decodeTitleMatch(v)
	return m.FilmID, err
}
