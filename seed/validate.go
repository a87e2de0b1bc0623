package seed

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"filmbot/fold"
)

// Limits on seed text, in characters (Unicode code points, as Discord counts them). Each
// is what the Discord message part that shows the text can carry, so any valid seed can be
// shown without cutting; docs/seed-format.md lists where each text appears.
const (
	// MaxID bounds IDs so one fits in a button's custom_id (100) with room for a prefix.
	MaxID = 64
	// MaxTitle is the limit on film titles and aliases and on names: an autocomplete
	// choice's name holds at most 100 characters.
	MaxTitle = 100
	// MaxHeadline is the limit on headlines and publishers, shown as an embed footer or
	// title (256).
	MaxHeadline = 256
	// MaxRole is the limit on a character's name and other short labels shown as an embed
	// field name (256).
	MaxRole = 256
	// MaxShort is the limit on list entries such as genres, countries, locations, tags and
	// streaming services, which are joined into one embed field value.
	MaxShort = 100
	// MaxSynopsis is the limit on a synopsis, an embed description (4096).
	MaxSynopsis = 4096
	// MaxFact is the limit on a fact, a bio or a cast member's description: an embed field
	// value (1024).
	MaxFact = 1024
	// MaxPrompt is the limit on a quiz prompt: a message's content (2000).
	MaxPrompt = 2000
	// MaxAnswer is the limit on answers and distractors: a button label (80).
	MaxAnswer = 80
	// MaxDistractors leaves room for the answer in 5 rows of 5 buttons.
	MaxDistractors = 24
	// MinDistractors is how many wrong answers a multiple-choice question needs.
	MinDistractors = 3
)

// Years a film can have been made in: the first moving pictures are from the 1870s.
const (
	minYear = 1870
	maxYear = 2100
)

// WatchKinds are the words a watch entry's kind may take.
var watchKinds = []string{"stream", "rent", "buy", "festival", "cinema", "tv"}

// Validate checks c as one seed: required fields, limits, IDs, and that every reference
// resolves. The catalog does not know where its records were written, so problems name
// the record instead of a line.
func (c *Catalog) Validate() error {
	l := &located{}
	l.add(c, places{})
	return validate(l, true).err()
}

// Merge returns one catalog holding the records of all cs, in order; nil catalogs are
// skipped. The record lists are copied, so changing the result's lists leaves cs alone;
// the records' own lists (aliases, tags…) are shared.
func Merge(cs ...*Catalog) *Catalog {
	out := &Catalog{}
	for _, c := range cs {
		if c == nil {
			continue
		}
		out.Articles = append(out.Articles, c.Articles...)
		out.Films = append(out.Films, c.Films...)
		out.People = append(out.People, c.People...)
		out.Facts = append(out.Facts, c.Facts...)
		out.Questions = append(out.Questions, c.Questions...)
	}
	return out
}

// places says where the records of one file were written: root is the file's tree of
// spots, shaped like a TOML seed (root.key("film").item(i) is the i-th film).
type places struct {
	file string
	root *spot
	// roles is set for formats that name the character of every credit (TOML seeds), so
	// a credit without one is a mistake there; the Wikipedia movie data lists a cast
	// without roles, and a catalog built in code may do the same.
	roles bool
}

func (p places) place(kind string, i int) place {
	return place{file: p.file, at: p.root.key(kind).item(i), roles: p.roles}
}

// place is where one record was written. at is nil when the record did not come from a
// file, and then problems name the record instead of a line.
type place struct {
	file  string
	at    *spot
	roles bool
}

// line returns the line of the value at path (keys and list indexes) inside the record,
// or of the nearest part of it that was written, down to the record's own header.
func (p place) line(path ...any) int {
	s := p.at
	if s == nil {
		return 0
	}
	best := s.line
	for _, step := range path {
		switch step := step.(type) {
		case string:
			s = s.key(step)
		case int:
			s = s.item(step)
		}
		if s == nil {
			break
		}
		if s.line > 0 {
			best = s.line
		}
	}
	return best
}

// located is a catalog with where each record was written, record for record.
type located struct {
	cat                                       Catalog
	articles, films, people, facts, questions []place
}

// grow makes room for n more records, so adding many files copies each record once.
func (l *located) grow(n Counts) {
	l.cat.Articles = slices.Grow(l.cat.Articles, n.Articles)
	l.cat.Films = slices.Grow(l.cat.Films, n.Films)
	l.cat.People = slices.Grow(l.cat.People, n.People)
	l.cat.Facts = slices.Grow(l.cat.Facts, n.Facts)
	l.cat.Questions = slices.Grow(l.cat.Questions, n.Questions)
	l.articles = slices.Grow(l.articles, n.Articles)
	l.films = slices.Grow(l.films, n.Films)
	l.people = slices.Grow(l.people, n.People)
	l.facts = slices.Grow(l.facts, n.Facts)
	l.questions = slices.Grow(l.questions, n.Questions)
}

func (l *located) add(c *Catalog, p places) {
	for i := range c.Articles {
		l.articles = append(l.articles, p.place("article", i))
	}
	for i := range c.Films {
		l.films = append(l.films, p.place("film", i))
	}
	for i := range c.People {
		l.people = append(l.people, p.place("person", i))
	}
	for i := range c.Facts {
		l.facts = append(l.facts, p.place("fact", i))
	}
	for i := range c.Questions {
		l.questions = append(l.questions, p.place("question", i))
	}
	l.cat.Articles = append(l.cat.Articles, c.Articles...)
	l.cat.Films = append(l.cat.Films, c.Films...)
	l.cat.People = append(l.cat.People, c.People...)
	l.cat.Facts = append(l.cat.Facts, c.Facts...)
	l.cat.Questions = append(l.cat.Questions, c.Questions...)
}

// validator collects problems while checking a located catalog.
type validator struct {
	probs Problems
	// IDs of each kind, with where each was first defined.
	articles, films, people map[string]place
	// cast holds each film's characters by ID, for facts that name one.
	cast map[string][]Credit
	// refs is false when some file could not be read, so unknown references are not
	// worth reporting.
	refs bool
}

func validate(l *located, refs bool) Problems {
	v := &validator{refs: refs}
	v.articles = v.ids("article", len(l.cat.Articles), func(i int) (string, place) { return l.cat.Articles[i].ID, l.articles[i] })
	v.films = v.ids("film", len(l.cat.Films), func(i int) (string, place) { return l.cat.Films[i].ID, l.films[i] })
	v.cast = make(map[string][]Credit, len(l.cat.Films))
	for _, f := range l.cat.Films {
		if _, dup := v.cast[f.ID]; !dup {
			v.cast[f.ID] = f.Cast
		}
	}
	v.people = v.ids("person", len(l.cat.People), func(i int) (string, place) { return l.cat.People[i].ID, l.people[i] })
	v.ids("fact", len(l.cat.Facts), func(i int) (string, place) { return l.cat.Facts[i].ID, l.facts[i] })
	v.ids("question", len(l.cat.Questions), func(i int) (string, place) { return l.cat.Questions[i].ID, l.questions[i] })

	for i := range l.cat.Articles {
		v.article(&l.cat.Articles[i], i, l.articles[i])
	}
	for i := range l.cat.Films {
		v.film(&l.cat.Films[i], i, l.films[i])
	}
	for i := range l.cat.People {
		v.person(&l.cat.People[i], i, l.people[i])
	}
	for i := range l.cat.Facts {
		v.fact(&l.cat.Facts[i], i, l.facts[i])
	}
	for i := range l.cat.Questions {
		v.question(&l.cat.Questions[i], i, l.questions[i])
	}
	return v.probs
}

// ids checks the IDs of one kind of record and returns them with where each was first
// defined. A repeated ID is reported where it repeats, naming the first.
func (v *validator) ids(kind string, n int, record func(int) (string, place)) map[string]place {
	seen := make(map[string]place, n)
	for i := range n {
		id, p := record(i)
		if id == "" {
			continue
		}
		r := v.record(kind, id, i, p)
		r.id(id)
		if first, dup := seen[id]; dup {
			r.problem(p.line("id"), "duplicate %s id %q%s", kind, id, first.firstAt())
			continue
		}
		seen[id] = p
	}
	return seen
}

// firstAt says where a repeated ID was first defined, when that is known.
func (p place) firstAt() string {
	switch {
	case p.line("id") > 0:
		return fmt.Sprintf(" (first defined at %s:%d)", p.file, p.line("id"))
	case p.file != "":
		return fmt.Sprintf(" (first defined in %s)", p.file)
	default:
		return ""
	}
}

// rec checks one record.
type rec struct {
	v *validator
	p place
	// label names the record for problems without a line (`film "kim"`). It is made only
	// when one is reported: a large seed has hundreds of thousands of records.
	label func() string
}

func (v *validator) record(kind, id string, i int, p place) rec {
	label := func() string {
		if strings.TrimSpace(id) == "" {
			return fmt.Sprintf("%s #%d", kind, i+1)
		}
		return fmt.Sprintf("%s %q", kind, id)
	}
	return rec{v: v, p: p, label: label}
}

func (r rec) problem(line int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if line == 0 {
		msg = r.label() + ": " + msg
	}
	r.v.probs = append(r.v.probs, Problem{File: r.p.file, Line: line, Msg: msg})
}

// id checks an ID's form.
func (r rec) id(id string) {
	switch {
	case utf8.RuneCountInString(id) > MaxID:
		r.problem(r.p.line("id"), "id %q is too long: %d characters, limit %d", id, utf8.RuneCountInString(id), MaxID)
	case strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789-") != "":
		r.problem(r.p.line("id"), "id %q may use only lower-case letters a-z, digits and '-'", id)
	}
}

// required reports a required value that is missing, at the record's header line, or
// blank, at the key's own line, since that is the line to change.
func (r rec) required(key, val string) bool {
	if strings.TrimSpace(val) != "" {
		return true
	}
	if at := r.p.at.key(key); at != nil || val != "" {
		line := r.p.line()
		if at != nil && at.line > 0 {
			line = at.line
		}
		r.problem(line, "required key %q is blank; write a value", key)
		return false
	}
	r.problem(r.p.line(), "missing required key %q", key)
	return false
}

// text checks a free text against a limit; short texts must also fit on one line.
func (r rec) text(key, val string, limit int, path ...any) {
	if val == "" {
		return
	}
	line := r.p.line(append([]any{key}, path...)...)
	name := key
	if len(path) > 0 {
		name = fmt.Sprintf("%s[%d]", key, path[0])
	}
	if !utf8.ValidString(val) {
		r.problem(line, "%s is not valid UTF-8", name)
		return
	}
	if n := utf8.RuneCountInString(val); n > limit {
		r.problem(line, "%s is too long: %d characters, limit %d", name, n, limit)
	}
	if limit <= MaxRole && strings.ContainsFunc(val, unicode.IsControl) {
		r.problem(line, "%s must be one line of text, without tabs or line breaks", name)
	}
}

// list checks every entry of a list of short texts.
func (r rec) list(key string, vals []string, limit int) {
	for i, val := range vals {
		if strings.TrimSpace(val) == "" {
			r.problem(r.p.line(key, i), "%s[%d] is empty", key, i)
			continue
		}
		r.text(key, val, limit, i)
	}
}

// ref checks that val names a known record of kind; path locates it in the record.
func (r rec) ref(val string, known map[string]place, kind string, path ...any) {
	if val == "" || !r.v.refs {
		return
	}
	if _, ok := known[val]; !ok {
		name := path[0].(string)
		if len(path) > 1 {
			name = fmt.Sprintf("%s[%d]", path[0], path[1])
		}
		r.problem(r.p.line(path...), "%s %q is not a known %s", name, val, kind)
	}
}

func (v *validator) article(a *Article, i int, p place) {
	r := v.record("article", a.ID, i, p)
	r.required("id", a.ID)
	if r.required("publisher", a.Publisher) {
		r.text("publisher", a.Publisher, MaxHeadline)
	}
	if r.required("headline", a.Headline) {
		r.text("headline", a.Headline, MaxHeadline)
	}
	if a.Date != "" {
		if _, err := time.Parse(time.DateOnly, a.Date); err != nil {
			r.problem(p.line("date"), "date %q is not a date written YYYY-MM-DD", a.Date)
		}
	}
	r.text("license", a.License, MaxHeadline)
	if a.URL != "" {
		if u, err := url.Parse(a.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			r.problem(p.line("url"), "url %q is not an http or https address", a.URL)
		}
	}
}

func (v *validator) film(f *Film, i int, p place) {
	r := v.record("film", f.ID, i, p)
	r.required("id", f.ID)
	if r.required("title", f.Title) {
		r.text("title", f.Title, MaxTitle)
	}
	r.list("aliases", f.Aliases, MaxTitle)
	if f.Year != 0 && (f.Year < minYear || f.Year > maxYear) {
		r.problem(p.line("year"), "year %d is not a year a film was made (%d to %d)", f.Year, minYear, maxYear)
	}
	r.list("genres", f.Genres, MaxShort)
	r.list("countries", f.Countries, MaxShort)
	r.list("locations", f.Locations, MaxShort)
	for i, d := range f.Directors {
		if strings.TrimSpace(d) == "" {
			r.problem(p.line("directors", i), "directors[%d] is empty", i)
		}
		r.ref(d, v.people, "person", "directors", i)
	}
	for i := range f.Cast {
		v.credit(r, &f.Cast[i], i)
	}
	for i := range f.Watch {
		v.watch(r, &f.Watch[i], i)
	}
	r.text("synopsis", f.Synopsis, MaxSynopsis)
	for _, people := range []struct {
		key string
		ids []string
	}{{"writers", f.Writers}, {"composers", f.Composers}, {"producers", f.Producers}} {
		for i, id := range people.ids {
			if strings.TrimSpace(id) == "" {
				r.problem(p.line(people.key, i), "%s[%d] is empty", people.key, i)
			}
			r.ref(id, v.people, "person", people.key, i)
		}
	}
	r.list("studios", f.Studios, MaxShort)
	r.list("distributors", f.Distributors, MaxShort)
	if f.Runtime < 0 || f.Runtime > maxRuntime {
		r.problem(p.line("runtime"), "runtime %d is not a film's length in minutes (1 to %d)", f.Runtime, maxRuntime)
	}
	for _, field := range []struct{ key, val string }{
		{"based_on", f.BasedOn}, {"released", f.Released}, {"premiere", f.Premiere},
		{"setting", f.Setting}, {"budget", f.Budget}, {"box_office", f.BoxOffice},
		{"rating", f.Rating}, {"remake_of", f.RemakeOf}, {"sequel_to", f.SequelTo},
	} {
		r.text(field.key, field.val, MaxRole)
	}
	for i, c := range f.Cites {
		if !slices.Contains(citeFields, c.Field) {
			r.problem(p.line("cites", i), "cites[%d] field %q is not one of %s", i, c.Field, strings.Join(citeFields, ", "))
		}
		if strings.TrimSpace(c.Fact) == "" {
			r.problem(p.line("cites", i), "cites[%d] names no fact", i)
		}
	}
	if r.required("source", f.Source) {
		r.ref(f.Source, v.articles, "article", "source")
	}
}

// maxRuntime is the longest runtime a film record may give, in minutes (the longest
// released films run for days; anything past this is a typo for seconds or a year).
const maxRuntime = 10000

// citeFields are the film fields a [Cite] may point at.
var citeFields = []string{
	"title", "year", "genres", "countries", "directors", "cast", "watch", "locations", "synopsis",
	"writers", "composers", "producers", "based_on", "studios", "distributors", "runtime",
	"released", "premiere", "setting", "budget", "box_office", "rating", "remake_of", "sequel_to",
}

// sub checks a table inside a record, such as one [[film.cast]] entry.
func (r rec) sub(key string, i int) rec {
	at := r.p.at.key(key).item(i)
	parent := r.label
	label := func() string { return fmt.Sprintf("%s %s[%d]", parent(), key, i) }
	return rec{v: r.v, p: place{file: r.p.file, at: at, roles: r.p.roles}, label: label}
}

func (v *validator) credit(film rec, c *Credit, i int) {
	r := film.sub("cast", i)
	if r.required("person", c.Person) {
		r.ref(c.Person, v.people, "person", "person")
	}
	if !r.p.roles || r.required("role", c.Role) {
		r.text("role", c.Role, MaxRole)
	}
	r.list("role_aliases", c.RoleAliases, MaxRole)
	r.text("description", c.Description, MaxFact)
}

func (v *validator) watch(film rec, w *Watch, i int) {
	r := film.sub("watch", i)
	if r.required("service", w.Service) {
		r.text("service", w.Service, MaxShort)
	}
	if w.Kind != "" && !slices.Contains(watchKinds, w.Kind) {
		r.problem(r.p.line("kind"), "kind %q is not one of %s", w.Kind, strings.Join(watchKinds, ", "))
	}
	r.text("since", w.Since, MaxShort)
	r.text("note", w.Note, MaxRole)
}

func (v *validator) person(ps *Person, i int, p place) {
	r := v.record("person", ps.ID, i, p)
	r.required("id", ps.ID)
	if r.required("name", ps.Name) {
		r.text("name", ps.Name, MaxTitle)
	}
	r.list("aliases", ps.Aliases, MaxTitle)
	r.text("bio", ps.Bio, MaxFact)
	if r.required("source", ps.Source) {
		r.ref(ps.Source, v.articles, "article", "source")
	}
}

func (v *validator) fact(f *Fact, i int, p place) {
	r := v.record("fact", f.ID, i, p)
	r.required("id", f.ID)
	if r.required("text", f.Text) {
		r.text("text", f.Text, MaxFact)
	}
	if f.Film == "" && f.Person == "" {
		r.problem(p.line(), "a fact needs a film or a person it is about")
	}
	r.ref(f.Film, v.films, "film", "film")
	r.ref(f.Person, v.people, "person", "person")
	if f.Character != "" {
		r.text("character", f.Character, MaxRole)
		if f.Film == "" {
			r.problem(p.line("character"), "character %q needs the film it is in", f.Character)
		} else if _, known := v.films[f.Film]; known {
			r.character(f.Film, f.Character, v.cast[f.Film])
		}
	}
	if r.required("source", f.Source) {
		r.ref(f.Source, v.articles, "article", "source")
	}
	r.list("tags", f.Tags, MaxShort)
}

// character checks that a fact's character is one the film's cast plays, by role or role
// alias compared folded, so the answer engine can tie the fact to the character.
func (r rec) character(film, name string, cast []Credit) {
	key := fold.String(name)
	var roles []string
	for _, c := range cast {
		if fold.String(c.Role) == key {
			return
		}
		for _, a := range c.RoleAliases {
			if fold.String(a) == key {
				return
			}
		}
		roles = append(roles, strconv.Quote(c.Role))
	}
	line := r.p.line("character")
	if len(roles) == 0 {
		r.problem(line, "film %q has no character %q: it lists no cast", film, name)
		return
	}
	r.problem(line, "film %q has no character %q; its characters: %s", film, name, strings.Join(roles, ", "))
}

func (v *validator) question(q *Question, i int, p place) {
	r := v.record("question", q.ID, i, p)
	r.required("id", q.ID)
	if r.required("prompt", q.Prompt) {
		r.text("prompt", q.Prompt, MaxPrompt)
	}
	if r.required("answer", q.Answer) {
		r.text("answer", q.Answer, MaxAnswer)
	}
	r.list("accept", q.Accept, MaxAnswer)
	r.list("distractors", q.Distractors, MaxAnswer)
	switch n := len(q.Distractors); {
	case n > MaxDistractors:
		r.problem(p.line("distractors"), "%d distractors; at most %d fit beside the answer in the buttons", n, MaxDistractors)
	case n < MinDistractors && !q.Hard:
		r.problem(p.line("distractors"), "a multiple-choice question needs at least %d distractors (or hard = true for a typed answer); it has %d", MinDistractors, n)
	}
	seen := map[string]int{fold.String(q.Answer): -1}
	for i, d := range q.Distractors {
		k := fold.String(d)
		if k == "" {
			continue
		}
		if j, dup := seen[k]; dup {
			if j < 0 {
				r.problem(p.line("distractors", i), "distractors[%d] %q is the answer", i, d)
			} else {
				r.problem(p.line("distractors", i), "distractors[%d] %q repeats distractors[%d]", i, d, j)
			}
			continue
		}
		seen[k] = i
	}
	r.ref(q.Film, v.films, "film", "film")
	r.ref(q.Source, v.articles, "article", "source")
}
