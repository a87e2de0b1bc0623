package bot

// ActivityChanged returns a channel closed when b next starts or finishes serving an
// interaction, for tests that wait on Stats without polling.
func ActivityChanged(b *Bot) <-chan struct{} { return b.activityChanged() }
