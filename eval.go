package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"filmbot/answer/qaset"
	"filmbot/commands"
	"filmbot/seed"
	"filmbot/store"
)

// eval scores the answer engine on question sets. It installs the embedded seed (and an
// article, imported raw as `reseed -article` would) in a throwaway store, so the
// configured store is never touched, and asks every question through the command set's
// answer path, the one /ask takes.
func (c *cli) eval(args []string) int {
	fs, _ := c.flags("eval")
	article := fs.String("article", "", "import a plain-text article `file` beside the embedded seed first")
	film := fs.String("film", "", "with -article: the `title` of the film the article is about")
	quiet := fs.Bool("q", false, "print only the summary, not each miss")
	seeds := fs.String("seed", "", "comma-separated seed `files` (TOML, Red lists, dataset JSON) to install instead of the embedded seed")
	if code := c.parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(c.stderr, "filmbot eval: name one or more question sets: filmbot eval [-article FILE -film TITLE] SET.tsv…")
		return exitUsage
	}
	if (*article == "") != (*film == "") {
		fmt.Fprintln(c.stderr, "filmbot eval: -article and -film go together")
		return exitUsage
	}
	misses := c.stdout
	if *quiet {
		misses = io.Discard
	}
	var seedFiles []string
	if *seeds != "" {
		seedFiles = strings.Split(*seeds, ",")
	}
	score, err := evaluateWith(c.ctx, misses, seedFiles, *article, *film, fs.Args())
	if err != nil {
		return c.fail("eval", err)
	}
	fmt.Fprintln(c.stdout, score)
	return exitOK
}

// evaluate runs the sets against the embedded seed plus the article (when articlePath is
// not empty), printing each miss to w, and returns the pooled score.
func evaluate(ctx context.Context, w io.Writer, articlePath, film string, sets []string) (qaset.Score, error) {
	return evaluateWith(ctx, w, nil, articlePath, film, sets)
}

// evaluateWith is evaluate over the knowledge the seed files hold (the embedded seed when
// there are none).
func evaluateWith(ctx context.Context, w io.Writer, seedFiles []string, articlePath, film string, sets []string) (qaset.Score, error) {
	var score qaset.Score
	type set struct {
		name  string
		lines []qaset.Line
	}
	var all []set
	for _, name := range sets {
		data, err := os.ReadFile(name)
		if err != nil {
			return score, err
		}
		lines, err := qaset.Parse(name, data)
		if err != nil {
			return score, err
		}
		all = append(all, set{name, lines})
	}
	files := map[string][]byte{}
	for _, name := range seedFiles {
		data, err := os.ReadFile(name)
		if err != nil {
			return score, err
		}
		files[name] = data
	}
	cat, err := commands.LoadSeed(files)
	if err != nil {
		return score, err
	}
	if articlePath != "" {
		text, err := os.ReadFile(articlePath)
		if err != nil {
			return score, err
		}
		if cat, err = seed.ImportArticle(articlePath, text, film, cat); err != nil {
			return score, err
		}
	}
	dir, err := os.MkdirTemp("", "filmbot-eval-")
	if err != nil {
		return score, err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(filepath.Join(dir, "eval.db"), store.Options{})
	if err != nil {
		return score, err
	}
	defer st.Close()
	know := commands.New(commands.Deps{Store: st, Logger: slog.New(slog.DiscardHandler)}).Knowledge()
	if _, err := know.Reseed(ctx, cat, nil); err != nil {
		return score, err
	}
	for _, s := range all {
		for _, l := range s.lines {
			a, err := know.Ask(ctx, l.Question, "")
			if err != nil {
				return score, err
			}
			score.Add(l, a.Found, a.Text)
			if !l.Pass(a.Found, a.Text) {
				fmt.Fprintf(w, "%s:%d: %s\n\twant %s\n\tgot  found=%v %s\n", s.name, l.Line, l.Question, l.Expected, a.Found, a.Text)
			}
		}
	}
	return score, nil
}
