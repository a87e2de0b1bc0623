package answer

import "strings"

// wordClass says what part a folded word plays in a question or a fact.
type wordClass uint8

const (
	classContent wordClass = iota // must be answered: it scores, and it needs covering
	classStop                     // grammar: ignored
	classGeneric                  // trivia talk ("film", "name"): scores nothing, needs no cover
)

// lexicon is the lookup form of the word lists in lexicon.go, built once per Index.
type lexicon struct {
	stop, generic, soft, role, crew map[string]bool
	month, number, reason, duration map[string]bool
	money                           map[string]bool
	byWord                          map[string]string    // listed word → concept
	byStem                          map[string]string    // stem of a listed word → concept
	phrases                         map[[3]string]string // two or three words → concept
	typeNoun, command, anchor       map[string]bool
	// words is every word the lists above name, for mending typos into
	words map[string]bool
	// flagOf gives the kind of value a word makes a text hold; phraseStart the words a
	// phrase starts with. Both spare the index builder lookups per word.
	flagOf      map[string]itemFlags
	phraseStart map[string]bool
}

func newLexicon() *lexicon {
	l := &lexicon{
		stop:     wordSet(stopWords),
		generic:  wordSet(genericWords),
		soft:     wordSet(softWords),
		role:     wordSet(roleNouns),
		crew:     wordSet(crewNouns),
		month:    wordSet(monthWords),
		number:   wordSet(numberWords),
		reason:   wordSet(reasonWords),
		duration: wordSet(durationWords),
		money:    wordSet(moneyWords),
		byWord:   make(map[string]string),
		byStem:   make(map[string]string),
		phrases:  make(map[[3]string]string),
		typeNoun: wordSet(typeNouns),
		command:  wordSet(commandWords),
		anchor:   wordSet(anchorConcepts),
	}
	l.words = wordSet(stopWords + genericWords + softWords + roleNouns + crewNouns + monthWords +
		numberWords + durationWords + reasonWords + typeNouns + commandWords + synonymGroups)
	for line := range strings.SplitSeq(phrases, "\n") {
		k, _, _ := strings.Cut(line, "=")
		for _, w := range strings.Fields(k) {
			l.words[w] = true
		}
	}
	l.flagOf = make(map[string]itemFlags)
	for _, set := range []struct {
		words map[string]bool
		flag  itemFlags
	}{{l.month, hasMonth}, {l.number, hasNumber}, {l.reason, hasReason}, {l.duration, hasDuration}, {l.money, hasMoney}} {
		for w := range set.words {
			l.flagOf[w] |= set.flag
		}
	}
	l.phraseStart = make(map[string]bool)
	for line := range strings.SplitSeq(phrases, "\n") {
		k, _, _ := strings.Cut(line, "=")
		if f := strings.Fields(k); len(f) > 0 {
			l.phraseStart[f[0]] = true
		}
	}
	for w := range wordSet(softWords) {
		l.soft[stem(w)] = true // "becoming" is as soft as "become"
	}
	for _, line := range strings.Split(synonymGroups, "\n") {
		words := strings.Fields(line)
		if len(words) == 0 {
			continue
		}
		head := words[0]
		for _, w := range words {
			if _, ok := l.byWord[w]; !ok {
				l.byWord[w] = head
			}
			st := stem(w)
			if l.generic[st] || l.stop[st] {
				continue // "filmed" must not turn every "film" into a location
			}
			if _, ok := l.byStem[st]; !ok {
				l.byStem[st] = head
			}
		}
	}
	for _, line := range strings.Split(phrases, "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		var key [3]string
		copy(key[:], strings.Fields(k))
		l.phrases[key] = v
	}
	return l
}

// concept returns the concept a folded word stands for and its class. Unlisted words stand
// for their stem.
func (l *lexicon) concept(w string) (string, wordClass) {
	if c, ok := l.byWord[w]; ok {
		return c, classContent
	}
	if l.stop[w] {
		return w, classStop
	}
	if l.generic[w] {
		return w, classGeneric
	}
	if n := len(w); n > 3 && w[n-1] == 's' && l.generic[w[:n-1]] {
		return w[:n-1], classGeneric // a possessive: "the article's" folds to "articles"
	}
	st := stem(w)
	if l.generic[st] {
		return st, classGeneric
	}
	if c, ok := l.byStem[st]; ok {
		return c, classContent
	}
	return st, classContent
}

// phrase returns the concept of a phrase starting words[i] and how many words it takes, or
// 0 when none starts there. skip reports words that are not available (already read).
func (l *lexicon) phrase(words []string, i int, skip func(int) bool) (string, int) {
	if i+1 >= len(words) || skip(i+1) {
		return "", 0
	}
	if i+2 < len(words) && !skip(i+2) {
		if c, ok := l.phrases[[3]string{words[i], words[i+1], words[i+2]}]; ok {
			return c, 3
		}
	}
	if c, ok := l.phrases[[3]string{words[i], words[i+1]}]; ok {
		return c, 2
	}
	return "", 0
}

// stemConcept is concept for a word that must count as content whatever its class.
func (l *lexicon) stemConcept(w string) string {
	if c, class := l.concept(w); class == classContent {
		return c
	}
	return stem(w)
}

// isSoft reports whether w is a common verb or modifier a fact may rephrase.
func (l *lexicon) isSoft(w string) bool {
	return l.soft[w] || l.soft[stem(w)]
}

// isRole reports whether w names a person by their relation to a character.
func (l *lexicon) isRole(w string) bool {
	return l.role[w] || l.role[strings.TrimSuffix(w, "s")]
}

// isCrew reports whether w names a job on a film.
func (l *lexicon) isCrew(w string) bool {
	return l.crew[w] || l.crew[strings.TrimSuffix(w, "s")]
}

// wordSet splits a whitespace-separated list into a set.
func wordSet(list string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}

// onlyFiller reports whether words carry no content: grammar and trivia talk only.
func (l *lexicon) onlyFiller(words []string) bool {
	for _, w := range words {
		if _, class := l.concept(w); class == classContent {
			return false
		}
	}
	return true
}
