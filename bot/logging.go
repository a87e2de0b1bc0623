package bot

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

// redactions are the shapes secrets take in discordgo's log lines, REST errors (which quote
// the request URL) and gateway payloads. Each keeps its prefix and replaces the secret.
var redactions = []struct {
	re   *regexp.Regexp
	repl string
}{
	// Interaction callbacks: /interactions/{id}/{token}/callback.
	{regexp.MustCompile(`(/interactions/[^/\s"']+/)[^/\s"'?]+`), "${1}[redacted]"},
	// Webhooks and follow-ups: /webhooks/{application}/{token}[/messages/…].
	{regexp.MustCompile(`(/webhooks/[^/\s"']+/)[^/\s"'?]+`), "${1}[redacted]"},
	// JSON payloads: IDENTIFY, RESUME and INTERACTION_CREATE carry "token":"…".
	{regexp.MustCompile(`("token"\s*:\s*")[^"]*(")`), "${1}[redacted]${2}"},
	// Go-syntax dumps (%#v) of identify and resume packets: Token:"…".
	{regexp.MustCompile(`(Token:\s*")[^"]*(")`), "${1}[redacted]${2}"},
	// An Authorization header value.
	{regexp.MustCompile(`(?i)(\bBot\s+)[A-Za-z0-9._\-]{16,}`), "${1}[redacted]"},
	// A bare bot token: three base64url parts separated by dots.
	{regexp.MustCompile(`[A-Za-z0-9_\-]{18,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{20,}`), "[redacted]"},
}

// redactor removes the bot token and interaction tokens from text bound for a log.
type redactor struct {
	// secrets are exact strings to remove wherever they appear (the bot token).
	secrets []string
}

func newRedactor(token string) *redactor {
	r := &redactor{}
	t := strings.TrimSpace(strings.TrimPrefix(token, "Bot "))
	if len(t) >= 8 { // a shorter "token" is no secret worth hiding and would mangle text
		r.secrets = append(r.secrets, t)
	}
	return r
}

// redact returns s with every secret replaced by "[redacted]".
func (r *redactor) redact(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, "[redacted]")
	}
	for _, x := range redactions {
		s = x.re.ReplaceAllString(s, x.repl)
	}
	return s
}

// RedactHandler returns a slog.Handler that passes records to next with token (the bot
// token) and anything shaped like an interaction token, webhook token or bot token removed
// from the message and from every attribute. Wrap the process's root handler with it so
// that no package can log a secret by accident; bot.New wraps the logger it is given.
func RedactHandler(next slog.Handler, token string) slog.Handler {
	return &redactHandler{next: next, r: newRedactor(token)}
}

type redactHandler struct {
	next slog.Handler
	r    *redactor
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.redact(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return &redactHandler{next: h.next.WithAttrs(clean), r: h.r}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), r: h.r}
}

// attr redacts one attribute. Strings, errors and anything else printable are checked;
// numbers, times and durations cannot hold a token and pass untouched.
func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.r.redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		clean := make([]any, len(g))
		for i, ga := range g {
			clean[i] = h.attr(ga)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		s := fmt.Sprint(v.Any())
		if c := h.r.redact(s); c != s {
			return slog.String(a.Key, c)
		}
		return slog.Attr{Key: a.Key, Value: v}
	default:
		return slog.Attr{Key: a.Key, Value: v}
	}
}

// discordgoSink is where discordgo's package-level Logger sends its lines: the logger of
// the most recently created Bot.
type discordgoSink struct {
	logger *slog.Logger
}

// The two package-level variables below exist only because discordgo's Logger is itself a
// package-level variable: it is set once per process (writing it again while an earlier
// session's goroutines read it would be a data race), and each Bot then points it at its own
// logger through an atomic pointer. Every line still passes through a redacting handler.
var (
	discordgoLoggerOnce sync.Once
	discordgoTarget     atomic.Pointer[discordgoSink]
)

// routeDiscordgoLog points discordgo's log output at logger, which must already redact.
func routeDiscordgoLog(logger *slog.Logger) {
	discordgoTarget.Store(&discordgoSink{logger: logger})
	discordgoLoggerOnce.Do(func() {
		discordgo.Logger = func(msgL, _ int, format string, a ...any) {
			sink := discordgoTarget.Load()
			if sink == nil {
				return
			}
			level := slog.LevelDebug
			switch msgL {
			case discordgo.LogError:
				level = slog.LevelError
			case discordgo.LogWarning:
				level = slog.LevelWarn
			}
			ctx := context.Background()
			if !sink.logger.Enabled(ctx, level) {
				return
			}
			sink.logger.Log(ctx, level, fmt.Sprintf(format, a...), "source", "discordgo")
		}
	})
}

// discordgoLevel is the session log level for a logger: warnings and errors normally, and
// discordgo's own debug lines only when the operator asked for debug logging.
func discordgoLevel(logger *slog.Logger) int {
	if logger.Enabled(context.Background(), slog.LevelDebug) {
		return discordgo.LogDebug
	}
	return discordgo.LogWarning
}
