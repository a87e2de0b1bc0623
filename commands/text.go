package commands

import (
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Text renders a reply as plain text for a terminal: the content, then each embed (title,
// description, fields as "Name: value" or an indented block, footer), then buttons as
// "[Label]" and autocomplete choices one per line. The console and tests use it; Discord
// never sees it.
func Text(d *discordgo.InteractionResponseData) string {
	if d == nil {
		return ""
	}
	var parts []string
	if c := strings.TrimSpace(d.Content); c != "" {
		parts = append(parts, c)
	}
	for _, e := range d.Embeds {
		if e != nil {
			parts = append(parts, embedLines(e))
		}
	}
	var buttons []string
	for _, c := range d.Components {
		for _, b := range rowComponents(c) {
			switch v := b.(type) {
			case discordgo.Button:
				buttons = append(buttons, "["+v.Label+"]")
			case *discordgo.Button:
				buttons = append(buttons, "["+v.Label+"]")
			case discordgo.SelectMenu:
				buttons = append(buttons, "["+v.Placeholder+" ▾]")
			case *discordgo.SelectMenu:
				buttons = append(buttons, "["+v.Placeholder+" ▾]")
			}
		}
	}
	if len(buttons) > 0 {
		parts = append(parts, strings.Join(buttons, " "))
	}
	if len(d.Choices) > 0 {
		var cs []string
		for _, c := range d.Choices {
			cs = append(cs, "  "+c.Name)
		}
		parts = append(parts, strings.Join(cs, "\n"))
	}
	return strings.Join(parts, "\n\n")
}

func rowComponents(c discordgo.MessageComponent) []discordgo.MessageComponent {
	switch row := c.(type) {
	case discordgo.ActionsRow:
		return row.Components
	case *discordgo.ActionsRow:
		return row.Components
	}
	return []discordgo.MessageComponent{c}
}

// embedLines renders one embed; short single-line fields share "Name: value" lines,
// multi-line ones are indented under their name.
func embedLines(e *discordgo.MessageEmbed) string {
	var b strings.Builder
	line := func(s string) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s)
	}
	if e.Title != "" {
		line(e.Title)
		line(strings.Repeat("─", min(len([]rune(e.Title)), 60)))
	}
	if e.Description != "" {
		line(e.Description)
	}
	if len(e.Fields) > 0 && b.Len() > 0 {
		line("")
	}
	for _, f := range e.Fields {
		if f == nil {
			continue
		}
		if !strings.Contains(f.Value, "\n") && len(f.Name)+len(f.Value) < 100 {
			line(f.Name + ": " + f.Value)
			continue
		}
		line(f.Name + ":")
		for _, v := range strings.Split(f.Value, "\n") {
			line("  " + v)
		}
	}
	if e.Footer != nil && e.Footer.Text != "" {
		if b.Len() > 0 {
			line("")
		}
		line(e.Footer.Text)
	}
	return b.String()
}
