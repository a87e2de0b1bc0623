package console

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
)

// errUsage is wrapped by parseSlash's errors: the line is not a command as the console
// reads them, and the reply says how to write it.
var errUsage = errors.New("console")

// parseSlash turns "/name [subcommand] opt: value opt2: value" into a command request,
// using the command's definition to know its subcommands and option names and types.
// Text before the first "opt:" goes to the first string option not given, so
// "/film Comrade Kim Goes Flying" works too.
func parseSlash(line string, defs []*discordgo.ApplicationCommand) (*commands.Request, error) {
	// Tabs and other blanks separate words like spaces do.
	line = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, line)
	body := strings.TrimSpace(strings.TrimPrefix(line, "/"))
	name, rest, _ := strings.Cut(body, " ")
	name = strings.ToLower(name)
	var def *discordgo.ApplicationCommand
	for _, d := range defs {
		if d.Name == name {
			def = d
		}
	}
	if def == nil {
		var names []string
		for _, d := range defs {
			names = append(names, "/"+d.Name)
		}
		sort.Strings(names)
		return nil, fmt.Errorf("%w: no command /%s; there are %s, and /quit", errUsage, name, strings.Join(names, ", "))
	}
	req := &commands.Request{Kind: commands.KindCommand, Name: name, Options: map[string]commands.Option{}}
	opts := def.Options
	rest = strings.TrimSpace(rest)
	var subs []string
	for _, o := range def.Options {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand {
			subs = append(subs, o.Name)
		}
	}
	if len(subs) > 0 {
		word, after, _ := strings.Cut(rest, " ")
		for _, o := range def.Options {
			if o.Type == discordgo.ApplicationCommandOptionSubCommand && o.Name == strings.ToLower(word) {
				req.Subcommand, opts, rest = o.Name, o.Options, strings.TrimSpace(after)
			}
		}
		if req.Subcommand == "" {
			return nil, fmt.Errorf("%w: /%s needs one of: %s", errUsage, name, strings.Join(subs, ", "))
		}
	}

	// Find "name: " for each known option, at the start or after a space, and followed by
	// a space or the end, so "film:about" inside a question stays text.
	type mark struct {
		opt        *discordgo.ApplicationCommandOption
		start, end int // of "name:" in rest
	}
	var marks []mark
	lower := strings.ToLower(rest)
	for _, o := range opts {
		key := o.Name + ":"
		for i := 0; i+len(key) <= len(lower); {
			j := strings.Index(lower[i:], key)
			if j < 0 {
				break
			}
			at := i + j
			end := at + len(key)
			if (at == 0 || lower[at-1] == ' ') && (end == len(lower) || lower[end] == ' ') {
				marks = append(marks, mark{o, at, end})
				break
			}
			i = at + 1
		}
	}
	sort.Slice(marks, func(a, b int) bool { return marks[a].start < marks[b].start })
	// A "name:" where the options begin that names no option is a mistyped option, not
	// the start of a value: "/film titel: Comrade Kim".
	if word, _, _ := strings.Cut(rest, " "); optionLike(word) && (len(marks) == 0 || marks[0].start > 0) {
		var names []string
		for _, o := range opts {
			names = append(names, o.Name)
		}
		cmd := "/" + name
		if req.Subcommand != "" {
			cmd += " " + req.Subcommand
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("%w: %s has no option %s; it takes none", errUsage, cmd, strings.TrimSuffix(word, ":"))
		}
		return nil, fmt.Errorf("%w: %s has no option %s; options: %s", errUsage, cmd, strings.TrimSuffix(word, ":"), strings.Join(names, ", "))
	}
	values := map[*discordgo.ApplicationCommandOption]string{}
	lead := rest
	if len(marks) > 0 {
		lead = rest[:marks[0].start]
	}
	for i, m := range marks {
		end := len(rest)
		if i+1 < len(marks) {
			end = marks[i+1].start
		}
		values[m.opt] = strings.TrimSpace(rest[m.end:end])
	}
	if lead = strings.TrimSpace(lead); lead != "" {
		var target *discordgo.ApplicationCommandOption
		for _, o := range opts {
			if _, given := values[o]; !given && o.Type == discordgo.ApplicationCommandOptionString {
				target = o
				break
			}
		}
		if target == nil {
			return nil, fmt.Errorf("%w: what is %q? write options as name: value", errUsage, lead)
		}
		values[target] = lead
	}
	for o, v := range values {
		opt, err := optionValue(o, v)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errUsage, o.Name, err)
		}
		req.Options[o.Name] = opt
	}
	for _, o := range opts {
		if _, ok := req.Options[o.Name]; o.Required && !ok {
			return nil, fmt.Errorf("%w: /%s needs %s: (%s)", errUsage, name, o.Name, o.Description)
		}
	}
	return req, nil
}

// optionLike reports whether word is written like an option name and its colon:
// "titel:", "seconds:".
func optionLike(word string) bool {
	name, ok := strings.CutSuffix(word, ":")
	if !ok || name == "" {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// optionValue converts typed text to the value Discord would send for the option's type.
func optionValue(o *discordgo.ApplicationCommandOption, v string) (commands.Option, error) {
	opt := commands.Option{Type: o.Type}
	switch o.Type {
	case discordgo.ApplicationCommandOptionInteger:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return opt, fmt.Errorf("%q is not a whole number", v)
		}
		opt.Value = float64(n)
	case discordgo.ApplicationCommandOptionNumber:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return opt, fmt.Errorf("%q is not a number", v)
		}
		opt.Value = f
	case discordgo.ApplicationCommandOptionBoolean:
		switch strings.ToLower(v) {
		case "true", "yes", "on", "1":
			opt.Value = true
		case "false", "no", "off", "0":
			opt.Value = false
		default:
			return opt, fmt.Errorf("%q is not true or false", v)
		}
	case discordgo.ApplicationCommandOptionAttachment:
		return opt, errors.New("the console cannot attach files; use filmbot reseed FILE")
	default:
		if len(o.Choices) > 0 {
			for _, ch := range o.Choices {
				if strings.EqualFold(ch.Name, v) || strings.EqualFold(fmt.Sprint(ch.Value), v) {
					opt.Value = ch.Value
					return opt, nil
				}
			}
			var names []string
			for _, ch := range o.Choices {
				names = append(names, fmt.Sprint(ch.Value))
			}
			return opt, fmt.Errorf("%q is not one of %s", v, strings.Join(names, ", "))
		}
		opt.Value = v
	}
	return opt, nil
}
