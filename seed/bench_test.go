package seed_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/pelletier/go-toml/v2"

	"filmbot/internal/catalogtest"
	"filmbot/seed"
)

// These tests live outside package seed because catalogtest imports it.

// generatedTOML writes a generated catalog as a TOML seed.
func generatedTOML(tb testing.TB, films, factsPerFilm int) (*seed.Catalog, []byte) {
	tb.Helper()
	c := catalogtest.Generate(films, factsPerFilm)
	data, err := toml.Marshal(c)
	if err != nil {
		tb.Fatal(err)
	}
	return c, data
}

// TestParse_Generated writes a large generated catalog as TOML and reads it back: the
// format and the types agree, and a realistic seed of many films has no problems.
func TestParse_Generated(t *testing.T) {
	want, data := generatedTOML(t, 300, 5)
	got, err := seed.Parse("generated.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestValidate_Generated(t *testing.T) {
	if err := catalogtest.Generate(3000, 4).Validate(); err != nil {
		t.Errorf("generated catalog does not validate:\n%v", err)
	}
}

// BenchmarkDefault measures what `filmbot ask` pays at start-up to read the embedded seed.
func BenchmarkDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := seed.Default(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	for _, films := range []int{100, 1000} {
		_, data := generatedTOML(b, films, 10)
		b.Run(fmt.Sprintf("films=%d/facts=%d", films, films*10), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := seed.Parse("generated.toml", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkImportArticle(b *testing.B) {
	text, err := os.ReadFile(filepath.Join("testdata", "articles", "net-mender.txt"))
	if err != nil {
		b.Fatal(err)
	}
	base, err := seed.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := seed.ImportArticle("net-mender.txt", text, "The Net Mender", base); err != nil {
			b.Fatal(err)
		}
	}
}
