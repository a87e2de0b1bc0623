package knowledge

import (
	"cmp"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"filmbot/fold"
	"filmbot/seed"
)

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
}

// NewBank builds the quiz bank of cat.
func NewBank(cat *seed.Catalog) *Bank {
	b := &Bank{
		questions: cat.Questions,
		byID:      make(map[string]int, len(cat.Questions)),
		filmTitle: make(map[string]string, len(cat.Films)),
		people:    make(map[string]bool, len(cat.People)),
		films:     make(map[string]bool, len(cat.Films)),
		byKind:    make(map[kind][]string),
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
		b.filmTitle[f.ID] = f.Title
		b.films[fold.String(f.Title)] = true
		for _, a := range f.Aliases {
			b.films[fold.String(a)] = true
		}
		add(kindFilm, f.Title)
	}
	for i, q := range cat.Questions {
		b.byID[q.ID] = i
		add(b.kindOf(q.Answer), q.Answer)
	}
	return b
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
	var pool []seed.Question
	for _, q := range b.questions {
		if film == "" || q.Film == film {
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
