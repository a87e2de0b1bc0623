package answer

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"filmbot/fold"
)

// dontKnow is the refusal: plain, short, and saying what the engine can answer instead.
func (ix *Index) dontKnow(scope int32, question string) Answer {
	a := Answer{Text: "I don't know: my data does not say."}
	if scope >= 0 {
		fi := ix.films[scope]
		a.FilmID, a.Film = fi.f.ID, fi.f.Title
		if fi.topics != "" {
			a.Text += " I can tell you about " + fi.f.Title + ": its " + fi.topics + "."
		}
	} else if len(ix.films) > 0 {
		a.Text += " " + ix.knownFilms()
	}
	a.Text = clip(a.Text, 300)
	return a
}

// whichFilm refuses a question several films answer alike.
func (ix *Index) whichFilm() Answer {
	return Answer{Text: clip("I don't know which film you mean: several films I know would fit. "+
		"Name the film in the question or use the film option.", 300)}
}

// notInData refuses a question about something the data does not hold. name, when not
// empty, is the unknown name, already reduced to letters, digits and spaces.
func (ix *Index) notInData(name string) Answer {
	a := Answer{Text: "I don't know that film: it is not in my data."}
	if name != "" {
		a.Text = "I don't know about " + name + ": it is not in my data."
	}
	if len(ix.films) > 0 {
		a.Text += " " + ix.knownFilms()
	}
	a.Text = clip(a.Text, 300)
	return a
}

func (ix *Index) knownFilms() string {
	const show = 3
	var titles []string
	for _, f := range ix.films[:min(show, len(ix.films))] {
		titles = append(titles, f.f.Title)
	}
	if len(ix.films) > show {
		return "I know about " + strings.Join(titles, ", ") + " and other films."
	}
	return "I know about " + list(titles) + "."
}

// unknownName returns the first run of capitalised words in question that names nothing the
// data holds ("Star Wars", "Titanic"), cleaned for safe display, or "".
func unknownName(question string, ix *Index) string {
	var run []string
	flush := func() string {
		defer func() { run = run[:0] }()
		if len(run) == 0 {
			return ""
		}
		known := true
		for _, w := range run {
			if !ix.knownWord(fold.String(w)) {
				known = false
			}
		}
		if known {
			return ""
		}
		return clip(strings.Join(run, " "), 60)
	}
	first := true
	for _, w := range strings.FieldsFunc(question, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}) {
		w = strings.Trim(w, "'")
		r, _ := utf8.DecodeRuneInString(w)
		if w != "" && unicode.IsUpper(r) && !first && w != "I" {
			run = append(run, w)
		} else if name := flush(); name != "" {
			return name
		}
		first = false
	}
	return flush()
}

// knownWord reports whether a folded word means something in the data: a name's word or a
// concept some item holds. A possessive ("mis" for "Mi's") counts as its name.
func (ix *Index) knownWord(fw string) bool {
	if ix.nameWords[fw] || (strings.HasSuffix(fw, "s") && ix.nameWords[fw[:len(fw)-1]]) {
		return true
	}
	c, class := ix.lex.concept(fw)
	if class != classContent {
		return true
	}
	_, ok := ix.dict[c]
	return ok
}

// noSuchFilm refuses a question whose title slot names a film the data does not hold.
func (ix *Index) noSuchFilm(slot string) Answer {
	a := Answer{Text: "I don't know a film called “" + clip(slot, 60) + "”: it is not in my data."}
	if len(ix.films) > 0 {
		a.Text += " " + ix.knownFilms()
	}
	a.Text = clip(a.Text, 300)
	return a
}

// byYear picks the one film among films whose year the question names.
func (ix *Index) byYear(films []int32, years []int) (int32, bool) {
	found := int32(-1)
	for _, fi := range films {
		for _, y := range years {
			if ix.films[fi].f.Year == y {
				if found >= 0 && found != fi {
					return -1, false
				}
				found = fi
			}
		}
	}
	return found, found >= 0
}

// whichYear answers a question that names a title several films share with the list of
// them, by year, when they all share it.
func (ix *Index) whichYear(films []int32) (Answer, bool) {
	title := fold.String(ix.films[films[0]].f.Title)
	var years []string
	seen := map[int32]bool{}
	for _, fi := range films {
		if seen[fi] {
			continue
		}
		seen[fi] = true
		f := ix.films[fi].f
		if fold.String(f.Title) != title {
			return Answer{}, false
		}
		y := "year unknown"
		if f.Year != 0 {
			y = strconv.Itoa(f.Year)
		}
		years = append(years, y)
	}
	if len(years) < 2 {
		return Answer{}, false
	}
	sort.Strings(years)
	// Two films of one title and one year: say so once, "1972 (2 films)".
	uniq := years[:0]
	for i := 0; i < len(years); {
		j := i
		for j < len(years) && years[j] == years[i] {
			j++
		}
		if j-i > 1 {
			uniq = append(uniq, years[i]+" ("+strconv.Itoa(j-i)+" films)")
		} else {
			uniq = append(uniq, years[i])
		}
		i = j
	}
	years = uniq
	t := ix.films[films[0]].f.Title
	text := "Several films are called " + t + ": " + list(years) + ". Which one do you mean? Add the year, e.g. “" + t + " (" + years[0] + ")”."
	return Answer{Text: clip(text, 300)}, true
}
