package commands

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"eleven char", 10, "eleven ch…"},
		{"Amélie Poulain", 4, "Amé…"},
		{"北朝鮮の映画です", 5, "北朝鮮の…"},
		{"anything", 0, ""},
		{"anything", 1, "…"},
	}
	for _, tt := range tests {
		got := Truncate(tt.s, tt.max)
		if got != tt.want || !utf8.ValidString(got) {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.s, tt.max, got, tt.want)
		}
	}
}

func TestFit(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	button := func(label, id string) discordgo.MessageComponent {
		return discordgo.Button{Label: label, CustomID: id}
	}
	row := func(n int) discordgo.MessageComponent {
		r := discordgo.ActionsRow{}
		for i := 0; i < n; i++ {
			r.Components = append(r.Components, button("b", "x:"+strings.Repeat("i", i)))
		}
		return r
	}

	d := &discordgo.InteractionResponseData{
		Content: long(2500),
		Embeds: func() []*discordgo.MessageEmbed {
			var es []*discordgo.MessageEmbed
			for i := 0; i < 12; i++ {
				es = append(es, &discordgo.MessageEmbed{Title: long(300), Description: long(5000)})
			}
			fields := make([]*discordgo.MessageEmbedField, 30)
			for i := range fields {
				fields[i] = &discordgo.MessageEmbedField{Name: long(300), Value: long(2000)}
			}
			es[0].Fields = fields
			es[0].Footer = &discordgo.MessageEmbedFooter{Text: long(3000)}
			return es
		}(),
		Components: []discordgo.MessageComponent{
			row(7), row(1), row(1), row(1), row(1), row(1), row(1),
			&discordgo.ActionsRow{Components: []discordgo.MessageComponent{button(long(100), strings.Repeat("c", 150))}},
		},
	}
	Fit(d)

	if n := utf8.RuneCountInString(d.Content); n != MaxContent || !strings.HasSuffix(d.Content, "…") {
		t.Errorf("content has %d runes, want %d ending in …", n, MaxContent)
	}
	if len(d.Embeds) != MaxEmbeds {
		t.Errorf("%d embeds, want %d", len(d.Embeds), MaxEmbeds)
	}
	total := 0
	for _, e := range d.Embeds {
		if utf8.RuneCountInString(e.Title) > MaxEmbedTitle || utf8.RuneCountInString(e.Description) > MaxEmbedDescription || len(e.Fields) > MaxEmbedFields {
			t.Errorf("embed over a per-embed limit: title %d, description %d, fields %d",
				utf8.RuneCountInString(e.Title), utf8.RuneCountInString(e.Description), len(e.Fields))
		}
		for _, f := range e.Fields {
			if utf8.RuneCountInString(f.Name) > MaxFieldName || utf8.RuneCountInString(f.Value) > MaxFieldValue {
				t.Errorf("field over its limits")
			}
		}
		if e.Footer != nil && utf8.RuneCountInString(e.Footer.Text) > MaxFooter {
			t.Errorf("footer over its limit")
		}
		total += embedChars(e)
	}
	if total > MaxEmbedTotal {
		t.Errorf("embeds total %d characters, want at most %d", total, MaxEmbedTotal)
	}
	if d.Embeds[0].Title == "" || d.Embeds[0].Footer == nil || d.Embeds[0].Footer.Text == "" {
		t.Errorf("the first embed lost its title or footer: %q / %v", d.Embeds[0].Title, d.Embeds[0].Footer)
	}
	if len(d.Components) != MaxRows {
		t.Fatalf("%d rows, want %d", len(d.Components), MaxRows)
	}
	if n := len(d.Components[0].(discordgo.ActionsRow).Components); n != MaxRowComponents {
		t.Errorf("first row has %d buttons, want %d", n, MaxRowComponents)
	}

	d2 := &discordgo.InteractionResponseData{Components: []discordgo.MessageComponent{
		&discordgo.ActionsRow{Components: []discordgo.MessageComponent{button(long(100), strings.Repeat("c", 150))}},
	}}
	Fit(d2)
	b := d2.Components[0].(*discordgo.ActionsRow).Components[0].(discordgo.Button)
	if utf8.RuneCountInString(b.Label) != MaxButtonLabel || len(b.CustomID) != MaxCustomID {
		t.Errorf("button label %d runes, custom ID %d bytes; want %d and %d",
			utf8.RuneCountInString(b.Label), len(b.CustomID), MaxButtonLabel, MaxCustomID)
	}
}

func TestFit_Choices(t *testing.T) {
	var cs []*discordgo.ApplicationCommandOptionChoice
	for i := 0; i < 30; i++ {
		cs = append(cs, &discordgo.ApplicationCommandOptionChoice{Name: strings.Repeat("n", 90+i), Value: strings.Repeat("v", 90+i)})
	}
	cs = append([]*discordgo.ApplicationCommandOptionChoice{{Name: "", Value: "x"}, {Name: "x", Value: ""}}, cs...)
	d := &discordgo.InteractionResponseData{Choices: cs}
	Fit(d)
	if len(d.Choices) != 11 {
		t.Errorf("%d choices, want the 11 whose value fits (values past 100 would name something else)", len(d.Choices))
	}
	for _, c := range d.Choices {
		v := c.Value.(string)
		if n := utf8.RuneCountInString(c.Name); n < 1 || n > MaxChoiceText || len(v) < 1 || len(v) > MaxChoiceText {
			t.Errorf("choice %q=%q outside 1–100", c.Name, v)
		}
	}

	many := make([]*discordgo.ApplicationCommandOptionChoice, 40)
	for i := range many {
		many[i] = &discordgo.ApplicationCommandOptionChoice{Name: "n", Value: "v"}
	}
	d = &discordgo.InteractionResponseData{Choices: many}
	Fit(d)
	if len(d.Choices) != MaxChoices {
		t.Errorf("%d choices, want %d", len(d.Choices), MaxChoices)
	}
}
