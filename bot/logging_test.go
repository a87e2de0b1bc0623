package bot

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestRedactHandler(t *testing.T) {
	const token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789"
	const itoken = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OnNlY3JldA"
	tests := []struct {
		name   string
		log    func(l *slog.Logger)
		secret string
	}{
		{"token in the message", func(l *slog.Logger) { l.Info("identify with " + token) }, token},
		{"Bot header", func(l *slog.Logger) { l.Info("auth", "header", "Bot "+token) }, token},
		{"another bot's token by shape", func(l *slog.Logger) {
			l.Warn("x", "v", "OTk5OTk5OTk5OTk5OTk5OTk5.Zz9Yy8.zyxwvutsrqponmlkjihgfedcba9876543210")
		}, "zyxwvutsrqponmlkjihgfedcba9876543210"},
		{"interaction callback URL in an error", func(l *slog.Logger) {
			l.Warn("reply failed", "err", fmt.Errorf(`Post "https://discord.com/api/v9/interactions/123/%s/callback": context deadline exceeded`, itoken))
		}, itoken},
		{"webhook URL", func(l *slog.Logger) {
			l.Warn("edit failed", "url", "https://discord.com/api/v9/webhooks/100/"+itoken+"/messages/@original")
		}, itoken},
		{"payload dump", func(l *slog.Logger) {
			l.Debug(`Op: 0, Data: {"id":"1","token":"` + itoken + `","type":2}`)
		}, itoken},
		{"Go-syntax dump", func(l *slog.Logger) {
			l.Debug(fmt.Sprintf("%#v", struct{ Token string }{Token: itoken}))
		}, itoken},
		{"in a group", func(l *slog.Logger) {
			l.Info("g", slog.Group("req", slog.String("auth", token)))
		}, token},
		{"through With", func(l *slog.Logger) { l.With("tok", token).Info("hello") }, token},
		{"error value", func(l *slog.Logger) { l.Error("e", "err", errors.New("bad token "+token)) }, token},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := slog.New(RedactHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}), token))
			tc.log(l)
			out := buf.String()
			if strings.Contains(out, tc.secret) {
				t.Errorf("secret survived: %s", out)
			}
			if !strings.Contains(out, "[redacted]") {
				t.Errorf("nothing marked redacted: %s", out)
			}
		})
	}
}

func TestRedactHandler_leavesOrdinaryTextAlone(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(RedactHandler(slog.NewTextHandler(&buf, nil), "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789"))
	l.Info("connected", "app", "100000000000000001", "guild", "600000000000000001", "took", 1500)
	out := buf.String()
	if strings.Contains(out, "redacted") || !strings.Contains(out, "app=100000000000000001") {
		t.Errorf("ordinary line changed: %s", out)
	}
}
