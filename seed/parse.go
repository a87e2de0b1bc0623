package seed

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// Problem is one thing wrong with a seed file, at a line.
type Problem struct {
	File string
	Line int // 1-based; 0 when the problem is not tied to a line
	Msg  string
}

// String formats p the way compilers do, "file:line: message", so editors can jump to it.
func (p Problem) String() string {
	switch {
	case p.File == "":
		return p.Msg
	case p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	default:
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
}

// Problems is every problem found in one or more seed files; it is the error Parse, Load,
// ImportArticle and Validate return, sorted by file and line.
type Problems []Problem

// Error lists the problems one per line.
func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Summary is the closing line of a check of files seed files: "3 files, 2 problems".
func (ps Problems) Summary(files int) string {
	count := func(n int, noun string) string {
		if n == 1 {
			return "1 " + noun
		}
		return fmt.Sprintf("%d %ss", n, noun)
	}
	return count(files, "file") + ", " + count(len(ps), "problem")
}

// sort orders ps by file, then line, keeping the order of problems on the same line.
func (ps Problems) sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}

// err returns ps sorted as an error, or nil when there are none, so callers can return
// it directly without the typed-nil trap.
func (ps Problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	ps.sort()
	return ps
}

// Parse reads one TOML seed file. name is used in problems. References must resolve
// within the file; use Load for a seed split over several files. On any problem it
// returns a nil catalog and a Problems error listing all of them.
func Parse(name string, data []byte) (*Catalog, error) {
	f, probs := parseTOML(name, data)
	if f == nil {
		return nil, probs.err()
	}
	return finish([]*parsed{f}, probs)
}

// Load parses and validates several seed files as one catalog: TOML seeds (.toml),
// Red-DiscordBot trivia lists (.yaml, .yml) and Wikipedia movie data (.json, a JSON array
// of films; see wikipedia.go), told apart by the extension of their names, or by content
// for a name with none of those extensions that holds a JSON array. References may cross
// files and IDs must be unique across them. Files are read in the order of their names, so
// the same files always give the same catalog. On any problem in any file it returns a nil
// catalog and every problem, sorted by file and line. What movie data merely lacks (films
// without an extract, cast or genres) is not a problem: it is counted in Catalog.Notes.
func Load(files map[string][]byte) (*Catalog, error) {
	return load(files, nil)
}

// LoadFiles reads the named seed files and loads them as [Load] does. A file that cannot
// be read (missing, a directory, not permitted) is reported as "name: cannot read: why"
// and every other file is still read and checked, so one run shows every problem; only
// references that may point into an unread file go unreported.
func LoadFiles(names []string) (*Catalog, error) {
	files := make(map[string][]byte, len(names))
	var probs Problems
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the name is already in the problem
			}
			probs = append(probs, Problem{File: name, Msg: "cannot read: " + err.Error()})
			continue
		}
		files[name] = data
	}
	if len(names) == 0 && len(probs) == 0 {
		probs = append(probs, Problem{Msg: "no seed files given"})
	}
	return load(files, probs)
}

// load is Load with the problems met before parsing, such as files that could not be read.
// Movie data files are imported last, as one batch, so that their IDs keep clear of the
// other files' and a film listed in two decades' files becomes one film.
func load(files map[string][]byte, probs Problems) (*Catalog, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)

	var all []*parsed
	var movies []string
	for _, name := range names {
		var f *parsed
		var ps Problems
		switch ext := strings.ToLower(path.Ext(name)); {
		case ext == ".toml":
			f, ps = parseTOML(name, files[name])
		case ext == ".yaml" || ext == ".yml":
			f, ps = parseRedList(name, files[name])
		case ext == ".json" || isWikipediaJSON(files[name]):
			movies = append(movies, name)
			continue
		default:
			ps = Problems{{File: name, Msg: "not a seed file: the name must end in .toml, .yaml, .yml or .json"}}
		}
		probs = append(probs, ps...)
		if f != nil {
			all = append(all, f)
		}
	}
	var notes []string
	if len(movies) > 0 {
		taken := map[string]map[string]bool{"film": {}, "person": {}, "article": {}, "fact": {}}
		for _, f := range all {
			for _, a := range f.cat.Articles {
				taken["article"][a.ID] = true
			}
			for _, fm := range f.cat.Films {
				taken["film"][fm.ID] = true
			}
			for _, p := range f.cat.People {
				taken["person"][p.ID] = true
			}
			for _, fc := range f.cat.Facts {
				taken["fact"][fc.ID] = true
			}
		}
		fs, ps, ns := parseWikipedia(files, movies, taken)
		all = append(all, fs...)
		probs = append(probs, ps...)
		notes = ns
	}
	if len(names) == 0 && len(probs) == 0 {
		probs = append(probs, Problem{Msg: "no seed files given"})
	}
	cat, err := finish(all, probs)
	if cat != nil {
		cat.Notes = notes
	}
	return cat, err
}

// allRead reports whether every file with a problem still gave its records, that is
// whether the problems are all about single values rather than the file's shape.
func allRead(files []*parsed, probs Problems) bool {
	read := make(map[string]bool, len(files))
	for _, f := range files {
		read[f.places.file] = true
	}
	for _, p := range probs {
		if !read[p.File] {
			return false
		}
	}
	return true
}

// parsed is one file's records together with where each was written.
type parsed struct {
	cat    Catalog
	places places
}

// finish merges files, validates the result as a whole and adds the problems found while
// reading them. It refuses a seed that holds nothing, since installing it would leave the
// bot knowing nothing.
func finish(files []*parsed, probs Problems) (*Catalog, error) {
	l := &located{}
	var n Counts
	for _, f := range files {
		c := f.cat.Counts()
		n.Articles, n.Films, n.People, n.Facts, n.Questions = n.Articles+c.Articles, n.Films+c.Films, n.People+c.People, n.Facts+c.Facts, n.Questions+c.Questions
	}
	l.grow(n)
	for _, f := range files {
		l.add(&f.cat, f.places)
	}
	// A file that could not be read leaves its records out, and references to them would
	// only add noise to the problems that matter.
	complete := len(probs) == 0 || allRead(files, probs)
	probs = append(probs, validate(l, complete)...)
	if len(probs) == 0 && l.cat.Counts() == (Counts{}) {
		name := ""
		if len(files) > 0 {
			name = files[0].places.file
		}
		probs = append(probs, Problem{File: name, Msg: "the seed holds no articles, films, people, facts or questions"})
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return &l.cat, nil
}
