package seed

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Red-DiscordBot trivia lists are YAML mappings from a question to the list of answers that
// count as right, with a few upper-case keys for the list itself. Server owners already
// have many of them, so filmbot reads them as they are: each question becomes a typed-
// answer (hard) Question whose first answer is the one shown, and the list becomes the
// Article its questions cite.

// ParseRedList reads one Red-DiscordBot trivia list (YAML). name is used in problems and
// IDs: the questions of "films.yaml" are films-1, films-2… citing the article trivia-films.
// On any problem it returns a nil catalog and every problem.
func ParseRedList(name string, data []byte) (*Catalog, error) {
	f, probs := parseRedList(name, data)
	if f == nil {
		return nil, probs.err()
	}
	return finish([]*parsed{f}, probs)
}

// redConfig says what each CONFIG key of a Red trivia list holds. filmbot takes its quiz
// settings from /trivia, so the values are checked the way Red checks them and then left
// unused; a list that loads here still loads in Red.
var redConfig = map[string]string{
	"bot_plays":         "bool",
	"reveal_answer":     "bool",
	"use_spoilers":      "bool",
	"max_score":         "count",
	"timeout":           "positive",
	"delay":             "delay",
	"payout_multiplier": "nonnegative",
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// redList reads one trivia list into records and the spots validation points at.
type redList struct {
	file  string
	lines int // in the file, so no problem points past its end
	probs Problems
}

func (r *redList) problem(line int, format string, args ...any) {
	line = min(line, r.lines)
	r.probs = append(r.probs, Problem{File: r.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func parseRedList(name string, data []byte) (*parsed, Problems) {
	data = bytes.TrimPrefix(data, bom)
	if p, bad := invalidUTF8(name, data); bad {
		return nil, Problems{p}
	}
	r := &redList{file: name, lines: bytes.Count(data, []byte{'\n'}) + 1}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg, line := err.Error(), 0
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		r.problem(line, "%s", strings.TrimPrefix(msg, "yaml: "))
		return nil, r.probs
	}
	if len(doc.Content) == 0 {
		r.problem(0, "the trivia list is empty")
		return nil, r.probs
	}
	top := deref(doc.Content[0])
	if top.Kind != yaml.MappingNode {
		r.problem(top.Line, "a trivia list maps each question to a list of answers: a line `Question?:` and under it one `- answer` line per answer")
		return nil, r.probs
	}

	stem := strings.TrimSuffix(path.Base(name), path.Ext(name))
	slug := slug(stem, MaxID-len("trivia--9999"))
	if slug == "" {
		slug = "list"
	}
	article := Article{ID: "trivia-" + slug, Publisher: "Red trivia list", Headline: path.Base(name)}
	articleAt := &spot{line: top.Line}
	c := &Catalog{}
	questions := &spot{}
	prompts := make(map[string]int) // prompt → line
	n := 0
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := deref(top.Content[i]), deref(top.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			r.problem(k.Line, "a question must be text")
			continue
		}
		switch k.Value {
		case "AUTHOR":
			if s, ok := r.text(k, v); ok {
				article.Publisher = s
				articleAt.set("publisher", &spot{line: k.Line})
			}
			continue
		case "DESCRIPTION":
			if s, ok := r.text(k, v); ok {
				article.Headline = s
				articleAt.set("headline", &spot{line: k.Line})
			}
			continue
		case "$schema":
			r.text(k, v)
			continue
		case "CONFIG":
			r.config(v)
			continue
		}
		n++
		q, at, ok := r.question(k, v)
		if first, dup := prompts[q.Prompt]; dup {
			r.problem(k.Line, "the same question is asked at line %d", first)
			continue
		}
		prompts[q.Prompt] = k.Line
		if !ok {
			continue
		}
		q.ID = fmt.Sprintf("%s-%d", slug, n)
		q.Source = article.ID
		c.Questions = append(c.Questions, q)
		questions.items = append(questions.items, at)
	}
	if n == 0 {
		r.problem(top.Line, "the trivia list holds no questions")
	}
	c.Articles = []Article{article}
	root := &spot{line: 1}
	root.set("article", &spot{items: []*spot{articleAt}})
	root.set("question", questions)
	return &parsed{cat: *c, places: places{file: name, root: root}}, r.probs
}

// deref follows a YAML alias (*name) to the node it stands for.
func deref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// text reads the value of one of the list's own keys, which must be text.
func (r *redList) text(k, v *yaml.Node) (string, bool) {
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		r.problem(v.Line, "%s must be text", k.Value)
		return "", false
	}
	return v.Value, true
}

// config checks CONFIG as Red does.
func (r *redList) config(v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		r.problem(v.Line, "CONFIG must be a mapping of settings, such as `delay: 20`")
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := deref(v.Content[i]), deref(v.Content[i+1])
		want, known := redConfig[k.Value]
		if !known {
			r.problem(k.Line, "unknown CONFIG key %q", k.Value)
			continue
		}
		num, err := strconv.ParseFloat(val.Value, 64)
		isNum := val.Kind == yaml.ScalarNode && (val.ShortTag() == "!!int" || val.ShortTag() == "!!float") && err == nil
		var bad string
		switch want {
		case "bool":
			if val.Kind != yaml.ScalarNode || val.ShortTag() != "!!bool" {
				bad = "true or false"
			}
		case "count":
			if val.Kind != yaml.ScalarNode || val.ShortTag() != "!!int" || num < 1 {
				bad = "a whole number of at least 1"
			}
		case "positive":
			if !isNum || num <= 0 {
				bad = "a number above 0"
			}
		case "delay":
			if !isNum || num < 4 {
				bad = "a number of at least 4"
			}
		case "nonnegative":
			if !isNum || num < 0 {
				bad = "a number of 0 or more"
			}
		}
		if bad != "" {
			r.problem(val.Line, "CONFIG %s must be %s", k.Value, bad)
		}
	}
}

// question reads one question and its answers. It reports problems in the list's own terms
// (answer 2, not accept[0]), and ok is false when there were any, so validation does not
// report them again.
func (r *redList) question(k, v *yaml.Node) (q Question, at *spot, ok bool) {
	q = Question{Prompt: strings.TrimSpace(k.Value), Hard: true}
	at = &spot{line: k.Line}
	at.set("id", &spot{line: k.Line})
	at.set("prompt", &spot{line: k.Line})
	ok = true
	if utf8.RuneCountInString(q.Prompt) > MaxPrompt {
		r.problem(k.Line, "question is too long: %d characters, limit %d", utf8.RuneCountInString(q.Prompt), MaxPrompt)
		ok = false
	}
	if strings.TrimSpace(q.Prompt) == "" {
		r.problem(k.Line, "question is empty")
		ok = false
	}
	if v.Kind != yaml.SequenceNode {
		line := v.Line
		if v.ShortTag() == "!!null" {
			line = k.Line // nothing was written, and YAML places the nothing on the next line
		}
		r.problem(line, "the answers must be a list, one per line starting with \"- \"")
		return q, at, false
	}
	if len(v.Content) == 0 {
		r.problem(v.Line, "the question has no answers")
		return q, at, false
	}
	var answers []string
	accept := &spot{line: v.Line}
	for i, a := range v.Content {
		a = deref(a)
		switch {
		case a.Kind != yaml.ScalarNode:
			r.problem(a.Line, "answer %d must be text, a number or true/false, not a list or mapping", i+1)
			ok = false
			continue
		case a.ShortTag() == "!!null" || strings.TrimSpace(a.Value) == "":
			r.problem(a.Line, "answer %d is empty", i+1)
			ok = false
			continue
		case utf8.RuneCountInString(a.Value) > MaxAnswer:
			r.problem(a.Line, "answer %d is too long: %d characters, limit %d", i+1, utf8.RuneCountInString(a.Value), MaxAnswer)
			ok = false
			continue
		case strings.ContainsFunc(a.Value, unicode.IsControl):
			r.problem(a.Line, "answer %d must be one line of text", i+1)
			ok = false
			continue
		}
		if i == 0 {
			at.set("answer", &spot{line: a.Line})
		} else {
			accept.items = append(accept.items, &spot{line: a.Line})
		}
		answers = append(answers, strings.TrimSpace(a.Value))
	}
	at.set("accept", accept)
	if len(answers) > 0 {
		q.Answer, q.Accept = answers[0], answers[1:]
		if len(q.Accept) == 0 {
			q.Accept = nil
		}
	}
	return q, at, ok
}
