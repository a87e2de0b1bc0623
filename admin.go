package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"filmbot/commands"
	"filmbot/config"
	"filmbot/control"
	"filmbot/knowledge"
	"filmbot/pgstore"
	"filmbot/seed"
	"filmbot/store"
)

// readFiles reads the named files; a file that cannot be read is reported as a problem in
// the same "file: message" form as the seed's own.
func (c *cli) readFiles(names []string) (map[string][]byte, seed.Problems) {
	files := make(map[string][]byte, len(names))
	var probs seed.Problems
	for _, name := range names {
		b, err := c.readFile(name)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			probs = append(probs, seed.Problem{File: name, Msg: "cannot read: " + err.Error()})
			continue
		}
		files[name] = b
	}
	return files, probs
}

// check validates seed files without touching any store. Problems go to stdout, one
// "file:line: message" each, so they can be piped or saved; the exit code is 1 when there
// is any.
func (c *cli) check(args []string) int {
	fs, _ := c.flags("check")
	withEmbedded := fs.Bool("with-embedded", false, "check the files together with the embedded seed, as reseed -with-embedded installs them")
	if code := c.parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(c.stderr, "filmbot check: name the seed files to check (.toml seeds, .yaml/.yml Red trivia lists, .json Wikipedia movie data)")
		return exitUsage
	}
	// Every file that can be read is checked, even when others cannot be.
	cat, err := seed.LoadFiles(fs.Args())
	if *withEmbedded {
		cat, err = loadWithEmbedded(fs.Args())
	}
	var ps seed.Problems
	if err != nil && !errors.As(err, &ps) {
		ps = seed.Problems{{Msg: err.Error()}}
	}
	if err != nil {
		fmt.Fprintln(c.stdout, ps.Error())
	} else {
		fmt.Fprintf(c.stdout, "ok: %s\n", commands.CountsText(cat.Counts()))
		c.notes("check", cat)
	}
	fmt.Fprintf(c.stderr, "filmbot check: %s\n", ps.Summary(fs.NArg()))
	if err != nil {
		return exitFail
	}
	return exitOK
}

// reseed installs seed files (or the embedded seed, or the installed knowledge plus an
// imported article) in the store. Everything is validated before the store is opened, so
// a bad file leaves the store untouched.
func (c *cli) reseed(args []string) int {
	fs, co := c.flags("reseed")
	article := fs.String("article", "", "import a plain-text article `file` into the installed knowledge")
	film := fs.String("film", "", "with -article: the `title` of the film the article is about")
	move := fs.Bool("move", false, "with -article: allow moving an article imported before for another film to this one")
	withEmbedded := fs.Bool("with-embedded", false, "keep the embedded seed and add the FILEs to it (without it, the FILEs replace it)")
	if code := c.parse(fs, args); code >= 0 {
		return code
	}
	// A reseed of a large seed makes a lot of short-lived garbage (parsed files, encoded
	// records); a soft limit has the collector reuse it rather than grow the heap, which
	// keeps the 36,000-film dataset's peak RSS near 380 MB instead of 540, for the same CPU.
	// GOMEMLIMIT, when set, wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(reseedMemoryLimit)
	}
	switch {
	case *article != "" && fs.NArg() > 0:
		fmt.Fprintln(c.stderr, "filmbot reseed: give seed files or -article, not both")
		return exitUsage
	case *withEmbedded && fs.NArg() == 0:
		fmt.Fprintln(c.stderr, "filmbot reseed: -with-embedded adds seed files to the embedded seed: name them")
		return exitUsage
	case (*article == "") != (*film == ""):
		fmt.Fprintln(c.stderr, "filmbot reseed: -article and -film go together: filmbot reseed -article FILE -film TITLE")
		return exitUsage
	}
	cfg, ok := c.config(co)
	if !ok {
		return exitUsage
	}

	var cat *seed.Catalog
	var from string
	if *article == "" {
		files, probs := c.readFiles(fs.Args())
		if len(probs) > 0 {
			fmt.Fprintln(c.stderr, probs.Error())
			return exitFail
		}
		if *withEmbedded {
			if err := addEmbedded(files); err != nil {
				return c.fail("reseed", err)
			}
		}
		var err error
		if cat, err = commands.LoadSeed(files); err != nil {
			fmt.Fprintf(c.stderr, "%v\nfilmbot reseed: nothing was changed\n", err)
			return exitFail
		}
		from = "the embedded seed"
		if fs.NArg() > 0 {
			from = strings.Join(fs.Args(), ", ")
			if *withEmbedded {
				from = "the embedded seed and " + from
			}
		}
		c.notes("reseed", cat)
	}

	var text []byte
	if *article != "" {
		var err error
		if text, err = c.readFile(*article); err != nil {
			return c.fail("reseed", err)
		}
	}

	start := time.Now()
	st, err := c.openStore(cfg, noSeed)
	if _, ok := forwardable(err, "reseed"); ok {
		// A running filmbot holds the store: it validates, installs and rebuilds its index
		// itself, and its progress and report come back here.
		files := fs.Args()
		if *article != "" {
			files = []string{*article}
		}
		return c.forward("reseed", cfg.DB, args, files)
	}
	if err != nil {
		return c.fail("reseed", err)
	}
	defer c.closeStore(st)
	know := c.knowledgeOf(st)

	if *article != "" {
		base, err := c.installed(st)
		if err != nil {
			return c.fail("reseed", err)
		}
		filmRef, err := articleFilm(c.ctx, know, *film)
		if err != nil {
			return c.fail("reseed", err)
		}
		if cat, err = seed.ImportArticle(*article, text, filmRef, base); err != nil {
			fmt.Fprintf(c.stderr, "%v\nfilmbot reseed: nothing was changed\n", err)
			return exitFail
		}
		if moved := movedArticle(base, cat); moved != "" && !*move {
			fmt.Fprintf(c.stderr, "filmbot reseed: %s: %s; add -move to move them to %q\nfilmbot reseed: nothing was changed\n", *article, moved, *film)
			return exitFail
		}
		from = *article
	}

	fmt.Fprintf(c.stderr, "filmbot reseed: %s is valid (%s); installing…\n", from, commands.CountsText(cat.Counts()))
	// One line each time the records written pass another quarter, with the real figure:
	// a small seed is written in one go and says 100% once, rather than 25, 50 and 75 at
	// the same instant. Committing (and, in a running bot, the new index) come after, on
	// a line of their own.
	quarter := 0
	progress := func(done, total int) {
		if total <= 0 || done*4/total <= quarter {
			return
		}
		quarter = done * 4 / total
		fmt.Fprintf(c.stderr, "filmbot reseed: %d%% of %d records written (%s)\n", done*100/total, total, since(start))
	}
	var res store.ReseedResult
	if c.held != nil {
		// Inside the running bot, for a client of its socket: through its knowledge
		// service, which rebuilds the index that answers Discord (and publishes to the
		// other processes with database-url) before this reports done.
		res, err = c.held.know.Reseed(c.ctx, cat, progress)
	} else {
		// The store alone: this process exits next, so building the answer index here (as
		// a knowledge.Service's Reseed does, to go live) would only add seconds for
		// nothing. No bot can be serving this store meanwhile: it would hold the file lock.
		res, err = st.Reseed(c.ctx, cat, progress)
		if err == nil && cfg.DatabaseURL != "" {
			// The bot's other processes install what this reseed wrote.
			if err = publishKnowledge(c.ctx, cfg, cat); err != nil {
				return c.fail("reseed", fmt.Errorf("installed here, but not shared with the bot's other processes: %w", err))
			}
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintln(c.stderr, "filmbot reseed: interrupted before the new knowledge was committed; nothing was changed")
		return exitFail
	}
	if err != nil && res.Generation > 0 {
		// Installed here, but a later step (sharing it with the other processes) failed.
		return c.fail("reseed", err)
	}
	if err != nil {
		return c.fail("reseed", fmt.Errorf("%w; nothing was changed", err))
	}
	if c.held != nil {
		fmt.Fprintf(c.stderr, "filmbot reseed: 100%%: committed, and the running bot answers from it (%s)\n", since(start))
	} else {
		fmt.Fprintf(c.stderr, "filmbot reseed: 100%%: committed (%s)\n", since(start))
		// Give back the pages the old generation held, so the file stays one generation
		// big. Not in a running bot: Reclaim needs the store to itself.
		if _, err := st.Reclaim(); err != nil {
			fmt.Fprintf(c.stderr, "filmbot reseed: installed, but the old generation's space was not reclaimed: %v\n", err)
		}
	}
	fmt.Fprintln(c.stdout, commands.ReseedSummary(from, res))
	return exitOK
}

// movedArticle says which imported facts importing an article moves to another film:
// an article imported before for one film (same headline) and now for another would
// otherwise take its facts along without a word. It returns "" when none move.
func movedArticle(base, next *seed.Catalog) string {
	now := map[string]string{} // article ID → the film its imported facts are about now
	for _, f := range next.Facts {
		if slices.Contains(f.Tags, seed.ImportTag) {
			now[f.Source] = f.Film
		}
	}
	moved := map[string]int{} // old film → facts leaving it
	var films []string
	for _, f := range base.Facts {
		to, ok := now[f.Source]
		if !ok || f.Film == to || !slices.Contains(f.Tags, seed.ImportTag) {
			continue
		}
		if moved[f.Film] == 0 {
			films = append(films, f.Film)
		}
		moved[f.Film]++
	}
	if len(films) == 0 {
		return ""
	}
	title := func(id string) string {
		for _, fl := range base.Films {
			if fl.ID == id {
				return fl.Title
			}
		}
		return id
	}
	parts := make([]string, len(films))
	for i, id := range films {
		parts[i] = fmt.Sprintf("%d facts from it were imported for %q", moved[id], title(id))
	}
	return "this article was imported before for another film: " + strings.Join(parts, ", ")
}

// reseedMemoryLimit is the soft memory limit of `filmbot reseed` (see runtime/debug).
const reseedMemoryLimit = 300 << 20

// addEmbedded adds the embedded seed's files to files, so a reseed keeps the embedded
// knowledge beside the operator's (references may cross between them).
func addEmbedded(files map[string][]byte) error {
	embedded, err := seed.EmbeddedFiles()
	if err != nil {
		return err
	}
	for name, data := range embedded {
		if _, clash := files[name]; clash {
			return fmt.Errorf("%s is the name of an embedded seed file; rename your copy", name)
		}
		files[name] = data
	}
	return nil
}

// loadWithEmbedded loads the named files together with the embedded seed.
func loadWithEmbedded(names []string) (*seed.Catalog, error) {
	files, probs := (&cli{}).readFiles(names)
	if err := addEmbedded(files); err != nil {
		return nil, err
	}
	cat, err := seed.Load(files)
	if len(probs) > 0 {
		var ps seed.Problems
		errors.As(err, &ps)
		return nil, append(probs, ps...)
	}
	return cat, err
}

// notes tells the operator what loading the seed noticed without refusing it, such as the
// films of a movie data file that have no extract.
func (c *cli) notes(cmd string, cat *seed.Catalog) {
	for _, n := range cat.Notes {
		fmt.Fprintf(c.stderr, "filmbot %s: %s\n", cmd, n)
	}
}

// articleFilm resolves reseed -film as every front end resolves a film name: a film the
// store holds (by ID, title, alias, title with its year, or the start of one title) is
// given to the import by its ID, so the article joins it; a name no film has is kept, and
// the import creates that film. A bare title several films have is refused.
func articleFilm(ctx context.Context, know *knowledge.Service, name string) (string, error) {
	f, err := know.FindFilm(ctx, name)
	var unknown *knowledge.UnknownFilmError
	switch {
	case errors.As(err, &unknown):
		return name, nil
	case err != nil:
		return "", commands.FilmError(err)
	}
	return f.ID, nil
}

// installed returns the store's knowledge, or the embedded seed when the store is empty
// (an article imported into a new store joins what a new store would hold).
func (c *cli) installed(st *store.Store) (*seed.Catalog, error) {
	seeded, err := st.Seeded()
	if err != nil {
		return nil, err
	}
	if !seeded {
		return commands.LoadSeed(nil)
	}
	return st.Knowledge(c.ctx)
}

// outputArgs reads the arguments of a command that writes one file, OUT (backup,
// compact): the flags, OUT and the config. A code of 0 or more is the command's exit code
// (help was shown, or the arguments or the config are wrong); -1 means carry on.
func (c *cli) outputArgs(name string, args []string) (out string, force bool, cfg config.Config, code int) {
	fs, co := c.flags(name)
	fs.BoolVar(&force, "force", false, "replace OUT if it exists")
	if code := c.parse(fs, args); code >= 0 {
		return "", false, cfg, code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(c.stderr, "filmbot %s: name one output file: filmbot %s [-force] OUT\n", name, name)
		return "", false, cfg, exitUsage
	}
	cfg, ok := c.config(co)
	if !ok {
		return "", false, cfg, exitUsage
	}
	out = fs.Arg(0)
	if same(out, cfg.DB) {
		fmt.Fprintf(c.stderr, "filmbot %s: OUT is the store itself; name another file\n", name)
		return "", false, cfg, exitFail
	}
	if _, err := os.Stat(out); err == nil && !force {
		fmt.Fprintf(c.stderr, "filmbot %s: %s already exists; name a new file, or add -force to replace it\n", name, out)
		return "", false, cfg, exitFail
	}
	return out, force, cfg, -1
}

// backupTimeout bounds a backup through the running process.
const backupTimeout = 10 * time.Minute

// backup writes a consistent copy of the store to OUT: directly when the store is free,
// or through the control socket of the `filmbot run` that holds it.
func (c *cli) backup(args []string) int {
	out, _, cfg, code := c.outputArgs("backup", args)
	if code >= 0 {
		return code
	}
	if _, err := os.Stat(cfg.DB); err != nil {
		return c.fail("backup", fmt.Errorf("no store at %s", cfg.DB))
	}
	// The copy goes to OUT.tmp and is renamed over OUT, so -force replaces OUT whole.

	st, err := store.Open(cfg.DB, store.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
	if err == nil {
		n, err := control.WriteFile(out, st.Backup)
		c.closeStore(st)
		if err != nil {
			return c.fail("backup", err)
		}
		fmt.Fprintf(c.stdout, "wrote %d bytes to %s\n", n, out)
		return exitOK
	}
	if !errors.Is(err, store.ErrLocked) {
		return c.fail("backup", storeError(cfg.DB, err))
	}
	ctx, cancel := context.WithTimeout(c.ctx, backupTimeout)
	defer cancel()
	n, err := control.Backup(ctx, control.SocketPath(cfg.DB), out)
	if errors.Is(err, control.ErrNoServer) {
		return c.fail("backup", fmt.Errorf("%s is locked by a process that offers no backup socket (%s); stop it and try again",
			cfg.DB, control.SocketPath(cfg.DB)))
	}
	if err != nil {
		return c.fail("backup", err)
	}
	fmt.Fprintf(c.stdout, "wrote %d bytes to %s (through the running filmbot)\n", n, out)
	return exitOK
}

// compact writes a compacted copy of the store to OUT: only live data, pages packed. The
// operator swaps it in while the bot is stopped.
func (c *cli) compact(args []string) int {
	out, force, cfg, code := c.outputArgs("compact", args)
	if code >= 0 {
		return code
	}
	before, err := os.Stat(cfg.DB)
	if err != nil {
		return c.fail("compact", fmt.Errorf("no store at %s", cfg.DB))
	}
	st, err := store.Open(cfg.DB, store.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
	if err != nil {
		return c.fail("compact", storeError(cfg.DB, err))
	}
	// Into OUT.tmp, then renamed over OUT: with -force an existing OUT is replaced whole,
	// and a failure leaves it as it was.
	tmp := out + ".tmp"
	if force {
		os.Remove(tmp)
	}
	err = st.Compact(tmp)
	c.closeStore(st)
	if err == nil {
		err = os.Rename(tmp, out)
	}
	if err != nil {
		os.Remove(tmp)
		return c.fail("compact", err)
	}
	after, err := os.Stat(out)
	if err != nil {
		return c.fail("compact", err)
	}
	fmt.Fprintf(c.stdout, "wrote %s: %d bytes (the store is %d); stop filmbot, then move it over %s\n",
		out, after.Size(), before.Size(), cfg.DB)
	return exitOK
}

// same reports whether a and b name the same existing file.
func same(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(fa, fb)
	}
	aa, _ := filepath.Abs(a)
	ab, _ := filepath.Abs(b)
	return aa == ab
}

// version prints the module version and VCS revision the binary was built from, and the
// Go toolchain.
func (c *cli) version(args []string) int {
	fs, _ := c.flags("version")
	if code := c.parse(fs, args); code >= 0 {
		return code
	}
	v := "(unknown)"
	var rev, at string
	modified := false
	if info, ok := debug.ReadBuildInfo(); ok {
		v = info.Main.Version
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	line := "filmbot " + v
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if modified {
			rev += "+modified"
		}
		line += " " + rev
		if at != "" {
			line += " " + at
		}
	}
	fmt.Fprintf(c.stdout, "%s %s %s/%s\n", line, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}

// publishKnowledge stores cat in PostgreSQL as the newest knowledge generation, so that
// every process of the bot installs it.
func publishKnowledge(ctx context.Context, cfg config.Config, cat *seed.Catalog) error {
	pg, err := pgstore.Open(ctx, cfg.DatabaseURL, pgstore.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	defer pg.Close()
	ks, err := pg.Knowledge(cfg.DB+".pggen", nil, nil)
	if err != nil {
		return err
	}
	return ks.Publish(ctx, cat)
}
