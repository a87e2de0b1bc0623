package answer

import (
	"sync"
	"time"
)

// Conversation context. "Who directed it?" right after /film The Host is about The Host:
// a Memory remembers, per conversation (a channel, or a user in DMs), the film last shown
// or asked about, for a while, and AskAbout reads a question that names no film as being
// about it.

// ContextTTL is how long a conversation's film is remembered.
const ContextTTL = 10 * time.Minute

// maxConversations bounds a Memory: past it, expired entries are swept, and if none has
// expired the oldest goes, so a bot in many channels keeps a fixed footprint.
const maxConversations = 100000

// Memory remembers the film of each conversation. It is safe for concurrent use.
type Memory struct {
	ttl time.Duration
	now func() time.Time

	mu   sync.Mutex
	last map[string]remembered
}

type remembered struct {
	film string
	at   time.Time
}

// NewMemory returns a Memory that forgets after ttl (ContextTTL when 0), reading the time
// from now (time.Now when nil; tests inject a clock).
func NewMemory(ttl time.Duration, now func() time.Time) *Memory {
	if ttl <= 0 {
		ttl = ContextTTL
	}
	if now == nil {
		now = time.Now
	}
	return &Memory{ttl: ttl, now: now, last: make(map[string]remembered)}
}

// ConversationKey names a conversation: the channel in a server, the user in DMs.
func ConversationKey(guildID, channelID, userID string) string {
	if guildID == "" {
		return "dm:" + userID
	}
	return "ch:" + channelID
}

// Remember notes film (an ID) as the conversation's film; an empty film is ignored, so a
// refusal about no film keeps the context.
func (m *Memory) Remember(key, film string) {
	if m == nil || key == "" || film == "" {
		return
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.last[key]; !ok && len(m.last) >= maxConversations {
		m.sweep(now)
	}
	m.last[key] = remembered{film, now}
}

// Recall returns the conversation's film, or "" when none was noted within the TTL.
func (m *Memory) Recall(key string) string {
	if m == nil {
		return ""
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.last[key]
	if !ok {
		return ""
	}
	if now.Sub(r.at) > m.ttl {
		delete(m.last, key)
		return ""
	}
	return r.film
}

// sweep drops expired entries, or the oldest when none has expired. m.mu is held.
func (m *Memory) sweep(now time.Time) {
	oldest, at := "", now
	for k, r := range m.last {
		if now.Sub(r.at) > m.ttl {
			delete(m.last, k)
			continue
		}
		if r.at.Before(at) {
			oldest, at = k, r.at
		}
	}
	if len(m.last) >= maxConversations && oldest != "" {
		delete(m.last, oldest)
	}
}
