package commands

import (
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Discord's limits on what one reply may hold, in characters (runes).
const (
	MaxContent          = 2000
	MaxEmbeds           = 10
	MaxEmbedTitle       = 256
	MaxEmbedDescription = 4096
	MaxEmbedFields      = 25
	MaxFieldName        = 256
	MaxFieldValue       = 1024
	MaxFooter           = 2048
	MaxAuthorName       = 256
	MaxEmbedTotal       = 6000
	MaxRows             = 5
	MaxRowComponents    = 5
	MaxButtonLabel      = 80
	MaxCustomID         = 100
	MaxChoices          = 25
	MaxChoiceText       = 100
	MaxSelectOptions    = 25
	MaxSelectText       = 100
	MaxPlaceholder      = 150
)

// ellipsis marks text that was cut.
const ellipsis = "…"

// Fit cuts d down to Discord's limits so that Discord never rejects a reply for its size:
// text is truncated on rune boundaries with "…", surplus embeds, fields, rows, buttons and
// choices are dropped, and the embeds are shortened from the last one back until their
// text totals at most 6000 characters. Autocomplete choices whose value would not fit are
// dropped rather than cut, since a cut value would name something else.
func Fit(d *discordgo.InteractionResponseData) {
	if d == nil {
		return
	}
	d.Content = Truncate(d.Content, MaxContent)
	if len(d.Embeds) > MaxEmbeds {
		d.Embeds = d.Embeds[:MaxEmbeds]
	}
	for _, e := range d.Embeds {
		fitEmbed(e)
	}
	fitEmbedTotal(d.Embeds)
	d.Components = fitComponents(d.Components)
	d.Choices = fitChoices(d.Choices)
	d.Title = Truncate(d.Title, 45) // modal title
}

// Truncate returns s cut to at most max runes, ending in "…" when it was cut.
func Truncate(s string, max int) string {
	if max <= 0 {
		return ""
	}
	if len(s) <= max || utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + ellipsis
		}
		n++
	}
	return s
}

// cutBytes cuts an ASCII identifier to max bytes (custom IDs are ours and ASCII; a rune
// boundary is kept anyway).
func cutBytes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}

func fitEmbed(e *discordgo.MessageEmbed) {
	if e == nil {
		return
	}
	e.Title = Truncate(e.Title, MaxEmbedTitle)
	e.Description = Truncate(e.Description, MaxEmbedDescription)
	if len(e.Fields) > MaxEmbedFields {
		e.Fields = e.Fields[:MaxEmbedFields]
	}
	for _, f := range e.Fields {
		if f == nil {
			continue
		}
		f.Name = Truncate(f.Name, MaxFieldName)
		f.Value = Truncate(f.Value, MaxFieldValue)
	}
	if e.Footer != nil {
		e.Footer.Text = Truncate(e.Footer.Text, MaxFooter)
	}
	if e.Author != nil {
		e.Author.Name = Truncate(e.Author.Name, MaxAuthorName)
	}
}

// embedChars returns the characters of e that count toward the 6000 total.
func embedChars(e *discordgo.MessageEmbed) int {
	if e == nil {
		return 0
	}
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		if f != nil {
			n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
		}
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	if e.Author != nil {
		n += utf8.RuneCountInString(e.Author.Name)
	}
	return n
}

// fitEmbedTotal shortens embeds from the last back: first the description, then fields
// from the end, until the total is within MaxEmbedTotal. Titles and footers (the source
// line) are kept, so what a card is and where it came from survive.
func fitEmbedTotal(embeds []*discordgo.MessageEmbed) {
	total := 0
	for _, e := range embeds {
		total += embedChars(e)
	}
	for i := len(embeds) - 1; i >= 0 && total > MaxEmbedTotal; i-- {
		e := embeds[i]
		if e == nil {
			continue
		}
		over := total - MaxEmbedTotal
		if d := utf8.RuneCountInString(e.Description); d > 0 {
			keep := max(d-over, 0)
			total -= d
			e.Description = Truncate(e.Description, keep)
			total += utf8.RuneCountInString(e.Description)
		}
		for len(e.Fields) > 0 && total > MaxEmbedTotal {
			f := e.Fields[len(e.Fields)-1]
			e.Fields = e.Fields[:len(e.Fields)-1]
			if f != nil {
				total -= utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
			}
		}
		if total > MaxEmbedTotal && e.Author != nil {
			total -= utf8.RuneCountInString(e.Author.Name)
			e.Author = nil
		}
	}
	// Only titles and footers remain; cut footers, then titles, from the end.
	for i := len(embeds) - 1; i >= 0 && total > MaxEmbedTotal; i-- {
		e := embeds[i]
		if e == nil {
			continue
		}
		if e.Footer != nil {
			n := utf8.RuneCountInString(e.Footer.Text)
			e.Footer.Text = Truncate(e.Footer.Text, max(n-(total-MaxEmbedTotal), 0))
			total += utf8.RuneCountInString(e.Footer.Text) - n
		}
		n := utf8.RuneCountInString(e.Title)
		if total > MaxEmbedTotal {
			e.Title = Truncate(e.Title, max(n-(total-MaxEmbedTotal), 0))
			total += utf8.RuneCountInString(e.Title) - n
		}
	}
}

func fitComponents(cs []discordgo.MessageComponent) []discordgo.MessageComponent {
	if len(cs) > MaxRows {
		cs = cs[:MaxRows]
	}
	for i, c := range cs {
		switch row := c.(type) {
		case discordgo.ActionsRow:
			row.Components = fitRow(row.Components)
			cs[i] = row
		case *discordgo.ActionsRow:
			row.Components = fitRow(row.Components)
		}
	}
	return cs
}

func fitRow(cs []discordgo.MessageComponent) []discordgo.MessageComponent {
	if len(cs) > MaxRowComponents {
		cs = cs[:MaxRowComponents]
	}
	for i, c := range cs {
		switch v := c.(type) {
		case discordgo.Button:
			fitButton(&v)
			cs[i] = v
		case *discordgo.Button:
			fitButton(v)
		case discordgo.SelectMenu:
			fitSelect(&v)
			cs[i] = v
		case *discordgo.SelectMenu:
			fitSelect(v)
		case discordgo.TextInput:
			fitTextInput(&v)
			cs[i] = v
		case *discordgo.TextInput:
			fitTextInput(v)
		}
	}
	return cs
}

func fitButton(b *discordgo.Button) {
	b.Label = Truncate(b.Label, MaxButtonLabel)
	b.CustomID = cutBytes(b.CustomID, MaxCustomID)
}

func fitSelect(s *discordgo.SelectMenu) {
	s.CustomID = cutBytes(s.CustomID, MaxCustomID)
	s.Placeholder = Truncate(s.Placeholder, MaxPlaceholder)
	if len(s.Options) > MaxSelectOptions {
		s.Options = s.Options[:MaxSelectOptions]
	}
	for i := range s.Options {
		s.Options[i].Label = Truncate(s.Options[i].Label, MaxSelectText)
		s.Options[i].Value = cutBytes(s.Options[i].Value, MaxSelectText)
		s.Options[i].Description = Truncate(s.Options[i].Description, MaxSelectText)
	}
}

func fitTextInput(t *discordgo.TextInput) {
	t.CustomID = cutBytes(t.CustomID, MaxCustomID)
	t.Label = Truncate(t.Label, 45)
	t.Placeholder = Truncate(t.Placeholder, 100)
}

func fitChoices(cs []*discordgo.ApplicationCommandOptionChoice) []*discordgo.ApplicationCommandOptionChoice {
	out := cs[:0]
	for _, c := range cs {
		if c == nil || len(out) == MaxChoices {
			continue
		}
		if v, ok := c.Value.(string); ok {
			if v == "" || utf8.RuneCountInString(v) > MaxChoiceText {
				continue
			}
		}
		c.Name = Truncate(c.Name, MaxChoiceText)
		if c.Name == "" {
			continue
		}
		out = append(out, c)
	}
	if cs == nil {
		return nil
	}
	return out
}
