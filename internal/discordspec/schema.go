package discordspec

import (
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// JSON types as a bit set, so a schema's "type" (a name or a list of names)
// is checked with one AND.
type typeSet uint8

const (
	typeNull typeSet = 1 << iota
	typeBoolean
	typeObject
	typeArray
	typeNumber
	typeInteger
	typeString
)

var typeNames = []struct {
	bit  typeSet
	name string
}{
	{typeNull, "null"}, {typeBoolean, "boolean"}, {typeObject, "object"},
	{typeArray, "array"}, {typeNumber, "number"}, {typeInteger, "integer"},
	{typeString, "string"},
}

func (t typeSet) String() string {
	var names []string
	for _, tn := range typeNames {
		if t&tn.bit != 0 {
			names = append(names, tn.name)
		}
	}
	return strings.Join(names, " or ")
}

// number is a JSON number from the spec, kept exact: Discord's bounds run
// to 2^63, past what a float64 holds.
type number struct {
	text string
	i    int64
	isI  bool
	r    *big.Rat
}

func parseNumber(n json.Number) (number, bool) {
	s := string(n)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return number{text: s, i: i, isI: true}, true
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return number{}, false
	}
	return number{text: s, r: r}, true
}

func (n number) rat() *big.Rat {
	if n.isI {
		return new(big.Rat).SetInt64(n.i)
	}
	return n.r
}

func (n number) cmp(m number) int {
	if n.isI && m.isI {
		switch {
		case n.i < m.i:
			return -1
		case n.i > m.i:
			return 1
		}
		return 0
	}
	return n.rat().Cmp(m.rat())
}

func (n number) isInteger() bool { return n.isI || n.r.IsInt() }

// maxExactInt is the largest integer a float64 (and so a JavaScript or
// JSON-to-double client) holds exactly; Discord sends bigger integers as
// strings.
var maxExactInt = number{text: "9007199254740991", i: 1<<53 - 1, isI: true}

// schema is one compiled JSON Schema. Pointers to other schemas are shared,
// and may form cycles through $ref.
type schema struct {
	ref   *schema
	never bool // the boolean schema false

	types typeSet // 0: any type

	properties     map[string]*schema
	required       []string
	additional     *schema // nil: anything goes
	minProps       int
	maxProps       int // -1: none
	items          *schema
	minItems       int
	maxItems       int // -1: none
	uniqueItems    bool
	minLength      int
	maxLength      int // -1: none
	minimum        *number
	maximum        *number
	exclusiveMin   *number
	exclusiveMax   *number
	bigIntAsString bool // an integer past 2^53 may come as a decimal string
	enum           []any
	hasConst       bool
	constVal       any
	pattern        *regexp.Regexp
	format         string

	allOf []*schema
	anyOf []*schema
	oneOf []*schema
}

// annotations are keywords that carry no constraint; anything else not
// compiled below is an error at Load, so that a constraint the spec gains
// is never silently skipped.
var annotations = map[string]bool{
	"title": true, "description": true, "default": true, "examples": true,
	"deprecated": true, "readOnly": true, "writeOnly": true, "$comment": true,
	"contentEncoding": true, "contentMediaType": true,
}

// compiler turns the decoded spec document into schemas, compiling each
// $ref target once.
type compiler struct {
	doc  map[string]any
	refs map[string]*schema
}

func (c *compiler) resolve(ref string) (any, error) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, fmt.Errorf("$ref %q: only local references are supported", ref)
	}
	var node any = c.doc
	for _, tok := range strings.Split(ref[2:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := node.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q: %q is not inside an object", ref, tok)
		}
		if node, ok = m[tok]; !ok {
			return nil, fmt.Errorf("$ref %q: no %q", ref, tok)
		}
	}
	return node, nil
}

func (c *compiler) compileRef(ref string) (*schema, error) {
	if s, ok := c.refs[ref]; ok {
		return s, nil
	}
	node, err := c.resolve(ref)
	if err != nil {
		return nil, err
	}
	s := &schema{}
	c.refs[ref] = s // before filling it in, so cycles end here
	if err := c.fill(s, node, ref); err != nil {
		return nil, err
	}
	return s, nil
}

func (c *compiler) compile(node any, loc string) (*schema, error) {
	s := &schema{}
	if err := c.fill(s, node, loc); err != nil {
		return nil, err
	}
	return s, nil
}

func (c *compiler) fill(s *schema, node any, loc string) error {
	s.maxProps, s.maxItems, s.maxLength = -1, -1, -1
	switch n := node.(type) {
	case bool:
		s.never = !n
		return nil
	case map[string]any:
		return c.fillObject(s, n, loc)
	}
	return fmt.Errorf("%s: a schema must be an object or a boolean, not %T", loc, node)
}

func (c *compiler) fillObject(s *schema, m map[string]any, loc string) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m[k]
		at := loc + "/" + k
		var err error
		switch k {
		case "$ref":
			ref, ok := v.(string)
			if !ok {
				return fmt.Errorf("%s: not a string", at)
			}
			s.ref, err = c.compileRef(ref)
		case "type":
			s.types, err = compileType(v)
		case "properties":
			props, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("%s: not an object", at)
			}
			s.properties = make(map[string]*schema, len(props))
			for name, p := range props {
				if s.properties[name], err = c.compile(p, at+"/"+name); err != nil {
					return err
				}
			}
		case "required":
			s.required, err = stringList(v)
		case "additionalProperties":
			s.additional, err = c.compile(v, at)
		case "items":
			s.items, err = c.compile(v, at)
		case "minItems":
			s.minItems, err = count(v)
		case "maxItems":
			s.maxItems, err = count(v)
		case "uniqueItems":
			s.uniqueItems, _ = v.(bool)
		case "minLength":
			s.minLength, err = count(v)
		case "maxLength":
			s.maxLength, err = count(v)
		case "minProperties":
			s.minProps, err = count(v)
		case "maxProperties":
			s.maxProps, err = count(v)
		case "minimum":
			s.minimum, err = bound(v)
		case "maximum":
			s.maximum, err = bound(v)
		case "exclusiveMinimum":
			s.exclusiveMin, err = bound(v)
		case "exclusiveMaximum":
			s.exclusiveMax, err = bound(v)
		case "enum":
			list, ok := v.([]any)
			if !ok {
				return fmt.Errorf("%s: not an array", at)
			}
			s.enum = list
		case "const":
			s.hasConst, s.constVal = true, v
		case "pattern":
			p, ok := v.(string)
			if !ok {
				return fmt.Errorf("%s: not a string", at)
			}
			s.pattern, err = regexp.Compile(p)
		case "format":
			s.format, _ = v.(string)
		case "allOf":
			s.allOf, err = c.compileList(v, at)
		case "anyOf":
			s.anyOf, err = c.compileList(v, at)
		case "oneOf":
			s.oneOf, err = c.compileList(v, at)
		default:
			if !annotations[k] && !strings.HasPrefix(k, "x-") {
				return fmt.Errorf("%s: schema keyword %q is not supported", loc, k)
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", at, err)
		}
	}
	if s.types&typeInteger != 0 && s.types&typeString == 0 {
		s.bigIntAsString = (s.maximum != nil && s.maximum.cmp(maxExactInt) > 0)
	}
	return nil
}

func (c *compiler) compileList(v any, loc string) ([]*schema, error) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil, fmt.Errorf("not a non-empty array")
	}
	out := make([]*schema, len(list))
	for i, n := range list {
		s, err := c.compile(n, loc+"/"+strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

func compileType(v any) (typeSet, error) {
	names, ok := v.([]any)
	if !ok {
		names = []any{v}
	}
	var t typeSet
	for _, n := range names {
		name, _ := n.(string)
		found := false
		for _, tn := range typeNames {
			if tn.name == name {
				t |= tn.bit
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown type %v", n)
		}
	}
	return t, nil
}

func stringList(v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("not an array")
	}
	out := make([]string, len(list))
	for i, x := range list {
		if out[i], ok = x.(string); !ok {
			return nil, fmt.Errorf("item %d is not a string", i)
		}
	}
	return out, nil
}

func count(v any) (int, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("not a number")
	}
	i, err := strconv.Atoi(string(n))
	if err != nil || i < 0 {
		return 0, fmt.Errorf("not a count: %s", n)
	}
	return i, nil
}

func bound(v any) (*number, error) {
	n, ok := v.(json.Number)
	if !ok {
		return nil, fmt.Errorf("not a number")
	}
	b, ok := parseNumber(n)
	if !ok {
		return nil, fmt.Errorf("not a number: %s", n)
	}
	return &b, nil
}

// issue is a violation while validating: its pointer is kept as segments
// so that unions can compare depths.
type issue struct {
	segs    []string
	rule    string
	msg     string
	allowed []any   // the values an enum or const allowed
	shown   string  // the value an enum or const refused, as shown
	types   typeSet // the types a type issue wanted
}

// validator walks a decoded body; segs is the current JSON pointer.
type validator struct {
	segs []string
	// quiet is set while trying the alternatives of a union: only whether
	// an alternative fails matters then, not where or why, so issues are
	// recorded without their place or message.
	quiet bool
}

func (v *validator) add(out *[]issue, rule, format string, args ...any) {
	if v.quiet {
		*out = append(*out, issue{rule: rule})
		return
	}
	*out = append(*out, issue{segs: slices.Clone(v.segs), rule: rule, msg: fmt.Sprintf(format, args...)})
}

// addIssue adds an issue built by the caller, with the current place.
func (v *validator) addIssue(out *[]issue, is issue) {
	if !v.quiet {
		is.segs = slices.Clone(v.segs)
	}
	*out = append(*out, is)
}

func (v *validator) validate(s *schema, val any, out *[]issue) {
	if s.never {
		v.add(out, "false", "no value is allowed here")
		return
	}
	if s.ref != nil {
		v.validate(s.ref, val, out)
	}
	if s.types != 0 && !v.checkType(s, val, out) {
		return // the other keywords would only repeat the type mismatch
	}
	if s.hasConst && !jsonEqual(s.constVal, val) {
		if v.quiet {
			v.addIssue(out, issue{rule: "const"})
		} else {
			v.addIssue(out, issue{rule: "const", msg: fmt.Sprintf("%s is not %s", show(val), show(s.constVal)),
				allowed: []any{s.constVal}, shown: show(val)})
		}
	}
	if s.enum != nil && !inEnum(s.enum, val) {
		if v.quiet {
			v.addIssue(out, issue{rule: "enum"})
		} else {
			v.addIssue(out, issue{rule: "enum", msg: fmt.Sprintf("%s is not one of %s", show(val), showList(s.enum)),
				allowed: s.enum, shown: show(val)})
		}
	}
	switch x := val.(type) {
	case string:
		v.checkString(s, x, out)
	case json.Number:
		v.checkNumber(s, x, out)
	case []any:
		v.checkArray(s, x, out)
	case map[string]any:
		v.checkObject(s, x, out)
	}
	for _, sub := range s.allOf {
		v.validate(sub, val, out)
	}
	if s.anyOf != nil {
		v.union(s.anyOf, "anyOf", val, out)
	}
	if s.oneOf != nil {
		v.union(s.oneOf, "oneOf", val, out)
	}
}

func (v *validator) checkType(s *schema, val any, out *[]issue) bool {
	if typeOf(s, val)&s.types != 0 {
		return true
	}
	if v.quiet {
		v.addIssue(out, issue{rule: "type"})
	} else {
		v.addIssue(out, issue{rule: "type", msg: fmt.Sprintf("%s is not %s", kind(val), s.types), types: s.types})
	}
	return false
}

// typeOf is the JSON type of val, as s sees it: a number with no
// fraction is also an integer, and a decimal string is an integer where
// s lets big integers come as strings.
func typeOf(s *schema, val any) typeSet {
	switch x := val.(type) {
	case nil:
		return typeNull
	case bool:
		return typeBoolean
	case string:
		if s.bigIntAsString && isDecimal(x) {
			return typeInteger | typeString
		}
		return typeString
	case json.Number:
		if n, ok := parseNumber(x); ok && n.isInteger() {
			return typeNumber | typeInteger
		}
		return typeNumber
	case []any:
		return typeArray
	case map[string]any:
		return typeObject
	}
	return 0
}

func inEnum(enum []any, val any) bool {
	for _, e := range enum {
		if jsonEqual(e, val) {
			return true
		}
	}
	return false
}

func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (v *validator) checkString(s *schema, x string, out *[]issue) {
	if s.bigIntAsString && s.types&typeString == 0 {
		v.checkNumber(s, json.Number(x), out)
		return
	}
	if s.minLength > 0 || s.maxLength >= 0 {
		n := utf8.RuneCountInString(x)
		if n < s.minLength {
			v.add(out, "minLength", "shorter than minLength %d (%d characters)", s.minLength, n)
		}
		if s.maxLength >= 0 && n > s.maxLength {
			v.add(out, "maxLength", "longer than maxLength %d (%d characters)", s.maxLength, n)
		}
	}
	if s.pattern != nil && !s.pattern.MatchString(x) {
		v.add(out, "pattern", "%s does not match pattern %s", show(x), s.pattern)
	}
	switch s.format {
	case "date-time":
		if _, err := time.Parse(time.RFC3339Nano, x); err != nil {
			v.add(out, "format", "%s is not an RFC 3339 date-time", show(x))
		}
	case "uri":
		if u, err := url.Parse(x); err != nil || u.Scheme == "" {
			v.add(out, "format", "%s is not an absolute URI", show(x))
		}
	}
}

var (
	int32Min = number{text: "-2147483648", i: -1 << 31, isI: true}
	int32Max = number{text: "2147483647", i: 1<<31 - 1, isI: true}
	int64Min = number{text: "-9223372036854775808", i: -1 << 63, isI: true}
	int64Max = number{text: "9223372036854775807", i: 1<<63 - 1, isI: true}
)

func (v *validator) checkNumber(s *schema, x json.Number, out *[]issue) {
	n, ok := parseNumber(x)
	if !ok {
		v.add(out, "type", "%s is not a number", show(string(x)))
		return
	}
	if s.minimum != nil && n.cmp(*s.minimum) < 0 {
		v.add(out, "minimum", "%s is less than minimum %s", x, s.minimum.text)
	}
	if s.maximum != nil && n.cmp(*s.maximum) > 0 {
		v.add(out, "maximum", "%s is greater than maximum %s", x, s.maximum.text)
	}
	if s.exclusiveMin != nil && n.cmp(*s.exclusiveMin) <= 0 {
		v.add(out, "exclusiveMinimum", "%s is not greater than %s", x, s.exclusiveMin.text)
	}
	if s.exclusiveMax != nil && n.cmp(*s.exclusiveMax) >= 0 {
		v.add(out, "exclusiveMaximum", "%s is not less than %s", x, s.exclusiveMax.text)
	}
	lo, hi := int32Min, int32Max
	switch s.format {
	case "int64":
		lo, hi = int64Min, int64Max
		fallthrough
	case "int32":
		if n.cmp(lo) < 0 || n.cmp(hi) > 0 {
			v.add(out, "format", "%s does not fit %s", x, s.format)
		}
	}
}

func (v *validator) checkArray(s *schema, x []any, out *[]issue) {
	if len(x) < s.minItems {
		v.add(out, "minItems", "has %d items, fewer than minItems %d", len(x), s.minItems)
	}
	if s.maxItems >= 0 && len(x) > s.maxItems {
		v.add(out, "maxItems", "has %d items, more than maxItems %d", len(x), s.maxItems)
	}
	if s.uniqueItems {
	dup:
		for i := 1; i < len(x); i++ {
			for j := 0; j < i; j++ {
				if jsonEqual(x[i], x[j]) {
					v.add(out, "uniqueItems", "items %d and %d are equal", j, i)
					break dup
				}
			}
		}
	}
	if s.items == nil {
		return
	}
	for i, item := range x {
		v.segs = append(v.segs, strconv.Itoa(i)) // no allocation below 100
		v.validate(s.items, item, out)
		v.segs = v.segs[:len(v.segs)-1]
	}
}

func (v *validator) checkObject(s *schema, x map[string]any, out *[]issue) {
	for _, name := range s.required {
		if _, ok := x[name]; !ok {
			v.segs = append(v.segs, name)
			v.add(out, "required", "required property is missing")
			v.segs = v.segs[:len(v.segs)-1]
		}
	}
	if len(x) < s.minProps {
		v.add(out, "minProperties", "has %d properties, fewer than minProperties %d", len(x), s.minProps)
	}
	if s.maxProps >= 0 && len(x) > s.maxProps {
		v.add(out, "maxProperties", "has %d properties, more than maxProperties %d", len(x), s.maxProps)
	}
	if s.properties == nil && s.additional == nil {
		return
	}
	first := len(*out)
	for name, val := range x {
		sub, ok := s.properties[name]
		if !ok {
			sub = s.additional
		}
		if sub == nil {
			continue
		}
		v.segs = append(v.segs, name)
		if sub.never && !ok {
			v.add(out, "additionalProperties", "property is not allowed")
		} else {
			v.validate(sub, val, out)
		}
		v.segs = v.segs[:len(v.segs)-1]
	}
	// Properties were visited in map order; put their issues in name order
	// so that every run reports the same thing the same way.
	if added := (*out)[first:]; len(added) > 1 && !v.quiet {
		depth := len(v.segs)
		sort.SliceStable(added, func(i, j int) bool { return added[i].segs[depth] < added[j].segs[depth] })
	}
}

// union checks anyOf and oneOf. When nothing matches, it reports the
// issues of the alternative that came closest (see the package comment).
func (v *validator) union(alts []*schema, rule string, val any, out *[]issue) {
	// Fast path: try, quietly, only the alternatives that quickReject
	// does not rule out.
	quiet := v.quiet
	v.quiet = true
	matched := 0
	var scratch []issue
	for _, alt := range alts {
		if quickReject(alt, val, true) {
			continue
		}
		scratch = scratch[:0]
		v.validate(alt, val, &scratch)
		if len(scratch) == 0 {
			matched++
			if rule == "anyOf" {
				break
			}
		}
	}
	v.quiet = quiet
	switch {
	case matched == 1 || (matched > 1 && rule == "anyOf"):
		return
	case matched > 1:
		v.add(out, "oneOf", "matches %d of the %d oneOf alternatives, not exactly one", matched, len(alts))
		return
	case v.quiet:
		v.add(out, rule, "")
		return
	}

	// Nothing matched: validate every alternative in full to say why.
	depth := len(v.segs)
	results := make([][]issue, len(alts))
	for i, alt := range alts {
		v.validate(alt, val, &results[i])
	}

	// Alternatives are ranked: one whose JSON type is wrong for the value
	// is furthest off; one whose discriminator does not match (a const or
	// enum on the value or on a direct property: Discord's "type" field) is
	// next; any other came close, and the closest is the one with the
	// fewest issues.
	var wrongType, discriminated, close []int
	for i, got := range results {
		switch discriminator(got, depth) {
		case "type":
			wrongType = append(wrongType, i)
		case "enum":
			discriminated = append(discriminated, i)
		default:
			close = append(close, i)
		}
	}
	switch {
	case close != nil:
		*out = append(*out, results[fewest(results, close)]...)
	case discriminated != nil:
		if is, ok := mergeEnums(results, discriminated, depth); ok {
			*out = append(*out, is)
		} else {
			*out = append(*out, results[fewest(results, discriminated)]...)
		}
	default:
		var want typeSet
		for _, i := range wrongType {
			for _, is := range results[i] {
				want |= is.types
			}
		}
		*out = append(*out, issue{segs: slices.Clone(v.segs), rule: "type", msg: fmt.Sprintf("%s is not %s", kind(val), want), types: want})
	}
}

// quickReject reports whether val certainly fails s, looking only at
// what is cheap: type, const and enum, through $ref and allOf, and, when
// deep is set, the object's required properties and the type, const and
// enum of its properties. It must never reject what validate accepts.
func quickReject(s *schema, val any, deep bool) bool {
	if s.never {
		return true
	}
	if s.ref != nil && quickReject(s.ref, val, deep) {
		return true
	}
	if s.types != 0 && typeOf(s, val)&s.types == 0 {
		return true
	}
	if s.hasConst && !jsonEqual(s.constVal, val) {
		return true
	}
	if s.enum != nil && !inEnum(s.enum, val) {
		return true
	}
	for _, sub := range s.allOf {
		if quickReject(sub, val, deep) {
			return true
		}
	}
	obj, ok := val.(map[string]any)
	if !deep || !ok {
		return false
	}
	for _, name := range s.required {
		if _, ok := obj[name]; !ok {
			return true
		}
	}
	for name, ps := range s.properties {
		if pv, ok := obj[name]; ok && quickReject(ps, pv, false) {
			return true
		}
	}
	return false
}

// discriminator says why an alternative failed at depth: "type" when the
// value's JSON type is wrong for it, "enum" when a const or enum on the
// value or a direct property failed, "" otherwise.
func discriminator(got []issue, depth int) string {
	why := ""
	for _, is := range got {
		switch {
		case is.rule == "type" && len(is.segs) == depth:
			return "type"
		case (is.rule == "const" || is.rule == "enum") && (len(is.segs) == depth || len(is.segs) == depth+1):
			why = "enum"
		}
	}
	return why
}

func fewest(results [][]issue, among []int) int {
	best := among[0]
	for _, i := range among[1:] {
		if len(results[i]) < len(results[best]) {
			best = i
		}
	}
	return best
}

// mergeEnums turns "not 8", "not 4 or 5", … at one place into a single
// "not one of 1, 4, 5, 8" when every alternative was set aside by a const
// or enum at that same place.
func mergeEnums(results [][]issue, among []int, depth int) (issue, bool) {
	var merged issue
	var allowed []any
	for n, i := range among {
		var first issue
		for _, is := range results[i] {
			if (is.rule == "const" || is.rule == "enum") && len(is.segs) <= depth+1 {
				first = is
				break
			}
		}
		if n == 0 {
			merged = first
		} else if !slices.Equal(first.segs, merged.segs) {
			return issue{}, false
		}
		for _, a := range first.allowed {
			if !slices.ContainsFunc(allowed, func(b any) bool { return jsonEqual(a, b) }) {
				allowed = append(allowed, a)
			}
		}
	}
	sort.SliceStable(allowed, func(i, j int) bool { return lessJSON(allowed[i], allowed[j]) })
	return issue{segs: merged.segs, rule: "enum", msg: fmt.Sprintf("%s is not one of %s", merged.shown, showList(allowed)),
		allowed: allowed, shown: merged.shown}, true
}

func lessJSON(a, b any) bool {
	na, aok := a.(json.Number)
	nb, bok := b.(json.Number)
	if aok && bok {
		x, _ := parseNumber(na)
		y, _ := parseNumber(nb)
		return x.cmp(y) < 0
	}
	return show(a) < show(b)
}

// jsonEqual compares two decoded JSON values; numbers compare by value.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		p, okp := parseNumber(x)
		q, okq := parseNumber(y)
		return okp && okq && p.cmp(q) == 0
	case []any:
		y, ok := b.([]any)
		return ok && slices.EqualFunc(x, y, jsonEqual)
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

func kind(val any) string {
	switch val.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", val)
}

// show renders a value for a message, cut short: bodies hold user text.
func show(val any) string {
	switch x := val.(type) {
	case string:
		if utf8.RuneCountInString(x) > 40 {
			x = string([]rune(x)[:40]) + "…"
		}
		return strconv.Quote(x)
	case json.Number:
		return string(x)
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	}
	return kind(val)
}

func showList(vals []any) string {
	parts := make([]string, len(vals))
	for i, x := range vals {
		parts[i] = show(x)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
