package discordspec

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits from DESIGN.md ("Discord facts every reply must respect"), with a
// few more that Discord enforces on the same objects.
const (
	maxContent         = 2000
	maxEmbeds          = 10
	maxEmbedTitle      = 256
	maxEmbedDesc       = 4096
	maxEmbedFields     = 25
	maxFieldName       = 256
	maxFieldValue      = 1024
	maxFooter          = 2048
	maxAuthorName      = 256
	maxEmbedTotal      = 6000
	maxActionRows      = 5
	maxRowWidth        = 5
	maxCustomID        = 100
	maxButtonLabel     = 80
	maxSelectOptions   = 25
	maxChoices         = 25
	maxChoiceText      = 100
	maxCommandName     = 32
	maxCommandDesc     = 100
	maxCommandOptions  = 25
	maxModalTitle      = 45
	flagComponentsV2   = 1 << 15
	componentActionRow = 1
	componentButton    = 2
	buttonStyleLink    = 5
	buttonStylePremium = 6
	commandChatInput   = 1
)

// Component types that are select menus: string, user, role, mentionable,
// channel. A select fills its action row alone.
var selectTypes = map[int64]bool{3: true, 5: true, 6: true, 7: true, 8: true}

// chatInputName is Discord's rule for slash command and option names; on
// top of it, letters that have a lower case must be lower case.
var chatInputName = regexp.MustCompile(`^[-_\p{L}\p{N}\p{Devanagari}\p{Thai}]+$`)

// The routes CheckLimits knows, by what their body is.
type bodyKind int

const (
	kindCallback bodyKind = iota + 1
	kindWebhookCreate
	kindWebhookEdit
	kindChannelCreate
	kindChannelEdit
	kindCommandList
	kindCommandCreate
	kindCommandEdit
)

type limitRoute struct {
	method string
	route  *route
	kind   bodyKind
}

func newLimitRoute(method, tmpl string, kind bodyKind) limitRoute {
	r := &route{template: tmpl}
	for _, seg := range splitPath(tmpl) {
		if strings.HasPrefix(seg, "{") {
			r.segs = append(r.segs, "")
			r.params = append(r.params, strings.Trim(seg, "{}"))
		} else {
			r.segs = append(r.segs, seg)
			r.params = append(r.params, "")
		}
	}
	return limitRoute{method: method, route: r, kind: kind}
}

var limitRoutes = []limitRoute{
	newLimitRoute("POST", "/interactions/{interaction_id}/{interaction_token}/callback", kindCallback),
	newLimitRoute("POST", "/webhooks/{webhook_id}/{webhook_token}", kindWebhookCreate),
	newLimitRoute("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", kindWebhookEdit),
	newLimitRoute("POST", "/channels/{channel_id}/messages", kindChannelCreate),
	newLimitRoute("PATCH", "/channels/{channel_id}/messages/{message_id}", kindChannelEdit),
	newLimitRoute("PUT", "/applications/{application_id}/commands", kindCommandList),
	newLimitRoute("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", kindCommandList),
	newLimitRoute("POST", "/applications/{application_id}/commands", kindCommandCreate),
	newLimitRoute("POST", "/applications/{application_id}/guilds/{guild_id}/commands", kindCommandCreate),
	newLimitRoute("PATCH", "/applications/{application_id}/commands/{command_id}", kindCommandEdit),
	newLimitRoute("PATCH", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", kindCommandEdit),
}

// CheckLimits checks a request body against the Discord limits in
// DESIGN.md, and checks that every message the bot sends (interaction
// replies and updates, follow-ups, edits, channel messages) carries
// "allowed_mentions":{"parse":[]}. Bodies that cannot carry allowed_mentions
// are exempt: deferrals (types 5 and 6) without data, autocomplete results,
// modals, pongs, and command registrations. Routes other than message and
// command ones have no limits here and pass.
//
// Its rules, by Violation.Rule; those marked * are not in Discord's spec,
// or are looser there, so only CheckLimits catches them:
//
//	content-length      content ≤ 2000 (* for channel messages the spec allows 4000)
//	empty-message       a new message has content, embeds, components, attachments, a poll or stickers (*)
//	embed-count         ≤ 10 embeds
//	embed-title         title ≤ 256
//	embed-description   description ≤ 4096
//	embed-fields        ≤ 25 fields
//	embed-field-name    field name 1–256 (* the spec has no minimum)
//	embed-field-value   field value 1–1024 (* the spec has no minimum)
//	embed-footer        footer text ≤ 2048
//	embed-author        author name ≤ 256
//	embed-total         all embeds' title, description, field names and values, footer and author text ≤ 6000 (*)
//	action-rows         ≤ 5 top-level components, each an action row, unless the message sets IS_COMPONENTS_V2 (* the spec allows 40 of any kind)
//	row-width           ≤ 5 components in a row, and a select menu alone in its row (* the select rule)
//	custom-id           custom_id 1–100
//	button-label        button label ≤ 80
//	button-target       a link button has a url and no custom_id, any other button a custom_id (*)
//	select-options      ≤ 25 select options
//	choices             ≤ 25 autocomplete or option choices
//	choice-name         choice name 1–100
//	choice-value        string choice value 1–100 (* the spec allows 6000 and no minimum)
//	modal-title         modal title 1–45
//	command-name        command and option names 1–32; for slash commands and options lower case letters, digits, - and _ (* the spec checks the length only)
//	command-description slash command and option descriptions 1–100; none on user and message commands (* the spec allows an empty or null command description)
//	command-options     ≤ 25 options per command or subcommand
//	allowed-mentions    allowed_mentions with "parse": [] on every message body (*)
//
// Lengths count Unicode code points. It returns nil or a *ValidationError.
func CheckLimits(method, path string, body []byte) error {
	method = strings.ToUpper(method)
	segs := splitPath(apiPath(path))
	var lr *limitRoute
	for i := range limitRoutes {
		if limitRoutes[i].method != method {
			continue
		}
		if _, ok := limitRoutes[i].route.match(segs); ok {
			lr = &limitRoutes[i]
			break
		}
	}
	if lr == nil {
		return nil
	}
	c := &limitChecker{}
	if err := c.check(lr.kind, body); err != nil {
		c.add("", "body", "%v", err)
	}
	if len(c.out) == 0 {
		return nil
	}
	return &ValidationError{Method: method, Template: lr.route.template, Operation: "limits", Violations: c.out}
}

type limitChecker struct {
	out []Violation
}

func (c *limitChecker) add(ptr, rule, format string, args ...any) {
	c.out = append(c.out, Violation{Pointer: ptr, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

func (c *limitChecker) check(kind bodyKind, body []byte) error {
	if boundary, ok := multipartBoundary(body); ok {
		payload, err := payloadJSON(body, boundary)
		if err != nil {
			return err
		}
		body = payload
	}
	val, err := decodeJSON(body)
	if err != nil {
		return err
	}
	switch kind {
	case kindCallback:
		c.callback(val)
	case kindWebhookCreate, kindChannelCreate:
		c.message("", val, true)
	case kindWebhookEdit, kindChannelEdit:
		c.message("", val, false)
	case kindCommandList:
		list, _ := val.([]any)
		for i, cmd := range list {
			c.command("/"+strconv.Itoa(i), cmd, true)
		}
	case kindCommandCreate:
		c.command("", val, true)
	case kindCommandEdit:
		c.command("", val, false)
	}
	return nil
}

// Interaction callback types that the limits look at.
const (
	callbackMessage        = 4
	callbackDeferred       = 5
	callbackDeferredUpdate = 6
	callbackUpdate         = 7
	callbackAutocomplete   = 8
	callbackModal          = 9
)

func (c *limitChecker) callback(val any) {
	obj, _ := val.(map[string]any)
	typ, _ := integer(obj["type"])
	data, hasData := obj["data"].(map[string]any)
	switch typ {
	case callbackMessage:
		if !hasData {
			c.add("/data", "empty-message", "a message reply needs data")
			return
		}
		c.message("/data", data, true)
	case callbackDeferred, callbackDeferredUpdate, callbackUpdate:
		if hasData {
			c.message("/data", data, false)
		}
	case callbackAutocomplete:
		choices, _ := data["choices"].([]any)
		c.choices("/data/choices", choices)
	case callbackModal:
		c.textLength("/data/custom_id", "custom-id", data["custom_id"], 1, maxCustomID)
		c.textLength("/data/title", "modal-title", data["title"], 1, maxModalTitle)
		comps, _ := data["components"].([]any)
		if len(comps) > maxActionRows {
			c.add("/data/components", "action-rows", "%d top-level components in a modal, more than %d", len(comps), maxActionRows)
		}
		c.components("/data/components", comps, true) // rows or labels

	}
}

// message checks a message body at ptr. create says it makes a new
// message, which must not be empty.
func (c *limitChecker) message(ptr string, val any, create bool) {
	m, ok := val.(map[string]any)
	if !ok {
		return // the spec check reports the type
	}
	c.textLength(ptr+"/content", "content-length", m["content"], 0, maxContent)
	embeds, _ := m["embeds"].([]any)
	c.embeds(ptr+"/embeds", embeds)
	flags, _ := integer(m["flags"])
	comps, _ := m["components"].([]any)
	c.components(ptr+"/components", comps, flags&flagComponentsV2 != 0)
	if create && !hasMessageContent(m) {
		c.add(ptr, "empty-message", "a new message needs content, embeds, components, attachments, a poll or stickers")
	}
	am, ok := m["allowed_mentions"].(map[string]any)
	if !ok {
		c.add(ptr+"/allowed_mentions", "allowed-mentions", `missing: every message sets "allowed_mentions":{"parse":[]}`)
		return
	}
	parse, ok := am["parse"].([]any)
	if !ok || len(parse) != 0 {
		c.add(ptr+"/allowed_mentions/parse", "allowed-mentions", `must be an explicit empty list, so nothing the bot echoes pings anyone`)
	}
}

func hasMessageContent(m map[string]any) bool {
	if s, _ := m["content"].(string); s != "" {
		return true
	}
	for _, key := range []string{"embeds", "components", "attachments", "sticker_ids"} {
		if list, _ := m[key].([]any); len(list) > 0 {
			return true
		}
	}
	_, poll := m["poll"].(map[string]any)
	return poll
}

func (c *limitChecker) embeds(ptr string, embeds []any) {
	if len(embeds) > maxEmbeds {
		c.add(ptr, "embed-count", "%d embeds, more than %d", len(embeds), maxEmbeds)
	}
	total := 0
	for i, e := range embeds {
		em, _ := e.(map[string]any)
		p := ptr + "/" + strconv.Itoa(i)
		total += c.textLength(p+"/title", "embed-title", em["title"], 0, maxEmbedTitle)
		total += c.textLength(p+"/description", "embed-description", em["description"], 0, maxEmbedDesc)
		fields, _ := em["fields"].([]any)
		if len(fields) > maxEmbedFields {
			c.add(p+"/fields", "embed-fields", "%d fields, more than %d", len(fields), maxEmbedFields)
		}
		for j, f := range fields {
			fm, _ := f.(map[string]any)
			fp := p + "/fields/" + strconv.Itoa(j)
			total += c.textLength(fp+"/name", "embed-field-name", fm["name"], 1, maxFieldName)
			total += c.textLength(fp+"/value", "embed-field-value", fm["value"], 1, maxFieldValue)
		}
		if footer, ok := em["footer"].(map[string]any); ok {
			total += c.textLength(p+"/footer/text", "embed-footer", footer["text"], 0, maxFooter)
		}
		if author, ok := em["author"].(map[string]any); ok {
			total += c.textLength(p+"/author/name", "embed-author", author["name"], 0, maxAuthorName)
		}
	}
	if total > maxEmbedTotal {
		c.add(ptr, "embed-total", "the embeds hold %d characters together, more than %d", total, maxEmbedTotal)
	}
}

// components checks a message's or modal's components at ptr. Without v2,
// the top level holds at most five action rows.
func (c *limitChecker) components(ptr string, comps []any, v2 bool) {
	if !v2 && len(comps) > maxActionRows {
		c.add(ptr, "action-rows", "%d top-level components, more than %d action rows", len(comps), maxActionRows)
	}
	for i, comp := range comps {
		p := ptr + "/" + strconv.Itoa(i)
		cm, _ := comp.(map[string]any)
		if typ, _ := integer(cm["type"]); !v2 && typ != componentActionRow {
			c.add(p+"/type", "action-rows", "a top-level component must be an action row (type 1), not %d, unless the message sets IS_COMPONENTS_V2", typ)
		}
		c.component(p, cm)
	}
}

func (c *limitChecker) component(ptr string, cm map[string]any) {
	typ, _ := integer(cm["type"])
	if _, ok := cm["custom_id"]; ok {
		c.textLength(ptr+"/custom_id", "custom-id", cm["custom_id"], 1, maxCustomID)
	}
	switch {
	case typ == componentActionRow:
		children, _ := cm["components"].([]any)
		if len(children) > maxRowWidth {
			c.add(ptr+"/components", "row-width", "%d components in a row, more than %d", len(children), maxRowWidth)
		}
		for i, child := range children {
			ch, _ := child.(map[string]any)
			if t, _ := integer(ch["type"]); selectTypes[t] && len(children) > 1 {
				c.add(ptr+"/components/"+strconv.Itoa(i), "row-width", "a select menu must be alone in its action row")
			}
		}
	case typ == componentButton:
		c.textLength(ptr+"/label", "button-label", cm["label"], 0, maxButtonLabel)
		style, _ := integer(cm["style"])
		_, hasID := cm["custom_id"].(string)
		_, hasURL := cm["url"].(string)
		switch {
		case style == buttonStyleLink && (!hasURL || hasID):
			c.add(ptr, "button-target", "a link button has a url and no custom_id")
		case style != buttonStyleLink && style != buttonStylePremium && !hasID:
			c.add(ptr+"/custom_id", "button-target", "a button of style %d needs a custom_id", style)
		}
	case selectTypes[typ]:
		if opts, ok := cm["options"].([]any); ok && len(opts) > maxSelectOptions {
			c.add(ptr+"/options", "select-options", "%d options, more than %d", len(opts), maxSelectOptions)
		}
	}
	// Containers, sections and rows nest components; a section has an
	// accessory.
	children, _ := cm["components"].([]any)
	for i, child := range children {
		if ch, ok := child.(map[string]any); ok {
			c.component(ptr+"/components/"+strconv.Itoa(i), ch)
		}
	}
	if acc, ok := cm["accessory"].(map[string]any); ok {
		c.component(ptr+"/accessory", acc)
	}
}

func (c *limitChecker) choices(ptr string, choices []any) {
	if len(choices) > maxChoices {
		c.add(ptr, "choices", "%d choices, more than %d", len(choices), maxChoices)
	}
	for i, ch := range choices {
		cm, _ := ch.(map[string]any)
		p := ptr + "/" + strconv.Itoa(i)
		c.textLength(p+"/name", "choice-name", cm["name"], 1, maxChoiceText)
		if _, ok := cm["value"].(string); ok {
			c.textLength(p+"/value", "choice-value", cm["value"], 1, maxChoiceText)
		}
	}
}

// command checks one application command; create says every field must
// be there, as opposed to a partial edit.
func (c *limitChecker) command(ptr string, val any, create bool) {
	cm, ok := val.(map[string]any)
	if !ok {
		return
	}
	typ, ok := integer(cm["type"])
	if !ok {
		typ = commandChatInput
	}
	chatInput := typ == commandChatInput
	if _, ok := cm["name"]; ok || create {
		c.name(ptr+"/name", cm["name"], chatInput)
	}
	desc, _ := cm["description"].(string)
	switch {
	case chatInput && (create || cm["description"] != nil):
		c.textLength(ptr+"/description", "command-description", cm["description"], 1, maxCommandDesc)
	case !chatInput && desc != "":
		c.add(ptr+"/description", "command-description", "user and message commands have no description")
	}
	opts, _ := cm["options"].([]any)
	c.options(ptr+"/options", opts)
}

func (c *limitChecker) options(ptr string, opts []any) {
	if len(opts) > maxCommandOptions {
		c.add(ptr, "command-options", "%d options, more than %d", len(opts), maxCommandOptions)
	}
	for i, o := range opts {
		om, _ := o.(map[string]any)
		p := ptr + "/" + strconv.Itoa(i)
		c.name(p+"/name", om["name"], true)
		c.textLength(p+"/description", "command-description", om["description"], 1, maxCommandDesc)
		if choices, ok := om["choices"].([]any); ok {
			c.choices(p+"/choices", choices)
		}
		sub, _ := om["options"].([]any)
		c.options(p+"/options", sub)
	}
}

func (c *limitChecker) name(ptr string, val any, chatInput bool) {
	n := c.textLength(ptr, "command-name", val, 1, maxCommandName)
	s, _ := val.(string)
	if !chatInput || n == 0 {
		return
	}
	if !chatInputName.MatchString(s) || strings.ToLower(s) != s {
		c.add(ptr, "command-name", "%s: slash command and option names are lower case letters, digits, - and _", show(s))
	}
}

// textLength checks that val, a string if present, is min–max characters
// long, and returns its length. An absent or null value is not checked
// unless min > 0.
func (c *limitChecker) textLength(ptr, rule string, val any, min, max int) int {
	s, ok := val.(string)
	if !ok {
		if min > 0 {
			c.add(ptr, rule, "missing: must be %d–%d characters", min, max)
		}
		return 0
	}
	n := utf8.RuneCountInString(s)
	switch {
	case n < min:
		c.add(ptr, rule, "%d characters, fewer than %d", n, min)
	case n > max:
		c.add(ptr, rule, "%d characters, more than %d", n, max)
	}
	return n
}

// integer reads a JSON number that holds an integer.
func integer(val any) (int64, bool) {
	n, ok := val.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}
