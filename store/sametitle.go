package store

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"filmbot/fold"
	"filmbot/seed"
)

// Many films share a title: the Wikipedia movie data has nine "Treasure Island"s. A
// person names one by its year ("treasure island (1950)", "the 1934 treasure island"),
// autocomplete shows each as "Title (Year)", and a bare title of several films is for the
// caller to ask about ([Store.FilmsTitled] lists them).
//
// Two films can even share a title and a year. Reseed gives each of those a distinction
// (the first cast member, else director, the others of that title and year do not share,
// else a number), stored at the end of its title index entries, so labels stay unique.

// maxLabel is the most characters a label may have: an autocomplete choice's name.
const maxLabel = 100

// label returns "Title (Year)", "Title (Year, distinction)", or the title alone for a
// film without a year, shortening the title so the whole fits in maxLabel characters.
func label(title string, year int, distinction string) string {
	// Autocomplete makes 25 of these per keystroke: one allocation each.
	var yb [20]byte
	y := yb[:0]
	if year > 0 {
		y = strconv.AppendInt(y, int64(year), 10)
	}
	tail := 0 // characters after the title
	switch {
	case len(y) > 0 && distinction != "":
		tail = 2 + len(y) + 2 + utf8.RuneCountInString(distinction) + 1
	case len(y) > 0:
		tail = 2 + len(y) + 1
	case distinction != "":
		tail = 2 + utf8.RuneCountInString(distinction) + 1
	}
	if room := maxLabel - tail; utf8.RuneCountInString(title) > room {
		cut := 0
		for i := range title {
			if utf8.RuneCountInString(title[:i]) > room-1 {
				break
			}
			cut = i
		}
		title = strings.TrimRight(title[:cut], " ") + "…"
	}
	if tail == 0 {
		return title
	}
	var b strings.Builder
	b.Grow(len(title) + len(y) + len(distinction) + 6)
	b.WriteString(title)
	b.WriteString(" (")
	b.Write(y)
	if distinction != "" {
		if len(y) > 0 {
			b.WriteString(", ")
		}
		b.WriteString(distinction)
	}
	b.WriteByte(')')
	return b.String()
}

// Label returns the label of f as autocomplete shows it, without a distinction: callers
// that list films of one title show it with the year.
func Label(f seed.Film) string { return label(f.Title, f.Year, "") }

// disambiguations returns, for each film position, the distinction its label needs: empty
// unless another film has the same folded title and year.
func disambiguations(films []seed.Film, name func(personID string) string) []string {
	type key struct {
		title string
		year  int
	}
	groups := make(map[key][]int)
	for i := range films {
		k := key{fold.String(films[i].Title), films[i].Year}
		groups[k] = append(groups[k], i)
	}
	var dis []string
	for _, g := range groups {
		if len(g) < 2 {
			continue
		}
		if dis == nil {
			dis = make([]string, len(films))
		}
		used := make(map[string]bool)
		for n, i := range g {
			d := ""
			for _, c := range films[i].Cast {
				if !shared(films, g, i, c.Person) && name(c.Person) != "" {
					d = "with " + name(c.Person)
					break
				}
			}
			if d == "" {
				for _, p := range films[i].Directors {
					if name(p) != "" {
						d = "directed by " + name(p)
						break
					}
				}
			}
			if d == "" || used[d] || utf8.RuneCountInString(d) > 40 {
				d = "no. " + strconv.Itoa(n+1)
			}
			used[d] = true
			dis[i] = d
		}
	}
	if dis == nil {
		return make([]string, len(films))
	}
	return dis
}

// shared reports whether another film of group g than i lists person in its cast.
func shared(films []seed.Film, g []int, i int, person string) bool {
	for _, j := range g {
		if j == i {
			continue
		}
		for _, c := range films[j].Cast {
			if c.Person == person {
				return true
			}
		}
	}
	return false
}

// FilmsTitled returns every film whose title or alias folds to the same text as name,
// in order of year: the films a bare title may mean. It returns none (and no error)
// when no film has that title.
func (s *Store) FilmsTitled(ctx context.Context, name string) ([]TitleMatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []TitleMatch
	err := s.db.View(func(tx *bolt.Tx) (err error) {
		out, err = filmsTitled(tx, fold.String(name))
		return err
	})
	return out, err
}

func filmsTitled(tx *bolt.Tx, q string) ([]TitleMatch, error) {
	idx := tx.Bucket(bucketTitles)
	if q == "" || idx == nil {
		return nil, nil
	}
	key := append(titleKey(nil, titleFull, len(q), q), 0)
	var out []TitleMatch
	c := idx.Cursor()
	for k, v := c.Seek(key); bytes.HasPrefix(k, key) && len(k) == len(key)+seqBytes; k, v = c.Next() {
		m, err := decodeTitleMatch(k, v)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b TitleMatch) int { return a.Year - b.Year })
	return out, nil
}

// Ways to write a title with its year: "Treasure Island (1950)", "Treasure Island 1950",
// "the 1934 Treasure Island", "1934's Treasure Island".
var (
	yearAfter  = regexp.MustCompile(`^(.*\S)\s*[(\[]\s*(\d{4})(?:\s+film)?\s*[)\]]$|^(.*\S)\s+(\d{4})$`)
	yearBefore = regexp.MustCompile(`^(?i:the\s+)?(\d{4})(?:'s)?\s+(.*\S)$`)
)

// SplitYear reads a film name written with its year into the title and the year. ok is
// false when name carries no year in one of those forms.
func SplitYear(name string) (title string, year int, ok bool) {
	if !strings.ContainsAny(name, "0123456789") {
		return "", 0, false // most names: no need for the patterns
	}
	name = strings.TrimSpace(name)
	if m := yearAfter.FindStringSubmatch(name); m != nil {
		t, y := m[1], m[2]
		if t == "" {
			t, y = m[3], m[4]
		}
		year, _ = strconv.Atoi(y)
		return t, year, true
	}
	if m := yearBefore.FindStringSubmatch(name); m != nil {
		year, _ = strconv.Atoi(m[1])
		return m[2], year, true
	}
	return "", 0, false
}

// findWithYear returns the ID of the film name means when it is written with its year and
// no film is titled so: "treasure island (1950)" is the 1950 Treasure Island, and so is
// "the 1950 treasure island" (whose title may also start with "The").
func findWithYear(tx *bolt.Tx, name string) (string, error) {
	title, year, ok := SplitYear(name)
	if !ok {
		return "", ErrNotFound
	}
	candidates := []string{title}
	if yearBefore.MatchString(strings.TrimSpace(name)) {
		candidates = append(candidates, "the "+title)
	}
	for _, t := range candidates {
		ms, err := filmsTitled(tx, fold.String(t))
		if err != nil {
			return "", err
		}
		for _, m := range ms {
			if m.Year == year {
				return m.FilmID, nil
			}
		}
	}
	return "", ErrNotFound
}
