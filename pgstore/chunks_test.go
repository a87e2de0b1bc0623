package pgstore

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"filmbot/internal/catalogtest"
	"filmbot/seed"
)

// TestPublish_chunks publishes catalogs with more records of a kind than one chunk
// holds and reads them back: every record in its order, in several chunks, with only the
// newest two generations kept.
func TestPublish_chunks(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	k, err := s.Knowledge(filepath.Join(t.TempDir(), "db.pggen"), func(context.Context, *seed.Catalog) error { return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	var cats []*seed.Catalog
	for i, tag := range []string{"a", "b", "c"} {
		cat := catalogtest.Tagged(1200+i*600, 2, tag)
		if err := k.Publish(ctx, cat); err != nil {
			t.Fatal(err)
		}
		cats = append(cats, cat)
	}
	var gens, chunks int
	if err := s.pool.QueryRow(ctx, "SELECT count(*), (SELECT count(*) FROM knowledge_chunks) FROM knowledge_generations").Scan(&gens, &chunks); err != nil {
		t.Fatal(err)
	}
	if gens != 2 {
		t.Errorf("%d generations kept after 3 publishes, want 2", gens)
	}
	newest := k.Have()
	var stored int
	if err := s.pool.QueryRow(ctx, "SELECT chunks FROM knowledge_generations WHERE gen = $1", newest).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	want := cats[2]
	// At least one chunk per kind present, and more for the kinds past chunkRecords.
	if min := 5 + (len(want.Films)-1)/chunkRecords + (len(want.Facts)-1)/chunkRecords; stored < min {
		t.Errorf("newest generation in %d chunks, want at least %d", stored, min)
	}
	got, err := k.read(ctx, newest)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(seed.Catalog{}, "Notes")); d != "" {
		t.Errorf("catalog read back (-want +got):\n%s", d)
	}
}

// TestChunkReader_corrupt checks that a damaged chunk is an error, not a partial catalog.
func TestChunkReader_corrupt(t *testing.T) {
	part, err := catalogChunks(catalogtest.Generate(3, 1))()
	if err != nil {
		t.Fatal(err)
	}
	part[len(part)-5] ^= 0xff // inside the gzip trailer's checksum
	r := chunkReader{cat: &seed.Catalog{}}
	if err := r.add(part); err == nil {
		t.Error("a chunk with a wrong checksum was accepted")
	}
}

// BenchmarkKnowledgeChunks publishes a 10,000-film catalog (50,000 facts) in chunks and
// reads it back, as a reseed and an installing process do. It reports the catalog's
// size as one JSON value (what was stored before chunks), the stored chunks' size, and
// the largest chunk, the most either side holds as bytes at once.
func BenchmarkKnowledgeChunks(b *testing.B) {
	s := openTest(b)
	ctx := context.Background()
	k, err := s.Knowledge(filepath.Join(b.TempDir(), "db.pggen"), func(context.Context, *seed.Catalog) error { return nil }, nil)
	if err != nil {
		b.Fatal(err)
	}
	cat := catalogtest.Generate(10_000, 5)
	whole, err := json.Marshal(cat)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := k.Publish(ctx, cat); err != nil {
			b.Fatal(err)
		}
		got, err := k.read(ctx, k.Have())
		if err != nil {
			b.Fatal(err)
		}
		if len(got.Films) != len(cat.Films) || len(got.Facts) != len(cat.Facts) {
			b.Fatalf("read back %d films, %d facts; want %d, %d", len(got.Films), len(got.Facts), len(cat.Films), len(cat.Facts))
		}
	}
	b.StopTimer()
	var stored, largest int64
	if err := s.pool.QueryRow(ctx, `SELECT sum(octet_length(part)), max(octet_length(part)) FROM knowledge_chunks
		WHERE gen = $1`, k.Have()).Scan(&stored, &largest); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(whole))/1e6, "json-MB")
	b.ReportMetric(float64(stored)/1e6, "stored-MB")
	b.ReportMetric(float64(largest)/1e3, "largest-chunk-kB")
}
