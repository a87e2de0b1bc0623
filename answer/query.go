package answer

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// maxQuestion bounds the folded question the engine reads; anything past it cannot be a
// trivia question the data answers, and the bound keeps every reply fast.
const maxQuestion = 500

// maxWords bounds the words of a question the engine reads, for the same reasons.
const maxWords = 48

// qtype is the kind of answer a question asks for.
type qtype uint8

const (
	qWhat    qtype = iota // anything
	qWho                  // a person or character
	qWhen                 // a date
	qYear                 // a year
	qWhere                // a place
	qWhy                  // a reason
	qHowOld               // an age
	qHowMany              // a number
	qHowMuch              // a sum of money
	qHowLong              // a duration
	qYesNo                // a statement to confirm
)

// qterm is one content word of a question.
type qterm struct {
	word string
	term int32 // -1 when no item holds the concept
	soft bool
	// anchor terms name what is asked about (the cast, the release): never left uncovered
	anchor bool
}

// query is a question read: its answer type, its content words and what it names.
type query struct {
	qt       qtype
	terms    []qterm
	films    []int32 // named by title or alias
	weakFilm bool    // the only title named is one word long
	chars    []int32
	persons  []int32
	relation int32 // a role noun ("father") the answer must name; -1 none
	// excluded are what "besides", "other than" or "else" set aside: characters and
	// people named after such a word, and the film itself for "what other films".
	exChars, exPersons []int32
	exFilm             bool
	exTerms            []int32 // "besides directing": a topic the answer should not be
	exElse             bool    // "what else": something besides what the question names
	otherCrew          bool    // "the other director": someone besides those the data names
	firstWord          bool    // the word "first" itself: "the first film shot in…"
	factual            bool    // a yes/no question about what is or was: "did she…?", not "can you…?"
	crew               bool    // a crew noun with a request for a name ("the writer's name")
	wantsName          bool
	plural             bool   // "who are the leads?": an answer naming several is better
	crewOne            bool   // a crew noun in the singular: "who is the filmmaker?"
	counted            string // the concept "how many" counts, "" none
	// unanswerable marks a question whose shape the data can never answer: advice ("should
	// I watch it?") or who a title is ("who is Comrade Kim?"), which names no one.
	unanswerable bool
	// nationality marks a yes/no question about a named person's nationality ("is Bonner
	// Korean?"): the answer must say what it is.
	nationality bool
	// slot is what fills the question's title slot ("the host" in "who directed the
	// host?"), "" when it has none.
	slot string
	// raw are the question's own words, stemmed, without stop words or title words: what
	// a plain reader would look for in a sentence, whatever the lexicon makes of them
	raw    []string
	rawIdf []float64 // each raw word's weight: rare words count most
	// years are the years the question names ("treasure island (1950)"), which pick
	// among films of the same title
	years []int
}

// parse reads a question.
func (ix *Index) parse(question string) query {
	q := query{relation: -1}
	var wbuf [maxWords]string
	var sbuf [maxWords]int
	var xbuf [maxWords]bool
	text, words, starts, context := ix.readWords(question, wbuf[:0], sbuf[:0], xbuf[:0])
	q.slot = titleSlot(text)
	for i, w := range words {
		if context[i] || ix.lex.stop[w] || ix.lex.generic[w] || ix.titleWords[w] || len(w) < 2 ||
			questionWords[w] || auxWords[w] || ix.lex.command[w] || (i > 0 && words[i-1] == "how") {
			// (after "how" a word says the kind of answer: "how long", "how old")
			continue
		}
		q.raw = append(q.raw, stem(w))
		idf := 0.0
		if inf, ok := ix.vocab[w]; ok && inf.term >= 0 && int(inf.term) < len(ix.df) {
			idf = ix.idf(inf.term)
		} else if ok {
			idf = 0.2 // a word of no content to the index
		} else {
			idf = math.Log(1 + float64(len(ix.items))) // a word no item holds
		}
		q.rawIdf = append(q.rawIdf, idf)
	}
	for _, w := range words {
		if len(w) == 4 && w[0] >= '1' && w[0] <= '2' {
			if y, err := strconv.Atoi(w); err == nil && y >= 1870 && y <= 2100 {
				q.years = append(q.years, y)
			}
		}
	}
	end := func(k int) int { return starts[k] + len(words[k]) }

	exclAt := -1
	for i, w := range words {
		switch w {
		case "besides", "except", "apart", "than", "alongside", "opposite":
			// "besides Han Jong Sim", "other than the film": what follows is set aside.
			if exclAt < 0 && (w != "than" || (i > 0 && words[i-1] == "other")) {
				exclAt = i
			}
		case "film", "films", "movie", "movies":
			// "what other films", "besides the film"
			for k := max(0, i-3); k < i; k++ {
				switch words[k] {
				case "besides", "except", "apart", "than", "other", "else":
					q.exFilm = true
				}
			}
		}
	}

	var cbuf [maxWords]bool
	consumed := cbuf[:len(words)]
	var titleWords int
	for i := 0; i < len(words); i++ {
		maxN := int(ix.spanLen[words[i]])
		if maxN == 0 && strings.HasSuffix(words[i], "s") {
			maxN = int(ix.spanLen[words[i][:len(words[i])-1]])
		}
		for n := min(maxN, len(words)-i); n >= 1; n-- {
			key := text[starts[i]:end(i+n-1)]
			f, c, p := ix.filmKeys[key], ix.charKeys[key], ix.personKeys[key]
			if f == nil && c == nil && p == nil && strings.HasSuffix(key, "s") {
				key = key[:len(key)-1] // possessive: "Yong Mi's" folds to "yong mis"
				f, c, p = ix.filmKeys[key], ix.charKeys[key], ix.personKeys[key]
			}
			if f == nil && c == nil && p == nil && n >= 2 {
				if fi, ok := ix.titlePrefix[key]; ok && fi >= 0 {
					f = ix.films[fi].self[:] // "comrade kim": a title named by its opening
				}
			}
			if f == nil && c == nil && p == nil {
				continue
			}
			if f != nil && (n > titleWords) {
				q.films = append(q.films[:0], f...)
				titleWords = n
			}
			if f != nil && c != nil {
				c = nil // "the sound of music" names the film, not a character of that name
			}
			if exclAt >= 0 && i > exclAt {
				q.exChars = append(q.exChars, c...)
				q.exPersons = append(q.exPersons, p...)
			} else {
				q.chars = append(q.chars, c...)
				q.persons = append(q.persons, p...)
			}
			for k := i; k < i+n; k++ {
				consumed[k] = true
			}
			i += n - 1
			break
		}
	}
	q.weakFilm = titleWords == 1

	lead := 0
	for lead < len(words)-1 && context[lead] {
		lead++
	}
	for i := lead; i < len(words); i++ {
		w := words[i]
		if context[i] {
			continue
		}
		switch w {
		case "who", "whom", "whose", "whos":
			q.setType(qWho)
			if i+1 < len(words) && (words[i+1] == "are" || words[i+1] == "were") {
				q.plural = true
			}
		case "when", "whens":
			q.setType(qWhen)
		case "where", "wheres":
			q.setType(qWhere)
		case "why":
			q.setType(qWhy)
		case "makes", "made":
			if i > 0 && words[i-1] == "what" {
				q.setType(qWhy) // "what makes it a girl power movie?" asks for a reason
			}
		case "year", "years", "yr", "yrs":
			if q.qt == qWhen || q.qt == qWhat {
				q.qt = qYear
			}
		case "date", "day", "month":
			q.setType(qWhen)
		case "reason", "reasons", "point", "purpose":
			if q.qt == qWhat && i > 0 && i < 4 && words[i-1] == "the" {
				q.qt = qWhy // "what's the reason for…", "what is the point of…"
				continue
			}
		case "name", "names", "named":
			q.wantsName = true
		case "called":
			if i == len(words)-1 {
				q.wantsName = true // "what is the heroine called?"
				continue
			}
		case "how":
			if i+1 < len(words) {
				switch words[i+1] {
				case "old", "olds": // "how old's the heroine?"
					q.setType(qHowOld)
				case "many", "much":
					if words[i+1] == "much" {
						q.setType(qHowMuch)
					} else {
						q.setType(qHowMany)
					}
					i++
					if i+1 < len(words) && !consumed[i+1] && !ix.lex.stop[words[i+1]] {
						// The thing counted must be in the answer, even "people".
						i++
						q.counted = ix.lex.stemConcept(words[i])
						q.addTerm(ix, words[i], q.counted)
					}
					continue
				case "long":
					q.setType(qHowLong)
					q.addTerm(ix, "long", "runtime") // "how long is it?" asks for the running time
					i++
					continue
				}
			}
		}
		if i == lead {
			switch w {
			case "is", "was", "are", "were", "does", "did", "do", "has", "have":
				q.qt = qYesNo
				q.factual = true
			case "can", "could", "will", "would", "should":
				q.qt = qYesNo
			}
			if (w == "should" || w == "shall") && i+1 < len(words) && (words[i+1] == "i" || words[i+1] == "we") {
				q.unanswerable = true // advice: "should I watch it?" asks for an opinion
			}
		}
		if (w == "other" || w == "another" || w == "second") && i+1 < len(words) && ix.lex.isCrew(words[i+1]) {
			q.otherCrew = true // "who is the other director?": not the one the data names
		}
		if w == "first" {
			q.firstWord = true
		}
		if w == "else" && i > 0 && (words[i-1] == "what" || words[i-1] == "anything") {
			q.exElse = true // "what else has Pak Chung Guk been in?"
		}
		if consumed[i] {
			continue
		}
		if i == lead && ix.lex.command[w] {
			continue // "Describe the plot": an instruction, not a topic
		}
		if i+1 < len(words) && consumed[i+1] && len(q.persons) > 0 {
			if _, known := ix.dict[w]; !known {
				continue // a first name or nickname before a surname: "Nick Bonner"
			}
		}
		concept, class := "", classContent
		if c, n := ix.lex.phrase(words, i, func(k int) bool { return consumed[k] }); n > 0 {
			concept = c
			i += n - 1
		}
		if concept == "" {
			if ix.lex.typeNoun[w] && i > 0 && (words[i-1] == "which" || words[i-1] == "what") {
				q.setType(qWhere) // "which city": a place is wanted, the word itself is no topic
				continue
			}
			if w == "about" && (len(q.terms) > 0 || !ix.lex.onlyFiller(words[i+1:])) {
				// "about" asks for the plot only at the end: "what is it about (in a
				// sentence)?", not "what did he say about the writers?"
				continue
			}
			concept, class = ix.lex.concept(w)
		}
		if class != classContent {
			continue
		}
		if q.qt == qYesNo && len(q.persons) > 0 && nationalWords[w] {
			// "is Nicholas Bonner (North) Korean?" asks what he is: any nationality answers
			q.nationality = true
			concept = "country"
		}
		if exclAt >= 0 && i > exclAt {
			if id, ok := ix.dict[concept]; ok {
				q.exTerms = append(q.exTerms, id)
			}
			continue
		}
		q.addTerm(ix, w, concept)
	}
	if q.qt == qWhen || q.qt == qYear || (q.qt == qWhere && q.has(ix, "release")) {
		// "When was it first released?", "where was it released first?": first is the
		// earliest, not a record.
		if id, ok := ix.dict["first"]; ok {
			out := q.terms[:0]
			for _, t := range q.terms {
				if t.term != id {
					out = append(out, t)
				}
			}
			q.terms = out
		}
	}
	if q.qt == qWhen && q.slot == "" && slices.Contains(words, "set") {
		// "when is it set?" asks for the story's period, which need not be a date
		q.qt = qWhat
	}
	if (q.qt == qWhen || q.qt == qYear) && !q.hasHard() && len(q.chars)+len(q.persons) == 0 {
		// "what year was it made?", "when is it from?": the film's own date
		q.addTerm(ix, "when", "release")
	}
	if q.qt == qWhere && !q.hasHard() && len(q.chars)+len(q.persons) == 0 && slices.Contains(words[lead:], "you") {
		// "where did you get this?" asks the bot for its source
		q.addTerm(ix, "you", "source")
	}
	if q.qt == qWhere && !q.hasHard() && len(q.chars)+len(q.persons) == 0 && slices.Contains(words[lead:], "from") {
		// "where is the film from?" asks which countries made it
		q.addTerm(ix, "from", "country")
	}
	if q.qt == qWhere && !q.hasHard() && len(q.chars)+len(q.persons) == 0 {
		// "where do they film it?", "in what city was it made?": "film" and "made" say
		// no more than "where" does
		q.addTerm(ix, "where", "location")
	}
	if q.qt != qWho && !q.wantsName {
		q.relation = -1
	}
	if q.has(ix, "watch") {
		// "do I have to pay to see it?": with watching, paying is the price, not the
		// financing
		for i, t := range q.terms {
			if priceWords[t.word] {
				if id, ok := ix.dict["payperview"]; ok {
					q.terms[i].term = id
				}
			}
		}
	}
	if q.exElse && len(q.persons) > 0 && len(q.chars) == 0 {
		q.exFilm = true // "what else has he acted in?": other films than this one
	}
	if q.nationality {
		q.dropConcept(ix, "north", "south")
	}
	for _, fi := range q.films {
		q.dropYear(ix.films[fi].f.Year) // "betrayed (1954)": the year says which film
	}
	if q.qt == qWho && len(q.terms) == 0 && len(q.chars)+len(q.persons) == 0 {
		// "who is in it?" asks for the cast; "who is Comrade Kim?" asks who a title is,
		// which no record says.
		switch {
		case slices.Contains(words[lead:], "in"):
			q.addTerm(ix, "in", "cast")
		case slices.Contains(words[lead:], "by") || slices.Contains(words[lead:], "behind"):
			q.addTerm(ix, "by", "direct") // "who is it by?", "who was behind it?"
		default:
			q.unanswerable = true
		}
	}
	for _, w := range words[lead:] {
		if pluralCast[w] {
			q.plural = true // "were the actors acrobats?": an answer about them all
		}
	}
	q.crew = q.crew && (q.wantsName || (q.qt == qWho && q.crewOne && !q.plural))
	return q
}

// nationalWords are nationality adjectives a yes/no question may ask of a person.
var nationalWords = map[string]bool{
	"korean": true, "british": true, "english": true, "scottish": true, "welsh": true,
	"irish": true, "belgian": true, "american": true, "french": true, "german": true,
	"dutch": true, "chinese": true, "japanese": true, "russian": true, "italian": true,
	"spanish": true, "canadian": true, "australian": true, "european": true, "asian": true,
}

// priceWords ask what watching costs when the question is about watching.
var priceWords = map[string]bool{
	"pay": true, "paid": true, "pays": true, "paying": true, "cost": true, "costs": true,
	"price": true, "charge": true, "fee": true,
}

// pluralCast are plural nouns for a film's people: a question about them wants an answer
// about all of them.
var pluralCast = map[string]bool{
	"actors": true, "actresses": true, "leads": true, "stars": true, "performers": true,
}

// dropConcept removes the terms standing for the concepts given.
func (q *query) dropConcept(ix *Index, concepts ...string) {
	for _, c := range concepts {
		id, ok := ix.dict[c]
		if !ok {
			continue
		}
		out := q.terms[:0]
		for _, t := range q.terms {
			if t.term != id {
				out = append(out, t)
			}
		}
		q.terms = out
	}
}

// setType records the first question word; later ones are usually part of a clause.
func (q *query) setType(t qtype) {
	if q.qt == qWhat || q.qt == qYesNo {
		q.qt = t
	}
}

// addTerm adds a content word standing for concept.
func (q *query) addTerm(ix *Index, w, concept string) {
	t := qterm{word: w, term: -1, soft: ix.lex.isSoft(w), anchor: ix.lex.anchor[concept]}
	if own, _ := ix.lex.concept(w); t.soft && own != concept && ix.lex.anchor[concept] {
		t.soft = false // a phrase's concept ("come out" is release), not the soft word alone
	}
	if id, ok := ix.dict[concept]; ok {
		t.term = id
	}
	if ix.lex.isRole(w) {
		q.relation = t.term
		if t.term < 0 {
			q.relation = -2 // a role the data never mentions
		}
	}
	if ix.lex.isCrew(w) {
		q.crew = true
		q.plural = q.plural || strings.HasSuffix(w, "s")
		q.crewOne = q.crewOne || !strings.HasSuffix(w, "s")
	}
	if !q.hasTerm(t) {
		q.terms = append(q.terms, t)
	}
}

// hasHard reports whether the question has a content word that is not soft.
func (q *query) hasHard() bool {
	for _, t := range q.terms {
		if !t.soft {
			return true
		}
	}
	return false
}

// has reports whether the question asks about concept.
func (q *query) has(ix *Index, concept string) bool {
	id, ok := ix.dict[concept]
	if !ok {
		return false
	}
	for _, t := range q.terms {
		if t.term == id {
			return true
		}
	}
	return false
}

func (q *query) hasTerm(t qterm) bool {
	for _, have := range q.terms {
		if have.word == t.word || (t.term >= 0 && have.term == t.term) {
			return true
		}
	}
	return false
}

// dropMentions removes Discord mention syntax (<@123>, <@&123>, <#123>, <:emoji:123>,
// @everyone, @here) so that it is neither read as words nor ever echoed.
func dropMentions(s string) string {
	if !strings.ContainsAny(s, "<@") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case s[i] == '<':
			if j := strings.IndexByte(s[i:], '>'); j > 0 && j < 80 && strings.ContainsAny(s[i+1:i+2], "@#:a") {
				b.WriteByte(' ')
				i += j + 1
				continue
			}
		case strings.HasPrefix(s[i:], "@everyone"):
			b.WriteByte(' ')
			i += len("@everyone")
			continue
		case strings.HasPrefix(s[i:], "@here"):
			b.WriteByte(' ')
			i += len("@here")
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// dropYear removes the film's own year from what the question asks about: in "who is in
// betrayed (1954)" it says which film, not what to find.
func (q *query) dropYear(year int) {
	if year == 0 || !slices.Contains(q.years, year) {
		return
	}
	y := strconv.Itoa(year)
	out := q.terms[:0]
	for _, t := range q.terms {
		if t.word != y {
			out = append(out, t)
		}
	}
	q.terms = out
	raw := q.raw[:0]
	idf := q.rawIdf[:0]
	for i, w := range q.raw {
		if w != y {
			raw = append(raw, w)
			idf = append(idf, q.rawIdf[i])
		}
	}
	q.raw, q.rawIdf = raw, idf
}
