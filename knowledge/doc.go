// Package knowledge is the one owner of the installed knowledge in memory: for each store
// generation it holds the catalog, the answer index built from it and the quiz bank trivia
// draws questions from, and it is the one place that resolves and suggests films, so every
// front end (the slash commands, trivia, the console, the CLI) names films the same way.
//
// # Basics
//
// [New] returns a [Service] over an open store. [Service.Current] returns the [Generation]
// in memory, rebuilding it when the store's generation has moved on (a reseed here, or by
// another process before this one opened the store). [Service.Ask] answers a question from
// it; [Service.FindFilm] resolves a film a person named (an ID, a title or alias, or the
// start of exactly one title) and [Service.SuggestFilms] lists films for autocomplete.
// [Service.Reseed] installs a new catalog, one reseed at a time per service; a caller that
// must hold the lock longer (to download and validate first) takes it with
// [Service.BeginReseed].
//
// An unknown film is an [*UnknownFilmError] carrying suggestions, and a name with no
// letters or digits is [ErrNoFilmName]; package commands words both for people.
//
// # Lifetime rules
//
// A *Generation and everything it points to is immutable and may be kept as long as the
// caller likes, across reseeds: it is simply the knowledge as it was. Callers must not
// modify its Catalog. The quiz bank is built on first use per generation.
//
// Every method takes a context first and returns ctx.Err() when it is already done on
// entry. bbolt cannot be interrupted, so a lookup that has started runs to its end.
//
// # Caveats
//
// Building the index of a large catalog takes seconds, longer than Discord waits for a
// reply. While one build runs, other callers are answered from the previous generation
// instead of queueing behind it; only the very first call, with nothing in memory yet,
// waits. A reseed through the service holds the build lock from the store write until its
// new index is live, so it reports success only when new answers are being given, and
// questions asked meanwhile get the previous generation's answers.
//
// The reseed lock is per service, not per store: two processes cannot share a store for
// writing anyway (the store's file lock), so one service per process is all it takes. Use
// one Service per store in a process; two would each keep a copy of the knowledge.
package knowledge
