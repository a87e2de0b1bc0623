package seed_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// BenchmarkImportArticle2000 imports a 2,000-word article (sentences written for the
// benchmark, credits among plain prose) with the relation extractors on every sentence.
func BenchmarkImportArticle2000(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("A long look back at Harbour Lights\n\n")
	plain := []string{
		"The town still talks about the summer the crew arrived with %d trucks of equipment.",
		"Locals remember the director asking for quiet on the quay at dawn on day %d.",
		"Scene %d was shot again and again because the gulls would not stay out of frame.",
		"The harbour master lent his boat for the storm sequence in week %d of the shoot.",
		"Critics at the time praised the long takes, with one counting %d cuts in the first hour.",
	}
	credit := []string{
		"Harbour Lights was directed by Ana Silva%d and written by Rui Costa%d.",
		"Joana Reis%d plays Marta, the lighthouse keeper's daughter, with great restraint.",
		"The score by Tomas Brandt%d leans on a single accordion.",
		"It runs %d minutes and was released in cinemas on 3 March 2021.",
		"Made on a budget of $%d million, it grossed over $90 million worldwide.",
	}
	words := 0
	for i := 0; words < 2000; i++ {
		var s string
		if i%4 == 3 {
			s = fmt.Sprintf(credit[i%len(credit)], 90+i, i)
		} else {
			s = fmt.Sprintf(plain[i%len(plain)], i+2)
		}
		words += len(strings.Fields(s))
		sb.WriteString(s)
		if i%5 == 4 {
			sb.WriteString("\n\n")
		} else {
			sb.WriteString(" ")
		}
	}
	text := []byte(sb.String())
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		cat, err := seed.ImportArticle("harbour.txt", text, "Harbour Lights", nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(cat.Films[0].Directors) == 0 {
			b.Fatal("no director read")
		}
	}
}
