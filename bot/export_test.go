package bot

// ServedChanged returns a channel closed when the next interaction b serves has finished,
// for tests that wait for the bot to go idle.
func ServedChanged(b *Bot) <-chan struct{} { return b.servedChanged() }
