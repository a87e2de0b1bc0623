// Package trivia runs filmbot's quiz game: /trivia games played with buttons (and typed
// answers through a modal for hard questions), per-guild scores that are never lost, and
// /leaderboard.
//
// # Basics
//
// [New] builds an [Engine] from a store, a [Messenger] that posts and edits channel
// messages, and a [Clock]; [Engine.Register] adds /trivia and /leaderboard to a
// commands.Set; [Engine.Restore] closes games a previous process left running.
//
// # Durability
//
// An answer is acknowledged ("locked in") only after the transaction that stores it and
// adds its points to the player's score has committed, so every acknowledged answer's
// points survive a crash. Games in progress are stored too, so the next start can close
// them cleanly.
package trivia
