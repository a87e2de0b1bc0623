package discordspec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"os"
	"sort"
	"strings"
)

// ErrUnknownOperation is returned by ValidateRequest when no path template
// and method in the spec match the request: a request Discord does not
// document is itself a bug.
var ErrUnknownOperation = errors.New("discordspec: no such operation in the Discord API spec")

// Violation is one problem with a request body.
type Violation struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value in the
	// body ("" for the body itself). For a path parameter it is the
	// parameter's name in braces, as "{channel_id}".
	Pointer string
	// Rule names what was broken: a JSON Schema keyword such as
	// "maxLength" or "required" for spec violations, a limit name such as
	// "embed-total" for CheckLimits.
	Rule string
	// Message says what was wrong, for people.
	Message string
}

func (v Violation) String() string {
	p := v.Pointer
	if p == "" {
		p = "(body)"
	}
	return p + ": " + v.Message + " [" + v.Rule + "]"
}

// ValidationError is returned when a request breaks the spec or a limit. It
// names the route by its template, never by the raw path, which holds the
// interaction or webhook token.
type ValidationError struct {
	Method     string
	Template   string // e.g. /interactions/{interaction_id}/{interaction_token}/callback
	Operation  string // the spec's operationId, or "limits" for CheckLimits
	Violations []Violation
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s (%s): %d violation", e.Method, e.Template, e.Operation, len(e.Violations))
	if len(e.Violations) != 1 {
		b.WriteString("s")
	}
	for _, v := range e.Violations {
		b.WriteString("\n\t")
		b.WriteString(v.String())
	}
	return b.String()
}

// Spec is Discord's REST API description with every request-body schema
// compiled. It is safe for concurrent use; load it once and share it.
type Spec struct {
	routes []*route
}

// route is one path template of the spec.
type route struct {
	template string
	segs     []string // literal segments; "" where a parameter stands
	params   []string // parameter name per segment; "" where a literal stands
	literals int
	ops      map[string]*operation
}

type operation struct {
	id           string
	params       map[string]*schema // path parameters
	bodyRequired bool
	json         *schema // nil: the operation takes no JSON body
	multipart    *schema
	hasBody      bool
}

// Load reads and compiles Discord's OpenAPI description from path.
func Load(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("discordspec: %w", err)
	}
	spec, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("discordspec: %s: %w", path, err)
	}
	return spec, nil
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func parse(data []byte) (*Spec, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		return nil, errors.New("no paths object")
	}
	c := &compiler{doc: doc, refs: map[string]*schema{}}
	spec := &Spec{}
	for tmpl, node := range paths {
		item, ok := node.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("paths/%s: not an object", tmpl)
		}
		r, err := c.route(tmpl, item)
		if err != nil {
			return nil, fmt.Errorf("paths/%s: %w", tmpl, err)
		}
		spec.routes = append(spec.routes, r)
	}
	// Most literal segments first, so /messages/@original wins over
	// /messages/{message_id}; then by template, so matching is stable.
	sort.Slice(spec.routes, func(i, j int) bool {
		a, b := spec.routes[i], spec.routes[j]
		if a.literals != b.literals {
			return a.literals > b.literals
		}
		return a.template < b.template
	})
	return spec, nil
}

func (c *compiler) route(tmpl string, item map[string]any) (*route, error) {
	r := &route{template: tmpl, ops: map[string]*operation{}}
	for _, seg := range splitPath(tmpl) {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			r.segs = append(r.segs, "")
			r.params = append(r.params, seg[1:len(seg)-1])
			continue
		}
		r.segs = append(r.segs, seg)
		r.params = append(r.params, "")
		r.literals++
	}
	shared, err := c.pathParams(item["parameters"], "parameters")
	if err != nil {
		return nil, err
	}
	for _, m := range methods {
		node, ok := item[m].(map[string]any)
		if !ok {
			continue
		}
		op, err := c.operation(node, shared, m)
		if err != nil {
			return nil, err
		}
		r.ops[strings.ToUpper(m)] = op
	}
	return r, nil
}

func (c *compiler) operation(node map[string]any, shared map[string]*schema, at string) (*operation, error) {
	op := &operation{params: map[string]*schema{}}
	op.id, _ = node["operationId"].(string)
	for k, v := range shared {
		op.params[k] = v
	}
	own, err := c.pathParams(node["parameters"], at+"/parameters")
	if err != nil {
		return nil, err
	}
	for k, v := range own {
		op.params[k] = v
	}
	rb, err := c.deref(node["requestBody"])
	if err != nil || rb == nil {
		return op, err
	}
	op.hasBody = true
	op.bodyRequired, _ = rb["required"].(bool)
	content, _ := rb["content"].(map[string]any)
	for mediaType, target := range map[string]**schema{"application/json": &op.json, "multipart/form-data": &op.multipart} {
		media, ok := content[mediaType].(map[string]any)
		if !ok || media["schema"] == nil {
			continue
		}
		if *target, err = c.compile(media["schema"], at+"/requestBody/content/"+mediaType+"/schema"); err != nil {
			return nil, err
		}
	}
	return op, nil
}

// pathParams compiles the schemas of the "in: path" parameters of a list.
func (c *compiler) pathParams(node any, at string) (map[string]*schema, error) {
	list, _ := node.([]any)
	out := map[string]*schema{}
	for i, n := range list {
		p, err := c.deref(n)
		if err != nil {
			return nil, err
		}
		if p == nil || p["in"] != "path" || p["schema"] == nil {
			continue
		}
		name, _ := p["name"].(string)
		if out[name], err = c.compile(p["schema"], fmt.Sprintf("%s/%d/schema", at, i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// deref returns the object node stands for, following a $ref.
func (c *compiler) deref(node any) (map[string]any, error) {
	m, _ := node.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		target, err := c.resolve(ref)
		if err != nil {
			return nil, err
		}
		m, _ = target.(map[string]any)
	}
	return m, nil
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// apiPath drops the query and the /api or /api/vN prefix from a request
// path as an HTTP server sees it, leaving the part the spec's templates
// describe.
func apiPath(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if rest, ok := strings.CutPrefix(p, "/api"); ok && (rest == "" || rest[0] == '/') {
		p = rest
		if strings.HasPrefix(p, "/v") {
			end := strings.IndexByte(p[1:], '/') + 1
			if end == 0 {
				end = len(p)
			}
			if isDecimal(p[2:end]) {
				p = p[end:]
			}
		}
	}
	return p
}

// match finds the route for a request path and the value of each of its
// parameters.
func (s *Spec) match(reqPath string) (*route, map[string]string) {
	segs := splitPath(apiPath(reqPath))
	for _, r := range s.routes {
		if params, ok := r.match(segs); ok {
			return r, params
		}
	}
	return nil, nil
}

func (r *route) match(segs []string) (map[string]string, bool) {
	if len(segs) != len(r.segs) {
		return nil, false
	}
	for i, seg := range segs {
		if r.params[i] == "" && seg != r.segs[i] {
			return nil, false
		}
		if r.params[i] != "" && seg == "" {
			return nil, false
		}
	}
	params := map[string]string{}
	for i, name := range r.params {
		if name != "" {
			params[name] = segs[i]
		}
	}
	return params, true
}

// ValidateRequest checks a request the bot sent against the spec: the
// path must match a template that has the method, the path parameters
// must fit their schemas, and the body must fit the operation's request
// schema. path is as the server saw it (/api/v10/channels/1/messages, a
// query allowed). body is JSON, or a multipart/form-data body (recognised
// by its leading boundary) whose payload_json part is checked, as
// discordgo sends when files are attached.
//
// It returns nil, an error wrapping ErrUnknownOperation, or a
// *ValidationError listing every violation.
func (s *Spec) ValidateRequest(method, path string, body []byte) error {
	r, params := s.match(path)
	if r == nil {
		return fmt.Errorf("%w: %s %s", ErrUnknownOperation, method, templateHint(path))
	}
	method = strings.ToUpper(method)
	op := r.ops[method]
	if op == nil {
		return fmt.Errorf("%w: %s %s (the path is known, the method is not)", ErrUnknownOperation, method, r.template)
	}
	var issues []issue
	v := &validator{}
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ps := op.params[name]
		if ps == nil {
			continue
		}
		var got []issue
		v.validate(ps, params[name], &got)
		for _, is := range got {
			issues = append(issues, issue{segs: []string{"{" + name + "}"}, rule: is.rule, msg: is.msg})
		}
	}
	issues = append(issues, op.validateBody(v, body)...)
	if len(issues) == 0 {
		return nil
	}
	return &ValidationError{Method: method, Template: r.template, Operation: op.id, Violations: violations(issues)}
}

// templateHint shows an unknown path without what may be a token: every
// segment longer than a snowflake is elided.
func templateHint(p string) string {
	segs := splitPath(apiPath(p))
	for i, s := range segs {
		if len(s) > 20 {
			segs[i] = "…"
		}
	}
	return "/" + strings.Join(segs, "/")
}

func (op *operation) validateBody(v *validator, body []byte) []issue {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		if op.bodyRequired {
			return []issue{{rule: "required", msg: "the operation requires a body"}}
		}
		return nil
	}
	if !op.hasBody {
		return []issue{{rule: "body", msg: "the operation takes no body"}}
	}
	sch := op.json
	if boundary, ok := multipartBoundary(body); ok {
		payload, err := payloadJSON(body, boundary)
		if err != nil {
			return []issue{{rule: "body", msg: err.Error()}}
		}
		trimmed = payload
		if op.multipart != nil {
			sch = op.multipart
		}
	}
	if sch == nil {
		return []issue{{rule: "body", msg: "the operation takes no JSON body"}}
	}
	val, err := decodeJSON(trimmed)
	if err != nil {
		return []issue{{rule: "body", msg: err.Error()}}
	}
	var out []issue
	v.validate(sch, val, &out)
	return out
}

func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var val any
	if err := dec.Decode(&val); err != nil {
		return nil, fmt.Errorf("body is not JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("body has data after its JSON value")
	}
	return val, nil
}

// multipartBoundary recognises a multipart body by its first line,
// "--boundary".
func multipartBoundary(body []byte) (string, bool) {
	if !bytes.HasPrefix(body, []byte("--")) {
		return "", false
	}
	line, _, ok := bytes.Cut(body, []byte("\r\n"))
	if !ok || len(line) <= 2 {
		return "", false
	}
	return string(line[2:]), true
}

func payloadJSON(body []byte, boundary string) ([]byte, error) {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, errors.New("multipart body has no payload_json part")
		}
		if err != nil {
			return nil, fmt.Errorf("multipart body: %v", err)
		}
		if part.FormName() == "payload_json" {
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, fmt.Errorf("multipart body: %v", err)
			}
			return data, nil
		}
	}
}

// violations turns issues into Violations, dropping repeats of the same
// rule at the same place (an enum and the allOf enum type behind it).
func violations(issues []issue) []Violation {
	out := make([]Violation, 0, len(issues))
	seen := map[[2]string]bool{}
	for _, is := range issues {
		v := Violation{Pointer: pointer(is.segs), Rule: is.rule, Message: is.msg}
		key := [2]string{v.Pointer, v.Rule}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, v)
	}
	return out
}

func pointer(segs []string) string {
	if len(segs) == 1 && strings.HasPrefix(segs[0], "{") {
		return segs[0] // a path parameter
	}
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1"))
	}
	return b.String()
}
