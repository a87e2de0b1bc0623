package trivia

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"filmbot/fold"
	"filmbot/seed"
)

// Match reports whether typed answers q: whether it matches q.Answer or one of q.Accept
// once both sides are normalised (see normalise), comparing whole words with a little
// room for typos: each typed word may be one edit away from the expected word when that
// word has up to 6 letters, two edits beyond that, and numbers must be exact. Words are
// never matched inside other words ("air" does not answer "chair"), and the typed answer
// must have as many words as the expected one. Writing the words of an answer together
// ("romcom" for "rom com") also counts, spelt exactly.
func Match(typed string, q seed.Question) bool {
	got := normalise(typed)
	if len(got) == 0 {
		return false
	}
	for _, want := range append([]string{q.Answer}, q.Accept...) {
		for _, form := range answerForms(want) {
			if wordsMatch(got, form) || joinedMatch(got, form) {
				return true
			}
		}
	}
	return false
}

// joinedMatch reports whether got and want are the same letters split into words
// differently ("romcom" and "rom com"). Numbers are left out: "one two" is not 12.
func joinedMatch(got, want []string) bool {
	if len(got) == len(want) {
		return false
	}
	g, w := strings.Join(got, ""), strings.Join(want, "")
	return g == w && strings.IndexFunc(g, isDigitRune) < 0
}

// answerForms returns the normalised forms of an expected answer: without its
// parenthesised text, and, when it has some, with it too ("Koryo Tours (Beijing)" is
// answered by "Koryo Tours" and by "Koryo Tours Beijing").
func answerForms(answer string) [][]string {
	forms := [][]string{normalise(answer)}
	if strings.ContainsAny(answer, "([") {
		forms = append(forms, normaliseKeep(answer))
	}
	return forms
}

// normalise turns an answer into comparable words: text in parentheses or brackets
// dropped, "&" read as "and", digits' thousands separators removed, then fold.String
// (Unicode compatibility forms, case, accents, punctuation), a leading "the", "a" or "an"
// dropped, and numbers written in words turned into digits ("twenty-eight" → "28",
// "1st" → "1").
func normalise(s string) []string {
	return normaliseKeep(dropParenthesised(s))
}

// normaliseKeep is normalise without dropping parenthesised text.
func normaliseKeep(s string) []string {
	s = strings.ReplaceAll(s, "&", " and ")
	s = strings.ReplaceAll(s, "＆", " and ")
	words := fold.Words(joinDigitGroups(s))
	if len(words) > 1 {
		switch words[0] {
		case "the", "a", "an":
			words = words[1:]
		}
	}
	return numbersToDigits(words)
}

// dropParenthesised removes text between ( and ) or [ and ], nesting allowed; an
// unclosed bracket drops the rest.
func dropParenthesised(s string) string {
	if !strings.ContainsAny(s, "([") {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(' || r == '[':
			depth++
			b.WriteByte(' ')
		case (r == ')' || r == ']') && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// joinDigitGroups removes the commas in numbers such as "1,500" so they stay one word.
func joinDigitGroups(s string) string {
	if !strings.Contains(s, ",") {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ',' && i > 0 && isDigit(s[i-1]) && threeDigits(s[i+1:]) {
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}

// threeDigits reports whether s starts with exactly three digits.
func threeDigits(s string) bool {
	return len(s) >= 3 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && (len(s) == 3 || !isDigit(s[3]))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

var (
	smallNumbers = map[string]int{
		"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
		"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
		"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
		"eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
		"fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	}
	ordinals = map[string]int{
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
		"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
	}
	scales = map[string]int{"hundred": 100, "thousand": 1000, "million": 1000000}
)

// numbersToDigits replaces each run of number words with its value in digits, and digits
// with an ordinal suffix ("21st") with the bare digits.
func numbersToDigits(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); {
		if n, used := readNumber(words[i:]); used > 0 {
			out = append(out, strconv.Itoa(n))
			i += used
			continue
		}
		out = append(out, stripOrdinal(words[i]))
		i++
	}
	return out
}

// readNumber reads number words from the start of words ("one hundred and five",
// "twenty eight", "third") and returns the value and how many words it used; used is 0
// when words does not start with a number.
func readNumber(words []string) (n, used int) {
	if len(words) == 0 {
		return 0, 0
	}
	if v, ok := ordinals[words[0]]; ok {
		return v, 1
	}
	total, cur := 0, 0
	lastScale := false
	for used < len(words) {
		w := words[used]
		if v, ok := smallNumbers[w]; ok {
			// "twenty eight" adds; "eight twenty" is two numbers.
			if used > 0 && !lastScale && !(cur%100 >= 20 && cur%10 == 0 && v < 10) {
				break
			}
			cur += v
			lastScale = false
		} else if v, ok := scales[w]; ok && used > 0 {
			if cur == 0 {
				cur = 1
			}
			if v == 100 {
				cur *= v
			} else {
				total += cur * v
				cur = 0
			}
			lastScale = true
		} else if w == "and" && lastScale && used+1 < len(words) && smallNumbers[words[used+1]] > 0 {
			// "hundred and five": the "and" belongs to the number
		} else {
			break
		}
		used++
	}
	if used == 0 {
		return 0, 0
	}
	return total + cur, used
}

// stripOrdinal turns "1st", "22nd", "3rd", "4th" into their digits.
func stripOrdinal(w string) string {
	if len(w) < 3 || !isDigit(w[0]) {
		return w
	}
	switch w[len(w)-2:] {
	case "st", "nd", "rd", "th":
		d := w[:len(w)-2]
		for i := 0; i < len(d); i++ {
			if !isDigit(d[i]) {
				return w
			}
		}
		return d
	}
	return w
}

// wordsMatch compares typed words with expected ones, word by word.
func wordsMatch(got, want []string) bool {
	if len(got) != len(want) || len(want) == 0 {
		return false
	}
	for i := range want {
		if !wordMatches(got[i], want[i]) {
			return false
		}
	}
	return true
}

// wordMatches allows the typos Match documents; numbers and words with digits must be
// exact.
func wordMatches(got, want string) bool {
	if got == want {
		return true
	}
	if strings.IndexFunc(want, isDigitRune) >= 0 || strings.IndexFunc(got, isDigitRune) >= 0 {
		return false
	}
	allowed := 1
	if utf8.RuneCountInString(want) > 6 {
		allowed = 2
	}
	return editDistance(got, want, allowed) <= allowed
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

// editDistance returns the optimal string alignment distance between a and b (insertions,
// deletions, substitutions and swaps of neighbouring letters each cost one), or a value
// above limit as soon as it is certain to exceed it.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
