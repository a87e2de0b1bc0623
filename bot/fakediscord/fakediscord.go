// Package fakediscord is an in-process Discord for tests: the REST endpoints filmbot uses
// and a gateway websocket, both on 127.0.0.1, driven by a real discordgo session pointed at
// it through FILMBOT_DISCORD_URL.
//
// # Basics
//
// [New] starts a server and returns it; [Server.URL] is the value for FILMBOT_DISCORD_URL.
// GET /api/v9/gateway answers with the server's own websocket URL, so discordgo connects
// its gateway here too. Every REST call is recorded ([Server.Calls]) with method, path and
// body; unknown endpoints answer 404 and are recorded too, so a test can fail on them
// ([Server.Unknown]). An optional Check function sees every REST body as it arrives
// (validate them against the OpenAPI description there).
//
// [Server.Interact] dispatches an INTERACTION_CREATE to the connected session and waits for
// that interaction's callback; [Server.Command], [Server.Autocomplete], [Server.Button]
// and [Server.Modal] build the payloads Discord would send.
//
// # Gateway
//
// The gateway speaks the real handshake: HELLO with a configurable heartbeat interval,
// IDENTIFY → READY (session_id, resume_gateway_url, application, user), heartbeat → ACK,
// RESUME → RESUMED with the events the session missed replayed. Tests disrupt it with
// [Server.Drop] (connection lost), [Server.WithholdAcks], [Server.Reconnect] (op 7) and
// [Server.InvalidSession] (op 9), or hold READY back with [Options.HoldReady].
package fakediscord

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Options tune a Server. The zero value is usable.
type Options struct {
	// Token is the bot token the server accepts, without "Bot "; "" means DefaultToken.
	Token string
	// AppID is the application (and bot user) ID announced in READY; "" means DefaultAppID.
	AppID string
	// HeartbeatInterval is sent in HELLO; 0 means 41.25 s, Discord's usual value.
	HeartbeatInterval time.Duration
	// HoldReady leaves IDENTIFY unanswered, for Open-timeout tests.
	HoldReady bool
	// Check, when set, is called with every REST request body as it arrives; an error
	// fails the test (at cleanup) and is recorded on the call.
	Check func(method, path string, body []byte) error
	// ShardCount is the shard count GET /gateway/bot recommends and IDENTIFY must use;
	// 0 means 1 (and an IDENTIFY without a shard is accepted). Above 1, each interaction
	// goes to the connection of its guild's shard, (guild_id >> 22) % ShardCount, and DMs
	// to shard 0's.
	ShardCount int
	// MaxConcurrency is session_start_limit.max_concurrency; 0 means 1.
	MaxConcurrency int
	// StartRemaining is session_start_limit.remaining at the start (each IDENTIFY takes
	// one); 0 means 1000, as is the total.
	StartRemaining int
	// Record keeps at most this many calls (the oldest are dropped); 0 means all. Long
	// benchmarks set a small number so the fake's memory stays flat.
	Record int
}

// Defaults used when Options leave them empty.
const (
	DefaultToken = "MTAwMDAwMDAwMDAwMDAwMDAx.GfAkEd.fake-bot-token-for-tests-only-000000"
	DefaultAppID = "100000000000000001"
)

// Call is one recorded REST request.
type Call struct {
	Method string
	// Path is the URL path, such as /api/v9/interactions/1/tok/callback.
	Path  string
	Query string
	Body  []byte
	// Status is what the server answered.
	Status int
	// Auth is the Authorization header.
	Auth string
	// CheckErr is what Options.Check said about the body.
	CheckErr error
}

// Server is a fake Discord. Its methods are safe for concurrent use.
type Server struct {
	tb   testing.TB
	opts Options
	http *httptest.Server

	seq atomic.Int64 // for IDs and tokens

	mu         sync.Mutex
	calls      []Call
	unknown    []Call
	checkErrs  []string
	waiters    map[string]chan *Callback // interaction ID → its callback
	tokens     map[string]*tokenState    // interaction token → what happened to it
	tokenOrder []string                  // tokens oldest first, for forgetting
	limits     []*limitRule
	stalls     []*stallRule
	stalled    int               // requests held by a stall rule now
	files      map[string][]byte // served attachments by path
	commands   map[string][]byte // last bulk overwrite body by scope ("" = global)

	gw        gateway
	closeOnce sync.Once

	// changeMu guards changed, which is closed (and replaced) whenever the server sees
	// something a test may wait for: a REST call, a gateway connection, IDENTIFY, RESUME,
	// a heartbeat, a dropped connection.
	changeMu sync.Mutex
	changed  chan struct{}
}

// tokenState tracks one interaction token, as Discord does: a first response, then
// follow-ups for as long as the token lives.
type tokenState struct {
	id       string
	answered bool
}

// New starts a fake Discord on 127.0.0.1 and stops it when the test ends.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.Token == "" {
		opts.Token = DefaultToken
	}
	if opts.AppID == "" {
		opts.AppID = DefaultAppID
	}
	if opts.MaxConcurrency <= 0 {
		opts.MaxConcurrency = 1
	}
	if opts.StartRemaining <= 0 {
		opts.StartRemaining = 1000
	}
	if opts.HeartbeatInterval <= 0 {
		opts.HeartbeatInterval = 41250 * time.Millisecond
	}
	s := &Server{
		tb:       tb,
		opts:     opts,
		waiters:  make(map[string]chan *Callback),
		tokens:   make(map[string]*tokenState),
		files:    make(map[string][]byte),
		commands: make(map[string][]byte),
		changed:  make(chan struct{}),
	}
	s.gw.init(s)
	mux := http.NewServeMux()
	mux.HandleFunc("/gateway", s.gw.serveWS)
	mux.HandleFunc("/gateway/", s.gw.serveWS)
	mux.HandleFunc("/files/", s.serveFile)
	mux.HandleFunc("/api/", s.serveREST)
	s.http = httptest.NewServer(mux)
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server, drops every gateway connection and reports body check failures
// and calls to unknown endpoints as test errors.
func (s *Server) Close() {
	s.closeOnce.Do(s.close)
}

func (s *Server) close() {
	s.gw.closeAll()
	s.http.CloseClientConnections()
	s.http.Close()
	s.mu.Lock()
	errs, unknown := s.checkErrs, s.unknown
	s.checkErrs, s.unknown = nil, nil
	s.mu.Unlock()
	for _, e := range errs {
		s.tb.Errorf("fakediscord: %s", e)
	}
	for _, c := range unknown {
		s.tb.Errorf("fakediscord: call to unknown endpoint %s %s", c.Method, redactPath(c.Path))
	}
}

// URL returns the server's base URL, for FILMBOT_DISCORD_URL.
func (s *Server) URL() string { return s.http.URL }

// Token returns the bot token the server accepts.
func (s *Server) Token() string { return s.opts.Token }

// AppID returns the application ID the server announces.
func (s *Server) AppID() string { return s.opts.AppID }

// NextID returns a fresh snowflake-shaped ID.
func (s *Server) NextID() string {
	return strconv.FormatInt(200000000000000000+s.seq.Add(1), 10)
}

// Calls returns the recorded REST calls, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the recorded calls with method whose path matches the pattern, where
// each {name} in pattern stands for one path segment: "POST",
// "/api/v9/webhooks/{app}/{token}".
func (s *Server) CallsTo(method, pattern string) []Call {
	re := patternRE(pattern)
	var out []Call
	for _, c := range s.Calls() {
		if c.Method == method && re.MatchString(c.Path) {
			out = append(out, c)
		}
	}
	return out
}

// Unknown returns the calls to endpoints the fake does not implement.
func (s *Server) Unknown() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.unknown...)
}

// Commands returns the body of the last bulk overwrite of commands in guild ("" for
// global), decoded, and whether there was one.
func (s *Server) Commands(guild string) ([]*discordgo.ApplicationCommand, bool) {
	s.tb.Helper()
	s.mu.Lock()
	body, ok := s.commands[guild]
	s.mu.Unlock()
	if !ok {
		return nil, false
	}
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(body, &cmds); err != nil {
		s.tb.Errorf("fakediscord: decode commands: %v", err)
	}
	return cmds, true
}

// WaitCall waits until a call with method to a path matching pattern (see CallsTo) has been
// recorded after the first skip such calls, and returns it.
func (s *Server) WaitCall(ctx context.Context, method, pattern string, skip int) (Call, error) {
	re := patternRE(pattern)
	var found Call
	err := s.Wait(ctx, func() bool {
		n := 0
		for _, c := range s.Calls() {
			if c.Method == method && re.MatchString(c.Path) {
				if n == skip {
					found = c
					return true
				}
				n++
			}
		}
		return false
	})
	if err != nil {
		return Call{}, fmt.Errorf("waiting for %s %s: %w", method, pattern, err)
	}
	return found, nil
}

// Wait returns nil once cond holds, checking it now and again after every change the
// server sees (a REST call, a gateway connection or refusal, IDENTIFY, RESUME, READY, a
// heartbeat, a closed connection), or ctx's error when ctx ends first. It polls nothing:
// tests that wait on the fake's state wake when that state changes.
func (s *Server) Wait(ctx context.Context, cond func() bool) error {
	for {
		ch := s.Changed()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Changed returns a channel that is closed at the server's next change (see Wait). Take
// it before checking the state it guards, so that no change is missed in between.
func (s *Server) Changed() <-chan struct{} {
	s.changeMu.Lock()
	defer s.changeMu.Unlock()
	return s.changed
}

// notify wakes every Wait to check its condition again.
func (s *Server) notify() {
	s.changeMu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.changeMu.Unlock()
}

// ServeFile makes data downloadable from the server (as an attachment on Discord's CDN
// would be) and returns its URL.
func (s *Server) ServeFile(name string, data []byte) string {
	path := "/files/" + s.NextID() + "/" + name
	s.mu.Lock()
	s.files[path] = data
	s.mu.Unlock()
	return s.http.URL + path
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	data, ok := s.files[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Write(data)
}

// RateLimit makes the next n calls (n < 0: every call until cleared with n = 0) with
// method to paths matching pattern answer 429 with retry_after.
func (s *Server) RateLimit(method, pattern string, n int, retryAfter time.Duration) {
	s.setRule(method, pattern, n, http.StatusTooManyRequests, retryAfter)
}

// Fail makes the next n calls (n < 0: every call until cleared with n = 0) with method to
// paths matching pattern answer status with Discord's error body, as an outage (500, 502,
// 503) or a refused token (401) would. For 429 with a wait, use RateLimit.
func (s *Server) Fail(method, pattern string, n, status int) {
	s.setRule(method, pattern, n, status, 0)
}

// setRule replaces the failure rule for method and pattern; n = 0 only removes it.
func (s *Server) setRule(method, pattern string, n, status int, after time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.limits[:0]
	for _, l := range s.limits {
		if l.method != method || l.pattern != pattern {
			kept = append(kept, l)
		}
	}
	s.limits = kept
	if n != 0 {
		s.limits = append(s.limits, &limitRule{method: method, pattern: pattern, re: patternRE(pattern), left: n, status: status, after: after})
	}
}

// Stall holds every call with method to a path matching pattern until release is closed,
// as a slow Discord would: the caller is left waiting on its reply.
func (s *Server) Stall(method, pattern string, release <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stalls = append(s.stalls, &stallRule{method: method, re: patternRE(pattern), release: release})
}

// Stalled returns how many calls a Stall is holding now. A call being held or let go is a
// change that wakes Wait.
func (s *Server) Stalled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stalled
}

type stallRule struct {
	method  string
	re      *regexp.Regexp
	release <-chan struct{}
}

// hold waits while a stall rule matches the call.
func (s *Server) hold(method, path string) {
	s.mu.Lock()
	var release <-chan struct{}
	for _, st := range s.stalls {
		if st.method == method && st.re.MatchString(path) {
			release = st.release
			break
		}
	}
	if release == nil {
		s.mu.Unlock()
		return
	}
	s.stalled++
	s.mu.Unlock()
	s.notify()
	<-release
	s.mu.Lock()
	s.stalled--
	s.mu.Unlock()
	s.notify()
}

// limitRule answers matching calls with a failure status while left is not zero.
type limitRule struct {
	method, pattern string
	re              *regexp.Regexp
	left            int
	status          int
	after           time.Duration // retry_after, for 429
}

// failing returns the rule a call must fail by, or nil; s.mu must be held.
func (s *Server) failing(method, path string) *limitRule {
	for _, l := range s.limits {
		if l.method == method && l.re.MatchString(path) && l.left != 0 {
			if l.left > 0 {
				l.left--
			}
			return l
		}
	}
	return nil
}

var patternParam = regexp.MustCompile(`\\\{[a-z_]+\\\}`)

// patternRE turns "/api/v9/webhooks/{app}/{token}" into an anchored regexp.
func patternRE(pattern string) *regexp.Regexp {
	return regexp.MustCompile("^" + patternParam.ReplaceAllString(regexp.QuoteMeta(pattern), `[^/]+`) + "$")
}

// REST routes. Each handler returns the status and the JSON reply.
var routes = []struct {
	method string
	re     *regexp.Regexp
	auth   bool // needs the bot token
	handle func(s *Server, m []string, body []byte) (int, any)
}{
	{"GET", regexp.MustCompile(`^/api/v\d+/gateway$`), false, (*Server).restGateway},
	{"GET", regexp.MustCompile(`^/api/v\d+/gateway/bot$`), true, (*Server).restGateway},
	{"GET", regexp.MustCompile(`^/api/v\d+/users/@me$`), true, (*Server).restMe},
	{"PUT", regexp.MustCompile(`^/api/v\d+/applications/(\d+)/commands$`), true, (*Server).restOverwrite},
	{"PUT", regexp.MustCompile(`^/api/v\d+/applications/(\d+)/guilds/(\d+)/commands$`), true, (*Server).restOverwrite},
	{"POST", regexp.MustCompile(`^/api/v\d+/interactions/(\d+)/([^/]+)/callback$`), false, (*Server).restCallback},
	{"POST", regexp.MustCompile(`^/api/v\d+/webhooks/(\d+)/([^/]+)$`), false, (*Server).restFollowup},
	{"PATCH", regexp.MustCompile(`^/api/v\d+/webhooks/(\d+)/([^/]+)/messages/([^/]+)$`), false, (*Server).restWebhookEdit},
	{"POST", regexp.MustCompile(`^/api/v\d+/channels/(\d+)/messages$`), true, (*Server).restChannelSend},
	{"PATCH", regexp.MustCompile(`^/api/v\d+/channels/(\d+)/messages/(\d+)$`), true, (*Server).restChannelEdit},
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	call := Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: body, Auth: r.Header.Get("Authorization")}
	if s.opts.Check != nil && len(body) > 0 {
		call.CheckErr = s.opts.Check(r.Method, r.URL.Path, body)
	}

	status, reply := http.StatusNotFound, any(apiError{Code: 0, Message: "404: Not Found"})
	found := false
	for _, rt := range routes {
		m := rt.re.FindStringSubmatch(r.URL.Path)
		if m == nil || rt.method != r.Method {
			continue
		}
		found = true
		s.hold(r.Method, r.URL.Path)
		s.mu.Lock()
		rule := s.failing(r.Method, r.URL.Path)
		s.mu.Unlock()
		switch {
		case rule != nil && rule.status != http.StatusTooManyRequests:
			status = rule.status
			reply = apiError{Code: 0, Message: fmt.Sprintf("%d: %s", status, http.StatusText(status))}
		case rule != nil:
			secs := rule.after.Seconds()
			w.Header().Set("Retry-After", strconv.FormatFloat(secs, 'f', 3, 64))
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
			status, reply = http.StatusTooManyRequests, map[string]any{
				"message": "You are being rate limited.", "retry_after": secs, "global": false,
			}
		case rt.auth && call.Auth != "Bot "+s.opts.Token:
			status, reply = http.StatusUnauthorized, apiError{Code: 0, Message: "401: Unauthorized"}
		default:
			status, reply = rt.handle(s, m, body)
		}
		break
	}
	call.Status = status

	s.mu.Lock()
	s.calls = append(s.calls, call)
	if s.opts.Record > 0 && len(s.calls) > 2*s.opts.Record {
		s.calls = append([]Call(nil), s.calls[len(s.calls)-s.opts.Record:]...)
	}
	if !found {
		s.unknown = append(s.unknown, call)
	}
	if call.CheckErr != nil && len(s.checkErrs) < 20 {
		s.checkErrs = append(s.checkErrs, redactPath(fmt.Sprintf("%s %s: %v", call.Method, call.Path, call.CheckErr)))
	}
	s.mu.Unlock()
	s.notify()

	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(reply)
}

// tokenInPath matches the interaction token in an interaction callback path
// (/interactions/{id}/{token}/…) or a webhook path (/webhooks/{app}/{token}/…).
var tokenInPath = regexp.MustCompile(`(/(?:interactions|webhooks)/[^/\s"']+/)[^/\s"'?]+`)

// redactPath hides the interaction tokens in text that quotes request paths, so that what
// the fake reports through the test log holds no token, just as the bot's logs hold none.
func redactPath(text string) string {
	return tokenInPath.ReplaceAllString(text, "${1}[redacted]")
}

type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (s *Server) restGateway(_ []string, _ []byte) (int, any) {
	lim := s.StartLimit()
	return http.StatusOK, map[string]any{
		"url":    "ws" + strings.TrimPrefix(s.http.URL, "http") + "/gateway",
		"shards": max(s.opts.ShardCount, 1),
		"session_start_limit": map[string]int{
			"total": lim.Total, "remaining": lim.Remaining, "reset_after": lim.ResetAfter,
			"max_concurrency": lim.MaxConcurrency,
		},
	}
}

func (s *Server) restMe(_ []string, _ []byte) (int, any) {
	return http.StatusOK, s.botUser()
}

func (s *Server) botUser() map[string]any {
	return map[string]any{"id": s.opts.AppID, "username": "filmbot", "discriminator": "0", "bot": true}
}

func (s *Server) restOverwrite(m []string, body []byte) (int, any) {
	if m[1] != s.opts.AppID {
		return http.StatusNotFound, apiError{Code: 10002, Message: "Unknown Application"}
	}
	guild := ""
	if len(m) > 2 {
		guild = m[2]
	}
	var cmds []map[string]any
	if err := json.Unmarshal(body, &cmds); err != nil {
		return http.StatusBadRequest, apiError{Code: 50035, Message: "Invalid Form Body"}
	}
	s.mu.Lock()
	s.commands[guild] = body
	s.mu.Unlock()
	for _, c := range cmds {
		c["id"] = s.NextID()
		c["application_id"] = s.opts.AppID
		c["version"] = s.NextID()
		if guild != "" {
			c["guild_id"] = guild
		}
	}
	return http.StatusOK, cmds
}

// Callback is an interaction's first response as the fake received it.
type Callback struct {
	Call
	// Response is the decoded body.
	Response Response
}

// Response is an interaction response as sent on the wire, decoded for assertions.
type Response struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data *ResponseData                     `json:"data"`
}

// ResponseData is the data of a response, a follow-up or an edit.
type ResponseData struct {
	Content         *string                                     `json:"content"`
	Embeds          []*discordgo.MessageEmbed                   `json:"embeds"`
	Components      []discordgo.ActionsRow                      `json:"components"`
	Flags           discordgo.MessageFlags                      `json:"flags"`
	Choices         []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
	AllowedMentions *AllowedMentions                            `json:"allowed_mentions"`
	CustomID        string                                      `json:"custom_id"`
	Title           string                                      `json:"title"`
}

// Text returns the content, or "" when there is none.
func (d *ResponseData) Text() string {
	if d == nil || d.Content == nil {
		return ""
	}
	return *d.Content
}

// Ephemeral reports whether only the invoking user sees the message.
func (d *ResponseData) Ephemeral() bool {
	return d != nil && d.Flags&discordgo.MessageFlagsEphemeral != 0
}

// Buttons returns every button, row by row.
func (d *ResponseData) Buttons() []*discordgo.Button {
	if d == nil {
		return nil
	}
	var out []*discordgo.Button
	for _, row := range d.Components {
		for _, c := range row.Components {
			if b, ok := c.(*discordgo.Button); ok {
				out = append(out, b)
			}
		}
	}
	return out
}

// AllowedMentions is allowed_mentions as sent; Parse is nil when the field was absent or
// null, and an empty slice when it was [].
type AllowedMentions struct {
	Parse *[]string `json:"parse"`
	Users []string  `json:"users"`
	Roles []string  `json:"roles"`
}

// MentionsNobody reports whether d carries allowed_mentions with an explicit empty parse
// list and no users or roles.
func (d *ResponseData) MentionsNobody() bool {
	return d != nil && d.AllowedMentions != nil && d.AllowedMentions.Parse != nil &&
		len(*d.AllowedMentions.Parse) == 0 && len(d.AllowedMentions.Users) == 0 && len(d.AllowedMentions.Roles) == 0
}

// DecodeData decodes a follow-up or edit body.
func DecodeData(body []byte) (*ResponseData, error) {
	var d ResponseData
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func (s *Server) restCallback(m []string, body []byte) (int, any) {
	id, token := m[1], m[2]
	s.mu.Lock()
	ts := s.tokens[token]
	switch {
	case ts == nil || ts.id != id:
		s.mu.Unlock()
		return http.StatusNotFound, apiError{Code: 10062, Message: "Unknown interaction"}
	case ts.answered:
		s.mu.Unlock()
		return http.StatusBadRequest, apiError{Code: 40060, Message: "Interaction has already been acknowledged."}
	}
	ts.answered = true
	waiter := s.waiters[id]
	delete(s.waiters, id)
	s.mu.Unlock()

	cb := &Callback{Call: Call{Method: "POST", Path: "/api/v9/interactions/" + id + "/" + token + "/callback", Body: body}}
	if err := json.Unmarshal(body, &cb.Response); err != nil {
		return http.StatusBadRequest, apiError{Code: 50035, Message: "Invalid Form Body"}
	}
	if waiter != nil {
		waiter <- cb
	}
	return http.StatusNoContent, nil
}

func (s *Server) answeredToken(app, token string) bool {
	if app != s.opts.AppID {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := s.tokens[token]
	return ts != nil && ts.answered
}

func (s *Server) restFollowup(m []string, body []byte) (int, any) {
	if !s.answeredToken(m[1], m[2]) {
		return http.StatusNotFound, apiError{Code: 10015, Message: "Unknown Webhook"}
	}
	return s.message("", body)
}

func (s *Server) restWebhookEdit(m []string, body []byte) (int, any) {
	if !s.answeredToken(m[1], m[2]) {
		return http.StatusNotFound, apiError{Code: 10015, Message: "Unknown Webhook"}
	}
	return s.message("", body)
}

func (s *Server) restChannelSend(m []string, body []byte) (int, any) {
	return s.message(m[1], body)
}

func (s *Server) restChannelEdit(m []string, body []byte) (int, any) {
	code, msg := s.message(m[1], body)
	if obj, ok := msg.(map[string]any); ok {
		obj["id"] = m[2]
	}
	return code, msg
}

// message answers a message create or edit with the message as Discord would return it.
func (s *Server) message(channel string, body []byte) (int, any) {
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil {
		return http.StatusBadRequest, apiError{Code: 50035, Message: "Invalid Form Body"}
	}
	if channel == "" {
		channel = "300000000000000001"
	}
	obj["id"] = s.NextID()
	obj["channel_id"] = channel
	obj["author"] = s.botUser()
	obj["timestamp"] = time.Now().UTC().Format(time.RFC3339)
	return http.StatusOK, obj
}
