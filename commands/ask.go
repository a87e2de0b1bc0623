package commands

import (
	"context"
	"strings"

	"github.com/bwmarrin/discordgo"

	"filmbot/answer"
)

// maxQuestion is the longest question /ask takes; Discord enforces it from the definition
// and Handle enforces it for every other caller.
const maxQuestion = 1000

// dontKnow is said when the engine finds nothing and says nothing itself.
const dontKnow = "I don't know: the articles I have don't say."

var askDef = &discordgo.ApplicationCommand{
	Name:         "ask",
	Description:  "Ask a trivia question about the films I know; I say where the answer comes from.",
	DMPermission: &inDMs,
	Options: []*discordgo.ApplicationCommandOption{
		{
			Type:        discordgo.ApplicationCommandOptionString,
			Name:        "question",
			Description: "Your question, e.g. Who plays Yong Mi?",
			Required:    true,
			MaxLength:   maxQuestion,
		},
		filmOption("film", "The film the question is about, if the question doesn't name it", false),
	},
}

// ask answers /ask. The reply is public whether or not the bot knows: "I don't know" is an
// honest answer, not an error.
func (s *Set) ask(ctx context.Context, req *Request) (Response, error) {
	q := strings.TrimSpace(req.Options["question"].String())
	if q == "" {
		return Response{}, Userf("Ask me a question, e.g. /ask question: Who plays Yong Mi?")
	}
	filmID, err := s.optionalFilm(ctx, req)
	if err != nil {
		return Response{}, err
	}
	key := conversation(req)
	a, err := s.know.AskAbout(ctx, q, filmID, s.memory.Recall(key))
	if err != nil {
		return Response{}, err
	}
	s.memory.Remember(key, a.FilmID)
	r := message(&discordgo.InteractionResponseData{Content: ReplyText(a)})
	if !a.Found {
		r.Outcome = OutcomeRefused
	}
	return r, nil
}

// conversation names the conversation a request belongs to, for the film it is about.
func conversation(req *Request) string {
	return answer.ConversationKey(req.GuildID, req.ChannelID, req.User.ID)
}

// ReplyText renders an answer the way /ask, the console and `filmbot ask` all show it:
// the answer, then a line naming its sources.
func ReplyText(a answer.Answer) string {
	if strings.TrimSpace(a.Text) == "" {
		a.Text = dontKnow
	}
	return a.String()
}
