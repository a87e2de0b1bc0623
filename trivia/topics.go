package trivia

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
	"filmbot/fold"
	"filmbot/knowledge"
)

// Games can be narrowed to a genre or a decade as well as a film; both options suggest
// the values the quiz bank has questions for.

// decadeRE reads a decade as people write it: "1950s", "1950", "1950's", "50s", "'50s".
var decadeRE = regexp.MustCompile(`^'?(\d{2}|\d{4})(?:'?s)?$`)

// parseDecade returns the decade (1950 for the 1950s) text names, or false.
func parseDecade(text string) (int, bool) {
	m := decadeRE.FindStringSubmatch(strings.TrimSpace(strings.ToLower(text)))
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[1])
	if len(m[1]) == 2 {
		// "50s" is the 1950s, "20s" the 1920s: films before 2000 are the ones called so.
		n += 1900
	}
	return n - n%10, true
}

// readTopic reads the genre and decade options beside the film already resolved, and says
// what the game is about for a reply ("Westerns of the 1950s").
func readTopic(b *knowledge.Bank, req *commands.Request, filmID, filmTitle string) (knowledge.Topic, string, error) {
	t := knowledge.Topic{Film: filmID}
	var about []string
	if filmTitle != "" {
		about = append(about, filmTitle)
	}
	if g := strings.TrimSpace(req.Options["genre"].String()); g != "" {
		known := ""
		for _, name := range b.Genres() {
			if fold.String(name) == fold.String(g) {
				known = name
			}
		}
		if known == "" {
			return t, "", commands.Userf("I have no %s questions; start typing a genre to see those I have.", commands.Truncate(g, 40))
		}
		t.Genre = known
		about = append(about, known+" films")
	}
	if d := strings.TrimSpace(req.Options["decade"].String()); d != "" {
		decade, ok := parseDecade(d)
		if !ok {
			return t, "", commands.Userf("Name a decade like 1950s.")
		}
		t.Decade = decade
		about = append(about, "the "+strconv.Itoa(decade)+"s")
	}
	return t, strings.Join(about, " of "), nil
}

// suggestTopic answers autocomplete for the genre and decade options.
func (e *Engine) suggestTopic(ctx context.Context, option, typed string) (commands.Response, error) {
	k, err := e.know.Current(ctx)
	if err != nil {
		return commands.Response{}, err
	}
	b := k.Quiz()
	var values []string
	if option == "genre" {
		values = b.Genres()
	} else {
		for _, d := range b.Decades() {
			values = append(values, strconv.Itoa(d)+"s")
		}
	}
	typedKey := fold.String(typed)
	var cs []*discordgo.ApplicationCommandOptionChoice
	for _, v := range values {
		if len(cs) == commands.MaxChoices {
			break
		}
		key := fold.String(v)
		if strings.HasPrefix(key, typedKey) || option == "decade" && strings.HasPrefix(key[2:], typedKey) {
			cs = append(cs, &discordgo.ApplicationCommandOptionChoice{Name: commands.Truncate(v, commands.MaxChoiceText), Value: commands.Truncate(v, commands.MaxChoiceText)})
		}
	}
	if cs == nil {
		cs = []*discordgo.ApplicationCommandOptionChoice{}
	}
	return commands.Response{InteractionResponse: &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: cs},
	}}, nil
}
