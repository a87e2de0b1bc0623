package seed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"

	"filmbot/fold"
)

// Importing an article trades quality for reach: every sentence of the text becomes a
// fact, cited to the article, with no rewording and no structure. The rules for reading
// the text are documented in docs/seed-format.md ("Importing an article"); keep the two
// in step.

// ImportTag marks the facts ImportArticle makes, so a later import of the same article
// can replace them and the answer engine can prefer curated facts.
const ImportTag = "imported"

// UnknownPublisher is the publisher of an imported article that names none.
const UnknownPublisher = "Unknown publisher"

// ImportArticle turns a plain-text article into sentence-level facts about the film titled
// film and returns base with them added. name is used in problems.
//
// The headline is the first non-empty line, unless the text starts with header lines
// ("Publisher: …", "Headline: …", "Date: …", "URL: …") or with a short byline such as
// "Lonely Planet Writer" followed by the headline. The film is the one base has with that
// ID, else the one it knows by that title or alias (compared folded); otherwise a minimal
// film is created. Importing an
// article base already cites (same headline) replaces the facts an earlier import made
// from it. base is not changed; the result shares its records' inner lists.
//
// Text that is not an article is refused rather than cut into "facts": a data file by its
// name (.toml, .yaml, .yml, .json), binary or non-UTF-8 data, TOML or JSON, or a body with
// fewer than MinSentences whole sentences or more fragments than sentences. Photo
// captions, with their repeats and credits, are left out.
func ImportArticle(name string, text []byte, film string, base *Catalog) (*Catalog, error) {
	if base == nil {
		base = &Catalog{}
	}
	text = bytes.TrimPrefix(text, bom)
	if p, bad := notText(name, text); bad {
		return nil, Problems{p}
	}
	lines := strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n")
	head, body, probs := readHeader(name, lines)
	if probs != nil {
		return nil, probs.err()
	}
	body = dropCaptions(body)
	film = strings.TrimSpace(film)
	if film == "" {
		return nil, Problems{{File: name, Msg: "the article needs the title of the film it is about"}}
	}

	im := importer{headline: head.headline, base: base}
	art := im.article(head)
	filmID := im.film(film, art.ID)
	facts := im.facts(body, filmID, art.ID)
	if len(facts) == 0 {
		return nil, Problems{{File: name, Msg: "no sentences to import: the article has a headline but no body text"}}
	}

	// Build the result: base without the facts an earlier import of this article made,
	// then what this import adds, each with where it came from.
	l := &located{}
	kept := *base
	kept.Facts = nil
	for _, f := range base.Facts {
		if !(f.Source == art.ID && slices.Contains(f.Tags, ImportTag)) {
			kept.Facts = append(kept.Facts, f)
		}
	}
	kept.Articles = nil
	for _, a := range base.Articles {
		if a.ID != art.ID {
			kept.Articles = append(kept.Articles, a)
		}
	}
	// Read the structured fields the sentences state into the film: the new one, or a
	// copy of base's (whose curated fields win).
	book := NewPeopleBook(kept.People)
	factList := make([]Fact, len(facts))
	for i := range facts {
		factList[i] = facts[i].Fact
	}
	if im.newFilm != nil {
		ExtractFilm(im.newFilm, factList, book)
	} else {
		kept.Films = slices.Clone(kept.Films)
		for i := range kept.Films {
			if kept.Films[i].ID == filmID {
				f := kept.Films[i]
				f.Cast = slices.Clone(f.Cast)
				f.Cites = slices.Clone(f.Cites)
				ExtractFilm(&f, factList, book)
				kept.Films[i] = f
			}
		}
	}
	l.add(&kept, places{})
	added := &Catalog{Articles: []Article{art}, People: book.Added()}
	root := &spot{}
	articleAt := &spot{line: head.headlineLine}
	articleAt.set("headline", &spot{line: head.headlineLine})
	articleAt.set("publisher", &spot{line: head.publisherLine})
	articleAt.set("date", &spot{line: head.dateLine})
	articleAt.set("url", &spot{line: head.urlLine})
	root.set("article", &spot{items: []*spot{articleAt}})
	if im.newFilm != nil {
		added.Films = []Film{*im.newFilm}
	}
	factsAt := &spot{}
	for _, f := range facts {
		added.Facts = append(added.Facts, f.Fact)
		at := &spot{line: f.line}
		at.set("text", &spot{line: f.line})
		factsAt.items = append(factsAt.items, at)
	}
	root.set("fact", factsAt)
	l.add(added, places{file: name, root: root})
	probs = validate(l, true)
	if p, bad := notProse(name, facts); bad {
		probs = append(probs, p)
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return &l.cat, nil
}

// dataExtensions name files that hold data rather than an article: seeds, trivia lists.
var dataExtensions = []string{".toml", ".yaml", ".yml", ".json"}

// notText reports text that cannot be an article at all: a data file by its name,
// binary data, text that is not UTF-8, or TOML or JSON data. Such input would otherwise
// be cut into "sentences" and installed as facts.
func notText(name string, text []byte) (Problem, bool) {
	if ext := strings.ToLower(path.Ext(name)); slices.Contains(dataExtensions, ext) {
		return Problem{File: name, Msg: fmt.Sprintf("a %s file holds data, not an article: import an article from plain text; install seed files as seeds", ext)}, true
	}
	if i := bytes.IndexByte(text, 0); i >= 0 {
		return Problem{File: name, Line: bytes.Count(text[:i], []byte{'\n'}) + 1, Msg: "binary data (a NUL byte): an article must be plain text"}, true
	}
	if p, bad := invalidUTF8(name, text); bad {
		return p, true
	}
	// Prose never parses as TOML, whose every line is a key, a [table] or a comment.
	var doc map[string]any
	if toml.Unmarshal(text, &doc) == nil && len(doc) > 0 {
		return Problem{File: name, Line: firstContent(text), Msg: "this is TOML data, not an article: install seed files as seeds"}, true
	}
	if t := bytes.TrimSpace(text); len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t) {
		return Problem{File: name, Line: firstContent(text), Msg: "this is JSON data, not an article"}, true
	}
	return Problem{}, false
}

// firstContent returns the line of the first line of text that is neither blank nor a
// comment.
func firstContent(text []byte) int {
	for i, l := range strings.Split(string(text), "\n") {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
			return i + 1
		}
	}
	return 1
}

// MinSentences is how many whole sentences an article must give: fewer is a note or a
// list, not an article.
const MinSentences = 2

// notProse reports an article whose body is not running text: fewer than MinSentences
// whole sentences (ending in a full stop, question or exclamation mark), or more
// fragments than sentences, as a list, a table or code gives.
func notProse(name string, facts []importedFact) (Problem, bool) {
	whole := 0
	for _, f := range facts {
		if endsSentence(f.Text) {
			whole++
		}
	}
	switch {
	case whole < MinSentences:
		return Problem{File: name, Msg: fmt.Sprintf("too few sentences to import (%d, at least %d): an article is running text", whole, MinSentences)}, true
	case whole*2 < len(facts):
		return Problem{File: name, Msg: fmt.Sprintf("only %d of %d pieces of text are whole sentences: an article is running text, not a list, table or code", whole, len(facts))}, true
	}
	return Problem{}, false
}

// credit matches the start of a photo credit: "Image by …", "Photo: …", "Credit: …",
// "Screengrab from …", "© …".
var credit = regexp.MustCompile(`^(?i)(?:(?:image|photo|photograph|picture|pic|still|screenshot|screengrab|footage)s?\s*(?:by\b|:|credit|courtesy|©)|credits?\s*:|courtesy\s+of\b|screengrab\b|©|\(c\)\s)`)

// maxCredit is the most words a photo credit standing on its own line has.
const maxCredit = 12

// dropCaptions blanks out photo captions and their credits, which web pages copied as text
// carry between paragraphs. A caption is recognised by its shape, not its words: a line
// followed directly by the same line with a photo credit after it (the caption, then the
// caption again with "Image by …"), or a line standing alone directly above a line that is
// only a credit and does not end like a sentence. Both lines go as a unit; so does such a
// credit line on its own. Blanking keeps the other lines' numbers and ends the paragraph
// there.
func dropCaptions(body []line) []line {
	out := slices.Clone(body)
	norm := func(i int) string { return strings.Join(strings.Fields(out[i].text), " ") }
	isCredit := func(s string) bool { return credit.MatchString(s) && len(strings.Fields(s)) <= maxCredit }
	// A line of its own is a credit only when it does not read as a sentence ("Photo by
	// photo, the film builds its world." is one).
	creditLine := func(s string) bool { return isCredit(s) && !endsSentence(s) }
	for i := range out {
		t := norm(i)
		if t == "" {
			continue
		}
		next := ""
		if i+1 < len(out) {
			next = norm(i + 1)
		}
		alone := i == 0 || norm(i-1) == ""
		switch {
		case next != "" && next != t && strings.HasPrefix(next, t) && isCredit(strings.TrimSpace(next[len(t):])):
			out[i].text, out[i+1].text = "", ""
		case alone && creditLine(next):
			out[i].text, out[i+1].text = "", ""
		case creditLine(t):
			out[i].text = ""
		}
	}
	return out
}

// header is what the top of an article says about it.
type header struct {
	publisher, headline, date, url                 string
	publisherLine, headlineLine, dateLine, urlLine int // 0 when not given
}

var headerLine = regexp.MustCompile(`^(?i)(publisher|headline|date|url)\s*:\s*(.*?)\s*$`)

// line is one line of text and its 1-based number.
type line struct {
	text string
	n    int
}

// readHeader finds the publisher, headline and other header fields at the top of the
// text and returns the lines of the body after them.
func readHeader(name string, lines []string) (header, []line, Problems) {
	var h header
	var rest []line
	for i, l := range lines {
		rest = append(rest, line{l, i + 1})
	}
	skipBlank := func() {
		for len(rest) > 0 && strings.TrimSpace(rest[0].text) == "" {
			rest = rest[1:]
		}
	}
	skipBlank()

	// Header lines: "Key: value" at the very top, up to the first line that is not one.
	headers := false
	for len(rest) > 0 {
		m := headerLine.FindStringSubmatch(strings.TrimSpace(rest[0].text))
		if m == nil {
			break
		}
		headers = true
		n := rest[0].n
		switch strings.ToLower(m[1]) {
		case "publisher":
			h.publisher, h.publisherLine = m[2], n
		case "headline":
			h.headline, h.headlineLine = m[2], n
		case "date":
			h.date, h.dateLine = m[2], n
		case "url":
			h.url, h.urlLine = m[2], n
		}
		rest = rest[1:]
	}
	skipBlank()
	if h.headline == "" {
		if len(rest) == 0 {
			return h, nil, Problems{{File: name, Msg: "the article is empty"}}
		}
		h.headline, h.headlineLine = strings.TrimSpace(rest[0].text), rest[0].n
		rest = rest[1:]
		skipBlank()
		// A byline: a short first line that is not a sentence, followed by a longer one
		// that is not a sentence either, is the publisher and the headline.
		if !headers && hasBody(rest) && isByline(h.headline, strings.TrimSpace(rest[0].text)) {
			h.publisher, h.publisherLine = h.headline, h.headlineLine
			h.headline, h.headlineLine = strings.TrimSpace(rest[0].text), rest[0].n
			rest = rest[1:]
		}
	}
	if h.publisher == "" {
		h.publisher = UnknownPublisher
	}
	h.publisher = strings.Join(strings.Fields(h.publisher), " ")
	h.headline = strings.Join(strings.Fields(h.headline), " ")
	return h, rest, nil
}

// hasBody reports whether any text follows the first of lines.
func hasBody(lines []line) bool {
	for _, l := range lines[min(1, len(lines)):] {
		if strings.TrimSpace(l.text) != "" {
			return true
		}
	}
	return false
}

// isByline reports whether first, followed by second, reads as a byline before a headline.
func isByline(first, second string) bool {
	w1, w2 := len(strings.Fields(first)), len(strings.Fields(second))
	return w1 <= 5 && w1 < w2 && !endsSentence(first) && !endsSentence(second)
}

// importer builds the records one import adds.
type importer struct {
	headline string
	base     *Catalog
	newFilm  *Film
}

// article returns the article record: the one base already holds under the same
// headline, or a new one with an ID of its own.
func (im *importer) article(h header) Article {
	key := fold.String(h.headline)
	for _, a := range im.base.Articles {
		if fold.String(a.Headline) == key {
			return a
		}
	}
	taken := make(map[string]bool, len(im.base.Articles))
	for _, a := range im.base.Articles {
		taken[a.ID] = true
	}
	return Article{
		ID:        unique(slug(h.headline, 48), "article", taken),
		Publisher: h.publisher,
		Headline:  h.headline,
		Date:      h.date,
		URL:       h.url,
	}
}

// film returns the ID of the film titled title, creating a minimal film when base does
// not know it.
func (im *importer) film(title, source string) string {
	for _, f := range im.base.Films {
		if f.ID == title { // a film the caller resolved already
			return f.ID
		}
	}
	key := fold.String(title)
	taken := make(map[string]bool, len(im.base.Films))
	for _, f := range im.base.Films {
		taken[f.ID] = true
		if fold.String(f.Title) == key {
			return f.ID
		}
		for _, a := range f.Aliases {
			if fold.String(a) == key {
				return f.ID
			}
		}
	}
	im.newFilm = &Film{ID: unique(slug(title, 48), "film", taken), Title: title, Source: source}
	return im.newFilm.ID
}

// importedFact is a fact and the line its sentence starts on.
type importedFact struct {
	Fact
	line int
}

// facts splits the body into sentences and makes each a fact.
func (im *importer) facts(body []line, film, source string) []importedFact {
	taken := make(map[string]bool, len(im.base.Facts))
	for _, f := range im.base.Facts {
		// Facts from an earlier import of this article are replaced, so their IDs are free.
		if !(f.Source == source && slices.Contains(f.Tags, ImportTag)) {
			taken[f.ID] = true
		}
	}
	// Fact IDs are the article's ID and a number, within the limit on IDs.
	prefix := source
	if len(prefix) > MaxID-6 {
		prefix = strings.TrimRight(prefix[:MaxID-6], "-")
	}
	// Pages copied from the web often repeat the headline above the text.
	seen := map[string]bool{fold.String(im.headline): true}
	var out []importedFact
	n := 0
	for _, para := range paragraphs(body) {
		for _, s := range para.sentences() {
			if !worthKeeping(s.text) {
				continue
			}
			key := fold.String(s.text)
			if seen[key] {
				continue // captions often repeat a sentence of the text
			}
			seen[key] = true
			for _, text := range clip(s.text, MaxFact) {
				n++
				id := fmt.Sprintf("%s-%d", prefix, n)
				for taken[id] {
					n++
					id = fmt.Sprintf("%s-%d", prefix, n)
				}
				out = append(out, importedFact{Fact{
					ID:     id,
					Film:   film,
					Text:   text,
					Source: source,
					Tags:   []string{ImportTag},
				}, s.line})
			}
		}
	}
	return out
}

// creditLine is a review's credit or rating line: "Director: S S Rajamouli", "Rating: 3.5/5".
var creditLine = regexp.MustCompile(`^(?i:directors?|cast|starring|writers?|screenplay|music|composer|producers?|runtime|running time|rating|studio|distributor)\s*:\s*\S`)

// worthKeeping keeps credit lines and drops fragments: fewer than four words, or fewer than eight without a
// closing full stop, which is what captions, photo credits and bylines look like.
func worthKeeping(s string) bool {
	if creditLine.MatchString(s) {
		return true // "Director: Hayao Miyazaki", a review's credits
	}
	words := len(strings.Fields(s))
	if words < 4 {
		return false
	}
	return words >= 8 || endsSentence(s)
}

// paragraph is running text and the line each of its source lines starts at.
type paragraph struct {
	text   string
	starts []int // byte offset in text where each source line begins
	lines  []int // that line's number
}

// paragraphs groups body lines into paragraphs. A blank line always ends one. Within a
// block of lines, a line that does not end a sentence runs on into the next when the next
// starts in lower case or the line is long (text wrapped at a fixed width); otherwise each
// line stands alone, as captions and headings do.
func paragraphs(body []line) []paragraph {
	var out []paragraph
	var cur *paragraph
	for i, l := range body {
		// One space between words: articles copied from the web carry no-break spaces
		// and runs of blanks that have no place in a fact.
		t := strings.Join(strings.Fields(l.text), " ")
		if t == "" {
			cur = nil
			continue
		}
		if cur == nil {
			out = append(out, paragraph{})
			cur = &out[len(out)-1]
		} else {
			cur.text += " "
		}
		cur.starts = append(cur.starts, len(cur.text))
		cur.lines = append(cur.lines, l.n)
		cur.text += t
		if !runsOn(t, body, i) {
			cur = nil
		}
	}
	return out
}

// runsOn reports whether line i, text t, continues on line i+1.
func runsOn(t string, body []line, i int) bool {
	if endsSentence(t) || i+1 >= len(body) {
		return false
	}
	next := strings.TrimSpace(body[i+1].text)
	if next == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(next)
	return unicode.IsLower(r) || utf8.RuneCountInString(t) >= 60
}

// lineAt returns the line number of byte offset off in the paragraph.
func (p *paragraph) lineAt(off int) int {
	n := p.lines[0]
	for i, s := range p.starts {
		if s <= off {
			n = p.lines[i]
		}
	}
	return n
}

// sentence is one sentence of a paragraph and the line it starts on.
type sentence struct {
	text string
	line int
}

// sentences splits the paragraph after each full stop, question or exclamation mark that
// is followed by a space and a capital letter, digit or opening quote, except after
// initials and common abbreviations ("Mr.", "J. R."), and never inside a quotation: a
// quoted passage stays whole so a fact never opens a quote it does not close. If a quote
// is left open at the end, the paragraph is split again ignoring quotes.
func (p *paragraph) sentences() []sentence {
	cuts, closed := splitPoints(p.text, true)
	if !closed {
		cuts, _ = splitPoints(p.text, false)
	}
	var out []sentence
	start := 0
	for _, end := range append(cuts, len(p.text)) {
		s := strings.TrimSpace(p.text[start:end])
		if s != "" {
			lead := len(p.text[start:end]) - len(strings.TrimLeftFunc(p.text[start:end], unicode.IsSpace))
			out = append(out, sentence{s, p.lineAt(start + lead)})
		}
		start = end
	}
	return out
}

// abbreviations end in a full stop that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "jr": true,
	"sr": true, "mt": true, "no": true, "vs": true, "gen": true, "col": true, "lt": true,
	"sgt": true, "capt": true, "rev": true, "hon": true, "gov": true, "sen": true,
	"rep": true, "inc": true, "ltd": true, "co": true, "corp": true, "fig": true,
	"vol": true, "approx": true, "ca": true, "cf": true, "e.g": true, "i.e": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"u.s": true, "u.k": true, "a.m": true, "p.m": true,
}

const (
	openers = "\"“‘'([«"
	closers = "\"”’')]»"
)

// splitPoints returns the byte offsets where sentences of s end. With quotes set it does
// not split inside double quotes, and closed reports whether every quote was closed.
func splitPoints(s string, quotes bool) (cuts []int, closed bool) {
	depth := 0        // open curly quotes
	straight := false // inside a straight-quoted passage
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '“', '«':
			depth++
		case '”', '»':
			if depth > 0 {
				depth--
			}
		case '"':
			straight = !straight
		}
		i += n
		if r != '.' && r != '!' && r != '?' && r != '…' {
			continue
		}
		// Take the rest of the punctuation and any closing quotes or brackets.
		end := i
	scan:
		for end < len(s) {
			c, m := utf8.DecodeRuneInString(s[end:])
			switch {
			case c == '.' || c == '!' || c == '?' || c == '…':
			case c == '”' || c == '»':
				if depth > 0 {
					depth--
				}
			case c == '"':
				straight = !straight
			case strings.ContainsRune(closers, c):
			default:
				break scan
			}
			end += m
		}
		i = end
		if next, _ := utf8.DecodeRuneInString(s[end:]); !unicode.IsSpace(next) {
			continue // also the end of s
		}
		if quotes && (depth > 0 || straight) {
			continue
		}
		if !startsSentence(strings.TrimLeftFunc(s[end:], unicode.IsSpace)) {
			continue
		}
		if r == '.' && isAbbreviation(s[:end]) {
			continue
		}
		cuts = append(cuts, end)
	}
	return cuts, depth == 0 && !straight
}

// startsSentence reports whether s begins like a sentence: a capital letter or a digit,
// possibly after opening quotes or brackets.
func startsSentence(s string) bool {
	for _, r := range s {
		if strings.ContainsRune(openers, r) {
			continue
		}
		return unicode.IsUpper(r) || unicode.IsDigit(r)
	}
	return false
}

// isAbbreviation reports whether s, which ends in a full stop (and maybe closers), ends
// with an initial or a known abbreviation rather than a sentence.
func isAbbreviation(s string) bool {
	s = strings.TrimRight(s, closers)
	s = strings.TrimSuffix(s, ".")
	start := strings.LastIndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(openers, r)
	})
	word := s[start+1:]
	if word == "" {
		return false
	}
	if utf8.RuneCountInString(word) == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsUpper(r) // an initial: "J. R. R. Tolkien"
	}
	return abbreviations[strings.ToLower(word)]
}

// endsSentence reports whether s ends with a full stop, question or exclamation mark,
// perhaps inside closing quotes or brackets.
func endsSentence(s string) bool {
	s = strings.TrimRight(strings.TrimSpace(s), closers)
	r, _ := utf8.DecodeLastRuneInString(s)
	return r == '.' || r == '!' || r == '?' || r == '…'
}

// clip splits a text longer than limit characters into pieces that fit: at the last
// clause boundary (";", ":", ",", a dash) in the second half of the room, else at the last
// space, else anywhere. Every piece but the last ends with "…" and every piece but the
// first starts with one, so a reader sees the text goes on.
func clip(s string, limit int) []string {
	limit = max(limit, 3) // room for "…", one character and "…"
	var out []string
	for utf8.RuneCountInString(s) > limit {
		room := byteIndex(s, limit-1) // leave room for the "…"
		cut := -1
		for _, sep := range []string{"; ", ": ", " — ", " – ", ", "} {
			// The space after the mark may fall just past the room.
			window := s[:min(room+1, len(s))]
			if i := strings.LastIndex(window, sep); i > room/2 {
				cut = max(cut, i+len(strings.TrimRight(sep, " ")))
			}
		}
		if cut < 0 {
			if i := strings.LastIndex(s[:room], " "); i > 0 {
				cut = i
			} else {
				cut = room
			}
		}
		out = append(out, strings.TrimRight(s[:cut], " ,;:—–")+"…")
		s = "…" + strings.TrimSpace(s[cut:])
	}
	return append(out, s)
}

// byteIndex returns the byte offset of the n-th rune of s (len(s) if s is shorter).
func byteIndex(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// slug turns a title into an ID: folded, ASCII letters and digits, words joined by '-',
// cut at a word boundary to at most limit characters.
func slug(s string, limit int) string {
	var b strings.Builder
	for _, w := range strings.Fields(fold.String(s)) {
		w = strings.Map(func(r rune) rune {
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				return r
			}
			return -1
		}, w)
		if w == "" {
			continue
		}
		if b.Len() > 0 {
			if b.Len()+1+len(w) > limit {
				break
			}
			b.WriteByte('-')
		}
		if len(w) > limit {
			w = w[:limit]
		}
		b.WriteString(w)
	}
	return b.String()
}

// unique returns id, or fallback when id is empty, with "-2", "-3"… added until it is not
// in taken.
func unique(id, fallback string, taken map[string]bool) string {
	if id == "" {
		id = fallback
	}
	if !taken[id] {
		return id
	}
	for n := 2; ; n++ {
		if c := fmt.Sprintf("%s-%d", id, n); !taken[c] {
			return c
		}
	}
}
