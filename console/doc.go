// Package console is a terminal front end to filmbot: a small Discord client that reads
// slash commands, button presses and modal answers as typed lines, sends them through the
// same command set the bot serves, and prints the replies and channel messages (a trivia
// game's questions and reveals) as Discord would show them (package render draws them).
//
// # Basics
//
// [New] returns a [Session]. The app it drives is built with the session as its trivia
// messenger and [Session.Clock] as trivia's clock; [Session.Run] then reads lines until
// /quit, the end of the input (a game still running plays out first) or an interrupt.
// The session plays user [User] in channel [Channel] of guild [Guild].
//
// # Caveats
//
// Run stops reading at /quit or an interrupt, but trivia timers may still be running:
// close the trivia engine, then call [Session.Settle], then [EndGames], then close the
// store, so nothing prints after the session and no console game is left for a later
// `filmbot run` to tidy up.
package console
