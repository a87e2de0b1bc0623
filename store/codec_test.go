package store

import (
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

func TestChunks(t *testing.T) {
	var a arena
	recs := make([]string, 70)
	for i := range recs {
		recs[i] = fmt.Sprintf("record %d %s", i, string(make([]byte, i)))
	}
	kvs := chunks(&a, len(recs), func(e *enc, i int) { e.b = append(e.b, recs[i]...) })
	if len(kvs) != 3 {
		t.Fatalf("70 records made %d chunks, want 3", len(kvs))
	}
	var all []string
	for _, r := range kvs {
		items, err := chunkItems(r.v)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, items...)
	}
	if diff := cmp.Diff(recs, all); diff != "" {
		t.Errorf("chunk items (-want +got):\n%s", diff)
	}
	for _, i := range []int{0, 31, 32, 33, 69} {
		got, err := chunkItem(kvs[i/chunkSize].v, i%chunkSize)
		if err != nil || got != recs[i] {
			t.Errorf("chunkItem for record %d = %q, %v", i, got, err)
		}
	}
	if _, err := chunkItem(kvs[2].v, 6); !errors.Is(err, errCorrupt) {
		t.Errorf("chunkItem past the end: error %v, want errCorrupt", err)
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
		chunkItem(b, 3)
		chunkItems(b)
	})
}
