package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	"filmbot/seed"
)

// Records are stored in a compact binary form: unsigned varints for numbers and lengths,
// strings as a length and their bytes, lists as a count and their items, fields in the
// order of the seed types. Decoding converts a value to one string and slices every field
// out of it, so a record costs one copy out of the transaction and no more.

// errCorrupt is returned when a stored value does not decode; it means the file was damaged
// or written by a different encoding without a schema bump.
var errCorrupt = errors.New("store: corrupt record")

// enc appends encoded fields to b.
type enc struct{ b []byte }

func (e *enc) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }

func (e *enc) int(v int) { e.b = binary.AppendVarint(e.b, int64(v)) }

func (e *enc) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *enc) strs(ss []string) {
	e.uint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *enc) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// dec reads fields from s. The first malformed field sets err; later reads return zero
// values, so a decoder checks err once at the end.
type dec struct {
	s   string
	err error

	// packed switches str to read packed tokens (pack.go), with the chunk's dictionary and
	// the chunk's joined strings, in the order the records use them.
	packed bool
	dict   []string
	joins  string
}

func (d *dec) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.s = ""
}

func (d *dec) uint() uint64 {
	var v uint64
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		c := d.s[i]
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			d.s = d.s[i+1:]
			return v
		}
	}
	d.fail()
	return 0
}

func (d *dec) int() int {
	u := d.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return int(v)
}

func (d *dec) str() string {
	if d.packed {
		return d.packedStr()
	}
	n := d.uint()
	if n > uint64(len(d.s)) {
		d.fail()
		return ""
	}
	s := d.s[:n]
	d.s = d.s[n:]
	return s
}

func (d *dec) strs() []string {
	n := d.uint()
	if n == 0 {
		return nil
	}
	if n > uint64(len(d.s)) { // every string takes at least one byte
		d.fail()
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.str()
	}
	return ss
}

func (d *dec) bool() bool {
	if len(d.s) == 0 || d.s[0] > 1 {
		d.fail()
		return false
	}
	v := d.s[0] == 1
	d.s = d.s[1:]
	return v
}

// count reads a list length, failing when it cannot fit in what is left (each item takes
// at least min bytes).
func (d *dec) count(min int) int {
	n := d.uint()
	if n > uint64(len(d.s)/min) {
		d.fail()
		return 0
	}
	return int(n)
}

// done reports the decoder's error, naming what was being decoded.
func (d *dec) done(what string) error {
	if d.err == nil && len(d.s) != 0 {
		d.err = errCorrupt
	}
	if d.err != nil {
		return fmt.Errorf("%w: %s", d.err, what)
	}
	return nil
}

func (e *enc) article(a *seed.Article) {
	e.str(a.ID)
	e.str(a.Publisher)
	e.str(a.Headline)
	e.str(a.Date)
	e.str(a.URL)
	e.str(a.License)
}

func (d *dec) article() seed.Article {
	return seed.Article{ID: d.str(), Publisher: d.str(), Headline: d.str(), Date: d.str(), URL: d.str(), License: d.str()}
}

func (e *enc) film(f *seed.Film) {
	e.str(f.ID)
	e.str(f.Title)
	e.strs(f.Aliases)
	e.int(f.Year)
	e.strs(f.Genres)
	e.strs(f.Countries)
	e.strs(f.Directors)
	e.uint(uint64(len(f.Cast)))
	for i := range f.Cast {
		c := &f.Cast[i]
		e.str(c.Person)
		e.str(c.Role)
		e.strs(c.RoleAliases)
		e.str(c.Description)
	}
	e.uint(uint64(len(f.Watch)))
	for _, w := range f.Watch {
		e.str(w.Service)
		e.str(w.Kind)
		e.str(w.Since)
		e.str(w.Note)
	}
	e.strs(f.Locations)
	e.str(f.Synopsis)
	e.strs(f.Writers)
	e.strs(f.Composers)
	e.strs(f.Producers)
	e.str(f.BasedOn)
	e.strs(f.Studios)
	e.strs(f.Distributors)
	e.int(f.Runtime)
	e.str(f.Released)
	e.str(f.Premiere)
	e.str(f.Setting)
	e.str(f.Budget)
	e.str(f.BoxOffice)
	e.str(f.Rating)
	e.str(f.RemakeOf)
	e.str(f.SequelTo)
	e.uint(uint64(len(f.Cites)))
	for _, c := range f.Cites {
		e.str(c.Field)
		e.str(c.Fact)
	}
	e.str(f.Source)
}

func (d *dec) film() seed.Film {
	f := seed.Film{
		ID:        d.str(),
		Title:     d.str(),
		Aliases:   d.strs(),
		Year:      d.int(),
		Genres:    d.strs(),
		Countries: d.strs(),
		Directors: d.strs(),
	}
	if n := d.count(4); n > 0 {
		f.Cast = make([]seed.Credit, n)
		for i := range f.Cast {
			f.Cast[i] = seed.Credit{Person: d.str(), Role: d.str(), RoleAliases: d.strs(), Description: d.str()}
		}
	}
	if n := d.count(4); n > 0 {
		f.Watch = make([]seed.Watch, n)
		for i := range f.Watch {
			f.Watch[i] = seed.Watch{Service: d.str(), Kind: d.str(), Since: d.str(), Note: d.str()}
		}
	}
	f.Locations = d.strs()
	f.Synopsis = d.str()
	f.Writers = d.strs()
	f.Composers = d.strs()
	f.Producers = d.strs()
	f.BasedOn = d.str()
	f.Studios = d.strs()
	f.Distributors = d.strs()
	f.Runtime = d.int()
	f.Released = d.str()
	f.Premiere = d.str()
	f.Setting = d.str()
	f.Budget = d.str()
	f.BoxOffice = d.str()
	f.Rating = d.str()
	f.RemakeOf = d.str()
	f.SequelTo = d.str()
	if n := d.count(2); n > 0 {
		f.Cites = make([]seed.Cite, n)
		for i := range f.Cites {
			f.Cites[i] = seed.Cite{Field: d.str(), Fact: d.str()}
		}
	}
	f.Source = d.str()
	return f
}

func (e *enc) person(p *seed.Person) {
	e.str(p.ID)
	e.str(p.Name)
	e.strs(p.Aliases)
	e.str(p.Bio)
	e.str(p.Source)
}

func (d *dec) person() seed.Person {
	return seed.Person{ID: d.str(), Name: d.str(), Aliases: d.strs(), Bio: d.str(), Source: d.str()}
}

func (e *enc) fact(f *seed.Fact) {
	e.str(f.ID)
	e.str(f.Film)
	e.str(f.Person)
	e.str(f.Character)
	e.str(f.Text)
	e.str(f.Source)
	e.strs(f.Tags)
}

func (d *dec) fact() seed.Fact {
	return seed.Fact{
		ID: d.str(), Film: d.str(), Person: d.str(), Character: d.str(),
		Text: d.str(), Source: d.str(), Tags: d.strs(),
	}
}

func (e *enc) question(q *seed.Question) {
	e.str(q.ID)
	e.str(q.Film)
	e.str(q.Prompt)
	e.str(q.Answer)
	e.strs(q.Accept)
	e.strs(q.Distractors)
	e.bool(q.Hard)
	e.str(q.Source)
}

func (d *dec) question() seed.Question {
	return seed.Question{
		ID: d.str(), Film: d.str(), Prompt: d.str(), Answer: d.str(),
		Accept: d.strs(), Distractors: d.strs(), Hard: d.bool(), Source: d.str(),
	}
}
