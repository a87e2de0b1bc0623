// Package answer is filmbot's answer engine: it turns a free-text trivia question into the
// one fact that answers it, with its source, or an honest "I don't know".
//
// # Basics
//
// [New] builds an in-memory [Index] from a catalog once; [Index.Ask] then answers in a few
// microseconds without touching the store. Every film's structured record (cast, directors,
// release, where to watch, locations, genres, countries, synopsis) and every person's
// biography become answer items beside the catalog's facts, so "who plays Yong Mi?" is
// answered from the cast list and "why is it a girl power movie?" from a fact.
//
// A question is read in three steps: find what it names (a film by title, alias or the
// opening of its title, a character, a person), read its cue words through a small lexicon
// of synonyms and a light stemmer (plays, stars and portrays all ask for the cast), and
// score every item about the film by BM25 plus cue and entity matches. Before that, chat is
// mended the way a reader would: a name typed without spaces ("yongmi") is split, a word one
// letter away from a known word ("dirrected") is read as that word, and a clause that only
// sets the scene ("I watched it last night and was wondering, …") lends its names but not
// its words.
//
// # Abstention
//
// Half of answering is refusing. The best-scoring item is only an answer when it covers
// every content word of the question (a synonym or a stem counts; the film's own title and
// trivia words like "film" do not need covering), when it is of the kind the question asks
// for (a date for "when", a number for "how old") and, for "who is Yong Mi's father?", when
// it names that person rather than merely mentioning them. Otherwise the reply says plainly
// that the data does not say, and what it can say about the film. Some questions are refused
// by their shape whatever the data holds: advice ("should I watch it?"), a bare judgement
// ("is it good?"), who a title is ("who is Comrade Kim?"), and a yes/no claim about a first
// broader than the fact that records it ("is it the first North Korean film?").
//
// # Layout
//
// The files follow the phases of the work. Building: index.go (the Index and its layout),
// names.go (titles, people and characters as lookup keys), items.go (answer items from
// films, people and facts). Answering: read.go and query.go (read the question: mend chat,
// find names and cue words), candidates.go (which items could answer), score.go (rank
// them), decide.go (accept the best or abstain), refuse.go (the honest refusals) and
// render.go (the reply's text). ask.go runs the phases in order.
package answer

import (
	"strings"
	"unicode/utf8"
)

// maxText bounds an answer's text, well inside Discord's 2000-character message limit even
// with the source line the CLI and the bot add.
const maxText = 1800

// Answer is the reply to one question.
type Answer struct {
	// Found is false for every refusal: the data does not say, or the film is unknown.
	Found bool `json:"found"`
	// Text is the answer in one or two short sentences; when !Found, the plain "I don't
	// know" and what the engine can answer instead.
	Text   string `json:"text"`
	FilmID string `json:"film_id,omitempty"`
	// Film is the film's title, "" when none.
	Film string `json:"film,omitempty"`
	// Sources names each cited article as "Publisher — Headline".
	Sources []string `json:"sources,omitempty"`
}

// String renders the answer as the CLI and the console print it and the bot posts it: the
// text, then a source line when there is one.
func (a Answer) String() string {
	if len(a.Sources) == 0 {
		return a.Text
	}
	return a.Text + "\nSource: " + strings.Join(a.Sources, "; ")
}

// clip shortens s to at most n bytes on a word boundary, keeping valid UTF-8.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexByte(s[:cut], ' '); i > cut/2 {
		cut = i
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}
