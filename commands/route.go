package commands

import (
	"fmt"
	"strings"
	"unicode"
)

// A custom-ID pattern names the buttons, selects or modals one handler serves. It is
// segments separated by ':', each either literal text or "{name}", which matches one
// non-empty segment and is handed to the handler as req.Params[name]. The last segment may
// be "{name...}", which matches the non-empty rest of the ID, colons included:
//
//	fact:another:{film...}
//	trivia:ans:{game}:{question}:{choice}
//
// A custom ID matches when it has as many segments as the pattern (at least as many, with
// a "{name...}") and every literal segment is equal. Of several patterns that match, the
// one with the most literal segments wins, then one without "{name...}", then the first
// registered: a catch-all like "trivia:{rest...}" never shadows "trivia:ans:{game}".
type route struct {
	pattern string
	segs    []string // literal text, or a parameter's name
	param   []bool   // whether segs[i] is a parameter
	rest    bool     // the last segment is "{name...}"
	// score ranks routes that match the same ID: literal segments count most, and a
	// "{name...}" route gives way to one without.
	score int
	h     Handler
}

// newRoute parses pattern. A malformed pattern is a programming error, reported when the
// handler is registered, as http.ServeMux does.
func newRoute(pattern string, h Handler) route {
	if pattern == "" || len(pattern) > MaxCustomID || h == nil {
		panic(fmt.Sprintf("commands: bad custom-ID pattern %q", pattern))
	}
	segs := strings.Split(pattern, ":")
	last := segs[len(segs)-1]
	rest := strings.HasPrefix(last, "{") && strings.HasSuffix(last, "...}")
	if rest {
		segs[len(segs)-1] = strings.TrimSuffix(last, "...}") + "}"
	}
	seen := map[string]bool{}
	for _, s := range segs {
		name, isParam := paramName(s)
		switch {
		case s == "":
			panic(fmt.Sprintf("commands: empty segment in custom-ID pattern %q", pattern))
		case isParam && (!validParam(name) || seen[name]):
			panic(fmt.Sprintf("commands: bad or repeated parameter %q in custom-ID pattern %q", s, pattern))
		case !isParam && strings.ContainsAny(s, "{}"):
			panic(fmt.Sprintf("commands: braces inside segment %q of custom-ID pattern %q", s, pattern))
		}
		seen[name] = true
	}
	rt := route{pattern: pattern, segs: segs, param: make([]bool, len(segs)), rest: rest, h: h}
	for i, seg := range segs {
		if name, isParam := paramName(seg); isParam {
			rt.segs[i], rt.param[i] = name, true
		} else {
			rt.score += 2
		}
	}
	if !rest {
		rt.score++
	}
	return rt
}

// validParam reports whether name is usable as a parameter: letters, digits, '_', '-'.
func validParam(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' {
			return false
		}
	}
	return true
}

// paramName returns the parameter a segment names ("{film}" → "film").
func paramName(seg string) (string, bool) {
	if len(seg) >= 2 && seg[0] == '{' && seg[len(seg)-1] == '}' {
		return seg[1 : len(seg)-1], true
	}
	return "", false
}

// matches reports whether id fits the route, without collecting the parameters.
func (rt route) matches(id string) bool {
	if n := strings.Count(id, ":"); n != len(rt.segs)-1 && (!rt.rest || n < len(rt.segs)-1) {
		return false
	}
	rest := id
	for i, seg := range rt.segs {
		part := rest
		if i < len(rt.segs)-1 {
			part, rest, _ = strings.Cut(rest, ":")
		}
		if rt.param[i] && part == "" || !rt.param[i] && part != seg {
			return false
		}
	}
	return true
}

// match reports whether id fits the route, with the parameters' values.
func (rt route) match(id string) (map[string]string, bool) {
	if n := strings.Count(id, ":"); n != len(rt.segs)-1 && (!rt.rest || n < len(rt.segs)-1) {
		return nil, false
	}
	var params map[string]string
	rest := id
	for i, seg := range rt.segs {
		part := rest
		if i < len(rt.segs)-1 {
			part, rest, _ = strings.Cut(rest, ":")
		}
		switch {
		case !rt.param[i] && part != seg:
			return nil, false
		case rt.param[i] && part == "":
			return nil, false
		case rt.param[i]:
			if params == nil {
				params = make(map[string]string, len(rt.segs))
			}
			params[seg] = part
		}
	}
	return params, true
}

// findRoute returns the most specific route in rs that id matches, with its parameters.
func findRoute(rs []route, id string) (route, map[string]string, bool) {
	best, bestScore := -1, -1
	for i, rt := range rs {
		if rt.score > bestScore && rt.matches(id) {
			best, bestScore = i, rt.score
		}
	}
	if best < 0 {
		return route{}, nil, false
	}
	params, _ := rs[best].match(id)
	return rs[best], params, true
}

// Autocomplete routes the suggestions for options of command name to h; req.Focused names
// the option being typed. Only options whose definition sets Autocomplete reach it.
// Registering a name again replaces its handler.
func (s *Set) Autocomplete(name string, h Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.autos[name] = h
}

// Component routes presses of buttons and selects whose custom ID matches pattern (see
// route) to h.
func (s *Set) Component(pattern string, h Handler) {
	rt := newRoute(pattern, h)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.components = append(s.components, rt)
}

// Modal routes submitted modals whose custom ID matches pattern (see route) to h.
func (s *Set) Modal(pattern string, h Handler) {
	rt := newRoute(pattern, h)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.modals = append(s.modals, rt)
}
