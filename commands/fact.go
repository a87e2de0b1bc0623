package commands

import (
	"context"
	"errors"
	"math/rand/v2"

	"github.com/bwmarrin/discordgo"

	"filmbot/seed"
	"filmbot/store"
)

// anyFilm stands for "any film" in a fact button's custom ID.
const anyFilm = "*"

var factDef = &discordgo.ApplicationCommand{
	Name:         "fact",
	Description:  "A random film fact, with a button for another.",
	DMPermission: &inDMs,
	Options: []*discordgo.ApplicationCommandOption{
		filmOption("film", "Only facts about this film", false),
	},
}

// fact answers /fact with a random fact and a button for another.
func (s *Set) fact(ctx context.Context, req *Request) (Response, error) {
	filmID, err := s.optionalFilm(ctx, req)
	if err != nil {
		return Response{}, err
	}
	data, err := s.factMessage(ctx, filmID, conversation(req))
	if err != nil {
		return Response{}, err
	}
	return message(data), nil
}

// anotherFact answers the "Another fact" button, "fact:another:{film}" with a film ID or
// anyFilm: it replaces the message with a new fact (UPDATE_MESSAGE), so a channel does
// not fill up with facts.
func (s *Set) anotherFact(ctx context.Context, req *Request) (Response, error) {
	filmID := req.Params["film"]
	if filmID == anyFilm {
		filmID = ""
	}
	data, err := s.factMessage(ctx, filmID, conversation(req))
	if err != nil {
		return Response{}, err
	}
	return Response{InteractionResponse: &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: data,
	}}, nil
}

// factMessage picks a random fact, about filmID when it is not empty, and renders it with
// its film, its source and the button for another. The fact's film becomes the film of the
// conversation conv, for follow-up questions.
func (s *Set) factMessage(ctx context.Context, filmID, conv string) (*discordgo.InteractionResponseData, error) {
	r := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	f, err := s.deps.Store.RandomFact(ctx, filmID, r)
	if errors.Is(err, store.ErrNotFound) {
		if filmID != "" {
			return nil, Userf("I don't know any facts about that film yet.")
		}
		return nil, Userf("I don't know any facts yet: the store is empty. The owner can fill it with /reseed.")
	}
	if err != nil {
		return nil, err
	}
	e, err := s.factEmbed(ctx, f)
	if err != nil {
		return nil, err
	}
	s.memory.Remember(conv, f.Film)
	button := filmID
	if button == "" || len("fact:another:"+button) > MaxCustomID {
		button = anyFilm
	}
	return &discordgo.InteractionResponseData{
		Embeds: []*discordgo.MessageEmbed{e},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Another fact", Style: discordgo.SecondaryButton, CustomID: "fact:another:" + button},
		}}},
	}, nil
}

// factEmbed renders one fact: the film it is about as the title, the fact, the source.
func (s *Set) factEmbed(ctx context.Context, f seed.Fact) (*discordgo.MessageEmbed, error) {
	e := &discordgo.MessageEmbed{Title: "Film fact", Description: f.Text, Color: cardColor}
	if f.Film != "" {
		film, err := s.deps.Store.Film(ctx, f.Film)
		switch {
		case err == nil:
			e.Title = titleYear(film.Title, film.Year)
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
	}
	footer, err := s.sourceLine(ctx, []string{f.Source})
	if err != nil {
		return nil, err
	}
	if footer != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: footer}
	}
	return e, nil
}
