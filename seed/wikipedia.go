package seed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"filmbot/fold"
)

// The Wikipedia movie dataset (github.com/prust/wikipedia-movie-data) is a JSON array per
// decade of objects {title, year, cast, genres, href, extract, thumbnail…}, scraped from
// Wikipedia's "List of American films of YEAR" pages and the films' page summaries. It is
// big (36,273 films) and messy, so the import separates two kinds of trouble:
//
//   - what a file gets wrong (not JSON, a film without a title, a year out of range, a
//     name too long for Discord, a key the format does not have) is a Problem at the JSON
//     line, and nothing is installed;
//   - what the data merely lacks or repeats (no extract, no cast, no genres, no page
//     name, two list entries pointing at one article) is normal for a scrape: it is
//     counted in Catalog.Notes and the films are imported with what they have.
//
// Each film becomes one Film whose ID comes from its page name (href), one Article
// ("Wikipedia — <article title>", its URL and the CC BY-SA credit) that its facts cite,
// one Fact per sentence of the extract, and a Person per exact cast name, shared by every
// film that lists it. The lead paragraph's credits (directors, writers, source work,
// studios, distributors, remake and sequel) are read into the film's structured fields by
// wikilead.go, each cited to its sentence.

// WikipediaLicense is the credit the extracts' licence asks for wherever they are shown.
const WikipediaLicense = "Text from Wikipedia, CC BY-SA 4.0"

// wikipediaBase is where an article's page name is appended to make its address.
const wikipediaBase = "https://en.wikipedia.org/wiki/"

// Limits of IDs made from names, so that "wp-" before an article ID and "-NN" after a fact
// ID still fit in MaxID.
const (
	wikiFilmIDLen   = MaxID - len("wp-") - len("-99")
	wikiPersonIDLen = MaxID - len("-99")
)

// wikiKeys are the keys a dataset object may have.
var wikiKeys = []string{"title", "year", "cast", "genres", "href", "extract", "thumbnail", "thumbnail_width", "thumbnail_height"}

// wikiEntry is one object of a dataset file as written.
type wikiEntry struct {
	Title           *string  `json:"title"`
	Year            *float64 `json:"year"`
	Cast            []string `json:"cast"`
	Genres          []string `json:"genres"`
	Href            string   `json:"href"`
	Extract         string   `json:"extract"`
	Thumbnail       string   `json:"thumbnail"`
	ThumbnailWidth  *float64 `json:"thumbnail_width"`
	ThumbnailHeight *float64 `json:"thumbnail_height"`
}

// wikiRecord is an entry that passed the checks, with where it was written.
type wikiRecord struct {
	file   int // index into the importer's files
	line   int // of the object's opening brace
	keys   map[string]int
	title  string
	year   int
	cast   []string
	genres []string
	href   string
	text   string // the extract, one space between words
	junk   int    // cast entries dropped as not names
	// repaired is set when the listed title held scraped markup and was taken from the
	// page name instead.
	repaired bool
}

// wikiFile is one dataset file being imported.
type wikiFile struct {
	name    string
	data    []byte
	lines   lineIndex
	records []*wikiRecord
	probs   Problems
}

func (f *wikiFile) problem(line int, format string, args ...any) {
	f.probs = append(f.probs, Problem{File: f.name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// isWikipediaJSON reports whether data looks like a dataset file: a JSON array. Files are
// recognised by extension first; this lets an attachment or a file without one through.
func isWikipediaJSON(data []byte) bool {
	data = bytes.TrimLeftFunc(bytes.TrimPrefix(data, bom), unicode.IsSpace)
	return len(data) > 0 && data[0] == '['
}

// readWikiFile decodes one dataset file into records, reporting every problem it has.
func readWikiFile(name string, data []byte) *wikiFile {
	data = bytes.TrimPrefix(data, bom)
	f := &wikiFile{name: name, data: data, lines: newLineIndex(data)}
	if p, bad := invalidUTF8(name, data); bad {
		f.probs = append(f.probs, p)
		return f
	}
	d := json.NewDecoder(bytes.NewReader(data))
	tok, err := d.Token()
	if err != nil || tok != json.Delim('[') {
		if err != nil {
			f.jsonProblem(err, 0)
		} else {
			f.problem(f.lines.line(int(d.InputOffset())-1), "a movie data file is a JSON array of films: it must start with [")
		}
		return f
	}
	n := 0
	for d.More() {
		start := f.skipSpace(int(d.InputOffset()))
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			f.jsonProblem(err, 0)
			return f
		}
		n++
		f.entry(raw, start)
	}
	if _, err := d.Token(); err != nil {
		f.jsonProblem(err, 0)
		return f
	}
	if rest := bytes.TrimSpace(data[d.InputOffset():]); len(rest) > 0 {
		f.problem(f.lines.line(int(d.InputOffset())+bytes.Index(data[d.InputOffset():], rest[:1])), "text after the closing ] of the array")
	}
	if n == 0 {
		f.problem(1, "the file holds no films")
	}
	return f
}

// skipSpace returns the offset of the first byte at or after off that is not white space
// or the comma between array elements: where the next element starts.
func (f *wikiFile) skipSpace(off int) int {
	for off < len(f.data) && (f.data[off] == ',' || f.data[off] == ' ' || f.data[off] == '\n' || f.data[off] == '\r' || f.data[off] == '\t') {
		off++
	}
	return off
}

// jsonProblem reports a decoding error at its line; base is the offset the decoded text
// starts at in the file.
func (f *wikiFile) jsonProblem(err error, base int) {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		f.problem(f.lines.line(base+int(syn.Offset)-1), "not valid JSON: %s", syn.Error())
	case errors.As(err, &typ):
		f.problem(f.lines.line(base+int(typ.Offset)-1), "%s must be %s, not a JSON %s", typ.Field, describeJSON(typ.Type.String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		f.problem(len(f.lines)+1, "the file ends before the JSON array is closed")
	default:
		f.problem(f.lines.line(base), "not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
}

// describeJSON names the JSON shape a Go type stands for.
func describeJSON(goType string) string {
	switch goType {
	case "string", "*string":
		return "text"
	case "[]string":
		return "a list of texts"
	case "float64", "*float64":
		return "a number"
	}
	return goType
}

// keyLines finds the line of each top-level key of the object raw, which starts at offset
// start in the file. raw is valid JSON (the decoder has read it), so a plain scan of its
// strings and brackets is enough.
func (f *wikiFile) keyLines(raw []byte, start int) map[string]int {
	keys := make(map[string]int, 9)
	depth := 0
	expectKey := false
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case '{', '[':
			depth++
			expectKey = c == '{' && depth == 1
		case '}', ']':
			depth--
		case ',':
			expectKey = depth == 1
		case '"':
			j := i + 1
			for j < len(raw) && raw[j] != '"' {
				if raw[j] == '\\' {
					j++
				}
				j++
			}
			if expectKey {
				var k string
				if err := json.Unmarshal(raw[i:min(j+1, len(raw))], &k); err == nil {
					if _, dup := keys[k]; !dup {
						keys[k] = f.lines.line(start + i)
					}
				}
				expectKey = false
			}
			i = j
		}
	}
	return keys
}

// entry checks one object of the array and keeps it as a record when it has no problem.
func (f *wikiFile) entry(raw []byte, start int) {
	line := f.lines.line(start)
	if raw[0] != '{' {
		f.problem(line, "each film is a JSON object {\"title\": …, \"year\": …}")
		return
	}
	keys := f.keyLines(raw, start)
	at := func(key string) int {
		if l, ok := keys[key]; ok {
			return l
		}
		return line
	}
	before := len(f.probs)
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return keys[names[i]] < keys[names[j]] })
	for _, k := range names {
		if !containsString(wikiKeys, k) {
			f.problem(keys[k], "unknown key %q; a film has %s", k, strings.Join(wikiKeys, ", "))
		}
	}
	var e wikiEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			f.problem(at(strings.SplitN(typ.Field, ".", 2)[0]), "%s must be %s, not a JSON %s", typ.Field, describeJSON(typ.Type.String()), typ.Value)
		} else {
			f.jsonProblem(err, start)
		}
		return
	}
	r := &wikiRecord{line: line, keys: keys, href: strings.TrimSpace(e.Href)}
	switch {
	case e.Title == nil:
		f.problem(line, "the film has no title")
	case strings.TrimSpace(*e.Title) == "":
		f.problem(at("title"), "the title is blank")
	default:
		r.title = strings.Join(strings.Fields(*e.Title), " ")
		if strings.ContainsRune(r.title, '{') && scrapeJunk.MatchString(r.title) && r.href != "" {
			r.title, r.repaired = strings.TrimSpace(filmSuffix.ReplaceAllString(pageTitle(r.href), "")), true
		}
		if n := utf8.RuneCountInString(r.title); n > MaxHeadline {
			f.problem(at("title"), "title is too long: %d characters, limit %d", n, MaxHeadline)
		}
	}
	switch {
	case e.Year == nil:
		f.problem(line, "the film has no year")
	case *e.Year != float64(int(*e.Year)):
		f.problem(at("year"), "year %v is not a whole number", *e.Year)
	case int(*e.Year) < minYear || int(*e.Year) > maxYear:
		f.problem(at("year"), "year %d is not a year a film was made (%d to %d)", int(*e.Year), minYear, maxYear)
	default:
		r.year = int(*e.Year)
	}
	r.cast = f.names(e.Cast, "cast", at("cast"), MaxTitle)
	r.junk = len(r.cast)
	r.cast = slices.DeleteFunc(r.cast, notAName)
	r.junk -= len(r.cast)
	r.genres = f.names(e.Genres, "genres", at("genres"), MaxShort)
	if r.href != "" {
		if u, err := url.Parse(wikipediaBase + r.href); err != nil || strings.ContainsAny(r.href, " \t\n?") || u.Path == "" {
			f.problem(at("href"), "href %q is not a Wikipedia page name such as \"Treasure_Island_(1950_film)\"", r.href)
		}
	}
	r.text = strings.Join(strings.Fields(e.Extract), " ")
	if n := utf8.RuneCountInString(r.text); n > MaxSynopsis {
		f.problem(at("extract"), "extract is too long: %d characters, limit %d", n, MaxSynopsis)
	}
	if !utf8.ValidString(e.Extract) {
		f.problem(at("extract"), "extract is not valid UTF-8")
	}
	if len(f.probs) == before {
		f.records = append(f.records, r)
	}
}

// names checks a list of names (cast, genres): each one line, within limit. Blank entries
// and repeats are dropped, not refused: the scrape has a few.
func (f *wikiFile) names(list []string, key string, line, limit int) []string {
	var out []string
	for i, s := range list {
		s = strings.Join(strings.Fields(s), " ")
		if s == "" || containsString(out, s) {
			continue
		}
		if n := utf8.RuneCountInString(s); n > limit {
			f.problem(line, "%s[%d] is too long: %d characters, limit %d", key, i, n, limit)
			continue
		}
		out = append(out, s)
	}
	return out
}

// notAName reports whether a cast entry is a piece of the list's wording the scrape cut
// out as a name: "(narrator)", "voices of", "and", ".".
func notAName(s string) bool {
	if !strings.ContainsFunc(s, unicode.IsLetter) || strings.ContainsAny(s[:1], "([") || strings.HasSuffix(s, ")") || strings.HasSuffix(s, "]") {
		return true
	}
	if strings.ContainsFunc(s, unicode.IsUpper) || strings.ContainsFunc(s, unicode.IsDigit) {
		return false
	}
	return strings.Contains(s, " ") || s == "and" || s == "the" || s == "with" || s == "of" || s == "by"
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// wikiImport maps the records of every dataset file of one load to catalog records.
type wikiImport struct {
	files []*wikiFile
	// taken holds the IDs in use, by kind, including those of the other seed files of the
	// load, so the dataset's IDs never collide with theirs.
	taken map[string]map[string]bool
	// people maps each exact name to its person ID.
	people map[string]string
	notes  wikiNotes
}

// wikiNotes counts what the data lacks, for Catalog.Notes.
type wikiNotes struct {
	films, noExtract, noCast, noGenres, noHref, merged, shortened, repaired, clipped, junk int
	credits                                                                                map[string]int
}

// parseWikipedia imports dataset files as one batch: IDs and people are shared across
// them, and two entries for one article in different decades become one film. taken holds
// the IDs of the load's other files by kind ("film", "person", "article", "fact").
func parseWikipedia(files map[string][]byte, names []string, taken map[string]map[string]bool) ([]*parsed, Problems, []string) {
	w := &wikiImport{taken: taken, people: make(map[string]string)}
	w.notes.credits = make(map[string]int)
	for _, kind := range []string{"film", "person", "article", "fact"} {
		if w.taken[kind] == nil {
			w.taken[kind] = make(map[string]bool)
		}
	}
	var probs Problems
	for _, name := range names {
		f := readWikiFile(name, files[name])
		w.files = append(w.files, f)
		probs = append(probs, f.probs...)
	}
	if len(probs) > 0 {
		return nil, probs, nil
	}
	return w.build(), nil, w.notes.lines(len(names))
}

// build turns the records into one parsed file per dataset file.
func (w *wikiImport) build() []*parsed {
	// One film per article: when the lists name one page twice (a film listed under two
	// years, or two titles linked to one page), keep the entry whose year the extract
	// gives, else the first.
	type ref struct{ f, i int }
	byHref := make(map[string][]ref)
	for fi, f := range w.files {
		for i, r := range f.records {
			r.file = fi
			if r.href != "" {
				byHref[r.href] = append(byHref[r.href], ref{fi, i})
			}
		}
	}
	drop := make(map[*wikiRecord]bool)
	aliases := make(map[*wikiRecord][]string)
	for _, refs := range byHref {
		if len(refs) < 2 {
			continue
		}
		keep := w.files[refs[0].f].records[refs[0].i]
		for _, rf := range refs {
			r := w.files[rf.f].records[rf.i]
			if strings.Contains(leadYearWindow(r.text), strconv.Itoa(r.year)) {
				keep = r
				break
			}
		}
		for _, rf := range refs {
			r := w.files[rf.f].records[rf.i]
			if r == keep {
				continue
			}
			drop[r] = true
			w.notes.merged++
			if fold.String(r.title) != fold.String(keep.title) && !containsString(aliases[keep], r.title) {
				aliases[keep] = append(aliases[keep], r.title)
			}
		}
	}

	out := make([]*parsed, 0, len(w.files))
	for _, f := range w.files {
		p := &parsed{places: places{file: f.name, root: &spot{line: 1}}}
		// Room for the usual: a film, an article and a few sentences per record.
		n := len(f.records)
		p.cat.Films, p.cat.Articles, p.cat.Facts = make([]Film, 0, n), make([]Article, 0, n), make([]Fact, 0, 3*n)
		var spots struct{ articles, films, people, facts []*spot }
		spots.articles, spots.films, spots.facts = make([]*spot, 0, n), make([]*spot, 0, n), make([]*spot, 0, 3*n)
		for _, r := range f.records {
			if drop[r] {
				continue
			}
			w.film(p, r, aliases[r], &spots.articles, &spots.films, &spots.people, &spots.facts)
		}
		p.places.root.set("article", &spot{items: spots.articles})
		p.places.root.set("film", &spot{items: spots.films})
		p.places.root.set("person", &spot{items: spots.people})
		p.places.root.set("fact", &spot{items: spots.facts})
		out = append(out, p)
	}
	return out
}

// leadYearWindow is the start of an extract, where "is a 1950 American film" gives the
// year of the film the article is about.
func leadYearWindow(text string) string {
	return text[:min(len(text), 160)]
}

// id returns a free ID of kind made from s, and marks it taken.
func (w *wikiImport) id(kind, s string, limit int, fallback string) string {
	id := unique(slug(s, limit), fallback, w.taken[kind])
	w.taken[kind][id] = true
	return id
}

// pageName is a page name as written, percent escapes undone: "The_Artist's_Dilemma".
func pageName(href string) string {
	if t, err := url.PathUnescape(href); err == nil {
		return strings.ReplaceAll(t, "_", " ")
	}
	return strings.ReplaceAll(href, "_", " ")
}

// pageTitle is the article title a page name stands for: "The_Artist%27s_Dilemma" is
// "The Artist's Dilemma".
func pageTitle(href string) string {
	href, _, _ = strings.Cut(href, "#") // a section of the page
	t, err := url.PathUnescape(href)
	if err != nil {
		t = href
	}
	return strings.ReplaceAll(t, "_", " ")
}

// scrapeJunk matches the style sheet text the scrape left in a few titles (a fraction
// template's ".mw-parser-output .frac{…}").
var scrapeJunk = regexp.MustCompile(`\.mw-parser-output|\{[^}]*:[^}]*\}`)

// filmTitle returns the title to show: shortened to MaxTitle characters at a word when
// longer, since an autocomplete choice holds no more. The whole title stays in the
// headline.
func (w *wikiImport) filmTitle(r *wikiRecord) string {
	t := r.title
	if r.repaired {
		w.notes.repaired++
	}
	if utf8.RuneCountInString(t) > MaxTitle {
		t = clip(t, MaxTitle)[0]
		w.notes.shortened++
	}
	return t
}

// filmSuffix is the disambiguation Wikipedia adds to a film's page name.
var filmSuffix = regexp.MustCompile(`\s*\((?:\d{4} )?(?:[\w-]+ )?(?:film|movie|serial)\)$`)

// film adds the records of one dataset entry to p.
func (w *wikiImport) film(p *parsed, r *wikiRecord, aliases []string, articles, films, people, facts *[]*spot) {
	w.notes.films++
	c := &p.cat
	title := w.filmTitle(r)
	var art Article
	var filmID string
	if r.href != "" {
		page := pageTitle(r.href)
		filmID = w.id("film", strings.ReplaceAll(pageName(r.href), "#", " "), wikiFilmIDLen, "film")
		art = Article{
			ID:        w.id("article", "wp "+filmID, MaxID-3, "wp"),
			Publisher: "Wikipedia",
			Headline:  clip(page, MaxHeadline)[0],
			URL:       wikipediaBase + r.href,
			License:   WikipediaLicense,
		}
	} else {
		w.notes.noHref++
		filmID = w.id("film", title+" "+strconv.Itoa(r.year), wikiFilmIDLen, "film")
		// Without a page, what is known comes from the year's list of films.
		list := fmt.Sprintf("List of American films of %d", r.year)
		art = Article{
			ID:        w.id("article", "wp "+filmID, MaxID-3, "wp"),
			Publisher: "Wikipedia",
			Headline:  list,
			URL:       wikipediaBase + strings.ReplaceAll(list, " ", "_"),
			License:   WikipediaLicense,
		}
	}
	c.Articles = append(c.Articles, art)
	*articles = append(*articles, &spot{line: r.line})

	fm := Film{ID: filmID, Title: title, Year: r.year, Genres: r.genres, Source: art.ID}
	if title != r.title && fold.String(r.title) != fold.String(title) && utf8.RuneCountInString(r.title) <= MaxTitle {
		fm.Aliases = append(fm.Aliases, r.title)
	}
	for _, a := range aliases {
		if utf8.RuneCountInString(a) <= MaxTitle && !containsString(fm.Aliases, a) && fold.String(a) != fold.String(title) {
			fm.Aliases = append(fm.Aliases, a)
		}
	}
	if len(r.cast) == 0 {
		w.notes.noCast++
	}
	w.notes.junk += r.junk
	if len(r.genres) == 0 {
		w.notes.noGenres++
	}
	fs := &spot{line: r.line}
	fs.set("id", &spot{line: r.line})
	for _, k := range []string{"title", "year", "genres", "cast"} {
		if l, ok := r.keys[k]; ok {
			fs.set(k, &spot{line: l})
		}
	}
	for _, name := range r.cast {
		fm.Cast = append(fm.Cast, Credit{Person: w.person(c, name, art.ID, r.line, people)})
	}

	if r.text == "" {
		w.notes.noExtract++
	} else {
		para := paragraph{text: r.text, starts: []int{0}, lines: []int{r.keys["extract"]}}
		n := 0
		for _, s := range para.sentences() {
			pieces := clip(s.text, MaxFact)
			if len(pieces) > 1 {
				w.notes.clipped++
			}
			first := ""
			for _, piece := range pieces {
				n++
				id := filmID + "-" + strconv.Itoa(n)
				if w.taken["fact"][id] {
					id = w.id("fact", id, MaxID-3, "fact")
				}
				w.taken["fact"][id] = true
				if first == "" {
					first = id
				}
				c.Facts = append(c.Facts, Fact{ID: id, Film: filmID, Text: piece, Source: art.ID})
				*facts = append(*facts, &spot{line: s.line})
			}
			w.lead(c, &fm, s.text, first, art.ID, r.line, people)
		}
	}
	c.Films = append(c.Films, fm)
	*films = append(*films, fs)
}

// person returns the ID of the person with exactly this name, adding them when new.
func (w *wikiImport) person(c *Catalog, name, source string, line int, people *[]*spot) string {
	if id, ok := w.people[name]; ok {
		return id
	}
	id := w.id("person", name, wikiPersonIDLen, "person")
	w.people[name] = id
	c.People = append(c.People, Person{ID: id, Name: name, Source: source})
	*people = append(*people, &spot{line: line})
	return id
}

// lines reports the counts as notes for the operator.
func (n wikiNotes) lines(files int) []string {
	plural := func(v int, one, many string) string {
		if v == 1 {
			return "1 " + one
		}
		return strconv.Itoa(v) + " " + many
	}
	out := []string{fmt.Sprintf("Wikipedia movie data: %s from %s", plural(n.films, "film", "films"), plural(files, "file", "files"))}
	add := func(v int, one, many string) {
		if v > 0 {
			out = append(out, plural(v, one, many))
		}
	}
	add(n.noExtract, "film without an extract (no facts)", "films without an extract (no facts)")
	add(n.noCast, "film without a cast", "films without a cast")
	add(n.junk, "cast entry that is not a name (\"(narrator)\", \"voices of\") left out", "cast entries that are not names (\"(narrator)\", \"voices of\") left out")
	add(n.noGenres, "film without genres", "films without genres")
	add(n.noHref, "film without a Wikipedia page (cited to its year's list of films)", "films without a Wikipedia page (cited to their year's list of films)")
	add(n.merged, "list entry for an article another entry already names (merged into that film)", "list entries for an article another entry already names (merged into that film)")
	add(n.repaired, "title with scraped markup, taken from the page name", "titles with scraped markup, taken from the page name")
	add(n.shortened, fmt.Sprintf("title over %d characters shortened (whole in the headline)", MaxTitle), fmt.Sprintf("titles over %d characters shortened (whole in the headline)", MaxTitle))
	add(n.clipped, fmt.Sprintf("sentence over %d characters split", MaxFact), fmt.Sprintf("sentences over %d characters split", MaxFact))
	if len(n.credits) > 0 {
		keys := make([]string, 0, len(n.credits))
		for k := range n.credits {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %d", k, n.credits[k]))
		}
		out = append(out, "read from the extracts: "+strings.Join(parts, ", "))
	}
	return out
}
