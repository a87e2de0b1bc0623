package bot_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/bot"
	"filmbot/bot/fakediscord"
)

func TestMessenger(t *testing.T) {
	h := start(t, setup{cfg: func(c *bot.Config) { c.RESTTimeout = time.Second }})
	m := h.bot.Messenger()
	ctx := context.Background()
	const channel = "300000000000000777"

	id, err := m.Send(ctx, channel, &discordgo.MessageSend{Content: "Round 1 <@everyone> @here"})
	if err != nil || id == "" {
		t.Fatalf("Send = %q, %v", id, err)
	}
	if err := m.Edit(ctx, channel, id, &discordgo.MessageEdit{Content: ptr("Round 1: time's up")}); err != nil {
		t.Fatalf("Edit: %v", err)
	}
	sends := h.fake.CallsTo("POST", "/api/v9/channels/"+channel+"/messages")
	edits := h.fake.CallsTo("PATCH", "/api/v9/channels/"+channel+"/messages/"+id)
	if len(sends) != 1 || len(edits) != 1 {
		t.Fatalf("%d sends and %d edits recorded, want 1 and 1", len(sends), len(edits))
	}
	for _, c := range []fakediscord.Call{sends[0], edits[0]} {
		d, err := fakediscord.DecodeData(c.Body)
		if err != nil {
			t.Fatal(err)
		}
		if !d.MentionsNobody() {
			t.Errorf("%s %s without allowed_mentions {parse: []}: %s", c.Method, c.Path, c.Body)
		}
	}

	t.Run("a short rate limit is waited out", func(t *testing.T) {
		h.fake.RateLimit("POST", "/api/v9/channels/{id}/messages", 1, 100*time.Millisecond)
		if _, err := m.Send(ctx, channel, &discordgo.MessageSend{Content: "again"}); err != nil {
			t.Errorf("Send after one 429: %v", err)
		}
	})
	t.Run("a long one fails within the REST timeout", func(t *testing.T) {
		h.fake.RateLimit("POST", "/api/v9/channels/{id}/messages", -1, time.Hour)
		defer h.fake.RateLimit("POST", "/api/v9/channels/{id}/messages", 0, 0)
		done := make(chan error, 1)
		go func() {
			_, err := m.Send(ctx, channel, &discordgo.MessageSend{Content: "never"})
			done <- err
		}()
		select {
		case err := <-done:
			var rl *discordgo.RateLimitError
			if !errors.As(err, &rl) {
				t.Errorf("Send = %v, want a RateLimitError", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Send still waiting 5 s into an hour-long rate limit")
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestFetcher(t *testing.T) {
	f := fakediscord.New(t, fakediscord.Options{})
	fetch := bot.NewFetcher(300 * time.Millisecond)
	ctx := context.Background()
	small := []byte("[[article]]\n")
	big := bytes.Repeat([]byte("x"), 2048)

	if got, err := fetch(ctx, f.ServeFile("seed.toml", small), 1024); err != nil || !bytes.Equal(got, small) {
		t.Errorf("fetch small = %q, %v", got, err)
	}
	if _, err := fetch(ctx, f.ServeFile("big.toml", big), 1024); !errors.Is(err, bot.ErrTooLarge) {
		t.Errorf("fetch over the limit: %v, want ErrTooLarge", err)
	}
	// A server that does not say how big the file is must still be cut off at the limit.
	chunked := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range 4 {
			w.Write(big)
			w.(http.Flusher).Flush()
		}
	}))
	defer chunked.Close()
	if _, err := fetch(ctx, chunked.URL+"/f.toml", 1024); !errors.Is(err, bot.ErrTooLarge) {
		t.Errorf("fetch chunked over the limit: %v, want ErrTooLarge", err)
	}
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	// The server answers (empty) after 5 s; only the time limit makes this fail.
	if _, err := fetch(ctx, slow.URL+"/f.toml", 1024); err == nil {
		t.Error("fetch from a stalled server succeeded")
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/x", "not a url", ""} {
		if _, err := fetch(ctx, u, 1024); err == nil || strings.Contains(err.Error(), "passwd") {
			t.Errorf("fetch(%q) = %v, want a refusal", u, err)
		}
	}
	if u := f.Unknown(); len(u) != 0 {
		t.Errorf("unknown calls: %v", u)
	}
}
