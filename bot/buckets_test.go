package bot_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/bwmarrin/discordgo"

	"filmbot/bot"
	"filmbot/bot/fakediscord"
)

// bucketCount returns how many buckets rl holds. discordgo keeps them in an unexported map
// and never deletes one; reflection reads its length under the limiter's lock.
func bucketCount(tb testing.TB, rl *discordgo.RateLimiter) int {
	tb.Helper()
	rl.Lock()
	defer rl.Unlock()
	f := reflect.ValueOf(rl).Elem().FieldByName("buckets")
	if !f.IsValid() || f.Kind() != reflect.Map {
		tb.Fatalf("discordgo.RateLimiter has no buckets map any more: re-check the bucket leak")
	}
	return f.Len()
}

// noContent answers every request 204 without a network.
type noContent struct{}

func (noContent) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusNoContent, Status: "204 No Content", Header: http.Header{},
		Body: http.NoBody, Request: r}, nil
}

// TestServe_noBucketPerInteraction pins discordgo's bucket leak and filmbot's guard: a plain
// session keeps one rate-limit bucket per interaction it answers (the bucket's key holds
// the interaction token), while the bot's session holds no more after 20 interactions
// than after one.
func TestServe_noBucketPerInteraction(t *testing.T) {
	const n = 20
	s, err := discordgo.New("Bot " + fakediscord.DefaultToken)
	if err != nil {
		t.Fatal(err)
	}
	s.Client = &http.Client{Transport: noContent{}}
	before := bucketCount(t, s.Ratelimiter)
	for i := range n {
		in := &discordgo.Interaction{ID: "7000000000000000" + string(rune('a'+i)), Token: "token-" + string(rune('a'+i))}
		if err := s.InteractionRespond(in, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}); err != nil {
			t.Fatalf("InteractionRespond: %v", err)
		}
	}
	if got := bucketCount(t, s.Ratelimiter) - before; got != n {
		t.Errorf("a plain discordgo session kept %d buckets for %d interactions, want %d: has the leak been fixed upstream? "+
			"Then rest.tokenCall can go.", got, n, n)
	}

	h := start(t, setup{})
	g := who(stranger, otherGuild, "0")
	h.interact(h.fake.Command(g, "help"))
	before = bucketCount(t, bot.RESTLimiter(h.bot))
	for range n {
		if cb := h.interact(h.fake.Command(g, "help")); !isHelp(cb) {
			t.Fatalf("got %s", cb.Body)
		}
	}
	if got := bucketCount(t, bot.RESTLimiter(h.bot)) - before; got != 0 {
		t.Errorf("the bot's session gained %d buckets over %d interactions, want 0", got, n)
	}
}
