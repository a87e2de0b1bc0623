package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"filmbot/seed"
)

// fill sets every field of v, recursively, to a distinct non-zero value, so a round trip
// through the codec shows any field the codec forgets, including fields added later.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("value %d é", *n))
	case reflect.Int:
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), n)
		}
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	default:
		panic("fill: add a case for " + v.Kind().String())
	}
}

func filled[T any]() T {
	var v T
	n := 0
	fill(reflect.ValueOf(&v).Elem(), &n)
	return v
}

func roundTrip[T any](t *testing.T, encode func(*enc, *T), decode func(*dec) T) {
	t.Helper()
	want := filled[T]()
	var e enc
	encode(&e, &want)
	d := dec{s: string(e.b)}
	got := decode(&d)
	if err := d.done("record"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%T round trip (-want +got):\n%s", want, diff)
	}
	// Every truncation is refused, never a panic.
	for i := range len(e.b) {
		d := dec{s: string(e.b[:i])}
		decode(&d)
		if err := d.done("record"); !errors.Is(err, errCorrupt) {
			t.Errorf("%T truncated to %d of %d bytes: error %v, want errCorrupt", want, i, len(e.b), err)
		}
	}
}

func TestCodec_RoundTrip(t *testing.T) {
	roundTrip(t, (*enc).article, (*dec).article)
	roundTrip(t, (*enc).film, (*dec).film)
	roundTrip(t, (*enc).person, (*dec).person)
	roundTrip(t, (*enc).fact, (*dec).fact)
	roundTrip(t, (*enc).question, (*dec).question)
}

func TestCodec_Ints(t *testing.T) {
	for _, v := range []int{0, 1, -1, 1999, -2000, 1 << 40, -(1 << 40)} {
		var e enc
		e.int(v)
		d := dec{s: string(e.b)}
		if got := d.int(); got != v || d.done("int") != nil {
			t.Errorf("int %d decoded as %d (%v)", v, got, d.err)
		}
	}
}

// chunkOf returns the chunk holding seed position seq, and seq's place in it.
func chunkOf(kvs []kv, seq int) ([]byte, int) {
	i := 0
	for i+1 < len(kvs) && int(binary.BigEndian.Uint32(kvs[i+1].k)) <= seq {
		i++
	}
	return kvs[i].v, seq - int(binary.BigEndian.Uint32(kvs[i].k))
}

func TestChunks(t *testing.T) {
	var a arena
	recs := make([]string, 400)
	want := make([]string, len(recs))
	for i := range recs {
		recs[i] = fmt.Sprintf("record %d %s", i, string(make([]byte, i%90)))
		if i == 150 {
			recs[i] = string(make([]byte, 2*chunkBytes)) // a record larger than a chunk
		}
		var e enc
		e.str(recs[i])
		want[i] = string(e.b)
	}
	kvs, err := chunks(&a, len(recs), "S", func(e *enc, i int) { e.str(recs[i]) }, func(int) hints { return hints{} })
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for c, r := range kvs {
		if got := binary.BigEndian.Uint32(r.k); int(got) != len(all) {
			t.Errorf("chunk %d has key %d, want its first record's position %d", c, got, len(all))
		}
		before := len(all)
		if all, _, _, err = decodeChunk(r.v, "S", (*dec).str, all, nil, nil); err != nil {
			t.Fatal(err)
		}
		if n := len(all) - before; n > maxChunk || n > 1 && len(r.v) > chunkBytes || n == 0 {
			t.Errorf("chunk %d holds %d records in %d bytes, want 1 to %d records in at most %d bytes (or one larger record)",
				c, n, len(r.v), maxChunk, chunkBytes)
		}
		if c+1 < len(kvs) && len(all)-before < maxChunk && len(r.v)+len(want[len(all)])+4 <= chunkBytes {
			t.Errorf("chunk %d closed at %d bytes with %d records, with room for the next", c, len(r.v), len(all)-before)
		}
	}
	if diff := cmp.Diff(recs, all); diff != "" {
		t.Errorf("decoded chunks (-want +got):\n%s", diff)
	}
	for _, i := range []int{0, 31, 32, 33, 149, 150, 151, 399} {
		v, j := chunkOf(kvs, i)
		got, err := chunkItem(v, j, "S")
		if err != nil || got != want[i] {
			t.Errorf("chunkItem for record %d = %q, %v", i, got, err)
		}
	}
	v, j := chunkOf(kvs, 399)
	if _, err := chunkItem(v, j+1, "S"); !errors.Is(err, errCorrupt) {
		t.Errorf("chunkItem past the end: error %v, want errCorrupt", err)
	}
}

// TestChunks_Packed packs facts and questions whose IDs and texts hold their film's ID and
// title, with repeated films, articles and tags, and reads every one back as it was.
func TestChunks_Packed(t *testing.T) {
	films := [][2]string{{"The Storm and the Carnival", "the-storm-and-the-carnival"}, {"Kim", "kim"}, {"Amélie", "amelie"}}
	var facts []seed.Fact
	var questions []seed.Question
	for i := range 75 {
		title, id := films[i/7%3][0], films[i/7%3][1]
		facts = append(facts, seed.Fact{
			ID: fmt.Sprintf("%s-fact-%d", id, i), Film: id, Person: "p" + fmt.Sprint(i%4),
			Character: "", Text: fmt.Sprintf("In %s, %s is number %d (%s).", title, id, i, title),
			Source: "article-001", Tags: []string{"cast", "production"}[:i%3%2+1],
		})
		questions = append(questions, seed.Question{
			ID: id + "-q", Film: id, Prompt: "Who directed " + title + "?", Answer: title,
			Accept: []string{id}, Distractors: []string{"a", "b", ""}, Hard: i%2 == 0, Source: "article-002",
		})
	}
	facts[3].Film, facts[3].Text = "", "no film"
	hintsOf := func(id string) hints {
		for _, f := range films {
			if f[1] == id {
				return hints{f[0], f[1]}
			}
		}
		return hints{}
	}
	check := func(t *testing.T, layout string, kvs []kv, n int, decode func(d *dec) any, want func(i int) any) {
		t.Helper()
		for i := range n {
			v, j := chunkOf(kvs, i)
			s, err := chunkItem(v, j, layout)
			if err != nil {
				t.Fatal(err)
			}
			d := dec{s: s}
			got := decode(&d)
			if err := d.done("record"); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want(i), got); diff != "" {
				t.Errorf("record %d (-want +got):\n%s", i, diff)
			}
		}
		var all []any
		for _, r := range kvs {
			var err error
			if all, _, _, err = decodeChunk(r.v, layout, decode, all, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		for i, got := range all {
			if diff := cmp.Diff(want(i), got); diff != "" {
				t.Errorf("record %d decoded with its chunk (-want +got):\n%s", i, diff)
			}
		}
		if len(all) != n {
			t.Errorf("decoded %d records from the chunks, want %d", len(all), n)
		}
	}
	var a arena
	kvs, err := chunks(&a, len(facts), factLayout, func(e *enc, i int) { e.fact(&facts[i]) },
		func(i int) hints { return hintsOf(facts[i].Film) })
	if err != nil {
		t.Fatal(err)
	}
	check(t, factLayout, kvs, len(facts), func(d *dec) any { return d.fact() }, func(i int) any { return facts[i] })
	kvs, err = chunks(&a, len(questions), questionLayout, func(e *enc, i int) { e.question(&questions[i]) },
		func(i int) hints { return hintsOf(questions[i].Film) })
	if err != nil {
		t.Fatal(err)
	}
	check(t, questionLayout, kvs, len(questions), func(d *dec) any { return d.question() }, func(i int) any { return questions[i] })

	// Every truncation of a packed chunk is refused, never a panic.
	v := kvs[0].v
	for i := range len(v) {
		_, err1 := chunkItem(v[:i], 5, questionLayout)
		_, _, _, err2 := decodeChunk(v[:i], questionLayout, (*dec).question, nil, nil, nil)
		if !errors.Is(err1, errCorrupt) || !errors.Is(err2, errCorrupt) {
			t.Errorf("chunk truncated to %d of %d bytes: errors %v, %v, want errCorrupt", i, len(v), err1, err2)
		}
	}
}

func FuzzDecodeFilm(f *testing.F) {
	var e enc
	film := filled[seed.Film]()
	e.film(&film)
	f.Add(e.b)
	f.Fuzz(func(t *testing.T, b []byte) {
		d := dec{s: string(b)}
		d.seqs()
		d.film()
		d.done("film") // must not panic
		chunkItem(b, 3, factLayout)
		decodeChunk(b, questionLayout, (*dec).question, nil, nil, nil)
	})
}
