package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"filmbot/seed"
)

// Facts and questions are stored in chunks: runs of records in seed order sharing one
// value. Facts are read a film at a time and a film's facts sit next to each other in seed
// order, so one read usually serves a whole film card; it also keeps the number of keys,
// and the reseed's work, down. A chunk takes records until the next would take it past
// chunkBytes, or until it holds maxChunk.
const (
	maxChunk = 64
	// chunkBytes is the most a chunk's value takes: five such fill a 16 KiB page exactly
	// (bbolt puts a 16-byte header on a page and on each element, and the key takes 4),
	// so a page of chunks is full to within a record, not to within a chunk.
	chunkBytes = (pageSize-16)/5 - 16 - 4
)

// progressEvery is the least time between two progress reports.
const progressEvery = 250 * time.Millisecond

// errInjected is the failure the failAfter test hook injects.
var errInjected = errors.New("store: injected reseed failure")

// kv is one record to write.
type kv struct{ k, v []byte }

// plan is a catalog encoded for writing: for each knowledge bucket, its records in key
// order. Building it touches no transaction, so a bad catalog is refused before anything
// is written and the write transaction only copies bytes.
type plan struct {
	records [][]kv // indexed like knowledgeBuckets
	counts  seed.Counts
	total   int
}

// arena hands out byte slices carved from large blocks, so that a million small records
// cost a few hundred allocations, and records can be encoded in place. Slices stay valid
// until the arena is dropped.
type arena struct{ block []byte }

const arenaBlock = 1 << 20

// start returns an empty slice at the free end of the current block, to append a record
// to; end then claims what was appended. A record that outgrows the block is moved to its
// own allocation by append, and is left there.
func (a *arena) start() []byte {
	if cap(a.block)-len(a.block) < arenaBlock/16 {
		a.block = make([]byte, 0, arenaBlock)
	}
	return a.block[len(a.block):len(a.block)]
}

func (a *arena) end(b []byte) []byte {
	if cap(b) == cap(a.block)-len(a.block) { // still in the block
		a.block = a.block[:len(a.block)+len(b)]
	}
	return b[:len(b):len(b)]
}

func (a *arena) copy(b []byte) []byte { return a.end(append(a.start(), b...)) }

func (a *arena) copyString(s string) []byte { return a.end(append(a.start(), s...)) }

// Reseed replaces all knowledge with cat in one transaction, so readers see the old
// knowledge or the new, never a mix, and a failure or crash part-way leaves the old in
// place. Per-guild buckets are not touched. cat must already be valid (seed.Load); the
// store still refuses, with ErrInvalid and before writing, a catalog whose IDs it cannot
// key. Cancelling ctx rolls the reseed back. progress, when not nil, is called with records
// written and total: when writing starts, at most four times a second while it goes on,
// and once all are written (the commit, a few hundred milliseconds for 100,000 films, is
// still to come).
//
// Reseed holds bbolt's one write transaction for its whole length: other writes (scores)
// wait for it; reads do not.
func (s *Store) Reseed(ctx context.Context, cat *seed.Catalog, progress func(done, total int)) (ReseedResult, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return ReseedResult{}, err
	}
	// bbolt keeps the pages a commit freed from reuse while a reader is open that began
	// before the next write, even one that began after that commit. With lookups going on,
	// the last reseed's generation would often be held that way when this reseed starts,
	// and the file would grow to three generations. An empty commit first makes the
	// readers that start from here on begin after a write, and building the plan gives the
	// older ones time to finish.
	if err := s.db.Update(func(*bolt.Tx) error { return nil }); err != nil {
		return ReseedResult{}, fmt.Errorf("reseed %s: %w", s.path, err)
	}
	p, err := buildPlan(cat)
	if err != nil {
		return ReseedResult{}, err
	}
	var gen uint64
	err = s.db.Update(func(tx *bolt.Tx) error {
		done, last := 0, time.Now()
		if progress != nil {
			progress(0, p.total)
		}
		for i, name := range knowledgeBuckets {
			if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
				return err
			}
			b, err := tx.CreateBucket(name)
			if err != nil {
				return err
			}
			b.FillPercent = 1.0 // keys arrive in order: pack pages full
			for _, r := range p.records[i] {
				if err := b.Put(r.k, r.v); err != nil {
					return fmt.Errorf("write %s: %w", name, err)
				}
				done++
				if s.failAfter > 0 && done >= s.failAfter {
					return errInjected
				}
				if done%4096 == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
					if progress != nil && time.Since(last) >= progressEvery {
						progress(done, p.total)
						last = time.Now()
					}
				}
			}
		}
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		gen = generation(tx) + 1
		if err := meta.Put(keyGeneration, binary.AppendUvarint(nil, gen)); err != nil {
			return err
		}
		if err := meta.Put(keyCounts, encodeCounts(p.counts)); err != nil {
			return err
		}
		if progress != nil {
			progress(done, p.total)
		}
		if s.beforeCommit != nil {
			s.beforeCommit()
		}
		return ctx.Err()
	})
	if err != nil {
		return ReseedResult{}, fmt.Errorf("reseed %s: %w", s.path, err)
	}
	return ReseedResult{Counts: p.counts, Generation: gen, Duration: time.Since(start)}, nil
}

// sortKVs sorts records by key, where all keys share their first skip bytes. It sorts
// small (next eight key bytes as a number, position) pairs, which settles most comparisons
// without touching the keys and moves 16 bytes per swap, then puts the records in order.
func sortKVs(kvs []kv, skip int) {
	type headed struct {
		head uint64
		i    uint32
	}
	hs := make([]headed, len(kvs))
	for i, r := range kvs {
		var b [8]byte
		copy(b[:], r.k[skip:])
		hs[i] = headed{binary.BigEndian.Uint64(b[:]), uint32(i)}
	}
	slices.SortFunc(hs, func(x, y headed) int {
		switch {
		case x.head < y.head:
			return -1
		case x.head > y.head:
			return 1
		}
		return bytes.Compare(kvs[x.i].k, kvs[y.i].k)
	})
	sorted := make([]kv, len(kvs))
	for i, h := range hs {
		sorted[i] = kvs[h.i]
	}
	copy(kvs, sorted)
}

// buildPlan checks the IDs of cat and encodes every record and index entry.
func buildPlan(cat *seed.Catalog) (*plan, error) {
	if cat == nil {
		return nil, fmt.Errorf("%w: no catalog", ErrInvalid)
	}
	if len(cat.Films) > maxFilms {
		return nil, fmt.Errorf("%w: %d films, more than the %d the title index can number", ErrInvalid, len(cat.Films), maxFilms)
	}
	// Films by ID: to find repeated IDs, and to place each fact and question.
	filmSeq := make(map[string]int, len(cat.Films))
	for i, f := range cat.Films {
		if err := checkID("film", i, f.ID); err != nil {
			return nil, err
		}
		if _, dup := filmSeq[f.ID]; dup {
			return nil, fmt.Errorf("%w: film ID %q is used twice", ErrInvalid, f.ID)
		}
		filmSeq[f.ID] = i
	}
	factsOf, err := byFilm(filmSeq, "fact", len(cat.Facts), func(i int) (string, string) {
		return cat.Facts[i].ID, cat.Facts[i].Film
	})
	if err != nil {
		return nil, err
	}
	questionsOf, err := byFilm(filmSeq, "question", len(cat.Questions), func(i int) (string, string) {
		return cat.Questions[i].ID, cat.Questions[i].Film
	})
	if err != nil {
		return nil, err
	}

	var a arena
	var e enc
	p := &plan{records: make([][]kv, len(knowledgeBuckets)), counts: cat.Counts()}

	// The seed position comes first in every keyed record, so Knowledge can return
	// records in seed order. The record's ID is its key, so the value leaves it empty.
	keyed := func(kind, id string, seq int, encode func()) (kv, error) {
		if err := checkID(kind, seq, id); err != nil {
			return kv{}, err
		}
		k := a.copyString(id)
		e.b = binary.AppendUvarint(a.start(), uint64(seq))
		encode()
		return kv{k: k, v: a.end(e.b)}, nil
	}
	arts := make([]kv, len(cat.Articles))
	for i := range cat.Articles {
		if arts[i], err = keyed("article", cat.Articles[i].ID, i, func() {
			a := cat.Articles[i]
			a.ID = ""
			e.article(&a)
		}); err != nil {
			return nil, err
		}
	}
	people := make([]kv, len(cat.People))
	for i := range cat.People {
		if people[i], err = keyed("person", cat.People[i].ID, i, func() {
			p := cat.People[i]
			p.ID = ""
			e.person(&p)
		}); err != nil {
			return nil, err
		}
	}
	// A film's record starts with the seed positions of its facts and questions.
	films := make([]kv, len(cat.Films))
	for i := range cat.Films {
		films[i], _ = keyed("film", cat.Films[i].ID, i, func() {
			e.seqs(factsOf[i])
			e.seqs(questionsOf[i])
			f := cat.Films[i]
			f.ID = ""
			e.film(&f)
		})
	}
	for kind, kvs := range map[string][]kv{"article": arts, "person": people, "film": films} {
		sortKVs(kvs, 0)
		for i := 1; i < len(kvs); i++ {
			if bytes.Equal(kvs[i].k, kvs[i-1].k) {
				return nil, fmt.Errorf("%w: %s ID %q is used twice", ErrInvalid, kind, kvs[i].k)
			}
		}
	}

	// Hints for packing: the title and ID of the film a record is about. A film's records
	// usually come together, so the last film looked up is kept.
	lastID, lastTitle := "", ""
	title := func(film string) string {
		if film != lastID {
			lastID, lastTitle = film, ""
			if seq, ok := filmSeq[film]; ok {
				lastTitle = cat.Films[seq].Title
			}
		}
		return lastTitle
	}
	facts, err := chunks(&a, len(cat.Facts), factLayout,
		func(e *enc, i int) { e.fact(&cat.Facts[i]) },
		func(i int) hints { return hints{title(cat.Facts[i].Film), cat.Facts[i].Film} })
	if err != nil {
		return nil, err
	}
	questions, err := chunks(&a, len(cat.Questions), questionLayout,
		func(e *enc, i int) { e.question(&cat.Questions[i]) },
		func(i int) hints { return hints{title(cat.Questions[i].Film), cat.Questions[i].Film} })
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(cat.People))
	for i := range cat.People {
		names[cat.People[i].ID] = cat.People[i].Name
	}
	titles, lens := titleIndex(&a, cat.Films, func(id string) string { return names[id] })

	p.records[0], p.records[1], p.records[2] = arts, films, people
	p.records[3], p.records[4], p.records[5], p.records[6] = facts, questions, titles, lens
	for _, r := range p.records {
		p.total += len(r)
	}
	return p, nil
}

func checkID(kind string, seq int, id string) error {
	if id == "" {
		return fmt.Errorf("%w: %s #%d has no ID", ErrInvalid, kind, seq+1)
	}
	return nil
}

// byFilm groups the seed positions of n records (facts or questions) by the film they are
// about, refusing a record about a film that is not there. The lists share one array.
func byFilm(filmSeq map[string]int, kind string, n int, record func(int) (id, film string)) ([][]uint32, error) {
	owner := make([]int32, n) // film seed position, or -1
	count := make([]int32, len(filmSeq)+1)
	last, lastSeq := "", -1
	for i := range n {
		id, film := record(i)
		if err := checkID(kind, i, id); err != nil {
			return nil, err
		}
		if film == "" {
			owner[i] = -1
			continue
		}
		if film != last { // a film's records usually come together: look each film up once
			seq, ok := filmSeq[film]
			if !ok {
				return nil, fmt.Errorf("%w: %s %q is about unknown film %q", ErrInvalid, kind, id, film)
			}
			last, lastSeq = film, seq
		}
		owner[i] = int32(lastSeq)
		count[lastSeq+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	flat := make([]uint32, count[len(count)-1])
	next := slices.Clone(count[:len(count)-1])
	for i, o := range owner {
		if o >= 0 {
			flat[next[o]] = uint32(i)
			next[o]++
		}
	}
	out := make([][]uint32, len(filmSeq))
	for f := range out {
		out[f] = flat[count[f]:count[f+1]:count[f+1]]
	}
	return out, nil
}

// seqs appends a list of increasing seed positions as a count and deltas.
func (e *enc) seqs(s []uint32) {
	e.uint(uint64(len(s)))
	prev := uint32(0)
	for _, v := range s {
		e.uint(uint64(v - prev))
		prev = v
	}
}

func (d *dec) seqs() []uint32 {
	n := d.count(1)
	if n == 0 {
		return nil
	}
	s := make([]uint32, n)
	prev := uint64(0)
	for i := range s {
		prev += d.uint()
		s[i] = uint32(prev)
	}
	return s
}

// skipSeqs reads past a list written by seqs.
func (d *dec) skipSeqs() {
	for n := d.count(1); n > 0; n-- {
		d.uint()
	}
}

// chunkKey is the key of the chunk starting at seed position seq.
func chunkKey(seq uint32) []byte {
	return binary.BigEndian.AppendUint32(nil, seq)
}

// chunks encodes n records in chunks, packed (pack.go) by layout; hintsOf gives the hints of
// record i, to pack its text with. A chunk holds the count, the dictionary (a count and
// strings), each packed record's length, then the records; the key is the seed position of
// its first record, big-endian, so keys are in order.
func chunks(a *arena, n int, layout string, encode func(e *enc, i int), hintsOf func(i int) hints) ([]kv, error) {
	var out []kv
	var rec, head enc
	var p packer
	var lens [maxChunk]int
	lensBytes := 0
	start := 0
	flush := func(end int) {
		head.b = head.b[:0]
		head.uint(uint64(end - start))
		head.strs(p.dict)
		for _, l := range lens[:end-start] {
			head.uint(uint64(l))
		}
		v := append(append(a.start(), head.b...), p.body...)
		out = append(out, kv{k: chunkKey(uint32(start)), v: a.end(v)})
		p.reset()
		start, lensBytes = end, 0
	}
	p.reset()
	for i := 0; i < n; i++ {
		rec.b = rec.b[:0]
		encode(&rec, i)
		before, dictBefore := len(p.body), len(p.dict)
		if err := p.pack(rec.b, layout, hintsOf(i)); err != nil {
			return nil, err
		}
		l := len(p.body) - before
		size := uvarintLen(uint64(i+1-start)) + uvarintLen(uint64(len(p.dict))) + p.dictBytes +
			lensBytes + uvarintLen(uint64(l)) + len(p.body)
		if size > chunkBytes && i > start {
			p.drop(before, dictBefore)
			flush(i)
			i-- // again, into the new chunk
			continue
		}
		lens[i-start] = l
		lensBytes += uvarintLen(uint64(l))
		if i+1-start == maxChunk {
			flush(i + 1)
		}
	}
	if start < n {
		flush(n)
	}
	return out, nil
}

func uvarintLen(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

// chunkItem returns record i of a chunk, unpacked, as a string to decode.
func chunkItem(chunk []byte, i int, layout string) (string, error) {
	var c packedChunk
	if err := c.read(chunk); err != nil {
		return "", err
	}
	return c.item(i, layout)
}

// item returns record i of c, unpacked, as a string to decode.
func (c *packedChunk) item(i int, layout string) (string, error) {
	if i >= len(c.recs) {
		return "", errCorrupt
	}
	var scratch [512]byte
	b, err := unpack(scratch[:0], c.recs[i], layout, c.dict)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
