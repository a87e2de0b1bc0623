package seed

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// addFiles adds every file matching pattern as a fuzz seed.
func addFiles(f *testing.F, patterns ...string) {
	f.Helper()
	for _, pattern := range patterns {
		names, _ := filepath.Glob(pattern)
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}

// checkResult is what must hold for any input: either a catalog that validates, or
// Problems naming the file at lines the input has.
func checkResult(t *testing.T, name string, data []byte, c *Catalog, err error) {
	t.Helper()
	if err != nil {
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("error %T %v, want Problems", err, err)
		}
		if c != nil {
			t.Fatal("a catalog came back with the problems")
		}
		lines := bytes.Count(data, []byte{'\n'}) + 1
		for _, p := range ps {
			if p.File != name || p.Line < 0 || p.Line > lines {
				t.Fatalf("problem %q: want file %s and a line in 0..%d", p, name, lines)
			}
		}
		return
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("accepted a catalog that does not validate:\n%v", err)
	}
}

func FuzzParse(f *testing.F) {
	addFiles(f, "testdata/*.toml", "testdata/multi/*.toml", "data/*.toml")
	f.Add([]byte("[[film]]\nid = 'f'\n[[film.cast]]\nperson = 'p'\n"))
	f.Add([]byte("film = [{id = 'f', cast = [{person = 'p'}]}]\n"))
	f.Add([]byte("[film]\n[[film.cast]]\n[[film.cast.x]]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.toml", data)
		checkResult(t, "fuzz.toml", data, c, err)
	})
}

func FuzzRedList(f *testing.F) {
	addFiles(f, "testdata/red/*.yaml", "testdata/multi/*.yaml")
	f.Add([]byte("Q?:\n- a\n- 1\n- true\n"))
	f.Add([]byte("x: &a\n- one\ny: *a\nCONFIG: {delay: 5}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseRedList("fuzz.yaml", data)
		checkResult(t, "fuzz.yaml", data, c, err)
	})
}

func FuzzImportArticle(f *testing.F) {
	addFiles(f, "testdata/articles/*.txt")
	f.Add([]byte("Headline\n\nOne sentence here, “quoted. Twice.” Mr. X left.\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ImportArticle("fuzz.txt", data, "The Net Mender", nil)
		checkResult(t, "fuzz.txt", data, c, err)
		if c == nil {
			return
		}
		for _, fact := range c.Facts {
			if n := utf8.RuneCountInString(fact.Text); n > MaxFact || n == 0 {
				t.Fatalf("fact of %d characters", n)
			}
		}
	})
}
