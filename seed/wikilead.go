package seed

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// A Wikipedia lead paragraph names a film's credits in a few fixed shapes: "X is a 1950
// American adventure film directed by A, written by B and C, based on the 1883 novel Z by
// W, produced by Walt Disney Productions and distributed by RKO Radio Pictures." or "The
// film was directed by A." This file reads those shapes into the film's structured fields,
// each cited to the sentence it came from. It reads only what the sentence says in those
// shapes; anything else stays a plain fact for the answer engine's own reading.

// Pieces of the credit patterns. A person's name is two to six capitalised words, initials
// and name particles ("Cecil B. DeMille", "William C. deMille", "Erich von Stroheim",
// "D. W. Griffith", "Stanner E.V. Taylor"); a company's is capitalised words, digits and "&" ("20th Century Fox", "Metro-Goldwyn-Mayer",
// "Warner Bros.").
const (
	leadNameWord = `(?:de|di|da|du|le|la|van|von|d['’])?\p{Lu}[\p{L}'’.\-]*`
	particle     = `(?:de|von|van|der|den|di|da|du|del|della|le|la|y)`
	personName   = leadNameWord + `(?:\s+(?:` + particle + `\s+)*` + leadNameWord + `){1,5}`
	companyWord  = `[\p{Lu}0-9][\p{L}0-9'’&.\-]*`
	companyName  = `(?:the\s+)?` + companyWord + `(?:\s+(?:of\s+|&\s+|de\s+)?` + companyWord + `){0,6}`
	listSep      = `(?:,\s+and\s+|,\s+|\s+and\s+|\s+&\s+)`
)

var (
	personList  = regexp.MustCompile(`^` + personName + `(?:` + listSep + personName + `)*`)
	companyList = regexp.MustCompile(`^` + companyName + `(?:` + listSep + companyName + `)*`)
	splitList   = regexp.MustCompile(listSep)
	personOne   = regexp.MustCompile(`^` + personName + `$`)
	workPhrase  = regexp.MustCompile(`\b(?:[Bb]ased (?:up)?on|[Aa]dapted from|[Aa]n adaptation of|[Aa]daptation of) `)
	remakePhr   = regexp.MustCompile(`\bremake of `)
	sequelPhr   = regexp.MustCompile(`\b(?:sequel|follow-up) to `)
	// otherFilm marks text about another film earlier in the sentence ("a remake of the
	// 1934 film directed by…"): credits after it are not this film's.
	otherFilm = []string{"remake of", "sequel to", "based on", "adapted from", "version of", "previously", "earlier", "original film", "follow-up to", "prequel to"}
	// sourceWork marks a writer credit that belongs to the source work ("the novel written
	// by…"), not to the film.
	sourceWork = regexp.MustCompile(`\b(?:novel|play|story|book|musical|memoir|poem|article|comic|opera)s?\s*(?:\([^)]*\)\s*)?(?:,\s*)?$`)
	// leadClauseEnd ends a phrase such as the source work: a new clause, a credit or the
	// sentence's end.
	leadClauseEnd = regexp.MustCompile(`(?:,\s+(?:which|who|and|but|with|starring|stars|starred|follows|tells|directed|written|produced|it|the|a|an|while|as|where|its|in|released|featuring|about|set)\b|;|\s+and\s+(?:starring|stars|directed|written|produced|distributed|released|is|was)\b|\s+(?:starring|directed by|written by|produced by|distributed by|released by|which|that)\b|\.\s|\.$|$)`)
)

// creditBefore reads the credit verbs that end s, the text before a " by ": "directed",
// "written and directed", "directed, co-written, and co-produced", "was produced". It
// returns them lower-cased and where they start in s, or "" when s does not end in one.
// A hand-written scan, as this runs on every " by " of 36,000 extracts.
func creditBefore(s string) (verbs string, start int) {
	end := len(s)
	if strings.HasSuffix(s, " was") {
		end -= len(" was")
	}
	start = -1
	for {
		w := strings.LastIndexByte(s[:end], ' ') + 1
		word := strings.ToLower(strings.TrimSuffix(s[w:end], ","))
		if !creditWords[strings.TrimPrefix(word, "co-")] {
			break
		}
		verbs = word + " " + verbs
		start = w
		rest := s[:w]
		switch {
		case strings.HasSuffix(rest, ", and "):
			end = len(rest) - len(", and ")
		case strings.HasSuffix(rest, " and "):
			end = len(rest) - len(" and ")
		case strings.HasSuffix(rest, ", "):
			end = len(rest) - len(", ")
		default:
			return verbs, start
		}
		if end <= 0 {
			return verbs, start
		}
	}
	if start < 0 {
		return "", 0
	}
	return verbs, start
}

// creditWords are the words that may come just before the " by " of a credit.
var creditWords = map[string]bool{"directed": true, "written": true, "produced": true, "distributed": true, "released": true, "screenplay": true}

// leadCompanyWords mark a name as a company's rather than a person's.
var leadCompanyWords = []string{
	"Pictures", "Picture", "Productions", "Production", "Studios", "Studio", "Films", "Film",
	"Company", "Corporation", "Corp.", "Entertainment", "Inc.", "Bros.", "Brothers", "Releasing",
	"Features", "Feature", "Television", "Animation", "Artists", "Media", "Distributing",
	"Distribution", "Associates", "Enterprises", "Ltd.", "Co.", "Group", "Metro-Goldwyn-Mayer",
	"MGM", "RKO", "Paramount", "Universal", "Fox", "Columbia", "Vitagraph", "Mutual",
	"Essanay", "Biograph", "Triangle", "Republic", "Kalem", "Netflix", "Amazon", "Lionsgate",
	"Miramax", "DreamWorks", "A24", "Monogram", "Pathé", "Pathe", "Classics", "Works", "Network",
}

func isLeadCompany(name string) bool {
	for _, w := range strings.Fields(name) {
		for _, c := range leadCompanyWords {
			if w == c || strings.TrimSuffix(w, "'s") == c {
				return true
			}
		}
	}
	return false
}

// leadCredit is one credit read from a sentence.
type leadCredit struct {
	field string   // the film's TOML key
	names []string // people or companies
	text  string   // for based_on, remake_of, sequel_to
}

// readLead reads the credits one sentence of a lead paragraph gives.
func readLead(s string) []leadCredit {
	s = strings.TrimSpace(s)
	var out []leadCredit
	// Most sentences name no credit; plain searches keep the patterns off them.
	for at := 0; ; {
		i := strings.Index(s[at:], " by ")
		if i < 0 {
			break
		}
		i += at
		at = i + len(" by ")
		verbs, start := creditBefore(s[:i])
		if verbs == "" {
			continue
		}
		before := s[:start]
		after := s[at:min(len(s), at+240)]
		// Only the clause the credit is in can be about another film.
		if clause := before[strings.LastIndex(before, ", ")+1:]; containsAny(clause, otherFilm) {
			continue
		}
		var fields []string
		for _, v := range []struct{ verb, field string }{
			{"directed", "directors"}, {"written", "writers"}, {"screenplay", "writers"},
			{"produced", "producers"}, {"distributed", "distributors"}, {"released", "distributors"},
		} {
			if strings.Contains(verbs, v.verb) && !containsString(fields, v.field) {
				fields = append(fields, v.field)
			}
		}
		if containsString(fields, "writers") && sourceWork.MatchString(strings.TrimSpace(before[max(0, len(before)-40):])) {
			continue
		}
		people := names(personList.FindString(after))
		companies := names(companyList.FindString(after))
		for _, field := range fields {
			switch field {
			case "distributors":
				if cs := filter(companies, func(n string) bool { return !personOne.MatchString(n) || isLeadCompany(n) }); len(cs) > 0 {
					out = append(out, leadCredit{field: "distributors", names: cs})
				}
			case "producers":
				if cs := filter(companies, isLeadCompany); len(cs) > 0 {
					out = append(out, leadCredit{field: "studios", names: cs})
				}
				if ps := filter(people, func(n string) bool { return !isLeadCompany(n) }); len(ps) > 0 {
					out = append(out, leadCredit{field: "producers", names: ps})
				}
			default:
				if ps := filter(people, func(n string) bool { return !isLeadCompany(n) }); len(ps) > 0 {
					out = append(out, leadCredit{field: field, names: ps})
				}
			}
		}
	}
	for _, p := range []struct {
		re    *regexp.Regexp
		word  []string
		field string
	}{
		{workPhrase, []string{"based", "adapt"}, "based_on"},
		{remakePhr, []string{"remake"}, "remake_of"},
		{sequelPhr, []string{"sequel", "follow-up"}, "sequel_to"},
	} {
		if !containsAny(s, p.word) {
			continue
		}
		loc := p.re.FindStringIndex(s)
		if loc == nil {
			continue
		}
		rest := s[loc[1]:]
		end := leadClauseEnd.FindStringIndex(rest)
		phrase := strings.TrimRight(strings.TrimSpace(rest[:end[0]]), ",;:")
		if utf8.RuneCountInString(phrase) < 3 || len(strings.Fields(phrase)) < 2 && !startsUpper(phrase) {
			continue
		}
		if utf8.RuneCountInString(phrase) > MaxRole {
			phrase = clip(phrase, MaxRole)[0]
		}
		out = append(out, leadCredit{field: p.field, text: phrase})
	}
	return out
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func startsUpper(s string) bool {
	return s != "" && strings.ToUpper(s[:1]) == s[:1]
}

// names splits a matched list into names, dropping a sentence's full stop from the last
// one ("John Ford." is "John Ford", but "Warner Bros." and "D. W." keep theirs).
func names(list string) []string {
	if list == "" {
		return nil
	}
	var out []string
	for _, n := range splitList.Split(list, -1) {
		n = strings.TrimSpace(n)
		n = strings.TrimPrefix(n, "the ")
		// A sentence the splitter left joined after "Jr." goes on with a new subject.
		if words := strings.Fields(n); len(words) > 2 {
			for i, w := range words[2:] {
				if sentenceStarts[w] {
					n = strings.Join(words[:i+2], " ")
					break
				}
			}
		}
		if strings.HasSuffix(n, ".") {
			words := strings.Fields(n)
			last := strings.TrimSuffix(words[len(words)-1], ".")
			if utf8.RuneCountInString(last) > 1 && !abbreviations[strings.ToLower(last)] && last != "Bros" {
				n = strings.TrimSuffix(n, ".")
			}
		}
		if n != "" && !containsString(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// sentenceStarts are words that begin a sentence and are never part of a name.
var sentenceStarts = map[string]bool{"It": true, "The": true, "He": true, "She": true, "This": true, "They": true, "In": true, "A": true, "An": true}

func filter(list []string, keep func(string) bool) []string {
	var out []string
	for _, s := range list {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

// lead reads the credits of sentence s (fact ID fact) into film fm, for the fields fm does
// not have yet: the first sentence that names a credit is the lead's own statement of it.
func (w *wikiImport) lead(c *Catalog, fm *Film, s, fact, source string, line int, people *[]*spot) {
	for _, cr := range readLead(s) {
		if filmHas(fm, cr.field) {
			// "directed by A, co-directed by B" in one sentence names both.
			if cited(fm, cr.field) == fact && (cr.field == "directors" || cr.field == "writers") {
				for _, n := range cr.names {
					id := w.person(c, n, source, line, people)
					if cr.field == "directors" && !containsString(fm.Directors, id) {
						fm.Directors = append(fm.Directors, id)
					} else if cr.field == "writers" && !containsString(fm.Writers, id) {
						fm.Writers = append(fm.Writers, id)
					}
				}
			}
			continue
		}
		switch cr.field {
		case "directors", "writers", "producers":
			var ids []string
			for _, n := range cr.names {
				if utf8.RuneCountInString(n) > MaxTitle {
					continue
				}
				ids = append(ids, w.person(c, n, source, line, people))
			}
			if len(ids) == 0 {
				continue
			}
			switch cr.field {
			case "directors":
				fm.Directors = ids
			case "writers":
				fm.Writers = ids
			case "producers":
				fm.Producers = ids
			}
		case "studios":
			fm.Studios = shortNames(cr.names)
		case "distributors":
			fm.Distributors = shortNames(cr.names)
		case "based_on":
			fm.BasedOn = cr.text
		case "remake_of":
			fm.RemakeOf = cr.text
		case "sequel_to":
			fm.SequelTo = cr.text
		}
		if filmHas(fm, cr.field) {
			fm.Cites = append(fm.Cites, Cite{Field: cr.field, Fact: fact})
			w.notes.credits[cr.field]++
		}
	}
}

// cited returns the fact that field of fm is cited to, or "".
func cited(fm *Film, field string) string {
	for _, c := range fm.Cites {
		if c.Field == field {
			return c.Fact
		}
	}
	return ""
}

// shortNames keeps the names that fit a list entry.
func shortNames(ns []string) []string {
	return filter(ns, func(n string) bool { return utf8.RuneCountInString(n) <= MaxShort })
}

// filmHas reports whether fm already has the field.
func filmHas(fm *Film, field string) bool {
	switch field {
	case "directors":
		return len(fm.Directors) > 0
	case "writers":
		return len(fm.Writers) > 0
	case "producers":
		return len(fm.Producers) > 0
	case "studios":
		return len(fm.Studios) > 0
	case "distributors":
		return len(fm.Distributors) > 0
	case "based_on":
		return fm.BasedOn != ""
	case "remake_of":
		return fm.RemakeOf != ""
	case "sequel_to":
		return fm.SequelTo != ""
	}
	return false
}
