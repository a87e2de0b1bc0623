package bot

import (
	"time"

	"github.com/bwmarrin/discordgo"
)

// ActivityChanged returns a channel closed when b next starts or finishes serving an
// interaction, for tests that wait on Stats without polling.
func ActivityChanged(b *Bot) <-chan struct{} { return b.activityChanged() }

// RESTLimiter returns the rate limiter of b's REST session, where discordgo would keep a
// bucket per interaction token.
func RESTLimiter(b *Bot) *discordgo.RateLimiter { return b.session.Ratelimiter }

// SetReconnectWait sets the least time a forced reconnect is given before Run returns
// ErrStalled (5 s otherwise); call it before Run.
func SetReconnectWait(b *Bot, d time.Duration) { b.reconnectWait = d }
