package seed

// STUB: parsing is being written; the signatures are the contract.

import (
	"errors"
	"fmt"
)

// Problem is one thing wrong with a seed file, at a line.
type Problem struct {
	File string
	Line int // 1-based; 0 when the problem is not tied to a line
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Problems is every problem found in one or more seed files; it is the error Parse and
// Validate return.
type Problems []Problem

func (ps Problems) Error() string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += "\n"
		}
		s += p.String()
	}
	return s
}

var errStub = errors.New("seed: not implemented yet")

// Parse reads one TOML seed file. name is used in problems. On any problem it returns a
// nil catalog and a Problems error listing all of them.
func Parse(name string, data []byte) (*Catalog, error) { return nil, errStub }

// Load parses and validates several seed files (TOML, or Red trivia YAML by extension)
// as one catalog: references may cross files, IDs must be unique across them.
func Load(files map[string][]byte) (*Catalog, error) { return nil, errStub }

// Default returns the embedded seed.
func Default() *Catalog { return &Catalog{} }

// ImportArticle turns a plain-text article into a catalog of sentence-level facts about
// the film titled film (the first non-empty line is the headline, an optional line before
// it the publisher). base, when not nil, is the knowledge already installed: the film is
// taken from it when it knows the title, and the result is merged into a copy of it.
func ImportArticle(name string, text []byte, film string, base *Catalog) (*Catalog, error) {
	return nil, errStub
}
