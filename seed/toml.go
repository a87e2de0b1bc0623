package seed

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Reading a TOML seed takes two passes over the text. The first walks go-toml's syntax
// tree against the Go types' toml tags: it notes the line of every table header and key
// (validation later points each problem at the line to change) and reports every unknown
// key and every value of the wrong type at once. Only when the shapes are right does the
// second pass, go-toml's strict decoder, turn the values into a Catalog.

// spot is where a value sits in a seed file: the line of its key or table header, and for
// tables and lists where their parts sit.
type spot struct {
	line  int
	keys  []keyed
	items []*spot
	// inline is set for values written as `key = …`, which [[key]] headers cannot extend.
	inline bool
}

type keyed struct {
	name string
	at   *spot
}

// key returns the spot of the named key in table s, or nil.
func (s *spot) key(name string) *spot {
	if s == nil {
		return nil
	}
	for _, k := range s.keys {
		if k.name == name {
			return k.at
		}
	}
	return nil
}

// item returns the spot of the i-th entry of list s, or nil.
func (s *spot) item(i int) *spot {
	if s == nil || i < 0 || i >= len(s.items) {
		return nil
	}
	return s.items[i]
}

// set adds a key to table s.
func (s *spot) set(name string, at *spot) {
	s.keys = append(s.keys, keyed{name, at})
}

// lineIndex turns byte offsets into line numbers.
type lineIndex []int // offsets of every '\n'

func newLineIndex(data []byte) lineIndex {
	li := make(lineIndex, 0, bytes.Count(data, []byte{'\n'}))
	for i, b := range data {
		if b == '\n' {
			li = append(li, i)
		}
	}
	return li
}

// line returns the 1-based line holding byte offset off.
func (li lineIndex) line(off int) int {
	return sort.SearchInts(li, off) + 1
}

var bom = []byte("\xef\xbb\xbf")

// parseTOML reads one TOML seed file. It returns nil when the file's shape is too wrong to
// decode; problems about single keys come back alongside the records.
func parseTOML(name string, data []byte) (*parsed, Problems) {
	// Editors on Windows like to start files with a byte-order mark; TOML does not allow
	// one, and it carries no meaning in UTF-8.
	data = bytes.TrimPrefix(data, bom)
	if p, bad := invalidUTF8(name, data); bad {
		return nil, Problems{p}
	}
	w := &tomlWalker{file: name, lines: newLineIndex(data), root: &spot{line: 1}}
	w.walk(data)
	if w.fatal {
		return nil, w.probs
	}

	var c Catalog
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(&c)
	var missing *toml.StrictMissingError
	var decErr *toml.DecodeError
	switch {
	case err == nil:
	case errors.As(err, &missing):
		// The walk reports unknown keys with better words; go-toml's list is the safety
		// net for any the walk let through.
		for i := range missing.Errors {
			row, _ := missing.Errors[i].Position()
			if !w.reported[row] {
				w.problem(row, "unknown key %q", strings.Join(missing.Errors[i].Key(), "."))
			}
		}
	case errors.As(err, &decErr):
		row, _ := decErr.Position()
		w.problem(row, "%s", strings.TrimPrefix(decErr.Error(), "toml: "))
		return nil, w.probs
	default:
		w.problem(0, "%v", err)
		return nil, w.probs
	}
	return &parsed{cat: c, places: places{file: name, root: w.root, roles: true}}, w.probs
}

// invalidUTF8 reports the first line of data that is not valid UTF-8.
func invalidUTF8(name string, data []byte) (Problem, bool) {
	if utf8.Valid(data) {
		return Problem{}, false
	}
	line := 1
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r == utf8.RuneError && n <= 1 {
			break
		}
		if r == '\n' {
			line++
		}
		data = data[n:]
	}
	return Problem{File: name, Line: line, Msg: "invalid UTF-8: save the file as UTF-8 text"}, true
}

// tomlWalker is the first pass over a TOML seed: positions, unknown keys, wrong types.
type tomlWalker struct {
	file     string
	lines    lineIndex
	root     *spot
	probs    Problems
	reported map[int]bool // lines that already have a problem
	fatal    bool         // a problem that makes decoding pointless
	fields   map[reflect.Type]map[string]reflect.StructField
}

// table is the table key-values currently go into.
type table struct {
	at   *spot
	typ  reflect.Type // struct type the table decodes into
	name string       // header as written, for messages: "[[film.cast]]"; "" at the top
}

func (w *tomlWalker) problem(line int, format string, args ...any) {
	w.probs = append(w.probs, Problem{File: w.file, Line: line, Msg: fmt.Sprintf(format, args...)})
	if w.reported == nil {
		w.reported = make(map[int]bool)
	}
	w.reported[line] = true
}

// wrong reports a problem that stops the file from being decoded.
func (w *tomlWalker) wrong(line int, format string, args ...any) {
	w.problem(line, format, args...)
	w.fatal = true
}

func (w *tomlWalker) lineOf(n *unstable.Node, fallback int) int {
	if n == nil || n.Raw.Length == 0 {
		return fallback
	}
	return w.lines.line(int(n.Raw.Offset))
}

func (w *tomlWalker) walk(data []byte) {
	var p unstable.Parser
	p.Reset(data)
	cur := &table{at: w.root, typ: reflect.TypeFor[Catalog]()}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.ArrayTable:
			cur = w.arrayTable(e)
		case unstable.Table:
			w.plainTable(e)
			cur = nil
		case unstable.KeyValue:
			if cur != nil {
				w.keyValue(cur, e)
			}
		}
	}
	if err := p.Error(); err != nil {
		line := 0
		var perr *unstable.ParserError
		if errors.As(err, &perr) && perr.Highlight != nil {
			line = w.lines.line(int(p.Range(perr.Highlight).Offset))
		}
		w.wrong(line, "%s", err.Error())
	}
}

// keyPart is one part of a dotted key.
type keyPart struct {
	name string
	line int
}

func (w *tomlWalker) keyParts(e *unstable.Node) []keyPart {
	var parts []keyPart
	it := e.Key()
	for it.Next() {
		n := it.Node()
		parts = append(parts, keyPart{string(n.Data), w.lineOf(n, 0)})
	}
	return parts
}

func joinKey(parts []keyPart) string {
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = p.name
	}
	return strings.Join(names, ".")
}

// arrayTable handles a [[a.b]] header and returns the table its key-values go into, or
// nil when they are to be skipped.
func (w *tomlWalker) arrayTable(e *unstable.Node) *table {
	parts := w.keyParts(e)
	header := "[[" + joinKey(parts) + "]]"
	line := parts[0].line
	at, typ := w.root, reflect.TypeFor[Catalog]()
	for i, part := range parts {
		f, ok := w.field(typ, part.name)
		if !ok {
			w.problem(line, "unknown table %s", header)
			return nil
		}
		if !isTableList(f.Type) {
			w.wrong(line, "%s: %q is %s, not a list of tables", header, part.name, describeType(f.Type))
			return nil
		}
		list := at.key(part.name)
		if list != nil && list.inline {
			w.wrong(line, "%s cannot add to %q, which line %d sets with `=`", header, part.name, list.line)
			return nil
		}
		if i < len(parts)-1 {
			if list == nil || len(list.items) == 0 {
				w.wrong(line, "%s comes before any [[%s]]", header, joinKey(parts[:i+1]))
				return nil
			}
			at, typ = list.items[len(list.items)-1], f.Type.Elem()
			continue
		}
		if list == nil {
			list = &spot{line: line}
			at.set(part.name, list)
		}
		item := &spot{line: line}
		list.items = append(list.items, item)
		return &table{at: item, typ: f.Type.Elem(), name: header}
	}
	return nil
}

// plainTable reports a [a] header: every table in a seed is one of a list, so a plain
// table is always a mistake, usually a missing bracket.
func (w *tomlWalker) plainTable(e *unstable.Node) {
	parts := w.keyParts(e)
	name := joinKey(parts)
	typ := reflect.TypeFor[Catalog]()
	known := true
	for _, part := range parts {
		f, ok := w.field(typ, part.name)
		if !ok || !isTableList(f.Type) {
			known = false
			break
		}
		typ = f.Type.Elem()
	}
	if known {
		w.wrong(parts[0].line, "[%s] must be written [[%s]]: each one is an entry in a list", name, name)
		return
	}
	w.wrong(parts[0].line, "unknown table [%s]", name)
}

// keyValue checks one `key = value` in table t and notes where it is.
func (w *tomlWalker) keyValue(t *table, e *unstable.Node) {
	parts := w.keyParts(e)
	line := parts[0].line
	f, ok := w.field(t.typ, parts[0].name)
	if !ok {
		w.problem(line, "unknown key %q %s", joinKey(parts), t.where())
		return
	}
	if len(parts) > 1 {
		w.wrong(line, "%q is %s, so %q cannot have parts", parts[0].name, describeType(f.Type), joinKey(parts))
		return
	}
	if first := t.at.key(parts[0].name); first != nil {
		w.wrong(line, "%q is set twice %s (first at line %d)", parts[0].name, t.where(), first.line)
		return
	}
	at := w.value(e.Value(), f.Type, line, parts[0].name)
	at.line = line
	at.inline = true
	t.at.set(parts[0].name, at)
}

func (t *table) where() string {
	if t.name == "" {
		return "outside any table"
	}
	return "in " + t.name
}

// value checks that n fits Go type typ and returns where its parts are. line is the line
// of the key it belongs to.
func (w *tomlWalker) value(n *unstable.Node, typ reflect.Type, line int, key string) *spot {
	at := &spot{line: w.lineOf(n, line)}
	want := describeType(typ)
	switch typ.Kind() {
	case reflect.String:
		if n.Kind != unstable.String {
			w.wrongKind(at.line, key, want, n.Kind)
		}
	case reflect.Int:
		if n.Kind != unstable.Integer {
			w.wrongKind(at.line, key, want, n.Kind)
		}
	case reflect.Bool:
		if n.Kind != unstable.Bool {
			w.wrongKind(at.line, key, want, n.Kind)
		}
	case reflect.Slice:
		if n.Kind != unstable.Array {
			w.wrongKind(at.line, key, want, n.Kind)
			return at
		}
		elem := typ.Elem()
		it := n.Children()
		for it.Next() {
			c := it.Node()
			if elem.Kind() != reflect.Struct {
				at.items = append(at.items, w.value(c, elem, at.line, key+" entry"))
				continue
			}
			if c.Kind != unstable.InlineTable {
				w.wrongKind(w.lineOf(c, at.line), key+" entry", "a table { … }", c.Kind)
				at.items = append(at.items, &spot{line: w.lineOf(c, at.line)})
				continue
			}
			item := &spot{line: w.lineOf(c, at.line), inline: true}
			t := &table{at: item, typ: elem, name: key + " entry"}
			kvs := c.Children()
			for kvs.Next() {
				if kv := kvs.Node(); kv.Kind == unstable.KeyValue {
					w.keyValue(t, kv)
				}
			}
			at.items = append(at.items, item)
		}
	default:
		// The seed types hold only strings, whole numbers, booleans and lists.
		w.wrong(at.line, "%q cannot be read into %s", key, typ)
	}
	return at
}

func (w *tomlWalker) wrongKind(line int, key, want string, got unstable.Kind) {
	switch got {
	case unstable.LocalDate, unstable.LocalDateTime, unstable.DateTime, unstable.LocalTime:
		w.wrong(line, "%q must be %s; write dates in quotes, such as \"2016-06-01\"", key, want)
	default:
		w.wrong(line, "%q must be %s, not %s", key, want, describeKind(got))
	}
}

// field finds the field of struct type typ whose toml tag is name. The fields of each
// type are listed once per file: a seed has thousands of keys and a handful of types.
func (w *tomlWalker) field(typ reflect.Type, name string) (reflect.StructField, bool) {
	if typ.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	fields, ok := w.fields[typ]
	if !ok {
		fields = make(map[string]reflect.StructField, typ.NumField())
		for i := range typ.NumField() {
			f := typ.Field(i)
			if tag, _, _ := strings.Cut(f.Tag.Get("toml"), ","); tag != "" && tag != "-" {
				fields[tag] = f
			}
		}
		if w.fields == nil {
			w.fields = make(map[reflect.Type]map[string]reflect.StructField)
		}
		w.fields[typ] = fields
	}
	f, ok := fields[name]
	return f, ok
}

func isTableList(typ reflect.Type) bool {
	return typ.Kind() == reflect.Slice && typ.Elem().Kind() == reflect.Struct
}

func describeType(typ reflect.Type) string {
	switch typ.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		if typ.Elem().Kind() == reflect.Struct {
			return "a list of tables"
		}
		return "a list of " + strings.TrimPrefix(describeType(typ.Elem()), "a ") + "s"
	default:
		return typ.String()
	}
}

func describeKind(k unstable.Kind) string {
	switch k {
	case unstable.String:
		return "a string"
	case unstable.Integer:
		return "a whole number"
	case unstable.Float:
		return "a decimal number"
	case unstable.Bool:
		return "true or false"
	case unstable.Array:
		return "a list"
	case unstable.InlineTable:
		return "a table"
	default:
		return "a " + strings.ToLower(k.String())
	}
}
