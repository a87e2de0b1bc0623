package answer

import (
	"regexp"
	"strconv"
	"strings"
)

// Reading the title slot. "Who directed ___?", "who starred in ___", "when did ___ come
// out": what fills the slot is a film, and when it is not one the data holds the honest
// answer is "not in my data", never an answer about some other film, even when the slot
// holds common words ("the host", "up", "her").

// slotPatterns find the title slot in a folded question; group 1 is the slot.
var slotPatterns = []*regexp.Regexp{
	regexp.MustCompile(`^(?:who|whos|who s) (?:directed|direct|made|wrote|produced|scored|shot|filmed) (.+)$`),
	regexp.MustCompile(`^who (?:starred|stars|stared|acted|acts|is|was|were|are|plays|played|appears|appeared) in (.+)$`),
	regexp.MustCompile(`^(?:whos|who s) in (.+)$`),
	regexp.MustCompile(`^(?:who|whos|who s) (?:is |was |are |were )?the (?:director|directors|cast|stars?|lead|leads|writer|writers|composer) (?:of|in|for) (.+)$`),
	regexp.MustCompile(`^(?:what|which) year (?:did|was|is) (.+?) (?:come out|came out|released|made|out)$`),
	regexp.MustCompile(`^when (?:did|does|was|is|will) (.+?) (?:come out|came out|comes out|released|release|made|premiere|premiered|out)$`),
	regexp.MustCompile(`^(?:is|was) (.+?) (?:any good|good|worth it|worth watching|worth a watch|a good film|a good movie)$`),
	regexp.MustCompile(`^(?:what is|whats|what s) (.+?) about$`),
	regexp.MustCompile(`^(?:where was|where is|where were) (.+?) (?:filmed|shot|made)$`),
	// "did bong joon ho direct parasite": the slot follows the verb
	regexp.MustCompile(`^(?:did|does|was|is) (?:\S+ ){1,4}?(?:direct|directed|star in|starred in|act in|acted in|appear in|appeared in|write|wrote|produce|produced|score|scored) (.+)$`),
}

// slotFiller are words a slot may end with that are not part of a title.
var slotFiller = map[string]bool{
	"lol": true, "again": true, "first": true, "originally": true, "actually": true, "exactly": true,
	"anyway": true, "tho": true, "pls": true, "please": true, "ever": true, "btw": true, "then": true,
	"now": true, "film": false,
}

// slotPronouns are slot fillers that mean the film in context, not a title. "her" is not
// one: it is a film's title, and "is her any good" names it.
var slotPronouns = map[string]bool{
	"it": true, "this": true, "that": true, "them": true, "the film": true, "the movie": true,
	"this film": true, "this movie": true, "that film": true, "that movie": true, "the flick": true,
	"the picture": true, "this one": true, "that one": true,
}

// titleSlot returns what fills the title slot of a folded question, or "".
func titleSlot(text string) string {
	text = strings.TrimSpace(text)
	for _, re := range slotPatterns {
		m := re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		words := strings.Fields(m[1])
		for len(words) > 0 && slotFiller[words[len(words)-1]] {
			words = words[:len(words)-1]
		}
		return strings.Join(words, " ")
	}
	return ""
}

// slotUnknown reports whether a question's title slot names no film the data holds: it is
// neither a pronoun for the film in context nor a title the question was read to name.
func (ix *Index) slotUnknown(q *query, slot string) bool {
	if slot == "" {
		return false
	}
	for p := range slotPronouns {
		if slot == p || strings.HasPrefix(slot, p+" ") {
			return false
		}
	}
	if len(q.films) > 0 || len(q.chars) > 0 || len(q.persons) > 0 {
		return false // the slot holds a title (or a name) the data knows
	}
	for _, w := range strings.Fields(slot) {
		if ix.titleWords[w] {
			return false // "the original paddington books": about a film the data knows
		}
		if _, listed := ix.lex.byWord[w]; listed || ix.lex.generic[w] || ix.lex.role[w] || ix.lex.crew[w] {
			return false // "the cast", "the story", "the main character": no title
		}
	}
	for _, w := range strings.Fields(slot) {
		if _, err := strconv.Atoi(w); err == nil {
			continue
		}
		return true
	}
	return false
}
