package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// maxHelpSources is how many articles /help lists by name.
const maxHelpSources = 10

// maxHelpFilms is how many films /help names before counting the rest: enough to see
// what the bot is about, few enough for a 100,000-film catalog.
const maxHelpFilms = 8

var helpDef = &discordgo.ApplicationCommand{
	Name:         "help",
	Description:  "What I know and how to ask me.",
	DMPermission: &inDMs,
}

// helpCmd answers /help: how much the bot knows, where it comes from, and each command.
// The commands are listed from their definitions, so /help cannot drift from what is
// registered; other packages add sections (trivia scoring) with AddHelp. Owner commands
// appear only in the home guild, where they exist.
func (s *Set) helpCmd(ctx context.Context, req *Request) (Response, error) {
	k, err := s.know.Current(ctx)
	if err != nil {
		return Response{}, err
	}
	c := k.Catalog.Counts()
	e := &discordgo.MessageEmbed{Title: "filmbot", Color: cardColor}
	if c.Films == 0 {
		e.Description = "I don't know any films yet: the store is empty. The owner can fill it with /reseed or `filmbot reseed`."
	} else {
		e.Description = fmt.Sprintf("I answer trivia about %s, from %s: %s and %s. Every answer says where it comes from, and when the articles don't say, I say I don't know.",
			plural(c.Films, "film", "films"), plural(c.Articles, "article", "articles"),
			plural(c.Facts, "fact", "facts"), plural(c.Questions, "quiz question", "quiz questions"))
	}

	s.mu.RLock()
	var lines []string
	for _, name := range s.order {
		en := s.cmds[name]
		if en.def == nil || (en.home && (s.deps.HomeGuild == "" || req.GuildID != s.deps.HomeGuild)) {
			continue
		}
		lines = append(lines, usage(en.def))
	}
	sections := append([]HelpSection(nil), s.help...)
	s.mu.RUnlock()
	if films := k.Catalog.Films; len(films) > 0 {
		// The films by name, not just their number: a person sees what to ask about.
		var names []string
		for i, f := range films {
			if i == maxHelpFilms {
				names = append(names, fmt.Sprintf("… and %d more (%d in all); /film title: suggests them as you type", len(films)-i, len(films)))
				break
			}
			name := "• " + f.Title
			if f.Year > 0 {
				name += fmt.Sprintf(" (%d)", f.Year)
			}
			names = append(names, name)
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Films", Value: strings.Join(names, "\n")})
	}
	e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Commands", Value: strings.Join(lines, "\n")})

	if len(k.Catalog.Articles) > 0 {
		var src []string
		for i, a := range k.Catalog.Articles {
			if i == maxHelpSources {
				src = append(src, fmt.Sprintf("… and %d more", len(k.Catalog.Articles)-i))
				break
			}
			src = append(src, "• "+a.Citation())
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Sources", Value: strings.Join(src, "\n")})
	}
	for _, sec := range sections {
		if sec.Title != "" && sec.Text != "" {
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: sec.Title, Value: sec.Text})
		}
	}
	return Response{InteractionResponse: &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Embeds: []*discordgo.MessageEmbed{e}, Flags: discordgo.MessageFlagsEphemeral},
	}}, nil
}

// usage renders one command as "/ask question: [film:] — Ask a trivia question…".
func usage(def *discordgo.ApplicationCommand) string {
	var b strings.Builder
	b.WriteString("/" + def.Name)
	var opts func([]*discordgo.ApplicationCommandOption)
	opts = func(os []*discordgo.ApplicationCommandOption) {
		for _, o := range os {
			switch o.Type {
			case discordgo.ApplicationCommandOptionSubCommand:
				// Subcommands read as alternatives: "/trivia start|stop".
				continue
			case discordgo.ApplicationCommandOptionSubCommandGroup:
				opts(o.Options)
				continue
			}
			if o.Required {
				b.WriteString(" " + o.Name + ":")
			} else {
				b.WriteString(" [" + o.Name + ":]")
			}
		}
	}
	var subs []string
	for _, o := range def.Options {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand {
			subs = append(subs, o.Name)
		}
	}
	if len(subs) > 0 {
		b.WriteString(" " + strings.Join(subs, "|"))
	}
	opts(def.Options)
	b.WriteString(" — " + def.Description)
	return b.String()
}
