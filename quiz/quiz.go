// Package quiz makes multiple-choice quiz questions from the structured fields of a
// catalog: who directed a film, which of four actors is in it, which film stars two
// actors, in what year it came out. A catalog of thousands of films has far more
// questions in its fields than anyone would write by hand.
//
// # Basics
//
// [Generate] returns the questions for a catalog, deterministically for a given seed: the
// same catalog and seed give the same questions, in the same order, with the same IDs, so
// a game's question IDs survive a restart. Each question cites the article its film does
// (Question.Source) and carries at least [seed.MinDistractors] wrong answers of the same
// kind as the answer:
//
//   - people of the same era: for a film of the 1950s, directors or actors who worked in
//     the 1950s, in films sharing a genre with it when there are enough of those;
//   - films of the same decade and genre;
//   - years near the answer.
//
// A wrong answer is never accidentally right: no distractor actor is in the film's cast,
// no distractor director directed it, no distractor film stars both actors, and no
// distractor year is the year of another film of the same title (whose year question then
// names the film by its director or lead, or is not asked).
//
// # Caveats
//
// People are told apart by their person ID (the Wikipedia import makes one person per
// exact name), so two people who share a name are excluded together: a distractor is
// compared by its folded name as well as its ID.
package quiz

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"filmbot/fold"
	"filmbot/seed"
)

// Kinds of generated question, the suffix of their IDs.
const (
	KindDirector = "director" // Who directed X (YEAR)?
	KindActor    = "actor"    // Which of these actors is in X (YEAR)?
	KindStars    = "stars"    // Which film stars A and B?
	KindYear     = "year"     // In what year did X come out?
)

// idSuffix is the end of a generated question's ID, after its film's ID.
var idSuffix = map[string]string{KindDirector: "-qd", KindActor: "-qa", KindStars: "-qs", KindYear: "-qy"}

// distractors is how many wrong answers each question gets: enough for the trivia game's
// four buttons with one to spare.
const distractors = seed.MinDistractors + 1

// Generate returns the questions the structured fields of cat give, made with the random
// source seeded by s. A film with questions of its own in cat (a curated seed's) gets
// none generated: someone chose what to ask about it. Questions whose ID the catalog
// already uses are left out, so the result can be installed beside cat's own questions.
func Generate(cat *seed.Catalog, s uint64) []seed.Question {
	g := newGenerator(cat, s)
	curated := make(map[string]bool)
	for _, q := range cat.Questions {
		curated[q.Film] = true
	}
	var out []seed.Question
	for i := range cat.Films {
		if curated[cat.Films[i].ID] {
			continue
		}
		for _, make := range []func(int) (seed.Question, bool){g.director, g.actor, g.stars, g.year} {
			q, ok := make(i)
			if !ok || g.taken[q.ID] || utf8.RuneCountInString(q.ID) > seed.MaxID {
				continue
			}
			g.taken[q.ID] = true
			out = append(out, q)
		}
	}
	return out
}

// Kind returns the kind of a question Generate made, from its ID, or "" for any other
// question.
func Kind(q seed.Question) string {
	for kind, suffix := range idSuffix {
		if strings.HasSuffix(q.ID, suffix) && q.Film != "" && q.ID == q.Film+suffix {
			return kind
		}
	}
	return ""
}

// Decade returns the decade a year falls in: 1950 for 1957.
func Decade(year int) int { return year - year%10 }

// generator holds the indexes questions are drawn from.
type generator struct {
	cat   *seed.Catalog
	r     *rand.Rand
	taken map[string]bool // question IDs in use
	name  map[string]string
	// folded person names, for comparing people who may share a name.
	folded map[string]string
	// era pools: decade → genre ("" for any) → person IDs (directors, actors) or film
	// positions, each sorted and without repeats.
	directors, actors map[int]map[string][]string
	films             map[int]map[string][]int
	// byTitle maps a folded title to the positions of the films that have it.
	byTitle map[string][]int
	// labels counts films per label, so an ambiguous label is never an answer.
	labels map[string]int
	// last is the latest year of any film: no wrong year comes after it.
	last int
	// filmLabel and labelKey are each film's label and its folded form, by position.
	filmLabel, labelKey []string
}

func newGenerator(cat *seed.Catalog, s uint64) *generator {
	g := &generator{
		cat:       cat,
		r:         rand.New(rand.NewPCG(s, 0x717569)),
		taken:     make(map[string]bool, len(cat.Questions)),
		name:      make(map[string]string, len(cat.People)),
		folded:    make(map[string]string, len(cat.People)),
		directors: make(map[int]map[string][]string),
		actors:    make(map[int]map[string][]string),
		films:     make(map[int]map[string][]int),
		byTitle:   make(map[string][]int, len(cat.Films)),
		labels:    make(map[string]int, len(cat.Films)),
	}
	for _, q := range cat.Questions {
		g.taken[q.ID] = true
	}
	for _, p := range cat.People {
		g.name[p.ID] = p.Name
		g.folded[p.ID] = fold.String(p.Name)
	}
	addPerson := func(pool map[int]map[string][]string, d int, genres []string, id string) {
		if pool[d] == nil {
			pool[d] = make(map[string][]string)
		}
		for _, genre := range append([]string{""}, genres...) {
			pool[d][genre] = append(pool[d][genre], id)
		}
	}
	for i := range cat.Films {
		f := &cat.Films[i]
		g.byTitle[fold.String(f.Title)] = append(g.byTitle[fold.String(f.Title)], i)
		g.filmLabel = append(g.filmLabel, label(f))
		g.labelKey = append(g.labelKey, fold.String(g.filmLabel[i]))
		g.labels[g.labelKey[i]]++
		g.last = max(g.last, f.Year)
		if f.Year == 0 {
			continue
		}
		d := Decade(f.Year)
		for _, p := range f.Directors {
			addPerson(g.directors, d, f.Genres, p)
		}
		for _, c := range f.Cast {
			addPerson(g.actors, d, f.Genres, c.Person)
		}
		if g.films[d] == nil {
			g.films[d] = make(map[string][]int)
		}
		for _, genre := range append([]string{""}, f.Genres...) {
			g.films[d][genre] = append(g.films[d][genre], i)
		}
	}
	for _, pool := range []map[int]map[string][]string{g.directors, g.actors} {
		for _, byGenre := range pool {
			for genre, ids := range byGenre {
				slices.Sort(ids)
				byGenre[genre] = slices.Compact(ids)
			}
		}
	}
	return g
}

// label is how a question names a film: "Treasure Island (1950)".
func label(f *seed.Film) string {
	if f.Year == 0 {
		return f.Title
	}
	return f.Title + " (" + strconv.Itoa(f.Year) + ")"
}

// question starts a question about film i.
func (g *generator) question(i int, kind, prompt, answer string) seed.Question {
	f := &g.cat.Films[i]
	return seed.Question{ID: f.ID + idSuffix[kind], Film: f.ID, Prompt: prompt, Answer: answer, Source: f.Source}
}

// fits reports whether an answer or distractor fits a button and is one line.
func fits(s string) bool {
	return s != "" && utf8.RuneCountInString(s) <= seed.MaxAnswer && !strings.ContainsAny(s, "\n\t")
}

// drawPeople picks n people from the era pools around decade d, preferring those who
// worked in one of genres, skipping any whose ID or folded name is in exclude.
func (g *generator) drawPeople(pool map[int]map[string][]string, d int, genres []string, exclude map[string]bool, n int) []string {
	var out []string
	try := func(ids []string) {
		// A few random draws, then a walk from a random start: pools run from a handful
		// of people to thousands, and either way this stays short.
		if len(ids) == 0 {
			return
		}
		start := g.r.IntN(len(ids))
		for k := 0; k < len(ids) && len(out) < n; k++ {
			id := ids[(start+k*7919)%len(ids)]
			if k >= 64 {
				id = ids[(start+k)%len(ids)]
			}
			nm := g.name[id]
			if exclude[id] || exclude[g.folded[id]] || !fits(nm) {
				continue
			}
			exclude[id], exclude[g.folded[id]] = true, true
			out = append(out, nm)
		}
	}
	order := slices.Clone(genres)
	g.r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	for _, genre := range order {
		try(pool[d][genre])
	}
	try(pool[d][""])
	for _, near := range []int{d - 10, d + 10, d - 20, d + 20} {
		try(pool[near][""])
	}
	return out
}

// director asks who directed film i.
func (g *generator) director(i int) (seed.Question, bool) {
	f := &g.cat.Films[i]
	if len(f.Directors) == 0 || f.Year == 0 || !fits(g.name[f.Directors[0]]) {
		return seed.Question{}, false
	}
	exclude := make(map[string]bool)
	for _, p := range f.Directors {
		exclude[p], exclude[g.folded[p]] = true, true
	}
	q := g.question(i, KindDirector, "Who directed "+label(f)+"?", g.name[f.Directors[0]])
	for _, p := range f.Directors[1:] {
		if fits(g.name[p]) {
			q.Accept = append(q.Accept, g.name[p])
		}
	}
	q.Distractors = g.drawPeople(g.directors, Decade(f.Year), f.Genres, exclude, distractors)
	return q, len(q.Distractors) >= seed.MinDistractors
}

// actor asks which of four actors is in film i: one of its first three billed.
func (g *generator) actor(i int) (seed.Question, bool) {
	f := &g.cat.Films[i]
	if len(f.Cast) == 0 || f.Year == 0 {
		return seed.Question{}, false
	}
	pick := f.Cast[g.r.IntN(min(3, len(f.Cast)))].Person
	if !fits(g.name[pick]) {
		return seed.Question{}, false
	}
	exclude := make(map[string]bool)
	for _, c := range f.Cast {
		exclude[c.Person], exclude[g.folded[c.Person]] = true, true
	}
	// Directors who act in their own films are in the film too, in a way.
	for _, p := range f.Directors {
		exclude[p], exclude[g.folded[p]] = true, true
	}
	q := g.question(i, KindActor, "Which of these actors is in "+label(f)+"?", g.name[pick])
	q.Distractors = g.drawPeople(g.actors, Decade(f.Year), f.Genres, exclude, distractors)
	return q, len(q.Distractors) >= seed.MinDistractors
}

// stars asks which film stars the first two billed actors of film i.
func (g *generator) stars(i int) (seed.Question, bool) {
	f := &g.cat.Films[i]
	if len(f.Cast) < 2 || f.Year == 0 || g.labels[g.labelKey[i]] > 1 || !fits(g.filmLabel[i]) {
		return seed.Question{}, false
	}
	a, b := f.Cast[0].Person, f.Cast[1].Person
	if g.name[a] == "" || g.name[b] == "" {
		return seed.Question{}, false
	}
	q := g.question(i, KindStars, "Which film stars "+g.name[a]+" and "+g.name[b]+"?", g.filmLabel[i])
	exclude := map[string]bool{g.labelKey[i]: true}
	fa, fb := g.folded[a], g.folded[b]
	starsBoth := func(o *seed.Film) bool {
		var hasA, hasB bool
		for _, c := range o.Cast {
			if c.Person == a || c.Person == b {
				hasA, hasB = hasA || c.Person == a, hasB || c.Person == b
				continue
			}
			if fc := g.folded[c.Person]; fc == fa || fc == fb {
				hasA, hasB = hasA || fc == fa, hasB || fc == fb
			}
		}
		return hasA && hasB
	}
	d := Decade(f.Year)
	try := func(pool []int) {
		if len(pool) == 0 {
			return
		}
		start := g.r.IntN(len(pool))
		for k := 0; k < len(pool) && k < 256 && len(q.Distractors) < distractors; k++ {
			j := pool[(start+k*7919)%len(pool)]
			l, key := g.filmLabel[j], g.labelKey[j]
			if exclude[key] || g.labels[key] > 1 || !fits(l) || starsBoth(&g.cat.Films[j]) {
				continue
			}
			exclude[key] = true
			q.Distractors = append(q.Distractors, l)
		}
	}
	order := slices.Clone(f.Genres)
	g.r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	for _, genre := range order {
		try(g.films[d][genre])
	}
	try(g.films[d][""])
	return q, len(q.Distractors) >= seed.MinDistractors
}

// year asks in what year film i came out. A title several films share is named by the
// film's director or lead, when that tells it from the others, and no other film of the
// title's year is among the wrong answers.
func (g *generator) year(i int) (seed.Question, bool) {
	f := &g.cat.Films[i]
	if f.Year == 0 {
		return seed.Question{}, false
	}
	same := g.byTitle[fold.String(f.Title)]
	banned := map[int]bool{f.Year: true}
	name := f.Title
	if len(same) > 1 {
		for _, j := range same {
			if j != i {
				banned[g.cat.Films[j].Year] = true
			}
		}
		if g.sameYear(same, i) {
			return seed.Question{}, false // two films of one title and year: no year tells them apart
		}
		name = g.distinguish(i, same)
		if name == "" {
			return seed.Question{}, false
		}
	}
	q := g.question(i, KindYear, "In what year did "+name+" come out?", strconv.Itoa(f.Year))
	last := g.last
	offsets := g.r.Perm(20)
	for _, o := range offsets {
		if len(q.Distractors) == distractors {
			break
		}
		d := o/2 + 1
		if o%2 == 0 {
			d = -d
		}
		y := f.Year + d
		if banned[y] || y > max(last, f.Year) || y < 1870 {
			continue
		}
		banned[y] = true
		q.Distractors = append(q.Distractors, strconv.Itoa(y))
	}
	return q, len(q.Distractors) >= seed.MinDistractors
}

// sameYear reports whether another film of same than i has i's year.
func (g *generator) sameYear(same []int, i int) bool {
	for _, j := range same {
		if j != i && g.cat.Films[j].Year == g.cat.Films[i].Year {
			return true
		}
	}
	return false
}

// distinguish names film i among the films of its title: "Treasure Island, directed by
// Byron Haskin" or "Treasure Island, starring Bobby Driscoll", using a person no other
// film of the title has in that place; "" when there is none.
func (g *generator) distinguish(i int, same []int) string {
	f := &g.cat.Films[i]
	has := func(ids []string, credits []seed.Credit, p string) bool {
		for _, id := range ids {
			if id == p || g.folded[id] == g.folded[p] {
				return true
			}
		}
		for _, c := range credits {
			if c.Person == p || g.folded[c.Person] == g.folded[p] {
				return true
			}
		}
		return false
	}
	unique := func(p string, directors bool) bool {
		for _, j := range same {
			if j == i {
				continue
			}
			o := &g.cat.Films[j]
			if directors && has(o.Directors, nil, p) || !directors && has(nil, o.Cast, p) {
				return false
			}
		}
		return g.name[p] != ""
	}
	for _, p := range f.Directors {
		if unique(p, true) {
			return f.Title + ", directed by " + g.name[p] + ","
		}
	}
	for _, c := range f.Cast[:min(2, len(f.Cast))] {
		if unique(c.Person, false) {
			return f.Title + ", starring " + g.name[c.Person] + ","
		}
	}
	return ""
}
