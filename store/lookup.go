package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"

	bolt "go.etcd.io/bbolt"

	"filmbot/seed"
)

// Every lookup runs in its own read transaction and returns values decoded into fresh
// memory, so results stay valid after the transaction and across reseeds. Each takes a
// context first and returns ctx.Err() when it is done on entry; bbolt cannot interrupt a
// transaction, so a lookup that has begun runs to its end.

// Film returns the film with the given ID.
func (s *Store) Film(ctx context.Context, id string) (seed.Film, error) {
	if err := ctx.Err(); err != nil {
		return seed.Film{}, err
	}
	var f seed.Film
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		f, err = film(tx, id)
		return err
	})
	return f, err
}

// FindFilm returns the film whose title or alias folds to the same text as name
// ("amelie" finds "Amélie"), or that name gives with its year ("treasure island (1950)",
// "the 1934 treasure island"), or ErrNotFound. Of several films of one title it returns
// the first in seed order; [Store.FilmsTitled] lists them all.
func (s *Store) FindFilm(ctx context.Context, name string) (seed.Film, error) {
	if err := ctx.Err(); err != nil {
		return seed.Film{}, err
	}
	var f seed.Film
	err := s.db.View(func(tx *bolt.Tx) error {
		id, err := findFilmID(tx, name)
		if err != nil {
			return err
		}
		f, err = film(tx, id)
		return err
	})
	return f, err
}

// filmHeader is what a stored film holds besides the film: where its facts and questions
// are.
type filmHeader struct {
	facts, questions []uint32
}

// filmRecord finds a film and decodes its header, leaving d at the film itself.
func filmRecord(tx *bolt.Tx, id string) (filmHeader, dec, error) {
	b := tx.Bucket(bucketFilms)
	if b == nil {
		return filmHeader{}, dec{}, notFound("film", id)
	}
	v := b.Get([]byte(id))
	if v == nil {
		return filmHeader{}, dec{}, notFound("film", id)
	}
	d := dec{s: string(v)}
	d.uint() // seed position
	h := filmHeader{facts: d.seqs(), questions: d.seqs()}
	return h, d, d.err
}

func film(tx *bolt.Tx, id string) (seed.Film, error) {
	_, d, err := filmRecord(tx, id)
	if err != nil {
		return seed.Film{}, err
	}
	f := d.film()
	f.ID = id
	return f, d.done("film " + id)
}

func notFound(kind, id string) error { return fmt.Errorf("%s %q: %w", kind, id, ErrNotFound) }

// record finds id in bucket and returns a decoder positioned after its seed position.
func record(tx *bolt.Tx, bucket []byte, kind, id string) (dec, error) {
	b := tx.Bucket(bucket)
	if b == nil {
		return dec{}, notFound(kind, id)
	}
	v := b.Get([]byte(id))
	if v == nil {
		return dec{}, notFound(kind, id)
	}
	d := dec{s: string(v)}
	d.uint()
	return d, nil
}

// Person returns the person with the given ID.
func (s *Store) Person(ctx context.Context, id string) (seed.Person, error) {
	if err := ctx.Err(); err != nil {
		return seed.Person{}, err
	}
	var p seed.Person
	err := s.db.View(func(tx *bolt.Tx) error {
		d, err := record(tx, bucketPeople, "person", id)
		if err != nil {
			return err
		}
		p = d.person()
		p.ID = id
		return d.done("person " + id)
	})
	return p, err
}

// Article returns the article with the given ID.
func (s *Store) Article(ctx context.Context, id string) (seed.Article, error) {
	if err := ctx.Err(); err != nil {
		return seed.Article{}, err
	}
	var a seed.Article
	err := s.db.View(func(tx *bolt.Tx) error {
		d, err := record(tx, bucketArticles, "article", id)
		if err != nil {
			return err
		}
		a = d.article()
		a.ID = id
		return d.done("article " + id)
	})
	return a, err
}

// chunkReader reads records by seed position from a chunked bucket, keeping the last chunk
// read, since a film's facts and questions usually share one.
type chunkReader struct {
	b      *bolt.Bucket
	layout string
	first  uint32 // seed position of the chunk's first record
	c      packedChunk
	loaded bool
}

// record returns a copy of the record at seed position seq, unpacked.
func (r *chunkReader) record(seq uint32) (string, error) {
	if r.b == nil {
		return "", errCorrupt
	}
	if !r.loaded || seq < r.first || seq-r.first >= uint32(len(r.c.recs)) {
		r.loaded = false
		// The chunk holding seq is the last one starting at or before it.
		c := r.b.Cursor()
		k, v := c.Seek(chunkKey(seq))
		if k == nil || len(k) == 4 && binary.BigEndian.Uint32(k) > seq {
			k, v = c.Prev()
		}
		if len(k) != 4 || v == nil {
			return "", fmt.Errorf("%w: missing chunk for record %d", errCorrupt, seq)
		}
		if err := r.c.read(v); err != nil {
			return "", err
		}
		r.first, r.loaded = binary.BigEndian.Uint32(k), true
		if seq-r.first >= uint32(len(r.c.recs)) {
			r.loaded = false
			return "", fmt.Errorf("%w: missing chunk for record %d", errCorrupt, seq)
		}
	}
	return r.c.item(int(seq-r.first), r.layout)
}

func (r *chunkReader) fact(seq uint32) (seed.Fact, error) {
	s, err := r.record(seq)
	if err != nil {
		return seed.Fact{}, err
	}
	d := dec{s: s}
	f := d.fact()
	return f, d.done("fact")
}

func (r *chunkReader) question(seq uint32) (seed.Question, error) {
	s, err := r.record(seq)
	if err != nil {
		return seed.Question{}, err
	}
	d := dec{s: s}
	q := d.question()
	return q, d.done("question")
}

// FilmFacts returns the facts about a film, in seed order; ErrNotFound when the film is
// not in the store.
func (s *Store) FilmFacts(ctx context.Context, filmID string) ([]seed.Fact, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var facts []seed.Fact
	err := s.db.View(func(tx *bolt.Tx) error {
		h, _, err := filmRecord(tx, filmID)
		if err != nil {
			return err
		}
		r := chunkReader{b: tx.Bucket(bucketFacts), layout: factLayout}
		facts = make([]seed.Fact, len(h.facts))
		for i, seq := range h.facts {
			if facts[i], err = r.fact(seq); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return facts, nil
}

// RandomFact returns a fact chosen uniformly by r (the package's generator when r is nil),
// about filmID when it is not empty. It reads one record, not all the facts. ErrNotFound
// means there is no such film, or no fact to choose from.
func (s *Store) RandomFact(ctx context.Context, filmID string, r *rand.Rand) (seed.Fact, error) {
	if err := ctx.Err(); err != nil {
		return seed.Fact{}, err
	}
	intN := rand.IntN
	if r != nil {
		intN = r.IntN
	}
	var f seed.Fact
	err := s.db.View(func(tx *bolt.Tx) error {
		var seq uint32
		if filmID == "" {
			c, err := counts(tx)
			if err != nil {
				return err
			}
			if c.Facts == 0 {
				return fmt.Errorf("random fact: %w", ErrNotFound)
			}
			seq = uint32(intN(c.Facts))
		} else {
			h, _, err := filmRecord(tx, filmID)
			if err != nil {
				return err
			}
			if len(h.facts) == 0 {
				return fmt.Errorf("random fact about film %q: %w", filmID, ErrNotFound)
			}
			seq = h.facts[intN(len(h.facts))]
		}
		r := chunkReader{b: tx.Bucket(bucketFacts), layout: factLayout}
		var err error
		f, err = r.fact(seq)
		return err
	})
	return f, err
}

// Questions returns the quiz questions about filmID in seed order, or all of them when it
// is empty. ErrNotFound means there is no such film.
func (s *Store) Questions(ctx context.Context, filmID string) ([]seed.Question, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var qs []seed.Question
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketQuestions)
		if filmID == "" {
			var err error
			c, err := counts(tx)
			if err != nil {
				return err
			}
			qs, err = allChunked(b, c.Questions, questionLayout, (*dec).question)
			return err
		}
		h, _, err := filmRecord(tx, filmID)
		if err != nil {
			return err
		}
		r := chunkReader{b: b, layout: questionLayout}
		qs = make([]seed.Question, len(h.questions))
		for i, seq := range h.questions {
			if qs[i], err = r.question(seq); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return qs, nil
}

// allChunked decodes every record of a chunked bucket, in seed order; n, the expected
// count, sizes the result.
func allChunked[T any](b *bolt.Bucket, n int, layout string, decode func(*dec) T) ([]T, error) {
	out := make([]T, 0, n)
	if b == nil {
		return out, nil
	}
	var dict []string
	var buf []byte
	err := b.ForEach(func(_, v []byte) (err error) {
		out, dict, buf, err = decodeChunk(v, layout, decode, out, dict, buf)
		return err
	})
	return out, err
}

// allKeyed decodes every record of a keyed bucket into its seed position; decode gets the
// record's key, its ID.
func allKeyed[T any](b *bolt.Bucket, n int, what string, decode func(d *dec, id string) T) ([]T, error) {
	out := make([]T, n)
	if b == nil {
		if n > 0 {
			return nil, fmt.Errorf("%w: no %s bucket", errCorrupt, what)
		}
		return out, nil
	}
	filled := 0
	var buf []byte
	err := b.ForEach(func(k, v []byte) error {
		// One copy holds the key (the ID) and the value.
		buf = append(append(buf[:0], k...), v...)
		kv := string(buf)
		id := kv[:len(k)]
		d := dec{s: kv[len(k):]}
		seq := d.uint()
		if d.err != nil || seq >= uint64(n) {
			return fmt.Errorf("%w: %s %q out of place", errCorrupt, what, k)
		}
		if what == "film" {
			d.skipSeqs()
			d.skipSeqs()
		}
		out[seq] = decode(&d, id)
		filled++
		if d.err == nil && len(d.s) == 0 {
			return nil
		}
		return d.done(what + " " + id)
	})
	if err == nil && filled != n {
		err = fmt.Errorf("%w: %d %s records, counted %d", errCorrupt, filled, what, n)
	}
	return out, err
}

// Knowledge returns the whole installed knowledge, read in one transaction, every list in
// seed order; the answer engine builds its index from it after each reseed. An unseeded
// store gives an empty catalog.
func (s *Store) Knowledge(ctx context.Context) (*seed.Catalog, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cat := &seed.Catalog{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c, err := counts(tx)
		if err != nil {
			return err
		}
		if cat.Articles, err = allKeyed(tx.Bucket(bucketArticles), c.Articles, "article", func(d *dec, id string) seed.Article {
			a := d.article()
			a.ID = id
			return a
		}); err != nil {
			return err
		}
		if cat.Films, err = allKeyed(tx.Bucket(bucketFilms), c.Films, "film", func(d *dec, id string) seed.Film {
			f := d.film()
			f.ID = id
			return f
		}); err != nil {
			return err
		}
		if cat.People, err = allKeyed(tx.Bucket(bucketPeople), c.People, "person", func(d *dec, id string) seed.Person {
			p := d.person()
			p.ID = id
			return p
		}); err != nil {
			return err
		}
		if cat.Facts, err = allChunked(tx.Bucket(bucketFacts), c.Facts, factLayout, (*dec).fact); err != nil {
			return err
		}
		if cat.Questions, err = allChunked(tx.Bucket(bucketQuestions), c.Questions, questionLayout, (*dec).question); err != nil {
			return err
		}
		if len(cat.Facts) != c.Facts || len(cat.Questions) != c.Questions {
			return fmt.Errorf("%w: facts or questions do not match their counts", errCorrupt)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return cat, nil
}
