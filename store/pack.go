package store

import (
	"encoding/binary"
	"strings"
)

// Facts and questions are stored in chunks (see chunks), and a chunk is packed: the
// strings that repeat from record to record within it (the film's ID, the article cited,
// tags) are stored once, in the chunk's dictionary, and records refer to them by number;
// and a record's ID and text are stored with the film's ID or title inside them replaced by
// references ("the-storm-fact-1" is the film ID and "-fact-1"; "In The Storm, …" is "In ",
// the title, ", …"). Packing works on a record already encoded by enc, guided by a layout
// naming what each field is. One record is read by unpacking it back to exactly that
// encoding (unpack), so the record decoders are shared with everything else; a whole chunk
// (Knowledge) is decoded in place instead, by dec reading tokens (decodeChunk), which
// spares copying every record twice.
//
// A packed string is a token: a uvarint whose two low bits say what follows.
//
//	tokLit   the rest is a length, then that many bytes follow (the empty string is 0)
//	tokRef   the rest is a dictionary index
//	tokJoin  the rest is a count of tokLit or tokRef tokens that follow, to concatenate

const (
	tokLit  = 0
	tokRef  = 1
	tokJoin = 2
	tokMask = 3
)

// Layouts name a record's fields in order, one letter each:
//
//	D  a string likely to repeat within a chunk: always put in the dictionary
//	T  a string that may hold the record's film title or ID
//	S  any other string, stored as it is
//	d  a list of D strings;  s  a list of S strings
//	B  a bool (one byte)
const (
	factLayout     = "TDSSTDd"  // ID, Film, Person, Character, Text, Source, Tags
	questionLayout = "TDTSssBD" // ID, Film, Prompt, Answer, Accept, Distractors, Hard, Source
)

// minHint is the shortest film title or ID worth replacing by a reference.
const minHint = 4

// packer packs the records of one chunk.
type packer struct {
	index     map[string]uint64
	dict      []string
	dictBytes int // the dictionary's strings, encoded
	body      []byte
}

func (p *packer) reset() {
	if p.index == nil {
		p.index = make(map[string]uint64)
	}
	clear(p.index)
	p.dict = p.dict[:0]
	p.dictBytes = 0
	p.body = p.body[:0]
}

// drop takes back the records packed since the body was body bytes long and the
// dictionary held dict strings.
func (p *packer) drop(body, dict int) {
	for _, s := range p.dict[dict:] {
		delete(p.index, s)
		p.dictBytes -= uvarintLen(uint64(len(s))) + len(s)
	}
	p.dict = p.dict[:dict]
	p.body = p.body[:body]
}

func (p *packer) tok(v uint64, kind uint64) { p.body = binary.AppendUvarint(p.body, v<<2|kind) }

func (p *packer) lit(s string) {
	p.tok(uint64(len(s)), tokLit)
	p.body = append(p.body, s...)
}

func (p *packer) ref(s string) {
	i, ok := p.index[s]
	if !ok {
		i = uint64(len(p.dict))
		p.index[s] = i
		p.dict = append(p.dict, s)
		p.dictBytes += uvarintLen(uint64(len(s))) + len(s)
	}
	p.tok(i, tokRef)
}

// hints are strings a record's text fields often contain, stored once in the chunk's
// dictionary when they do: the title and ID of the film the record is about (empty when it
// is about none). They repeat across a film's records, which is what makes a reference pay:
// a string used once costs more as a reference than written out.
type hints [2]string

// text packs s with every hint found in it, left to right, as a reference.
func (p *packer) text(s string, hs hints) {
	var parts [2*len(hs) + 1]string // literals and hints, in order; isRef marks the hints
	var isRef [2*len(hs) + 1]bool
	n := 0
	for rest := s; ; {
		at, hint := -1, ""
		for _, h := range hs {
			if len(h) < minHint {
				continue
			}
			if i := strings.Index(rest, h); i >= 0 && (at < 0 || i < at || i == at && len(h) > len(hint)) {
				at, hint = i, h
			}
		}
		if at < 0 || n+2 >= len(parts) {
			if rest != "" {
				parts[n] = rest
				n++
			}
			break
		}
		if at > 0 {
			parts[n] = rest[:at]
			n++
		}
		parts[n], isRef[n] = hint, true
		n++
		rest = rest[at+len(hint):]
	}
	if n == 1 && !isRef[0] || n == 0 {
		p.lit(s)
		return
	}
	p.tok(uint64(n), tokJoin)
	for i := range n {
		if isRef[i] {
			p.ref(parts[i])
		} else {
			p.lit(parts[i])
		}
	}
}

// pack appends record rec, encoded by enc, to the chunk's body.
func (p *packer) pack(rec []byte, layout string, hs hints) error {
	d := dec{s: string(rec)}
	for i := 0; i < len(layout); i++ {
		switch layout[i] {
		case 'D':
			p.ref(d.str())
		case 'T':
			p.text(d.str(), hs)
		case 'S':
			p.lit(d.str())
		case 'd', 's':
			n := d.uint()
			p.body = binary.AppendUvarint(p.body, n)
			for range n {
				if s := d.str(); layout[i] == 'd' {
					p.ref(s)
				} else {
					p.lit(s)
				}
			}
		case 'B':
			if len(d.s) == 0 {
				d.fail()
				break
			}
			p.body = append(p.body, d.s[0])
			d.s = d.s[1:]
		}
	}
	return d.done("record to pack")
}

// unpack appends to dst the enc encoding of the packed record rec. It reads rec in place,
// which may be bbolt's memory: everything it returns is copied into dst.
func unpack(dst, rec []byte, layout string, dict [][]byte) ([]byte, error) {
	u := unpacker{dst: dst, r: reader{b: rec}, dict: dict}
	for i := 0; i < len(layout) && !u.r.bad; i++ {
		switch layout[i] {
		case 'D', 'T', 'S':
			u.str()
		case 'd', 's':
			n := u.r.uint()
			if n > uint64(len(u.r.b)) {
				u.r.fail()
				break
			}
			u.dst = binary.AppendUvarint(u.dst, n)
			for range n {
				u.str()
			}
		case 'B':
			u.dst = append(u.dst, u.r.bytes(1)...)
		}
	}
	if u.r.bad || len(u.r.b) != 0 {
		return u.dst, errCorrupt
	}
	return u.dst, nil
}

// unpacker is unpack's state.
type unpacker struct {
	dst  []byte
	r    reader
	dict [][]byte
}

// str unpacks one string token.
func (u *unpacker) str() {
	h := u.r.uint()
	switch h & tokMask {
	case tokLit:
		lit := u.r.bytes(h >> 2)
		u.dst = append(binary.AppendUvarint(u.dst, uint64(len(lit))), lit...)
		return
	case tokRef:
		s := u.r.ref(h>>2, u.dict)
		u.dst = append(binary.AppendUvarint(u.dst, uint64(len(s))), s...)
		return
	case tokJoin:
	default:
		u.r.fail()
		return
	}
	// A join: its length is only known once its parts are read, so the parts are
	// appended after a slot of the largest length's size, then moved up to the length.
	parts := h >> 2
	if parts > uint64(len(u.r.b)) {
		u.r.fail()
		return
	}
	dst := u.dst
	at := len(dst)
	dst = append(dst, make([]byte, binary.MaxVarintLen64)...)
	start := len(dst)
	for range parts {
		t := u.r.uint()
		switch t & tokMask {
		case tokLit:
			dst = append(dst, u.r.bytes(t>>2)...)
		case tokRef:
			dst = append(dst, u.r.ref(t>>2, u.dict)...)
		default:
			u.r.fail()
		}
	}
	n := len(dst) - start
	head := binary.AppendUvarint(dst[at:at], uint64(n))
	copy(dst[at+len(head):], dst[start:])
	u.dst = dst[:at+len(head)+n]
}

// reader reads packed bytes in place. The first malformed read sets bad; later reads
// return nothing.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) fail() { r.bad, r.b = true, nil }

func (r *reader) uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(n uint64) []byte {
	if n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

func (r *reader) ref(i uint64, dict [][]byte) []byte {
	if i >= uint64(len(dict)) {
		r.fail()
		return nil
	}
	return dict[i]
}

// packedChunk is a chunk read in place: its dictionary and packed records.
type packedChunk struct {
	dict [][]byte
	recs [][]byte
}

// read splits a chunk (see chunks) into its dictionary and records, reusing c's slices.
func (c *packedChunk) read(v []byte) error {
	r := reader{b: v}
	n := r.uint()
	if n > maxChunk {
		return errCorrupt
	}
	m := r.uint()
	if m > uint64(len(r.b)) {
		return errCorrupt
	}
	if uint64(cap(c.dict)) < m {
		c.dict = make([][]byte, 0, m)
	}
	c.dict = c.dict[:0]
	for range m {
		c.dict = append(c.dict, r.bytes(r.uint()))
	}
	var sizes [maxChunk]uint64
	total := uint64(0)
	for i := range n {
		sizes[i] = r.uint()
		total += sizes[i]
	}
	if r.bad || total != uint64(len(r.b)) {
		return errCorrupt
	}
	if uint64(cap(c.recs)) < n {
		c.recs = make([][]byte, 0, n)
	}
	c.recs = c.recs[:0]
	for i := range n {
		c.recs = append(c.recs, r.bytes(sizes[i]))
	}
	return nil
}

// packedStr reads a packed string token, in place.
func (d *dec) packedStr() string {
	h := d.uint()
	switch h & tokMask {
	case tokLit:
		if h>>2 > uint64(len(d.s)) {
			break
		}
		s := d.s[:h>>2]
		d.s = d.s[h>>2:]
		return s
	case tokRef:
		if h>>2 >= uint64(len(d.dict)) {
			break
		}
		return d.dict[h>>2]
	case tokJoin:
		total := uint64(0)
		for range h >> 2 {
			t := d.uint()
			switch {
			case t&tokMask == tokLit && t>>2 <= uint64(len(d.s)):
				d.s = d.s[t>>2:]
				total += t >> 2
			case t&tokMask == tokRef && t>>2 < uint64(len(d.dict)):
				total += uint64(len(d.dict[t>>2]))
			default:
				d.fail()
				return ""
			}
		}
		if total > uint64(len(d.joins)) {
			break
		}
		s := d.joins[:total]
		d.joins = d.joins[total:]
		return s
	}
	d.fail()
	return ""
}

// appendJoins appends to dst the joined strings of the packed record at the front of d, in
// order, and leaves d after the record.
func appendJoins(dst []byte, d *dec, layout string, dict []string) []byte {
	str := func() {
		h := d.uint()
		switch h & tokMask {
		case tokLit:
			if h>>2 > uint64(len(d.s)) {
				d.fail()
				return
			}
			d.s = d.s[h>>2:]
		case tokRef:
		case tokJoin:
			for range h >> 2 {
				t := d.uint()
				switch {
				case t&tokMask == tokLit && t>>2 <= uint64(len(d.s)):
					dst = append(dst, d.s[:t>>2]...)
					d.s = d.s[t>>2:]
				case t&tokMask == tokRef && t>>2 < uint64(len(dict)):
					dst = append(dst, dict[t>>2]...)
				default:
					d.fail()
					return
				}
			}
		default:
			d.fail()
		}
	}
	for i := 0; i < len(layout) && d.err == nil; i++ {
		switch layout[i] {
		case 'D', 'T', 'S':
			str()
		case 'd', 's':
			for n := d.count(1); n > 0; n-- {
				str()
			}
		case 'B':
			if len(d.s) == 0 {
				d.fail()
				break
			}
			d.s = d.s[1:]
		}
	}
	return dst
}

// decodeChunk decodes every record of a chunk with decode, appending them to out, reading
// strings in place from one copy of the chunk and one of its joined strings. dict and buf
// are scratch space, returned for reuse.
func decodeChunk[T any](v []byte, layout string, decode func(*dec) T, out []T, dict []string, buf []byte) ([]T, []string, []byte, error) {
	d := dec{s: string(v)}
	n := d.count(1)
	if n > maxChunk {
		return out, dict, buf, errCorrupt
	}
	dict = dict[:0]
	for m := d.count(1); m > 0; m-- {
		dict = append(dict, d.str())
	}
	var sizes [maxChunk]int
	total := 0
	for i := range n {
		sizes[i] = int(d.uint())
		total += sizes[i]
	}
	if d.err != nil || total != len(d.s) {
		return out, dict, buf, errCorrupt
	}
	// The joined strings first, into one allocation.
	buf = buf[:0]
	walk := dec{s: d.s}
	for range n {
		buf = appendJoins(buf, &walk, layout, dict)
	}
	if walk.err != nil {
		return out, dict, buf, errCorrupt
	}
	d.packed, d.dict, d.joins = true, dict, string(buf)
	for i := range n {
		left := len(d.s)
		out = append(out, decode(&d))
		if d.err != nil || left-len(d.s) != sizes[i] {
			return out, dict, buf, errCorrupt
		}
	}
	return out, dict, buf, nil
}
