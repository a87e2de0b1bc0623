package knowledge

import (
	"cmp"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"filmbot/fold"
	"filmbot/quiz"
	"filmbot/seed"
)

// quizSeed seeds the questions generated from film fields. It is fixed, so the same
// knowledge always gives the same questions under the same IDs, and a game interrupted by
// a restart finds its questions again.
const quizSeed = 1

// ChoiceCount is how many buttons a multiple-choice question shows: the answer and three
// wrong ones.
const ChoiceCount = 4

// kind is what sort of thing an answer is, so that wrong choices drawn from other
// questions look like right ones: a year among years, a person among people.
type kind int

const (
	kindText kind = iota
	kindYear
	kindNumber
	kindDate
	kindPerson
	kindFilm
)

var (
	yearRE   = regexp.MustCompile(`^(1[89]|20)\d\d$`)
	numberRE = regexp.MustCompile(`^\d+$`)
	months   = map[string]bool{
		"january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
		"july": true, "august": true, "september": true, "october": true, "november": true,
		"december": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true,
		"jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	}
)

// Bank is the installed knowledge as trivia uses it: the questions, and the answers grouped
// by kind for drawing wrong choices. It is built once per store generation
// (Generation.Quiz) and is immutable, so games may share it.
type Bank struct {
	questions []seed.Question
	byID      map[string]int
	filmTitle map[string]string // film ID → title
	people    map[string]bool   // folded person names
	films     map[string]bool   // folded film titles and aliases
	// byKind holds, per kind, distinct answers (questions' answers, and names of people
	// and films), first spelling seen of each folded form.
	byKind map[kind][]string
	// genres and years of each film, for picking questions by topic.
	genres map[string][]string
	years  map[string]int
	// genreNames lists the genres, most questions first; decades lists the decades with
	// questions, in order.
	genreNames []string
	decades    []int
}

// Topic narrows the questions of a game: to one film, a genre, a decade (1950 for the
// 1950s), or any combination; the zero Topic is every question.
type Topic struct {
	Film   string // film ID
	Genre  string // as the films list it, compared folded
	Decade int
}

// NewBank builds the quiz bank of cat: its own questions, and those the structured fields
// of its films give (package quiz), which for a large imported catalog are most of them.
func NewBank(cat *seed.Catalog) *Bank {
	questions := cat.Questions
	if generated := quiz.Generate(cat, quizSeed); len(generated) > 0 {
		questions = append(slices.Clone(cat.Questions), generated...)
	}
	b := &Bank{
		questions: questions,
		byID:      make(map[string]int, len(cat.Questions)),
		filmTitle: make(map[string]string, len(cat.Films)),
		people:    make(map[string]bool, len(cat.People)),
		films:     make(map[string]bool, len(cat.Films)),
		byKind:    make(map[kind][]string),
		genres:    make(map[string][]string, len(cat.Films)),
		years:     make(map[string]int, len(cat.Films)),
	}
	seen := make(map[string]bool)
	add := func(k kind, s string) {
		key := fold.String(s)
		if key == "" || seen[key] {
			return
		}
		seen[key] = true
		b.byKind[k] = append(b.byKind[k], s)
	}
	for _, p := range cat.People {
		b.people[fold.String(p.Name)] = true
		add(kindPerson, p.Name)
	}
	for _, f := range cat.Films {
		b.genres[f.ID], b.years[f.ID] = f.Genres, f.Year
		b.filmTitle[f.ID] = f.Title
		b.films[fold.String(f.Title)] = true
		for _, a := range f.Aliases {
			b.films[fold.String(a)] = true
		}
		add(kindFilm, f.Title)
	}
	for i, q := range questions {
		b.byID[q.ID] = i
		if i < len(cat.Questions) {
			// Generated answers are names and years the bank holds already.
			add(b.kindOf(q.Answer), q.Answer)
		}
	}
	b.topics()
	return b
}

// topics lists the genres and decades questions can be picked by.
func (b *Bank) topics() {
	genreCount := make(map[string]int)
	spelling := make(map[string]string)
	decades := make(map[int]bool)
	for _, q := range b.questions {
		for _, g := range b.genres[q.Film] {
			k := fold.String(g)
			if spelling[k] == "" {
				spelling[k] = g
			}
			genreCount[k]++
		}
		if y := b.years[q.Film]; y > 0 {
			decades[quiz.Decade(y)] = true
		}
	}
	for k := range genreCount {
		b.genreNames = append(b.genreNames, spelling[k])
	}
	slices.SortFunc(b.genreNames, func(x, y string) int {
		if c := cmp.Compare(genreCount[fold.String(y)], genreCount[fold.String(x)]); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	for d := range decades {
		b.decades = append(b.decades, d)
	}
	slices.Sort(b.decades)
}

// Genres returns the genres of the films questions are about, most questions first.
func (b *Bank) Genres() []string { return b.genreNames }

// Decades returns the decades (1950 for the 1950s) of the films questions are about.
func (b *Bank) Decades() []int { return b.decades }

// matches reports whether q is about topic t.
func (b *Bank) matches(q seed.Question, t Topic) bool {
	if t.Film != "" && q.Film != t.Film {
		return false
	}
	if t.Decade != 0 && (b.years[q.Film] == 0 || quiz.Decade(b.years[q.Film]) != t.Decade) {
		return false
	}
	if t.Genre != "" {
		want := fold.String(t.Genre)
		return slices.ContainsFunc(b.genres[q.Film], func(g string) bool { return fold.String(g) == want })
	}
	return true
}

// FilmTitle returns the title of the film with the given ID, or "".
func (b *Bank) FilmTitle(id string) string { return b.filmTitle[id] }

// kindOf classifies an answer.
func (b *Bank) kindOf(answer string) kind {
	f := fold.String(answer)
	words := strings.Fields(f)
	switch {
	case yearRE.MatchString(f):
		return kindYear
	case numberRE.MatchString(f):
		return kindNumber
	case b.people[f]:
		return kindPerson
	case b.films[f]:
		return kindFilm
	}
	if len(words) <= 3 {
		for _, w := range words {
			if months[w] {
				return kindDate
			}
		}
	}
	return kindText
}

// Pick returns up to n questions (about film, when it is not empty) for a channel that
// was last asked each question at the position recent gives: never-asked questions
// first, then those asked longest ago, in random order among equals.
func (b *Bank) Pick(film string, n int, recent map[string]uint64, r *rand.Rand) []seed.Question {
	return b.PickTopic(Topic{Film: film}, n, recent, r)
}

// PickTopic is Pick for the questions about topic t.
func (b *Bank) PickTopic(t Topic, n int, recent map[string]uint64, r *rand.Rand) []seed.Question {
	var pool []seed.Question
	for _, q := range b.questions {
		if b.matches(q, t) {
			pool = append(pool, q)
		}
	}
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	slices.SortStableFunc(pool, func(a, b seed.Question) int { return cmp.Compare(recent[a.ID], recent[b.ID]) })
	return pool[:min(n, len(pool))]
}

// Choices returns the buttons for q in random order and the position of the right answer:
// the answer and up to three wrong ones, taken from q's own distractors first and then
// from answers of the same kind elsewhere in the bank. Years and numbers that still lack
// company get near neighbours.
func (b *Bank) Choices(q seed.Question, r *rand.Rand) ([]string, int) {
	taken := map[string]bool{fold.String(q.Answer): true}
	for _, a := range q.Accept {
		taken[fold.String(a)] = true
	}
	var wrong []string
	try := func(s string) {
		key := fold.String(s)
		if len(wrong) < ChoiceCount-1 && key != "" && !taken[key] {
			taken[key] = true
			wrong = append(wrong, s)
		}
	}
	own := slices.Clone(q.Distractors)
	r.Shuffle(len(own), func(i, j int) { own[i], own[j] = own[j], own[i] })
	for _, d := range own {
		try(d)
	}
	k := b.kindOf(q.Answer)
	if len(wrong) < ChoiceCount-1 {
		same := b.byKind[k]
		for _, i := range r.Perm(len(same)) {
			try(same[i])
		}
	}
	if k == kindYear || k == kindNumber {
		n, _ := strconv.Atoi(fold.String(q.Answer))
		for step := 1; len(wrong) < ChoiceCount-1 && step < 50; step++ {
			d := step
			if r.IntN(2) == 0 && n-d >= 0 {
				d = -d
			}
			try(strconv.Itoa(n + d))
		}
	}
	all := append([]string{q.Answer}, wrong...)
	order := r.Perm(len(all))
	out := make([]string, len(all))
	right := 0
	for i, j := range order {
		out[i] = all[j]
		if j == 0 {
			right = i
		}
	}
	return out, right
}
