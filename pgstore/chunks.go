package pgstore

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"

	"filmbot/seed"
)

// chunkRecords is the most records of one kind a knowledge chunk holds.
const chunkRecords = 1000

// catalogChunks returns a function that yields cat's chunks one at a time, in order:
// each a gzip-compressed JSON seed.Catalog with a run of at most chunkRecords records of
// one kind (articles, films, people, facts, then questions). It returns nil at the end.
func catalogChunks(cat *seed.Catalog) func() ([]byte, error) {
	var parts []func(lo, hi int) seed.Catalog
	var sizes []int
	add := func(n int, part func(lo, hi int) seed.Catalog) {
		sizes = append(sizes, n)
		parts = append(parts, part)
	}
	add(len(cat.Articles), func(lo, hi int) seed.Catalog { return seed.Catalog{Articles: cat.Articles[lo:hi]} })
	add(len(cat.Films), func(lo, hi int) seed.Catalog { return seed.Catalog{Films: cat.Films[lo:hi]} })
	add(len(cat.People), func(lo, hi int) seed.Catalog { return seed.Catalog{People: cat.People[lo:hi]} })
	add(len(cat.Facts), func(lo, hi int) seed.Catalog { return seed.Catalog{Facts: cat.Facts[lo:hi]} })
	add(len(cat.Questions), func(lo, hi int) seed.Catalog { return seed.Catalog{Questions: cat.Questions[lo:hi]} })
	kind, at := 0, 0
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	return func() ([]byte, error) {
		for kind < len(parts) && at >= sizes[kind] {
			kind, at = kind+1, 0
		}
		if kind == len(parts) {
			return nil, nil
		}
		hi := min(at+chunkRecords, sizes[kind])
		part := parts[kind](at, hi)
		at = hi
		buf.Reset()
		zw.Reset(&buf)
		if err := json.NewEncoder(zw).Encode(part); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		return bytes.Clone(buf.Bytes()), nil
	}
}

// chunkReader adds knowledge chunks to a catalog, one at a time, in the order
// catalogChunks made them.
type chunkReader struct {
	cat *seed.Catalog
	zr  *gzip.Reader
}

// add decodes one chunk and appends its records to the catalog.
func (r *chunkReader) add(part []byte) error {
	var err error
	if r.zr == nil {
		r.zr, err = gzip.NewReader(bytes.NewReader(part))
	} else {
		err = r.zr.Reset(bytes.NewReader(part))
	}
	if err != nil {
		return fmt.Errorf("chunk: %w", err)
	}
	var c seed.Catalog
	dec := json.NewDecoder(r.zr)
	if err := dec.Decode(&c); err != nil {
		return fmt.Errorf("chunk: %w", err)
	}
	if _, err := io.Copy(io.Discard, r.zr); err != nil { // checks the gzip trailer
		return fmt.Errorf("chunk: %w", err)
	}
	r.cat.Articles = append(r.cat.Articles, c.Articles...)
	r.cat.Films = append(r.cat.Films, c.Films...)
	r.cat.People = append(r.cat.People, c.People...)
	r.cat.Facts = append(r.cat.Facts, c.Facts...)
	r.cat.Questions = append(r.cat.Questions, c.Questions...)
	return nil
}
