package knowledge

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"filmbot/fold"
	"filmbot/seed"
	"filmbot/store"
)

// MaxSuggestions is the most films SuggestFilms returns: Discord's autocomplete limit.
const MaxSuggestions = store.MaxTitleMatches

// didYouMean is how many films an UnknownFilmError suggests.
const didYouMean = 3

// ErrNoFilmName is returned by FindFilm for a name that is empty or blank.
var ErrNoFilmName = errors.New("no film name given")

// UnknownFilmError is returned by FindFilm when a name matches no film. Suggestions are
// films with similar titles, best first, possibly none.
type UnknownFilmError struct {
	Name        string
	Suggestions []store.TitleMatch
}

func (e *UnknownFilmError) Error() string {
	return fmt.Sprintf("no film called %q", e.Name)
}

// Is makes errors.Is(err, store.ErrNotFound) true for an unknown film.
func (e *UnknownFilmError) Is(target error) bool { return target == store.ErrNotFound }

// AmbiguousFilmError is returned by FindFilm for a bare title that several films have
// ("treasure island": nine of them). Films are those films in order of year; naming one
// with its year ("treasure island (1950)") or picking its autocomplete choice finds it.
type AmbiguousFilmError struct {
	Name  string
	Films []store.TitleMatch
}

func (e *AmbiguousFilmError) Error() string {
	return fmt.Sprintf("%d films are called %q", len(e.Films), e.Name)
}

// FindFilm finds the film a person named: a film ID (what autocomplete submits), any title
// or alias typed by hand, a title with its year ("treasure island (1950)", "the 1934
// treasure island"), or the start of a title that fits only one film ("comrade kim"). A
// bare title that several films have is an *AmbiguousFilmError listing them, rather than
// a guess. A name that matches nothing is an *UnknownFilmError with suggestions. A name with no
// letters or digits ("!!!", a zero-width space, broken UTF-8) folds to nothing, and nothing
// is the start of every title: it names no film, even in a store that holds only one.
func (s *Service) FindFilm(ctx context.Context, name string) (seed.Film, error) {
	if err := ctx.Err(); err != nil {
		return seed.Film{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return seed.Film{}, ErrNoFilmName
	}
	if fold.String(name) == "" {
		return seed.Film{}, &UnknownFilmError{Name: name}
	}
	// Autocomplete submits IDs, people type titles: try the likelier lookup first.
	lookups := []func(context.Context, string) (seed.Film, error){s.titled, s.store.Film}
	if looksLikeID(name) {
		lookups[0], lookups[1] = lookups[1], lookups[0]
	}
	for _, lookup := range lookups {
		f, err := lookup(ctx, name)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return seed.Film{}, err
		}
	}
	// A partial title that fits exactly one film ("Comrade Kim") names that film.
	matches, err := s.store.SearchTitles(ctx, name, 2)
	if err != nil {
		return seed.Film{}, err
	}
	if len(matches) == 1 {
		f, err := s.store.Film(ctx, matches[0].FilmID)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return seed.Film{}, err
		}
	}
	if err := ctx.Err(); err != nil {
		return seed.Film{}, err
	}
	return seed.Film{}, &UnknownFilmError{Name: name, Suggestions: s.similarTitles(ctx, name, didYouMean)}
}

// titled looks a film up by title, refusing a title several films have.
func (s *Service) titled(ctx context.Context, name string) (seed.Film, error) {
	same, err := s.store.FilmsTitled(ctx, name)
	if err != nil {
		return seed.Film{}, err
	}
	if len(same) > 1 {
		return seed.Film{}, &AmbiguousFilmError{Name: name, Films: same}
	}
	return s.store.FindFilm(ctx, name)
}

// SuggestFilms lists up to limit films (at most MaxSuggestions; 0 or less means that)
// whose title, alias or a word of either starts with what the person has typed so far,
// best first.
func (s *Service) SuggestFilms(ctx context.Context, typed string, limit int) ([]store.TitleMatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.store.SearchTitles(ctx, typed, limit)
}

// looksLikeID reports whether name could be a film ID as seeds write them: no spaces and
// no capitals ("comrade-kim-goes-flying").
func looksLikeID(name string) bool {
	return !strings.ContainsFunc(name, func(r rune) bool { return r == ' ' || unicode.IsUpper(r) })
}

// similarTitles suggests up to n films for a name that matched nothing, one per title and
// year as people would tell them apart: titles starting with it, else titles with a word
// starting with one of its words (longest words first, as they say the most), so
// "Comrade Kin" still finds Comrade Kim Goes Flying.
func (s *Service) similarTitles(ctx context.Context, name string, n int) []store.TitleMatch {
	var out []store.TitleMatch
	add := func(query string) {
		matches, err := s.store.SearchTitles(ctx, query, n)
		if err != nil {
			return
		}
		for _, m := range matches {
			if len(out) < n && !slices.ContainsFunc(out, func(o store.TitleMatch) bool { return o.Title == m.Title && o.Year == m.Year }) {
				out = append(out, m)
			}
		}
	}
	add(name)
	words := fold.Words(name)
	slices.SortStableFunc(words, func(a, b string) int { return len(b) - len(a) })
	for i, w := range words {
		if len(out) >= n || i == 5 || len(w) < 3 {
			break
		}
		add(w)
	}
	return out
}
