package seed

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"filmbot/fold"
)

// Reading relations out of prose: an article imported raw, or a Wikipedia lead paragraph,
// says "directed by Carol Reed", "Holly Martins (Joseph Cotten)" or "104 mins" in running
// text. ExtractRelations finds such statements one sentence at a time, and ApplyRelations
// records them in the structured film fields a curated seed fills by hand, each field cited
// to the fact (the sentence) it was read from. The patterns favour precision: a relation
// the patterns are unsure of is left to the sentence, which stays a fact either way.

// Relation is one thing a sentence states about a film, in the terms of a film field.
type Relation struct {
	// Field is the film field's TOML key, as a Cite names it: "directors", "writers",
	// "composers", "producers", "cast", "based_on", "studios", "distributors", "runtime",
	// "released", "premiere", "setting", "budget", "box_office", "rating", "remake_of",
	// "sequel_to".
	Field string
	// Value is a person's name for directors, writers, composers, producers and cast;
	// minutes in digits for runtime; otherwise the text as the sentence gives it.
	Value string
	// Role is the character a cast member plays, when the sentence names one.
	Role string
}

// Name-shaped text. A name word starts with a capital; particles such as "von" and "de"
// may join two of them. Possessive endings are trimmed afterwards.
const (
	nameWord = `\p{Lu}[\p{L}\p{M}'’.-]*`
	name     = nameWord + `(?:[ \x{a0}]+(?:(?:de|da|van|von|der|del|du|di|le|la|bin|al)[ \x{a0}]+)?` + nameWord + `){0,3}`
	// nameList is one or more names joined by commas, "and" or "&", each optionally
	// followed by a parenthetical remark ("Paul King (who also directs)").
	nameList = name + `(?:\s*\([^)]{0,40}\))?(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)` + name + `(?:\s*\([^)]{0,40}\))?)*`
	// role is a character: a name, or a short description ("a cravat-wearing villain").
	role  = `(?:` + name + `|(?:the|a|an)\s+[\p{Ll}-]+(?:\s+[\p{Ll}-]+){0,2})`
	money = `(?:(?:US|A|C|HK|NZ)?[$€£¥₹]\s?\d[\d,.]*(?:\s?(?:million|billion|bn|m|crore|lakh)\b)?|\d[\d,.]*\s?(?:million|billion|thousand)?\s?(?:dollars|euros|pounds|yen|rupees|kroner|kronor|krona|won|yuan|francs|marks|lire)|\d[\d,.]*\s?(?:crore|lakh)\b)`
	month = `(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?`
	date  = `(?:\d{1,2}\s+` + month + `,?\s+\d{4}|` + month + `\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|` + month + `\s+\d{4}|\b(?:18|19|20)\d\d\b)`
)

// relPattern is one way a sentence states a relation. The named group "v" holds the value
// (a list of names for people fields) and "r" the role, when there is one.
type relPattern struct {
	field string
	// cues are lower-case words one of which the sentence must hold for the pattern to
	// be tried: most sentences state no credit, and a substring test is far cheaper than
	// a regular expression that has to try every position.
	cues []string
	re   *regexp.Regexp
}

func pat(field, cues, expr string) relPattern {
	return relPattern{field, strings.Split(cues, "|"), regexp.MustCompile(expr)}
}

// cued reports whether lower (the sentence in lower case) holds one of p's cues.
func (p *relPattern) cued(lower string) bool {
	for _, c := range p.cues {
		if strings.Contains(lower, c) {
			return true
		}
	}
	return false
}

// The patterns, by field. Trigger words are case-insensitive; names are not, since a
// capital is what tells a name from running text.
var relPatterns = []relPattern{
	// The source work comes first: credits inside it are the work's, not the film's.
	pat("based_on", "based on|adapted from|adaptation of|inspired by", `(?i:based\s+on|adapted\s+from|an\s+adaptation\s+of|inspired\s+by)\s+(?P<v>[^.;]{3,160})`),
	pat("directors", "directed|helmed", `(?i:directed|helmed|co-directed)\s+by\s+(?P<v>`+nameList+`)`),
	pat("directors", "director|filmmaker|film-maker", `(?i:\b(?:co-)?directors?|filmmaker|film-maker|writer[- /]and[- /]director|writer-director|writer/director)\s*:?\s+(?P<v>`+nameList+`)`),
	pat("directors", "direct", `(?P<v>`+nameList+`)(?:,\s+who)?\s+(?i:directed|directs|co-directed)\b`),
	pat("writers", "written|scripted", `(?i:written|co-written|scripted)\s+by\s+(?P<v>`+nameList+`)`),
	pat("writers", "screenplay|script|story", `(?i:screenplay|script|story)\s+(?i:by)\s+(?P<v>`+nameList+`)`),
	pat("writers", "writer", `(?i:\b(?:co-)?writers?|screenwriters?|scriptwriters?|writer[- /]and[- /]director|writer-director|writer/director)\s*:?\s+(?P<v>`+nameList+`)`),
	pat("writers", "wrote", `(?P<v>`+nameList+`)\s+(?i:wrote|co-wrote)\s+(?i:the\s+)?(?i:screenplay|script)`),
	pat("composers", "music|score|soundtrack|songs", `(?i:music|score|soundtrack|songs)\s+(?i:by|from)\s+(?P<v>`+nameList+`)`),
	pat("composers", "scored|composed", `(?i:scored|composed)\s+by\s+(?P<v>`+nameList+`)`),
	pat("composers", "composer|music director", `(?i:\bcomposers?|music\s+director)\s*:?\s+(?P<v>`+nameList+`)`),
	pat("composers", "music|score|soundtrack|theme", `(?P<v>`+name+`)(?:'s|’s|’|')\s+(?:[\p{Ll}-]+\s+){0,3}(?i:music|score|soundtrack|theme)\b`),
	pat("producers", "produced", `(?i:produced)\s+by\s+(?P<v>`+nameList+`)`),
	pat("producers", "producer", `(?i:\b(?:executive\s+)?producers?)\s*:?\s+(?P<v>`+nameList+`)`),
	pat("distributors", "distributed|released", `(?i:distributed|released)\s+by\s+(?P<v>`+name+`)`),
	pat("distributors", "distributor", `(?i:\bdistributors?)\s*:?\s+(?P<v>`+name+`)`),
	pat("studios", "studio|production company|animation house", `(?i:\bstudio|production\s+company|animation\s+house)\s*:?\s+(?P<v>`+name+`)`),
	pat("cast", "play|portray|voice|star|cast|appear", `(?P<v>`+name+`)(?:,\s+who)?\s+(?i:plays|played|portrays|portrayed|voices|voiced|stars\s+as|starred\s+as|starring\s+as|is\s+cast\s+as|was\s+cast\s+as|appears\s+as|as\s+the\s+voice\s+of)\s+(?P<r>`+role+`)`),
	pat("cast", " as ", `(?P<v>`+name+`)\s+(?:[\p{Ll}-]+\s+){1,4}as\s+(?P<r>(?:the|a|an)\s+[\p{Ll}-]+(?:\s+[\p{Ll}-]+){0,2})`),
	pat("cast", " as ", `(?P<v>`+name+`),?\s+as\s+(?P<r>`+name+`)`),
	pat("cast", "played|voiced|portrayed", `(?P<r>`+name+`)(?:,|\s+is|\s+was)?\s+(?i:played|voiced|portrayed)\s+by\s+(?P<v>`+name+`)`),
	pat("cast", "starring|featuring|cast|stars|actors|actresses", `(?i:\bstarring|\bco-starring|\bfeaturing|\bcast\s*:|\bcast\s+includes|\bstars|\bactors|\bactresses)\s+(?P<v>`+nameList+`)`),
	pat("runtime", "min", `\b(?P<v>\d{2,3})[- ]?(?i:minutes?|mins?)\b`),
	pat("runtime", "hour", `(?i:\bat|\bruns(?:\s+for)?|running\s+time\s+of|\blasts)\s+(?:(?i:about|almost|nearly|over|just\s+under)\s+)?(?P<v>(?i:one|two|three|four|\d)(?:\s+and\s+a\s+half)?)\s+(?i:hours?)\b`),
	pat("runtime", "hour", `\b(?P<v>(?i:one|two|three|four|\d)(?:-and-a-half)?)-hour(?:-long)?\s+(?i:film|movie|epic|journey|drama|saga|running\s+time|runtime|feature)`),
	pat("runtime", "hour|hr|h ", `\b(?P<v>\d ?(?i:h|hrs?|hours?) ?\d{1,2} ?(?i:m|mins?|minutes?))\b`),
	pat("released", "release|came out|opened|hit ", `(?i:\bon|\bin)\s+(?P<v>`+date+`),?\s+[^.;]{0,60}?(?i:hit\s+(?:theaters|theatres|cinemas)|was\s+released|came\s+out|opened\s+in\s+cinemas)`),
	pat("released", "release|came out|opened|hit ", `(?i:released|came\s+out|opened|release\s+came|hit\s+(?:theaters|theatres|cinemas))\b[^.;]{0,30}?\b(?i:on|in)\s+(?P<v>`+date+`)`),
	pat("premiere", "premiere|debuted|first shown", `(?i:premiered|premieres|premiere(?:d)?\s+(?:is\s+)?scheduled|debuted|first\s+shown)\s+(?P<v>(?i:at|in|on)\s+[^;]{3,120})`),
	pat("setting", "set |takes place", `(?i:\bset\s+(?:in|during|on|at)|takes\s+place\s+(?:in|during|on|at))\s+(?P<v>[^;]{3,120})`),
	pat("budget", "budget|cost", `(?i:budget\s+of|budget\s+(?:was|is|:)|budgeted\s+at|cost|costing)\s+(?:(?i:about|around|some|nearly|almost|just|over|under|only|roughly)\s+)?(?P<v>`+money+`)`),
	pat("budget", "budget", `(?P<v>`+money+`)\s+(?i:budget)`),
	pat("box_office", "gross|took in|raked in|earned|box", `(?i:grossed|grossing|took\s+in|raked\s+in|earned|box[- ]office\s+(?:of|take\s+of|haul\s+of))\s+(?:(?i:about|around|some|nearly|almost|just|over|more\s+than|roughly)\s+)?(?P<v>`+money+`)`),
	pat("rating", "/|out of|stars|★", `(?P<v>\d(?:\.\d)?\s?/\s?(?:5|10)|\d(?:\.\d)?\s+out\s+of\s+(?:5|10|five|ten)(?:\s+stars)?|(?i:one|two|three|four|five)\s+stars|[★]+[☆]*)`),
	pat("remake_of", "remake|remade", `(?i:remake\s+of|remade\s+from)\s+(?P<v>[^.;,]{3,80})`),
	pat("sequel_to", "sequel|follow-up", `(?i:sequel\s+to|follow-up\s+to)\s+(?P<v>[^.;,]{3,80})`),
}

// listSplit cuts a list of names at commas, "and" and "&".
var listSplit = regexp.MustCompile(`\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*`)

// parenCredit finds "(Joseph Cotten)" and "(Murphy)": a cast member in brackets after the
// character they play.
var parenCredit = regexp.MustCompile(`\((` + name + `)\)`)

// clauseEnd cuts a free-text value at the end of its clause: a comma followed by a word
// that starts a new clause, or a conjunction that starts a new statement.
var clauseEnd = regexp.MustCompile(`,\s+(?:which|who|where|when|while|as|but|and|then|days|weeks|months|years|so|the|a|an|it|this|that|with)\b|\s+(?:and|but)\s+(?:is|was|are|were|follows|tells|centers|centres|revolves|stars|features)\b|\s+where\b|\s+(?:who|which)\s|\s+--\s|\s+[–—]\s`)

// Helpers of the readers below.
var (
	possessive  = regexp.MustCompile(`(` + name + `)(?:'s|’s|’|')\s+(?:((?:18|19|20)\d\d)\s+)?(?:(?:[\p{Ll}-]+\s+){0,3}?((?i:film|movie|picture|feature|thriller|drama|comedy|epic|western|musical|classic))\b)?,?\s*`)
	parenRemark = regexp.MustCompile(`\s*\([^)]*\)`)
	lastName    = regexp.MustCompile(`(` + name + `)\s*$`)
	openingName = regexp.MustCompile(`^\s*(?:,\s*)?(?:[\p{Ll}-]+\s+){0,2}(` + name + `)\s*,`)
	titleEnd    = regexp.MustCompile(`,\s+(?:which|where|when|while|but|so|it|this|and\s+(?:is|was|the))\b|\s+and\s+\p{Ll}|\s+--\s|\s+[–—]\s`)
	digits      = regexp.MustCompile(`\d+`)
)

// notNames are capitalised words that start sentences or name things other than people.
var notNames = map[string]bool{
	"the": true, "a": true, "an": true, "this": true, "that": true, "it": true, "its": true,
	"he": true, "she": true, "they": true, "his": true, "her": true, "their": true, "but": true,
	"and": true, "in": true, "on": true, "at": true, "as": true, "for": true, "with": true,
	"yet": true, "so": true, "after": true, "before": true, "when": true, "while": true,
	"director": true, "producer": true, "composer": true, "writer": true, "cast": true,
	"film": true, "movie": true, "oscar": true, "oscars": true, "academy": true,
	"if": true, "there": true, "here": true,
	"both": true, "all": true, "one": true, "some": true, "his film": true, "we": true,
	"you": true, "i": true, "our": true, "my": true, "also": true, "even": true, "only": true,
}

// nationality words are capitalised without naming anyone: "North Korean producers".
var nationality = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`american british english scottish welsh irish french german italian
		spanish portuguese dutch belgian swiss austrian swedish norwegian danish finnish polish
		russian ukrainian czech hungarian greek turkish latvian lithuanian estonian korean japanese
		chinese indian mexican canadian australian brazilian argentine african egyptian iranian
		israeli european asian hollywood bollywood`) {
		nationality[w] = true
	}
}

// companyWords end the names of companies, which are studios or distributors, never people.
var companyWords = map[string]bool{
	"studios": true, "studio": true, "pictures": true, "films": true, "productions": true,
	"animation": true, "entertainment": true, "bros": true, "bros.": true, "media": true,
	"company": true, "corporation": true, "inc": true, "inc.": true, "ltd": true, "group": true,
	"distribution": true, "releasing": true, "centre": true, "center": true, "ghibli": true,
	"pixar": true, "netflix": true, "toho": true, "disney": true, "universal": true,
	"paramount": true, "warner": true, "columbia": true, "mgm": true, "a24": true,
}

// ExtractRelations reads the relations sentence states about the film titled title. The
// title keeps the film's own name from being read as a person ("Oppenheimer (Murphy)" is
// a credit, "Casablanca premiered" names no one).
func ExtractRelations(sentence, title string) []Relation {
	s := strings.Join(strings.Fields(sentence), " ")
	if s == "" {
		return nil
	}
	titleKey := fold.String(title)
	var out []Relation
	seen := map[Relation]bool{}
	add := func(r Relation) {
		r.Value = strings.TrimSpace(r.Value)
		r.Role = strings.TrimSpace(r.Role)
		if r.Value == "" || seen[r] {
			return
		}
		seen[r] = true
		out = append(out, r)
	}
	// Spans read as the source work ("adapted from a play written by …") are not the
	// film's own credits.
	var basedSpan [2]int
	lower := strings.ToLower(s)
	for i := range relPatterns {
		p := &relPatterns[i]
		if !p.cued(lower) {
			continue
		}
		for _, m := range p.re.FindAllStringSubmatchIndex(s, -1) {
			v := group(p.re, s, m, "v")
			r := group(p.re, s, m, "r")
			start := m[0]
			switch p.field {
			case "based_on":
				v = cutClause(v, true)
				basedSpan = [2]int{m[0], m[1]}
				add(Relation{Field: p.field, Value: v})
			case "directors", "writers", "composers", "producers":
				if p.field != "composers" && basedSpan[1] > 0 && start >= basedSpan[0] && start < basedSpan[1] {
					continue
				}
				for _, n := range splitNames(v, titleKey) {
					if isCompany(n) {
						if p.field == "producers" {
							add(Relation{Field: "studios", Value: n})
						}
						continue
					}
					add(Relation{Field: p.field, Value: n})
				}
			case "cast":
				if r != "" {
					actor := cleanName(v)
					role := cleanName(r)
					if !personLike(actor, titleKey) || role == "" || fold.String(role) == titleKey {
						continue
					}
					if strings.HasPrefix(role, "the ") || strings.HasPrefix(role, "a ") || strings.HasPrefix(role, "an ") {
						role = strings.TrimSuffix(role, " who")
					} else if !personLike(role, "") {
						continue
					}
					add(Relation{Field: "cast", Value: actor, Role: role})
					continue
				}
				for _, n := range splitNames(v, titleKey) {
					add(Relation{Field: "cast", Value: n})
				}
			case "studios", "distributors":
				n := cleanName(v)
				if n != "" && !notNames[fold.String(n)] && fold.String(n) != titleKey {
					add(Relation{Field: p.field, Value: n})
				}
			case "runtime":
				if mins := minutes(v); mins >= 40 && mins <= 600 {
					add(Relation{Field: p.field, Value: strconv.Itoa(mins)})
				}
			case "premiere", "setting":
				add(Relation{Field: p.field, Value: cutClause(v, false)})
			case "remake_of", "sequel_to":
				add(Relation{Field: p.field, Value: cutClause(v, true)})
			default:
				add(Relation{Field: p.field, Value: v})
			}
		}
	}
	// "Carol Reed's 1949 film", "Gints Zilbalodis's "Flow"": the possessive names the
	// film's maker when a year and "film" or the title itself follow it.
	for _, m := range possessives(s, lower) {
		n := cleanName(s[m[2]:m[3]])
		rest := strings.TrimLeft(s[m[1]:], " “\"‘'")
		yearFilm := m[4] >= 0 && m[6] >= 0
		titled := titleKey != "" && startsWithWords(fold.String(rest), titleKey)
		if (yearFilm || titled) && personLike(n, titleKey) {
			add(Relation{Field: "directors", Value: n})
		}
	}
	if !strings.Contains(s, "(") {
		return out
	}
	for _, m := range parenCredit.FindAllStringSubmatchIndex(s, -1) {
		actor := cleanName(s[m[2]:m[3]])
		if !personLike(actor, titleKey) || (!strings.Contains(actor, " ") && isAcronym(actor)) {
			continue
		}
		role := roleBefore(s[:m[0]], titleKey)
		if role == "" || fold.String(role) == fold.String(actor) {
			continue
		}
		add(Relation{Field: "cast", Value: actor, Role: role})
	}
	return out
}

// group returns the named submatch of m, or "".
func group(re *regexp.Regexp, s string, m []int, name string) string {
	i := re.SubexpIndex(name)
	if i < 0 || m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

// splitNames cuts a list into the names that look like people's or companies'.
func splitNames(list, titleKey string) []string {
	var out []string
	list = parenRemark.ReplaceAllString(list, "")
	for _, part := range listSplit.Split(list, -1) {
		n := cleanName(part)
		if personLike(n, titleKey) || isCompany(n) {
			out = append(out, n)
		}
	}
	return out
}

// cleanName trims possessives and stray punctuation from a name.
func cleanName(n string) string {
	n = strings.TrimSpace(n)
	for _, suf := range []string{"'s", "’s", "’", "'"} {
		n = strings.TrimSuffix(n, suf)
	}
	return strings.Trim(n, " ,.:;\"“”")
}

// personLike reports whether n reads as a person's name: one to four capitalised words,
// not a sentence opener, pronoun or the film's title.
func personLike(n, titleKey string) bool {
	if n == "" || utf8.RuneCountInString(n) > MaxShort {
		return false
	}
	key := fold.String(n)
	if key == titleKey || notNames[key] {
		return false
	}
	words := strings.Fields(n)
	if len(words) > 4 || notNames[fold.String(words[0])] || nationality[fold.String(words[len(words)-1])] {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsDigit(r) {
			return false
		}
	}
	return !isCompany(n)
}

// isCompany reports whether n ends like a company's name.
func isCompany(n string) bool {
	words := strings.Fields(fold.String(n))
	return len(words) > 0 && companyWords[strings.Trim(words[len(words)-1], ".")]
}

// isAcronym reports whether w is all capitals, like "AFI" or "VFX".
func isAcronym(w string) bool {
	return strings.ToUpper(w) == w
}

// roleBefore finds the character a bracketed credit follows: the name just before the
// bracket ("Buzz Lightyear (Tim Allen)"), or else the name that opens the clause ("Rex, a
// plastic dinosaur with an assertiveness problem (Wallace Shawn)").
func roleBefore(s, titleKey string) string {
	clause := s
	if i := strings.LastIndexAny(clause, ";:•"); i >= 0 {
		clause = clause[i+1:]
	}
	if i := strings.LastIndex(clause, " and "); i >= 0 && strings.LastIndex(clause, ")") < i {
		clause = clause[i+5:]
	}
	if i := strings.LastIndex(clause, ")"); i >= 0 {
		clause = clause[i+1:]
	}
	if m := lastName.FindStringSubmatch(clause); m != nil {
		n := cleanName(m[1])
		if personLike(n, titleKey) || strings.HasPrefix(n, "Mr") || strings.HasPrefix(n, "Mrs") {
			return n
		}
	}
	if m := openingName.FindStringSubmatch(clause); m != nil {
		n := cleanName(m[1])
		if personLike(n, titleKey) {
			return n
		}
	}
	return ""
}

// cutClause ends a free-text value at its clause's end; a title-like value (the source
// work, a remake) keeps commas that belong to it ("a 1940 play, Everybody Comes to
// Rick's, written by …").
func cutClause(v string, keepCommas bool) string {
	if !keepCommas {
		if loc := clauseEnd.FindStringIndex(v); loc != nil {
			v = v[:loc[0]]
		}
	} else if loc := titleEnd.FindStringIndex(v); loc != nil {
		v = v[:loc[0]]
	}
	v = strings.TrimSpace(strings.TrimRight(v, " ,.:;"))
	if utf8.RuneCountInString(v) > MaxRole {
		v = string([]rune(v)[:MaxRole])
	}
	return v
}

// hourWords are the spelled-out hours a runtime may be given in.
var hourWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4}

// minutes reads "104", "1h 44m", "three" (hours) or "two and a half" as minutes.
func minutes(v string) int {
	lower := strings.ToLower(v)
	words := strings.FieldsFunc(lower, func(r rune) bool { return r == ' ' || r == '-' })
	if len(words) > 0 {
		h, ok := hourWords[words[0]]
		if !ok && len(words[0]) == 1 && words[0][0] >= '1' && words[0][0] <= '9' && !strings.ContainsAny(lower, "hm") {
			h, ok = int(words[0][0]-'0'), len(words) > 1 || strings.Contains(lower, "half") || len(lower) == 1
		}
		if ok {
			m := 60 * h
			if strings.Contains(lower, "half") {
				m += 30
			}
			return m
		}
	}
	var nums []int
	for _, f := range digits.FindAllString(v, -1) {
		n, _ := strconv.Atoi(f)
		nums = append(nums, n)
	}
	switch len(nums) {
	case 1:
		return nums[0]
	case 2:
		return nums[0]*60 + nums[1]
	}
	return 0
}

// PeopleBook finds people by name and adds the ones a catalog lacks, so every film read
// from prose refers to one person per exact name (folded) across the catalog.
type PeopleBook struct {
	people []Person
	byName map[string]int
	ids    map[string]bool
	added  int // people[added:] are new
}

// NewPeopleBook starts a book from the people a catalog already holds.
func NewPeopleBook(existing []Person) *PeopleBook {
	b := &PeopleBook{people: existing, byName: make(map[string]int, len(existing)), ids: make(map[string]bool, len(existing)), added: len(existing)}
	for i, p := range existing {
		b.ids[p.ID] = true
		if _, dup := b.byName[fold.String(p.Name)]; !dup {
			b.byName[fold.String(p.Name)] = i
		}
	}
	return b
}

// ID returns the ID of the person named name, adding them (cited to source) when the
// book does not know them.
func (b *PeopleBook) ID(name, source string) string {
	key := fold.String(name)
	if i, ok := b.byName[key]; ok {
		return b.people[i].ID
	}
	id := unique(slug(name, 48), "person", b.ids)
	b.ids[id] = true
	b.byName[key] = len(b.people)
	b.people = append(b.people, Person{ID: id, Name: name, Source: source})
	return id
}

// Added returns the people the book added, in the order it met them.
func (b *PeopleBook) Added() []Person {
	return b.people[b.added:]
}

// ApplyRelations records relations read from the fact with ID factID in film f, people
// through book (new ones cited to source). A field the film already holds is kept (the
// first statement wins, and a curated value beats prose); a cast member already credited
// gains the role the sentence names. Each field filled is cited to factID.
func ApplyRelations(f *Film, book *PeopleBook, rs []Relation, factID, source string) {
	filled := map[string]bool{}
	cite := func(field string) {
		if !filled[field] {
			filled[field] = true
			for _, c := range f.Cites {
				if c.Field == field && c.Fact == factID {
					return
				}
			}
			f.Cites = append(f.Cites, Cite{Field: field, Fact: factID})
		}
	}
	people := func(field string, list *[]string, name string) {
		if len(*list) > 0 && !filled[field] {
			return // already read from an earlier sentence, or curated
		}
		id := book.ID(name, source)
		for _, have := range *list {
			if have == id {
				return
			}
		}
		*list = append(*list, id)
		cite(field)
	}
	text := func(field string, v *string, value string) {
		if *v != "" && !filled[field] {
			return
		}
		if *v == "" {
			*v = value
			cite(field)
		}
	}
	for _, r := range rs {
		switch r.Field {
		case "directors":
			people(r.Field, &f.Directors, r.Value)
		case "writers":
			people(r.Field, &f.Writers, r.Value)
		case "composers":
			people(r.Field, &f.Composers, r.Value)
		case "producers":
			people(r.Field, &f.Producers, r.Value)
		case "cast":
			if r.Role == "" && !credited(f, book, r.Value) {
				continue
			}
			id := book.ID(r.Value, source)
			found := false
			for i := range f.Cast {
				if f.Cast[i].Person == id {
					found = true
					if f.Cast[i].Role == "" && r.Role != "" {
						f.Cast[i].Role = r.Role
						cite("cast")
					}
				}
			}
			// A credit needs its role (seed validation requires one), so "starring A and
			// B" stays in its sentence until another sentence says whom they play.
			if !found && r.Role != "" {
				f.Cast = append(f.Cast, Credit{Person: id, Role: r.Role})
				cite("cast")
			}
		case "studios":
			if len(f.Studios) == 0 || filled[r.Field] {
				f.Studios = append(f.Studios, r.Value)
				cite(r.Field)
			}
		case "distributors":
			if len(f.Distributors) == 0 || filled[r.Field] {
				f.Distributors = append(f.Distributors, r.Value)
				cite(r.Field)
			}
		case "runtime":
			if f.Runtime == 0 {
				f.Runtime, _ = strconv.Atoi(r.Value)
				cite(r.Field)
			}
		case "based_on":
			text(r.Field, &f.BasedOn, r.Value)
		case "released":
			text(r.Field, &f.Released, r.Value)
		case "premiere":
			text(r.Field, &f.Premiere, r.Value)
		case "setting":
			text(r.Field, &f.Setting, r.Value)
		case "budget":
			text(r.Field, &f.Budget, r.Value)
		case "box_office":
			text(r.Field, &f.BoxOffice, r.Value)
		case "rating":
			text(r.Field, &f.Rating, r.Value)
		case "remake_of":
			text(r.Field, &f.RemakeOf, r.Value)
		case "sequel_to":
			text(r.Field, &f.SequelTo, r.Value)
		}
	}
}

// ExtractFilm reads every fact about film f (in the order given, which should be the
// text's) and records what they state. A surname alone ("Oppenheimer (Murphy)") is read
// as the person of that surname the facts name in full, and dropped when they name none.
func ExtractFilm(f *Film, facts []Fact, book *PeopleBook) {
	var full []string // two-word-or-longer names in the text, for surnames
	for _, fa := range facts {
		for _, m := range fullName.FindAllString(fa.Text, -1) {
			full = append(full, cleanName(m))
		}
	}
	for _, fa := range facts {
		if fa.Film != "" && fa.Film != f.ID {
			continue
		}
		rs := ExtractRelations(fa.Text, f.Title)
		kept := rs[:0]
		for _, r := range rs {
			if isPersonField(r.Field) && !strings.Contains(r.Value, " ") {
				n := bySurname(full, r.Value)
				if n == "" {
					continue
				}
				r.Value = n
			}
			kept = append(kept, r)
		}
		ApplyRelations(f, book, kept, fa.ID, fa.Source)
	}
}

// fullName finds names of two to four words, the form a surname refers back to.
var fullName = regexp.MustCompile(nameWord + `(?:[ \x{a0}]+` + nameWord + `){1,3}`)

func isPersonField(field string) bool {
	switch field {
	case "directors", "writers", "composers", "producers", "cast":
		return true
	}
	return false
}

// bySurname returns the one full name in names whose last word is surname, or "".
func bySurname(names []string, surname string) string {
	found := ""
	key := fold.String(surname)
	for _, n := range names {
		words := strings.Fields(n)
		if fold.String(words[len(words)-1]) == key && !notNames[fold.String(words[0])] {
			if found != "" && fold.String(found) != fold.String(n) {
				return "" // two people of that surname: not for prose to guess
			}
			found = n
		}
	}
	return found
}

// credited reports whether the film already credits the person named name.
func credited(f *Film, book *PeopleBook, name string) bool {
	i, ok := book.byName[fold.String(name)]
	if !ok {
		return false
	}
	for _, c := range f.Cast {
		if c.Person == book.people[i].ID {
			return true
		}
	}
	return false
}

// startsWithWords reports whether s starts with prefix as whole words.
func startsWithWords(s, prefix string) bool {
	if !strings.HasPrefix(s, prefix) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[len(prefix):])
	return len(s) == len(prefix) || !(unicode.IsLetter(r) || unicode.IsDigit(r))
}

// possessives finds "Name's …" only in sentences that hold an apostrophe.
func possessives(s, lower string) [][]int {
	if !strings.ContainsAny(lower, "'’") {
		return nil
	}
	return possessive.FindAllStringSubmatchIndex(s, -1)
}
