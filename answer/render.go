package answer

import (
	"strconv"
	"strings"

	"filmbot/seed"
)

// render returns the text of an item: the fact's own words, or a sentence built from the
// film's or person's record.
func (ix *Index) render(it *item) string {
	if it.kind == kindFact {
		return ix.cat.Facts[it.sub].Text
	}
	if it.kind == kindBio {
		p := ix.people[it.sub].p
		return bioText(p)
	}
	if it.kind == kindArticle {
		return articleText(ix.cat.Articles[it.sub])
	}
	f := ix.films[it.film].f
	title := f.Title
	var b strings.Builder
	switch it.kind {
	case kindOverview:
		b.WriteString(title)
		if f.Year != 0 {
			b.WriteString(" (" + strconv.Itoa(f.Year) + ")")
		}
		if len(f.Genres) > 0 {
			b.WriteString(" is " + article(f.Genres[0]) + " " + list(f.Genres))
		} else {
			b.WriteString(" is a film")
		}
		if len(f.Countries) > 0 {
			b.WriteString(" from " + list(countryNames(f.Countries)))
		}
		if d := ix.directorNames(f); d != "" {
			b.WriteString(", " + ix.directedBy(f) + " " + d)
		}
		b.WriteString(".")
	case kindGenre:
		b.WriteString(title + " is " + article(f.Genres[0]) + " " + list(f.Genres) + ".")
	case kindCountries:
		b.WriteString(title + " was produced by filmmakers from " + list(countryNames(f.Countries)) + ".")
	case kindDirectors:
		b.WriteString(ix.directorsText(f))
	case kindCredit:
		cr := f.Cast[it.sub]
		if cr.Role == "" {
			// a credit read from a cast list that names no character
			b.WriteString(ix.personName(cr.Person) + " is in the cast of " + title + yearSuffix(f))
		} else {
			b.WriteString(ix.personName(cr.Person) + " plays " + cr.Role + " in " + title + yearSuffix(f))
		}
		if cr.Description != "" {
			b.WriteString(": " + cr.Description)
		}
		b.WriteString(".")
	case kindMain:
		cr := f.Cast[0]
		b.WriteString("The main character of " + title + " is " + cr.Role)
		if cr.Description != "" {
			b.WriteString(", " + cr.Description + ",")
		}
		b.WriteString(" played by " + ix.personName(cr.Person) + ".")
	case kindCastList:
		var parts []string
		for _, cr := range f.Cast[:min(len(f.Cast), 12)] {
			if cr.Role == "" {
				parts = append(parts, ix.personName(cr.Person))
			} else {
				parts = append(parts, ix.personName(cr.Person)+" as "+cr.Role)
			}
		}
		b.WriteString(title + " stars " + list(parts) + ".")
	case kindRelease:
		b.WriteString(title)
		var parts []string
		if f.Year != 0 {
			parts = append(parts, "came out in "+strconv.Itoa(f.Year))
		}
		for _, w := range f.Watch {
			parts = append(parts, watchClause(w))
		}
		b.WriteString(" " + list(parts) + ".")
	case kindWatch:
		w := f.Watch[it.sub]
		b.WriteString(title + " " + watchClause(w))
		if w.Note != "" {
			b.WriteString(" (" + w.Note + ")")
		}
		b.WriteString(".")
	case kindLocation:
		b.WriteString(title + " was shot in " + list(f.Locations) + ".")
	case kindPlot:
		b.WriteString(f.Synopsis)
	case kindField:
		b.WriteString(filmFields[it.sub].render(ix, f))
	}
	return b.String()
}

func bioText(p *seed.Person) string {
	bio := strings.TrimSpace(p.Bio)
	if bio == "" {
		return p.Name + " is in the catalog without a biography."
	}
	for _, lead := range []string{"A ", "An ", "The "} {
		if strings.HasPrefix(bio, lead) {
			return p.Name + " is " + strings.ToLower(lead[:1]) + bio[1:]
		}
	}
	if strings.HasPrefix(bio, p.Name) {
		return bio
	}
	return p.Name + ": " + bio
}

func yearSuffix(f *seed.Film) string {
	if f.Year == 0 {
		return ""
	}
	return " (" + strconv.Itoa(f.Year) + ")"
}

func (ix *Index) personName(id string) string {
	if p, ok := ix.personIndex(id); ok {
		return ix.people[p].p.Name
	}
	return id
}

// coDirector returns how a person's biography names them as a co-director ("the British
// co-director"), or "" when it does not.
func coDirector(p *seed.Person) string {
	bio := strings.TrimSpace(p.Bio)
	lower := strings.ToLower(bio)
	at := strings.Index(lower, "co-director")
	if at < 0 {
		return ""
	}
	desc := bio[:at+len("co-director")]
	for _, lead := range []string{"The ", "A ", "An "} {
		if strings.HasPrefix(desc, lead) && !strings.ContainsAny(desc, ",;.") {
			return strings.ToLower(lead[:1]) + desc[1:]
		}
	}
	return "a co-director"
}

// directedBy is "directed by", or "co-directed by" when a director's biography says that
// they shared the job.
func (ix *Index) directedBy(f *seed.Film) string {
	for _, d := range f.Directors {
		if p, ok := ix.personIndex(d); ok && coDirector(ix.people[p].p) != "" {
			return "co-directed by"
		}
	}
	return "directed by"
}

// directorsText answers "who directed it?": when the only director the data credits is a
// co-director, it says so rather than passing them off as the sole director.
func (ix *Index) directorsText(f *seed.Film) string {
	if len(f.Directors) == 1 {
		if p, ok := ix.personIndex(f.Directors[0]); ok {
			if desc := coDirector(ix.people[p].p); desc != "" {
				return ix.people[p].p.Name + " is " + desc + " of " + f.Title +
					"; my data names no other director."
			}
		}
	}
	return f.Title + " was " + ix.directedBy(f) + " " + ix.directorNames(f) + "."
}

// articleText says what a source article is: its headline, who published it and when.
func articleText(a seed.Article) string {
	var b strings.Builder
	b.WriteString("The source is ")
	switch {
	case a.Headline != "":
		b.WriteString("the article \u201c" + a.Headline + "\u201d")
	default:
		b.WriteString("an article")
	}
	if a.Publisher != "" {
		b.WriteString(", published by " + a.Publisher)
	}
	if a.Date != "" {
		b.WriteString(" on " + a.Date)
	}
	b.WriteString(".")
	return b.String()
}

func (ix *Index) directorNames(f *seed.Film) string {
	var names []string
	for _, d := range f.Directors {
		names = append(names, ix.personName(d))
	}
	return list(names)
}

// watchClause says how a film reached one place to see it: "started streaming on Vimeo On
// Demand on 1 June".
func watchClause(w seed.Watch) string {
	when := ""
	if s := strings.TrimSpace(w.Since); s != "" {
		first, _, _ := strings.Cut(s, " ")
		if n, err := strconv.Atoi(first); err == nil && n <= 31 && strings.Contains(s, " ") {
			when = " on " + s
		} else {
			when = " in " + s
		}
	}
	switch strings.ToLower(w.Kind) {
	case "festival":
		return "played at " + w.Service + when
	case "stream":
		return "started streaming on " + w.Service + when
	case "rent":
		return "became available to rent on " + w.Service + when
	case "buy":
		return "became available to buy on " + w.Service + when
	case "cinema":
		return "opened in cinemas (" + w.Service + ")" + when
	}
	return "became available on " + w.Service + when
}

// countryNames adds "the" where English needs it.
func countryNames(cs []string) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		lc := strings.ToLower(c)
		if strings.HasPrefix(lc, "united ") || strings.HasSuffix(lc, "netherlands") || strings.HasSuffix(lc, "philippines") {
			c = "the " + c
		}
		out[i] = c
	}
	return out
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "an"
	}
	return "a"
}

// list joins items as English does: "a", "a and b", "a, b and c".
func list(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// reply builds the answer for an item.
func (ix *Index) reply(it *item) Answer {
	text := ix.render(it)
	if it.film >= 0 {
		// An answer from a field read out of prose quotes the sentence it came from.
		if key := citeKey(it); key != "" {
			if line := ix.citedText(ix.films[it.film].f, key); line != "" && line != text {
				text += " (“" + line + "”)"
			}
		}
	}
	a := Answer{Found: true, Text: clip(text, maxText)}
	if it.film >= 0 {
		f := ix.films[it.film].f
		a.FilmID, a.Film = f.ID, f.Title
	}
	if it.source >= 0 {
		a.Sources = []string{ix.sources[it.source]}
	}
	return a
}

// citeKey is the film field an item renders, as a seed.Cite names it, or "".
func citeKey(it *item) string {
	switch it.kind {
	case kindField:
		return filmFields[it.sub].key
	case kindDirectors:
		return "directors"
	case kindCredit, kindCastList, kindMain:
		return "cast"
	case kindLocation:
		return "locations"
	case kindGenre:
		return "genres"
	}
	return ""
}
