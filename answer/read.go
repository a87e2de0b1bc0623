package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"filmbot/fold"
)

// readWords folds a question into its words, appending to the buffers given. On the way it
// mends what chat does to questions: a name typed without its spaces ("yongmi") and a word
// one slip away from a word the engine knows ("dirrected"). context marks words that only
// set the scene ("I watched it last night and was wondering, …", "do you know …"): their
// names still count, their other words are not what is asked.
func (ix *Index) readWords(question string, words []string, starts []int, context []bool) (string, []string, []int, []bool) {
	raw := dropMentions(question)
	text := fold.String(raw)
	if len(text) > maxQuestion {
		cut := strings.LastIndexByte(text[:maxQuestion], ' ')
		if cut < 0 {
			cut = maxQuestion
		}
		text = text[:cut]
	}
	words, starts = splitWords(text, words, starts)
	context = context[:len(words)]
	clear(context)
	markContext(raw, words, context)

	mended := false
	for i := 0; i < len(words); i++ {
		w := words[i]
		if ix.knownForm(w) {
			continue
		}
		if parts := ix.splitName(w); len(parts) > 1 && len(words)+len(parts)-1 <= cap(words) {
			words = append(words[:i], append(parts, words[i+1:]...)...)
			ctx := context[i]
			context = context[:len(words)]
			copy(context[i+len(parts):], context[i+1:])
			for k := i; k < i+len(parts); k++ {
				context[k] = ctx
			}
			i += len(parts) - 1
			mended = true
			continue
		}
		if fix := ix.respellTitle(w); fix != "" {
			words[i] = fix
			mended = true
		} else if fix := ix.respell(w, i); fix != "" {
			words[i] = fix
			mended = true
		}
	}
	if mended {
		text = strings.Join(words, " ")
		words, starts = splitWords(text, words[:0], starts[:0])
	}
	return text, words, starts, context
}

// splitWords appends the space-separated words of a folded text and where each starts.
func splitWords(text string, words []string, starts []int) ([]string, []int) {
	for i := 0; i < len(text) && len(words) < cap(words); {
		j := strings.IndexByte(text[i:], ' ')
		if j < 0 {
			j = len(text) - i
		}
		words = append(words, text[i:i+j])
		starts = append(starts, i)
		i += j + 1
	}
	return words, starts
}

// questionWords open a question, directly or inside a sentence ("I wonder who…").
var questionWords = map[string]bool{
	"who": true, "whom": true, "whose": true, "whos": true, "what": true, "whats": true,
	"which": true, "when": true, "whens": true, "where": true, "wheres": true, "why": true,
	"how": true, "hows": true,
}

// auxWords open a yes/no question or a request when they start a clause.
var auxWords = map[string]bool{
	"is": true, "was": true, "are": true, "were": true, "does": true, "did": true, "do": true,
	"can": true, "could": true, "has": true, "have": true, "will": true, "would": true,
	"should": true, "describe": true, "explain": true, "list": true, "name": true,
	"give": true, "tell": true, "show": true,
}

// introWords announce an indirect question: "do you know who…", "I'm curious what…".
var introWords = map[string]bool{
	"know": true, "wonder": true, "wondering": true, "wondered": true, "curious": true,
	"asking": true, "idea": true, "sure": true, "remember": true, "recall": true,
	"tell": true, "me": true, "us": true,
}

// markContext marks the words that set the scene rather than ask: whole clauses before the
// first one that asks anything, and the opening of a clause up to an indirect question
// ("…and was wondering where…"). Clauses are read from the raw question's punctuation.
func markContext(raw string, words []string, context []bool) {
	var bounds [maxWords + 1]int // word index where each clause starts
	nb := 1
	n, inWord := 0, false
	for i, r := range raw {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !inWord {
				n++
				inWord = true
			}
		case r == '\'' || r == '’' || r == 'ʼ' || unicode.Is(unicode.Mn, r):
		default:
			inWord = false
			if r != utf8.RuneError && strings.ContainsRune(",;.!?:…", r) && n > bounds[nb-1] && nb < len(bounds) &&
				!(r == '.' && i+1 < len(raw) && raw[i+1] >= '0' && raw[i+1] <= '9') {
				bounds[nb] = n
				nb++
			}
		}
	}
	if nb > 1 && bounds[nb-1] == n {
		nb-- // the closing question mark
	}
	if n != len(words) {
		return // the raw text and its folded words disagree: read it all as the question
	}
	asked := -1
	for c := 0; c < nb; c++ {
		from, to := bounds[c], n
		if c+1 < nb {
			to = bounds[c+1]
		}
		if from >= to {
			continue
		}
		ask := auxWords[words[from]]
		for k := from; k < to && !ask; k++ {
			ask = questionWords[words[k]]
		}
		if ask && asked < 0 {
			asked = c
			for k := 0; k < from; k++ {
				context[k] = true
			}
		}
		// "…was wondering where they shot it": the opening is scene-setting.
		for k := from + 1; k < to; k++ {
			if questionWords[words[k]] && introWords[words[k-1]] {
				for j := from; j < k; j++ {
					context[j] = true
				}
				break
			}
		}
	}
}

// knownForm reports whether a folded word is one the engine can read as it stands: a
// lexicon word, a word of some item or name, a number, or a form whose stem the data holds.
func (ix *Index) knownForm(w string) bool {
	if len(w) < 3 || ix.isKnown(w) || !isAlpha(w) {
		return true
	}
	if strings.HasSuffix(w, "s") && (ix.isKnown(w[:len(w)-1]) || ix.nameWords[w[:len(w)-1]]) {
		return true
	}
	c, class := ix.lex.concept(w)
	if class != classContent {
		return true
	}
	_, ok := ix.dict[c]
	return ok
}

// splitName splits a name typed without its spaces ("yongmi", "hanjongsim's") into the
// words of the film, character or person it names, or returns nil.
func (ix *Index) splitName(w string) []string {
	if len(w) < 5 || len(w) > 40 {
		return nil
	}
	var buf [4]string
	var try func(rest string, parts []string) []string
	try = func(rest string, parts []string) []string {
		if rest == "" {
			key := strings.Join(parts, " ")
			if len(parts) > 1 && (ix.filmKeys[key] != nil || ix.charKeys[key] != nil || ix.personKeys[key] != nil) {
				return parts
			}
			return nil
		}
		if len(parts) == len(buf) {
			return nil
		}
		for k := len(rest); k >= 2; k-- {
			part := rest[:k]
			if len(parts) == 0 && ix.spanLen[part] == 0 {
				continue
			}
			if len(parts) > 0 && !ix.nameWords[part] && !(k == len(rest) && strings.HasSuffix(part, "s") && ix.nameWords[part[:k-1]]) {
				continue
			}
			if k == len(rest) && len(parts) > 0 && !ix.nameWords[part] {
				part = part[:k-1] // a possessive at the end: "yongmis"
			}
			if got := try(rest[k:], append(parts, part)); got != nil {
				return got
			}
		}
		return nil
	}
	got := try(w, buf[:0])
	if got == nil {
		return nil
	}
	return append([]string(nil), got...)
}

// respell returns the known word one edit away from an unknown w (a letter added, dropped,
// swapped with its neighbour or changed), or "". Short words are only mended into question
// words, and only near the start of the question, where "wat" and "wen" are typed.
func (ix *Index) respell(w string, at int) string {
	if len(w) < 3 || len(w) > 24 {
		return ""
	}
	ok := func(c []byte) bool {
		if len(w) < 4 || len(c) < 4 {
			return at < 2 && questionWords[string(c)]
		}
		if questionWords[string(c)] {
			return true
		}
		if _, known := ix.vocab[string(c)]; !known || ix.nameWords[string(c)] {
			return false // a name is not mended into: "song" is not "Jong"
		}
		return !ix.lex.stop[string(c)] && !ix.lex.generic[string(c)] && !ix.lex.isSoft(string(c))
	}
	var buf [25]byte
	// a letter left out: "actres", "contries", "wher"
	for i := 0; i <= len(w); i++ {
		for c := byte('a'); c <= 'z'; c++ {
			b := append(append(append(buf[:0], w[:i]...), c), w[i:]...)
			if ok(b) {
				return string(b)
			}
		}
	}
	// two letters swapped: "dierctor"
	for i := 0; i+1 < len(w); i++ {
		b := append(buf[:0], w...)
		b[i], b[i+1] = b[i+1], b[i]
		if b[i] != b[i+1] && ok(b) {
			return string(b)
		}
	}
	if len(w) < 5 {
		return "" // "tall" is not a slip for "call"
	}
	// a letter too many: "dirrected"
	for i := 0; i < len(w); i++ {
		b := append(append(buf[:0], w[:i]...), w[i+1:]...)
		if ok(b) {
			return string(b)
		}
	}
	// a letter mistyped: "dirextor". The likeliest slip to meet another real word
	// ("trailer", "trainer"), so only mended into a word the data itself holds.
	for i := 0; i < len(w); i++ {
		for c := byte('a'); c <= 'z'; c++ {
			if c == w[i] {
				continue
			}
			b := append(buf[:0], w...)
			b[i] = c
			if ok(b) && ix.vocab[string(b)].term != lexiconOnly {
				return string(b)
			}
		}
	}
	return ""
}

// respellTitle returns the word of a film title or a character's name one edit away from
// an unknown w ("casablance", "oppenhiemer", "spirted"), or "". respell never mends into
// names, since a slip into a name is a wrong answer about someone; a title or character
// word of four letters or more is long enough for one slip to be read safely.
func (ix *Index) respellTitle(w string) string {
	if len(w) < 4 || len(w) > 24 || len(ix.titleWords) == 0 {
		return ""
	}
	var buf [25]byte
	ok := func(b []byte) bool { return ix.titleWords[string(b)] }
	for i := 0; i+1 < len(w); i++ { // swapped: "oppenhiemer"
		b := append(buf[:0], w...)
		b[i], b[i+1] = b[i+1], b[i]
		if b[i] != b[i+1] && ok(b) {
			return string(b)
		}
	}
	for i := 0; i <= len(w); i++ { // left out: "spirted", "padington"
		for c := byte('a'); c <= 'z'; c++ {
			if b := append(append(append(buf[:0], w[:i]...), c), w[i:]...); ok(b) {
				return string(b)
			}
		}
	}
	if len(w) < 5 {
		return "" // "long" is a word, not a slip for "Yong"
	}
	for i := 0; i < len(w); i++ { // one too many: "casablancaa"
		if b := append(append(buf[:0], w[:i]...), w[i+1:]...); ok(b) {
			return string(b)
		}
	}
	if len(w) < 6 {
		return ""
	}
	for i := 0; i < len(w); i++ { // mistyped: "casablance"
		for c := byte('a'); c <= 'z'; c++ {
			if c == w[i] {
				continue
			}
			b := append(buf[:0], w...)
			b[i] = c
			if ok(b) {
				return string(b)
			}
		}
	}
	return ""
}

// isKnown reports whether w is a word of some item, name or lexicon list.
func (ix *Index) isKnown(w string) bool {
	if _, ok := ix.vocab[w]; ok {
		return true
	}
	return ix.nameWords[w]
}
