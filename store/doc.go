// Package store keeps filmbot's knowledge and per-guild data in one bbolt file. It is the
// only package that imports bbolt; everything else sees seed types and plain results.
//
// # Basics
//
// [Open] opens or creates a store; [Store.Reseed] installs a [seed.Catalog] as the whole of
// the knowledge, replacing what was there; lookups ([Store.FindFilm], [Store.SearchTitles],
// [Store.FilmsTitled], [Store.Film], [Store.Person], [Store.FilmFacts], [Store.RandomFact], [Store.Questions],
// [Store.Knowledge]) each read in their own transaction and return values decoded into
// fresh memory, which callers may keep as long as they like, across reseeds.
//
// The file holds these top-level buckets:
//
//	meta                      schema version, knowledge generation, counts
//	knowledge/articles        article ID → seed position, article (its ID is the key)
//	knowledge/films           film ID → seed position, positions of its facts and questions, film
//	knowledge/people          person ID → seed position, person
//	knowledge/facts           seed position of a chunk's first fact → up to 64 facts, packed
//	knowledge/questions       seed position of a chunk's first question → up to 64 questions, packed
//	knowledge/titles          the title index, see SearchTitles
//	knowledge/title-lengths   which title lengths occur under each text prefix
//	trivia-*                  per-guild quiz data (scores, games, settings)
//
// Reseed deletes and rewrites exactly the knowledge buckets, in one write transaction:
// bbolt's copy-on-write pages mean readers see the old knowledge or the new, never a mix,
// and a failure or a crash at any point leaves the old knowledge whole. Per-guild buckets
// are never touched by it.
//
// Records use a compact binary encoding (codec.go); a change to it, or to the layout above,
// bumps [SchemaVersion]. Facts and questions are packed by chunk (pack.go): the film IDs,
// article IDs and tags a chunk repeats are stored once in it, and a record's ID and text
// refer to its film's ID and title instead of repeating them. A chunk is cut at about a
// fifth of a page, so pages of chunks are full. For the 100,000-film test catalog the
// knowledge takes about 142 MB: films 41, facts 42, titles 31, questions 24, people 5.
//
// # Caveats
//
// bbolt allows one writer at a time. A reseed holds the write transaction for its whole
// length (one to two seconds for 100,000 films); score updates wait for it, lookups do not.
//
// A reseed writes the new generation before the old one's pages can be freed, so the file
// grows to hold two generations; the freed pages are reused by the next reseed, and the
// file levels off at about twice the knowledge's size (285 MB for the 100,000-film test
// catalog, 143 MB after its first seed; 87 MB and 44 MB for the Wikipedia movie data).
// bbolt never shrinks a file, so [Store.Reclaim] swaps in a packed copy when a third of the
// file is free: [Open] runs it (a read-write open has the file to itself), and so does
// `filmbot reseed` after installing, so the file an operator keeps is one generation big.
// A bot reseeding from Discord stays at two until it restarts. [Store.Compact] (the
// `filmbot compact` command) writes such a copy elsewhere. bbolt counts a reader that began just after a commit as
// still holding the pages that commit freed, so with lookups going on a reseed would often
// find the last generation held and grow the file to three; Reseed therefore starts with
// an empty commit, which moves new readers past it. The file grows in steps of 1 MiB, not
// bbolt's 16 MiB, so it carries no slack once its size settles.
//
// Open maps at least 1 GiB of address space (not memory), so that a reseed does not have to
// remap the file, which would stall every reader until it is done.
//
// Only one process may open a store for writing; another gets [ErrLocked] once
// Options.Timeout has passed (one second by default). Read-only opens share the file with
// each other but not with a writer. A file written with another [SchemaVersion] is refused
// with [ErrSchema]; there are no migrations, since reseeding a new file takes seconds.
package store
