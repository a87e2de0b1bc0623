package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"filmbot/fold"
	"filmbot/knowledge"
	"filmbot/seed"
	"filmbot/store"
)

// cardColor is the stripe down the side of filmbot's embeds.
const cardColor = 0xB03A2E

// maxCardFacts is how many facts a film card shows; /fact and /ask reach the rest.
const maxCardFacts = 3

// inDMs lets a command run in DMs with the bot as well as in servers (dm_permission:
// discordgo v0.28.1 has no contexts field, and Discord still honours this one).
var inDMs = true

var filmDef = &discordgo.ApplicationCommand{
	Name:         "film",
	Description:  "Show a film's card: year, genre, director, cast, where to watch and a few facts.",
	DMPermission: &inDMs,
	Options: []*discordgo.ApplicationCommandOption{
		filmOption("title", "The film's title (start typing for suggestions)", true),
	},
}

// filmOption is a command's film option: a title, alias or ID, with suggestions from
// suggestFilms as the user types.
func filmOption(name, description string, required bool) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type:         discordgo.ApplicationCommandOptionString,
		Name:         name,
		Description:  description,
		Required:     required,
		Autocomplete: true,
		MaxLength:    MaxChoiceText,
	}
}

// optionalFilm resolves the optional "film" option of /ask and /fact: the film's ID, or ""
// when the user left it empty.
func (s *Set) optionalFilm(ctx context.Context, req *Request) (string, error) {
	name := req.Options["film"].String()
	if strings.TrimSpace(name) == "" {
		return "", nil
	}
	f, err := s.FindFilm(ctx, name)
	if err != nil {
		return "", err
	}
	return f.ID, nil
}

// film answers /film.
func (s *Set) film(ctx context.Context, req *Request) (Response, error) {
	f, err := s.FindFilm(ctx, req.Options["title"].String())
	if err != nil {
		return Response{}, err
	}
	card, err := s.filmCard(ctx, f)
	if err != nil {
		return Response{}, err
	}
	s.memory.Remember(conversation(req), f.ID)
	return message(&discordgo.InteractionResponseData{Embeds: []*discordgo.MessageEmbed{card}}), nil
}

// suggestFilms answers autocomplete for the film options of /film, /ask and /fact.
func (s *Set) suggestFilms(ctx context.Context, req *Request) (Response, error) {
	return SuggestFilms(ctx, s.know, req.Options[req.Focused].String())
}

// SuggestFilms answers autocomplete for a film option, in any command: up to 25 titles
// from k. The value is the film ID, which FindFilm accepts as well as any title.
func SuggestFilms(ctx context.Context, k *knowledge.Service, typed string) (Response, error) {
	matches, err := k.SuggestFilms(ctx, typed, MaxChoices)
	if err != nil {
		return Response{}, err
	}
	cs := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(matches))
	for _, m := range matches {
		value := m.FilmID
		if len(value) > MaxChoiceText {
			value = m.Title // a long ID: the title resolves too
		}
		name := m.Label // unique, even for films of one title and year
		if name == "" {
			name = titleYear(m.Title, m.Year)
		}
		if m.Matched != "" && m.Matched != m.Title {
			name += " — " + m.Matched
		}
		cs = append(cs, &discordgo.ApplicationCommandOptionChoice{Name: Truncate(name, MaxChoiceText), Value: value})
	}
	return choices(cs), nil
}

// FindFilm resolves a film the user named through the set's knowledge service, refusing
// as FindFilm does.
func (s *Set) FindFilm(ctx context.Context, name string) (seed.Film, error) {
	return FindFilm(ctx, s.know, name)
}

// FindFilm resolves a film a person named through k (see knowledge.Service.FindFilm) with
// the refusal every front end gives: a blank name or an unknown film is a *UserError, the
// latter with "did you mean" suggestions. Other errors are internal.
func FindFilm(ctx context.Context, k *knowledge.Service, name string) (seed.Film, error) {
	f, err := k.FindFilm(ctx, name)
	if err != nil {
		return seed.Film{}, FilmError(err)
	}
	return f, nil
}

// FilmError words an error of knowledge.Service.FindFilm for people, as FindFilm does: a
// blank name, a bare title several films have, or an unknown film with "did you mean"
// suggestions become a *UserError. Other errors are returned as they are.
func FilmError(err error) error {
	var unknown *knowledge.UnknownFilmError
	var ambiguous *knowledge.AmbiguousFilmError
	switch {
	case errors.Is(err, knowledge.ErrNoFilmName):
		return Userf("Which film? Give me a title.")
	case errors.As(err, &ambiguous):
		return whichFilm(ambiguous)
	case errors.As(err, &unknown):
		var titles []string
		for _, m := range unknown.Suggestions {
			titles = appendNew(titles, titleYear(m.Title, m.Year))
		}
		return unknownFilm(unknown.Name, titles)
	}
	return err
}

// whichFilm is the reply to a bare title several films have: their years, and how to
// name one. It lists at most a dozen years; autocomplete offers every film.
func whichFilm(e *knowledge.AmbiguousFilmError) error {
	var years []string
	for _, m := range e.Films {
		if len(years) == 12 {
			years = append(years, "…")
			break
		}
		if m.Year > 0 {
			years = appendNew(years, strconv.Itoa(m.Year))
		}
	}
	title := Truncate(e.Films[0].Title, 100)
	msg := fmt.Sprintf("%d films are called “%s”", len(e.Films), title)
	if len(years) > 0 {
		msg += ", from " + strings.Join(years, ", ")
	}
	example := title
	if e.Films[0].Year > 0 {
		example = titleYear(title, e.Films[0].Year)
	}
	return &UserError{Msg: msg + ". Which one? Name it with its year, like “" + example + "”, or pick it from the list as you type."}
}

// unknownFilm is the reply to a film name that matched nothing, with suggestions.
func unknownFilm(name string, suggestions []string) error {
	msg := fmt.Sprintf("I don't have a film called “%s”.", Truncate(name, 100))
	if len(suggestions) > 0 {
		msg += " Did you mean " + orList(suggestions) + "?"
	} else {
		msg += " Try /help to see what I know."
	}
	return &UserError{Msg: msg}
}

// filmCard renders a film as the embed DESIGN.md describes.
func (s *Set) filmCard(ctx context.Context, f seed.Film) (*discordgo.MessageEmbed, error) {
	e := &discordgo.MessageEmbed{
		Title:       titleYear(f.Title, f.Year),
		Description: f.Synopsis,
		Color:       cardColor,
	}
	field := func(name, value string, inline bool) {
		if value != "" {
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: value, Inline: inline})
		}
	}

	field("Genre", strings.Join(f.Genres, ", "), true)
	directors := make([]string, 0, len(f.Directors))
	for _, id := range f.Directors {
		name, err := s.personName(ctx, id)
		if err != nil {
			return nil, err
		}
		directors = append(directors, name)
	}
	label := "Director"
	if len(directors) > 1 {
		label = "Directors"
	}
	field(label, strings.Join(directors, ", "), true)
	field("Made in", strings.Join(f.Countries, ", "), true)

	cast := make([]string, 0, len(f.Cast))
	for _, c := range f.Cast {
		name, err := s.personName(ctx, c.Person)
		if err != nil {
			return nil, err
		}
		if c.Role != "" {
			name += " as " + c.Role
		}
		cast = append(cast, name)
	}
	field("Cast", listLines(cast, len(cast), MaxFieldValue), false)

	watch := make([]string, 0, len(f.Watch))
	for _, w := range f.Watch {
		watch = append(watch, watchLine(w))
	}
	field("Where to watch", listLines(watch, len(watch), MaxFieldValue), false)

	facts, err := s.deps.Store.FilmFacts(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	sources := []string{f.Source}
	var lines []string
	for _, fact := range facts[:min(len(facts), maxCardFacts)] {
		lines = append(lines, "• "+Truncate(fact.Text, 300))
		sources = appendNew(sources, fact.Source)
	}
	field("Facts", listLines(lines, len(facts), MaxFieldValue), false)

	footer, err := s.sourceLine(ctx, sources)
	if err != nil {
		return nil, err
	}
	if footer != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: footer}
	}
	// The synopsis gets the room the rest leaves, cut with "…" rather than dropped by Fit.
	room := MaxEmbedTotal - embedChars(e) + utf8.RuneCountInString(e.Description)
	e.Description = Truncate(e.Description, min(room, MaxEmbedDescription))
	return e, nil
}

// listLines joins the first lines of a list of total items, one per line, in at most max
// characters; when not all of them are shown, the last line says how many more there are,
// so a long cast is not cut off silently.
func listLines(lines []string, total, max int) string {
	more := func(n int) string {
		if n <= 0 {
			return ""
		}
		return "…and " + strconv.Itoa(n) + " more"
	}
	for n := len(lines); n >= 0; n-- {
		shown := lines[:n]
		if tail := more(total - n); tail != "" {
			shown = append(shown[:n:n], tail)
		}
		text := strings.Join(shown, "\n")
		if utf8.RuneCountInString(text) <= max || n == 0 {
			return Truncate(text, max)
		}
	}
	return ""
}

// personName returns a person's name, or their ID when the store does not hold them
// (validation makes that rare; a card is still better than an error).
func (s *Set) personName(ctx context.Context, id string) (string, error) {
	p, err := s.deps.Store.Person(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return id, nil
	}
	if err != nil {
		return "", err
	}
	return p.Name, nil
}

// sourceLine names the articles with the given IDs: "Source: Publisher — Headline", or
// "Sources: A — X; B — Y".
func (s *Set) sourceLine(ctx context.Context, ids []string) (string, error) {
	var names []string
	for _, id := range ids {
		if id == "" {
			continue
		}
		a, err := s.deps.Store.Article(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			names = appendNew(names, id)
			continue
		}
		if err != nil {
			return "", err
		}
		names = appendNew(names, a.Credit())
	}
	switch len(names) {
	case 0:
		return "", nil
	case 1:
		return "Source: " + names[0], nil
	}
	return "Sources: " + strings.Join(names, "; "), nil
}

// watchLine renders one place to watch: "Vimeo On Demand (stream, since 1 June): note".
func watchLine(w seed.Watch) string {
	var detail []string
	if w.Kind != "" && !strings.Contains(fold.String(w.Service), fold.String(w.Kind)) {
		detail = append(detail, w.Kind)
	}
	if w.Since != "" {
		detail = append(detail, "since "+w.Since)
	}
	line := w.Service
	if len(detail) > 0 {
		line += " (" + strings.Join(detail, ", ") + ")"
	}
	if w.Note != "" {
		line += ": " + w.Note
	}
	return line
}

// titleYear renders "Title (2012)", or the bare title when the year is unknown.
func titleYear(title string, year int) string {
	if year <= 0 {
		return title
	}
	return title + " (" + strconv.Itoa(year) + ")"
}

// orList joins items as "A", "A or B", "A, B or C".
func orList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

func appendNew(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
