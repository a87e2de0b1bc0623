package commands

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/knowledge"
	"filmbot/seed"
	"filmbot/store"
)

// alreadyRunning is the reply to a second /reseed while one is running.
const alreadyRunning = "A reseed is already running; try again when it has finished."

// progressRecords is the size from which a reseed reports progress: smaller seeds finish
// before anyone could read a progress line.
const progressRecords = 5000

var (
	noPermissions int64 = 0
	notInDMs            = false
)

var reseedDef = &discordgo.ApplicationCommand{
	Name:        "reseed",
	Description: "Owner only: rebuild the knowledge from the embedded seed or an attached seed file.",
	// Hidden from everyone but administrators; the handler checks the owner list anyway,
	// because server admins can re-grant the command to anyone.
	DefaultMemberPermissions: &noPermissions,
	DMPermission:             &notInDMs,
	Options: []*discordgo.ApplicationCommandOption{{
		Type:        discordgo.ApplicationCommandOptionAttachment,
		Name:        "file",
		Description: "A seed (.toml), Red trivia list (.yaml) or Wikipedia movie data (.json); none: the embedded seed",
	}},
}

// LoadSeed builds the catalog a reseed installs: the embedded seed when files is empty,
// else the files parsed and validated together (TOML seeds, or Red trivia YAML by
// extension). Problems come back as seed.Problems, one "file:line: message" each.
func LoadSeed(files map[string][]byte) (*seed.Catalog, error) {
	if len(files) == 0 {
		return seed.Default()
	}
	return seed.Load(files)
}

// ReseedSummary describes a finished reseed in one line, for /reseed and the CLI.
func ReseedSummary(from string, res store.ReseedResult) string {
	return fmt.Sprintf("Reseeded from %s in %s: %s (generation %d). Scores are kept.",
		from, Elapsed(res.Duration), CountsText(res.Counts), res.Generation)
}

// Elapsed renders how long something took with the precision a person wants: "340µs",
// "12ms", "1.25s", "2m5s". Rounding to a fixed unit would call a fast reseed "0s".
func Elapsed(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// CountsText renders counts as "1 article, 1 film, 3 people, 40 facts, 12 questions".
func CountsText(c seed.Counts) string {
	return strings.Join([]string{
		plural(c.Articles, "article", "articles"),
		plural(c.Films, "film", "films"),
		plural(c.People, "person", "people"),
		plural(c.Facts, "fact", "facts"),
		plural(c.Questions, "quiz question", "quiz questions"),
	}, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// ProblemLines renders a seed error as at most max characters of "file:line: message"
// lines, ending with how many were left out.
func ProblemLines(err error, max int) string {
	var ps seed.Problems
	if !errors.As(err, &ps) {
		return Truncate(err.Error(), max)
	}
	var b strings.Builder
	for i, p := range ps {
		line := p.String()
		more := fmt.Sprintf("… and %d more", len(ps)-i)
		if b.Len()+len(line)+1+len(more) > max && i > 0 {
			b.WriteString(more)
			return b.String()
		}
		b.WriteString(Truncate(line, max-len(more)-1))
		if i < len(ps)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// reseedCmd answers /reseed: owners only, in the home guild only. It defers (the download
// and the reseed can take longer than Discord's 3 seconds) and does the work in Then:
// download, validate, install, report.
func (s *Set) reseedCmd(ctx context.Context, req *Request) (Response, error) {
	if !s.isOwner(req.User.ID) || s.deps.HomeGuild == "" || req.GuildID != s.deps.HomeGuild {
		return Response{}, Userf("Only the bot's owner can reseed, and only in its home server. Nothing was changed.")
	}
	if s.know.Reseeding() {
		return Response{}, &UserError{Msg: alreadyRunning}
	}
	att, hasFile := req.Attachments["file"]
	if hasFile {
		ext := strings.ToLower(filepath.Ext(att.Filename))
		switch {
		case ext != ".toml" && ext != ".yaml" && ext != ".yml" && ext != ".json":
			return Response{}, Userf("%s is not a seed file: attach a .toml seed, a .yaml trivia list or a .json movie data file.", Truncate(att.Filename, 100))
		case int64(att.Size) > s.deps.MaxSeedBytes:
			return Response{}, Userf("%s is %s; the limit is %s.", Truncate(att.Filename, 100), byteSize(int64(att.Size)), byteSize(s.deps.MaxSeedBytes))
		case s.deps.Fetch == nil:
			return Response{}, Userf("This bot cannot download attachments; reseed from the command line instead.")
		}
	}
	then := func(ctx context.Context, progress func(string)) *discordgo.InteractionResponseData {
		text, err := s.reseedWork(ctx, att, hasFile, progress)
		if err != nil {
			return s.internal(req, err, nil).Data
		}
		return &discordgo.InteractionResponseData{Content: text, Flags: discordgo.MessageFlagsEphemeral}
	}
	return Response{
		InteractionResponse: &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
		},
		Then: then,
	}, nil
}

// reseedWork downloads, validates and installs, holding the reseed lock throughout so a
// second /reseed is refused while the first is still downloading. It returns the text to
// show the owner, or an error only for failures that are not theirs to fix.
func (s *Set) reseedWork(ctx context.Context, att Attachment, hasFile bool, progress func(string)) (string, error) {
	rs, ok := s.know.BeginReseed()
	if !ok {
		return alreadyRunning, nil
	}
	defer rs.End()
	from := "the embedded seed"
	files := map[string][]byte{}
	if hasFile {
		from = att.Filename
		fctx, cancel := context.WithTimeout(ctx, s.deps.FetchTimeout)
		data, err := s.deps.Fetch(fctx, att.URL, s.deps.MaxSeedBytes)
		cancel()
		if err != nil {
			s.log.Warn("reseed download failed", "file", att.Filename, "err", trimURL(err))
			if errors.Is(err, context.DeadlineExceeded) {
				return fmt.Sprintf("Downloading %s took longer than %s; nothing was changed.", att.Filename, s.deps.FetchTimeout), nil
			}
			return fmt.Sprintf("Could not download %s (%s); nothing was changed.", att.Filename, trimURL(err)), nil
		}
		files[att.Filename] = data
	}
	cat, err := LoadSeed(files)
	if err != nil {
		head := fmt.Sprintf("%s has problems; nothing was changed:\n", from)
		return head + "```\n" + ProblemLines(err, MaxContent-len(head)-10) + "\n```", nil
	}
	text, err := s.installReport(ctx, rs, from, cat, progress)
	if err == nil && len(cat.Notes) > 0 {
		// What imported data lacked, counted: worth a glance, never a failure.
		text = Truncate(text+"\n"+strings.Join(cat.Notes, "\n"), MaxContent)
	}
	return text, err
}

// installReport installs a validated catalog (the reseed lock held) and describes the
// result; seeds big enough to take a while report progress at each quarter.
func (s *Set) installReport(ctx context.Context, rs *knowledge.Reseeder, from string, cat *seed.Catalog, progress func(string)) (string, error) {
	c := cat.Counts()
	records := c.Articles + c.Films + c.People + c.Facts + c.Questions
	var report func(done, total int)
	if records >= progressRecords && progress != nil {
		progress(fmt.Sprintf("%s is valid (%s); installing…", from, CountsText(c)))
		next := 1
		report = func(done, total int) {
			for total > 0 && next < 4 && done*4 >= total*next {
				progress(fmt.Sprintf("Installing: %d%%", next*25))
				next++
			}
		}
	}
	res, err := rs.Install(ctx, cat, report)
	if err != nil {
		return "", fmt.Errorf("reseed from %s: %w", from, err)
	}
	s.log.Info("reseeded", "from", from, "generation", res.Generation, "films", res.Films, "facts", res.Facts, "duration", res.Duration)
	return ReseedSummary(from, res), nil
}

func (s *Set) isOwner(id string) bool {
	return id != "" && slices.Contains(s.deps.Owners, id)
}

// trimURL keeps a download error short: attachment URLs carry long signed queries that
// help nobody reading the reply.
func trimURL(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "?"); i >= 0 {
		if j := strings.IndexAny(msg[i:], " \"'"); j >= 0 {
			return msg[:i] + msg[i+j:]
		}
		return msg[:i]
	}
	return msg
}

// byteSize renders a size for people: "1 MiB", "512 KiB", "700 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
