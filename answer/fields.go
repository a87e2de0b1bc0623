package answer

import (
	"strconv"
	"strings"

	"filmbot/seed"
)

// fieldCode names one of the film fields prose fills. Each becomes one answer item, so
// "who wrote the music?" is answered from the composers field and cited to its sentence.
type fieldCode uint8

const (
	fieldWriters fieldCode = iota
	fieldComposers
	fieldProducers
	fieldBasedOn
	fieldStudios
	fieldDistributors
	fieldRuntime
	fieldReleased
	fieldPremiere
	fieldSetting
	fieldBudget
	fieldBoxOffice
	fieldRating
	fieldRemakeOf
	fieldSequelTo
)

// filmField describes how one field becomes an item: whether a film has it, the people
// it names, the topics (lexicon concepts) it answers, what a refusal offers, and its
// sentence.
type filmField struct {
	code   fieldCode
	key    string // the field's TOML key, as seed.Cite names it
	topics string
	offer  string
	has    func(f *seed.Film) bool
	people func(f *seed.Film) []string
	render func(ix *Index, f *seed.Film) string
}

func noPeople(*seed.Film) []string { return nil }

func textField(code fieldCode, key, topics, offer string, get func(f *seed.Film) string, say func(title, v string) string) filmField {
	return filmField{code, key, topics, offer,
		func(f *seed.Film) bool { return get(f) != "" }, noPeople,
		func(_ *Index, f *seed.Film) string { return say(titled(f), get(f)) }}
}

func peopleField(code fieldCode, key, topics, offer string, get func(f *seed.Film) []string, say func(title, names string) string) filmField {
	return filmField{code, key, topics, offer,
		func(f *seed.Film) bool { return len(get(f)) > 0 }, get,
		func(ix *Index, f *seed.Film) string {
			var names []string
			for _, id := range get(f) {
				names = append(names, ix.personName(id))
			}
			return say(titled(f), list(names))
		}}
}

// titled is the film's title with its year, when known: "Jaws (1975)".
func titled(f *seed.Film) string { return f.Title + yearSuffix(f) }

// filmFields, indexed by fieldCode.
var filmFields = []filmField{
	peopleField(fieldWriters, "writers", "write", "writers",
		func(f *seed.Film) []string { return f.Writers },
		func(t, n string) string { return n + " wrote " + t + "." }),
	peopleField(fieldComposers, "composers", "music", "music",
		func(f *seed.Film) []string { return f.Composers },
		func(t, n string) string { return n + " wrote the music for " + t + "." }),
	peopleField(fieldProducers, "producers", "produce", "producers",
		func(f *seed.Film) []string { return f.Producers },
		func(t, n string) string { return n + " produced " + t + "." }),
	textField(fieldBasedOn, "based_on", "adapt write", "source work",
		func(f *seed.Film) string { return f.BasedOn },
		func(t, v string) string { return t + " is based on " + v + "." }),
	{fieldStudios, "studios", "produce make business", "studio",
		func(f *seed.Film) bool { return len(f.Studios) > 0 }, noPeople,
		func(_ *Index, f *seed.Film) string { return titled(f) + " was made by " + list(f.Studios) + "." }},
	{fieldDistributors, "distributors", "release business", "distributor",
		func(f *seed.Film) bool { return len(f.Distributors) > 0 }, noPeople,
		func(_ *Index, f *seed.Film) string {
			return titled(f) + " was distributed by " + list(f.Distributors) + "."
		}},
	{fieldRuntime, "runtime", "runtime", "runtime",
		func(f *seed.Film) bool { return f.Runtime > 0 }, noPeople,
		func(_ *Index, f *seed.Film) string { return runtimeText(f) }},
	textField(fieldReleased, "released", "release", "release date",
		func(f *seed.Film) string { return f.Released },
		func(t, v string) string {
			if len(v) == 4 {
				return t + " was released in " + v + "."
			}
			return t + " was released on " + v + "."
		}),
	textField(fieldPremiere, "premiere", "release festival", "premiere",
		func(f *seed.Film) string { return f.Premiere },
		func(t, v string) string { return t + " premiered " + v + "." }),
	textField(fieldSetting, "setting", "location", "setting",
		func(f *seed.Film) string { return f.Setting },
		func(t, v string) string { return t + " is set in " + v + "." }),
	textField(fieldBudget, "budget", "budget", "budget",
		func(f *seed.Film) string { return f.Budget },
		func(t, v string) string { return t + " was made on a budget of " + v + "." }),
	textField(fieldBoxOffice, "box_office", "boxoffice", "box office",
		func(f *seed.Film) string { return f.BoxOffice },
		func(t, v string) string { return t + " took " + v + " at the box office." }),
	textField(fieldRating, "rating", "rating opinion", "rating",
		func(f *seed.Film) string { return f.Rating },
		func(t, v string) string { return "The review rates " + t + " " + v + "." }),
	textField(fieldRemakeOf, "remake_of", "remake", "original",
		func(f *seed.Film) string { return f.RemakeOf },
		func(t, v string) string { return t + " is a remake of " + v + "." }),
	textField(fieldSequelTo, "sequel_to", "sequel", "predecessor",
		func(f *seed.Film) string { return f.SequelTo },
		func(t, v string) string { return t + " is a sequel to " + v + "." }),
}

func runtimeText(f *seed.Film) string {
	m := f.Runtime
	s := strconv.Itoa(m) + " minutes"
	if m >= 60 {
		h := strconv.Itoa(m/60) + " hour"
		if m/60 > 1 {
			h += "s"
		}
		if m%60 != 0 {
			h += " " + strconv.Itoa(m%60) + " minutes"
		}
		s += " (" + h + ")"
	}
	return titled(f) + " runs " + s + "."
}

// citedText returns the sentence a film's field was read from, or "".
func (ix *Index) citedText(f *seed.Film, key string) string {
	for _, c := range f.Cites {
		if c.Field == key {
			if i, ok := ix.factByID[c.Fact]; ok {
				return strings.TrimSpace(ix.cat.Facts[i].Text)
			}
		}
	}
	return ""
}
