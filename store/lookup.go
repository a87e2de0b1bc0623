package store

import (
	"fmt"
	"math/rand/v2"

	bolt "go.etcd.io/bbolt"

	"filmbot/seed"
)

// Every lookup runs in its own read transaction and returns values decoded into fresh
// memory, so results stay valid after the transaction and across reseeds.

// Film returns the film with the given ID.
func (s *Store) Film(id string) (seed.Film, error) {
	var f seed.Film
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		f, err = film(tx, id)
		return err
	})
	return f, err
}

// FindFilm returns the film whose title or alias folds to the same text as name
// ("amelie" finds "Amélie"), or ErrNotFound.
func (s *Store) FindFilm(name string) (seed.Film, error) {
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
func (s *Store) Person(id string) (seed.Person, error) {
	var p seed.Person
	err := s.db.View(func(tx *bolt.Tx) error {
		d, err := record(tx, bucketPeople, "person", id)
		if err != nil {
			return err
		}
		p = d.person()
		return d.done("person " + id)
	})
	return p, err
}

// Article returns the article with the given ID.
func (s *Store) Article(id string) (seed.Article, error) {
	var a seed.Article
	err := s.db.View(func(tx *bolt.Tx) error {
		d, err := record(tx, bucketArticles, "article", id)
		if err != nil {
			return err
		}
		a = d.article()
		return d.done("article " + id)
	})
	return a, err
}

// chunkRecord returns a copy of the record at seed position seq in a chunked bucket.
func chunkRecord(b *bolt.Bucket, seq uint32) (string, error) {
	if b == nil {
		return "", errCorrupt
	}
	v := b.Get(chunkKey(seq))
	if v == nil {
		return "", fmt.Errorf("%w: missing chunk for record %d", errCorrupt, seq)
	}
	return chunkItem(v, int(seq%chunkSize))
}

func fact(b *bolt.Bucket, seq uint32) (seed.Fact, error) {
	s, err := chunkRecord(b, seq)
	if err != nil {
		return seed.Fact{}, err
	}
	d := dec{s: s}
	f := d.fact()
	return f, d.done("fact")
}

func question(b *bolt.Bucket, seq uint32) (seed.Question, error) {
	s, err := chunkRecord(b, seq)
	if err != nil {
		return seed.Question{}, err
	}
	d := dec{s: s}
	q := d.question()
	return q, d.done("question")
}

// FilmFacts returns the facts about a film, in seed order; ErrNotFound when the film is
// not in the store.
func (s *Store) FilmFacts(filmID string) ([]seed.Fact, error) {
	var facts []seed.Fact
	err := s.db.View(func(tx *bolt.Tx) error {
		h, _, err := filmRecord(tx, filmID)
		if err != nil {
			return err
		}
		b := tx.Bucket(bucketFacts)
		facts = make([]seed.Fact, len(h.facts))
		for i, seq := range h.facts {
			if facts[i], err = fact(b, seq); err != nil {
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
func (s *Store) RandomFact(filmID string, r *rand.Rand) (seed.Fact, error) {
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
		var err error
		f, err = fact(tx.Bucket(bucketFacts), seq)
		return err
	})
	return f, err
}

// Questions returns the quiz questions about filmID in seed order, or all of them when it
// is empty. ErrNotFound means there is no such film.
func (s *Store) Questions(filmID string) ([]seed.Question, error) {
	var qs []seed.Question
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketQuestions)
		if filmID == "" {
			var err error
			c, err := counts(tx)
			if err != nil {
				return err
			}
			qs, err = allChunked(b, c.Questions, (*dec).question)
			return err
		}
		h, _, err := filmRecord(tx, filmID)
		if err != nil {
			return err
		}
		qs = make([]seed.Question, len(h.questions))
		for i, seq := range h.questions {
			if qs[i], err = question(b, seq); err != nil {
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
func allChunked[T any](b *bolt.Bucket, n int, decode func(*dec) T) ([]T, error) {
	out := make([]T, 0, n)
	if b == nil {
		return out, nil
	}
	err := b.ForEach(func(_, v []byte) error {
		items, err := chunkItems(v)
		if err != nil {
			return err
		}
		for _, it := range items {
			d := dec{s: it}
			out = append(out, decode(&d))
			if err := d.done("record"); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// allKeyed decodes every record of a keyed bucket into its seed position.
func allKeyed[T any](b *bolt.Bucket, n int, what string, decode func(*dec) T) ([]T, error) {
	out := make([]T, n)
	if b == nil {
		if n > 0 {
			return nil, fmt.Errorf("%w: no %s bucket", errCorrupt, what)
		}
		return out, nil
	}
	filled := 0
	err := b.ForEach(func(k, v []byte) error {
		d := dec{s: string(v)}
		seq := d.uint()
		if d.err != nil || seq >= uint64(n) {
			return fmt.Errorf("%w: %s %q out of place", errCorrupt, what, k)
		}
		if what == "film" {
			d.seqs()
			d.seqs()
		}
		out[seq] = decode(&d)
		filled++
		return d.done(what + " " + string(k))
	})
	if err == nil && filled != n {
		err = fmt.Errorf("%w: %d %s records, counted %d", errCorrupt, filled, what, n)
	}
	return out, err
}

// Knowledge returns the whole installed knowledge, read in one transaction, every list in
// seed order; the answer engine builds its index from it after each reseed. An unseeded
// store gives an empty catalog.
func (s *Store) Knowledge() (*seed.Catalog, error) {
	cat := &seed.Catalog{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c, err := counts(tx)
		if err != nil {
			return err
		}
		if cat.Articles, err = allKeyed(tx.Bucket(bucketArticles), c.Articles, "article", (*dec).article); err != nil {
			return err
		}
		if cat.Films, err = allKeyed(tx.Bucket(bucketFilms), c.Films, "film", (*dec).film); err != nil {
			return err
		}
		if cat.People, err = allKeyed(tx.Bucket(bucketPeople), c.People, "person", (*dec).person); err != nil {
			return err
		}
		if cat.Facts, err = allChunked(tx.Bucket(bucketFacts), c.Facts, (*dec).fact); err != nil {
			return err
		}
		if cat.Questions, err = allChunked(tx.Bucket(bucketQuestions), c.Questions, (*dec).question); err != nil {
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
