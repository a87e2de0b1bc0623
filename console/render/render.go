// Package render draws Discord replies as plain text for a terminal: the console shows
// replies this way, and tests read them this way. Discord never sees its output.
package render

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Style says how Text renders the parts of a message Discord would draw for the
// reader: mentions and timestamps.
type Style struct {
	// Name returns the name to show for a mentioned user ID; nil, or "", shows "@ID".
	Name func(id string) string
	// Now is the time relative timestamps ("ends in 20 s") count from; zero means now.
	Now time.Time
	// Location is the zone absolute timestamps are shown in; nil means time.Local.
	Location *time.Location
}

// Text renders a reply as plain text for a terminal, in the default Style.
func Text(d *discordgo.InteractionResponseData) string {
	return Style{}.Text(d)
}

// Text renders a reply as plain text for a terminal: the content, then each embed (title,
// description, fields as "Name: value" or an indented block, footer), then the buttons
// that can still be pressed as "[Label]", and autocomplete choices one per line. Discord's
// markup is drawn the way a reader sees it: bold and italic markers go, user mentions
// become names and timestamps become times. The console and tests use it; Discord never
// sees it.
func (st Style) Text(d *discordgo.InteractionResponseData) string {
	if d == nil {
		return ""
	}
	var parts []string
	if c := strings.TrimSpace(d.Content); c != "" {
		parts = append(parts, st.markup(c))
	}
	for _, e := range d.Embeds {
		if e != nil {
			parts = append(parts, st.markup(embedLines(e)))
		}
	}
	var buttons []string
	for _, c := range d.Components {
		for _, b := range rowComponents(c) {
			// A disabled button (a closed question's) cannot be pressed: leave it out.
			switch v := b.(type) {
			case discordgo.Button:
				if !v.Disabled {
					buttons = append(buttons, "["+v.Label+"]")
				}
			case *discordgo.Button:
				if !v.Disabled {
					buttons = append(buttons, "["+v.Label+"]")
				}
			case discordgo.SelectMenu:
				if !v.Disabled {
					buttons = append(buttons, "["+v.Placeholder+" ▾]")
				}
			case *discordgo.SelectMenu:
				if !v.Disabled {
					buttons = append(buttons, "["+v.Placeholder+" ▾]")
				}
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

// tagPattern matches the markup Discord draws in place of a tag: user mentions <@ID> and
// <@!ID>, and timestamps <t:UNIX> and <t:UNIX:STYLE>.
var tagPattern = regexp.MustCompile(`<@!?([0-9A-Za-z_-]+)>|<t:(-?[0-9]{1,12})(?::([tTdDfFR]))?>`)

// markup draws s as a reader would see it in Discord.
func (st Style) markup(s string) string {
	s = tagPattern.ReplaceAllStringFunc(s, func(tag string) string {
		m := tagPattern.FindStringSubmatch(tag)
		if m[1] != "" {
			if st.Name != nil {
				if name := st.Name(m[1]); name != "" {
					return name
				}
			}
			return "@" + m[1]
		}
		unix, err := strconv.ParseInt(m[2], 10, 64)
		if err != nil {
			return tag
		}
		return st.timestamp(time.Unix(unix, 0), m[3])
	})
	return stripEmphasis(s)
}

// timestamp renders t in one of Discord's timestamp styles: R is relative ("in 20 s",
// "3 min ago"), the others a local date and time.
func (st Style) timestamp(t time.Time, style string) string {
	loc := st.Location
	if loc == nil {
		loc = time.Local
	}
	t = t.In(loc)
	switch style {
	case "R":
		now := st.Now
		if now.IsZero() {
			now = time.Now()
		}
		d := t.Sub(now).Round(time.Second)
		if d >= 0 {
			return "in " + roughly(d)
		}
		return roughly(-d) + " ago"
	case "t":
		return t.Format("15:04")
	case "T":
		return t.Format("15:04:05")
	case "d":
		return t.Format("2006-01-02")
	case "D":
		return t.Format("2 January 2006")
	case "F":
		return t.Format("Monday, 2 January 2006 15:04")
	}
	return t.Format("2 January 2006 15:04")
}

// roughly renders a non-negative duration in its largest sensible unit: "20 s", "3 min",
// "2 h", "5 days".
func roughly(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + " s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + " days"
}

// stripEmphasis removes Markdown emphasis markers (** __ * _) that open and close a span
// on one line, keeping the text between them. A marker opens only before a non-space
// and after a non-word character, and closes only after a non-space and before a
// non-word character, so "M*A*S*H", "2 * 3" and snake_case are left as they are.
func stripEmphasis(s string) string {
	if !strings.ContainsAny(s, "*_") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		for _, marker := range []string{"**", "__", "*", "_"} {
			l = stripMarker(l, marker)
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// stripMarker removes the pairs of marker in line that delimit a span.
func stripMarker(line, marker string) string {
	var b strings.Builder
	rest := line
	for {
		open := opening(rest, marker)
		if open < 0 {
			break
		}
		close := closing(rest, open+len(marker), marker)
		if close < 0 {
			break
		}
		b.WriteString(rest[:open])
		b.WriteString(rest[open+len(marker) : close])
		rest = rest[close+len(marker):]
	}
	if b.Len() == 0 {
		return line
	}
	b.WriteString(rest)
	return b.String()
}

// opening returns the index of the first marker in s that can open a span, or -1.
func opening(s, marker string) int {
	for i := 0; ; {
		j := strings.Index(s[i:], marker)
		if j < 0 {
			return -1
		}
		at := i + j
		before, _ := utf8.DecodeLastRuneInString(s[:at])
		after, _ := utf8.DecodeRuneInString(s[at+len(marker):])
		if (at == 0 || !isWordRune(before) && before != rune(marker[0])) &&
			at+len(marker) < len(s) && !unicode.IsSpace(after) && after != rune(marker[0]) {
			return at
		}
		i = at + len(marker)
	}
}

// closing returns the index of the first marker at or after from that can close a span
// opened before from, or -1.
func closing(s string, from int, marker string) int {
	for i := from; i < len(s); {
		j := strings.Index(s[i:], marker)
		if j < 0 {
			return -1
		}
		at := i + j
		before, _ := utf8.DecodeLastRuneInString(s[:at])
		after, _ := utf8.DecodeRuneInString(s[at+len(marker):])
		if at > from && !unicode.IsSpace(before) && before != rune(marker[0]) &&
			(at+len(marker) == len(s) || !isWordRune(after) && after != rune(marker[0])) {
			return at
		}
		i = at + len(marker)
	}
	return -1
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
