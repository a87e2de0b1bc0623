package answer

import (
	"strings"

	"filmbot/fold"
)

// Yes/no questions decided from the data. "Was it shot in Seoul?" asks about a field the
// data holds (where it was shot); when the field names other values than the question's
// the answer is "No", with what the data says, and when it names them all, "Yes". A fact
// (a sentence) only ever confirms: that a sentence does not say Seoul does not mean the
// film was not shot there. "Is Bonner British or Belgian?" is a choice: an item that holds
// exactly one of the options answers it.

// decisive are the item kinds whose text is the whole of what the data holds on their
// topic, so a value they do not name is not the answer.
func decisive(k itemKind) bool {
	switch k {
	case kindLocation, kindRelease, kindCountries, kindGenre, kindDirectors, kindCastList, kindField:
		return true
	}
	return false
}

// yesNo answers a yes/no or either-or question from the candidates, or reports false.
func (ix *Index) yesNo(q *query, question string, cands []scored) (Answer, bool) {
	if q.qt != qYesNo || len(q.raw) == 0 {
		return Answer{}, false
	}
	var buf [1024]byte
	words := fold.Words(question)
	if opts := options(words); len(opts) == 2 {
		for _, c := range cands {
			it := &ix.items[c.id]
			if ix.vetoed(q, it) {
				continue
			}
			text := foldedText(buf[:0], ix.render(it))
			a, b := ix.holds(it, text, opts[0]), ix.holds(it, text, opts[1])
			if a != b {
				return ix.reply(it), true
			}
		}
		return Answer{}, false
	}
	for _, c := range cands {
		it := &ix.items[c.id]
		if !decisive(it.kind) || ix.vetoed(q, it) || !ix.onTopic(q, it) {
			continue
		}
		text := foldedText(buf[:0], ix.render(it))
		var have, miss int
		other := false
		for _, w := range ix.values(q, it) {
			switch {
			case hasStem(text, w):
				have++
			case ix.knownStem(w):
				// A word the data holds elsewhere ("acrobats", "first"): the claim is about
				// more than this item's topic, so its silence decides nothing.
				other = true
			default:
				miss++ // a value the data never names: "Seoul", "2016"
			}
		}
		if other {
			continue
		}
		switch {
		case have+miss == 0:
			continue
		case miss == 0:
			a := ix.reply(it)
			a.Text = "Yes: " + a.Text
			return a, true
		case have == 0:
			a := ix.reply(it)
			a.Text = "No: " + a.Text
			return a, true
		}
		return Answer{}, false // some of the claim holds and some not: not for a yes or a no
	}
	return Answer{}, false
}

// onTopic reports whether the item is about what the question asks (one of the question's
// anchor concepts is among its topics).
func (ix *Index) onTopic(q *query, it *item) bool {
	topics := ix.refsOf(it.topics)
	for _, t := range q.terms {
		if t.term >= 0 && t.anchor && hasRef(topics, t.term) {
			return true
		}
	}
	return false
}

// values returns the question's own words (stemmed) that state the claimed value: not the
// topic's cue words, not words of the film's title, not filler.
func (ix *Index) values(q *query, it *item) []string {
	topics := ix.refsOf(it.topics)
	var out []string
	for _, w := range q.raw {
		if ix.lex.generic[w] || ix.lex.soft[w] || ix.lex.command[w] || len(w) < 3 {
			continue
		}
		if c, class := ix.lex.concept(w); class != classContent {
			continue
		} else if id, ok := ix.dict[c]; ok && (hasRef(topics, id) || ix.anchorTerm[id]) {
			continue // the topic itself ("filmed", "come out")
		}
		if ix.lex.isSoft(w) || questionWords[w] || auxWords[w] {
			continue
		}
		out = append(out, w)
	}
	return out
}

// options returns the two options of an either-or question ("british or belgian"), or nil.
func options(words []string) []string {
	for i, w := range words {
		if w == "or" && i > 0 && i+1 < len(words) {
			a, b := words[i-1], words[i+1]
			if b == "not" || b == "nah" || b == "smth" || b == "something" || b == "what" || len(a) < 3 || len(b) < 3 {
				return nil
			}
			return []string{a, strings.TrimSuffix(b, "?")}
		}
	}
	return nil
}

// holds reports whether an item says w: the word itself, or its concept ("humour" for
// "funny").
func (ix *Index) holds(it *item, text string, w string) bool {
	if hasStem(text, stem(w)) {
		return true
	}
	if ix.lex.typeNoun[w] {
		return false // "the city or the countryside": a kind of place is not a place
	}
	c, class := ix.lex.concept(w)
	if class != classContent {
		return false
	}
	id, ok := ix.dict[c]
	return ok && (findTerm(ix.termsOf(it), id) > 0 || hasRef(ix.refsOf(it.topics), id))
}

// knownStem reports whether some item's text holds a word with stem s.
func (ix *Index) knownStem(s string) bool {
	if inf, ok := ix.vocab[s]; ok && inf.term != lexiconOnly {
		return true
	}
	c, class := ix.lex.concept(s)
	if class != classContent {
		return false
	}
	id, ok := ix.dict[c]
	return ok && int(id) < len(ix.df) && ix.df[id] > 0
}
