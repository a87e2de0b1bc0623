package commands

import (
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/internal/catalogtest"
	"filmbot/store"
)

// fakeFetch serves attachment bodies by URL.
type fakeFetch struct {
	mu    sync.Mutex
	files map[string][]byte
	urls  []string
	// block, when set, is waited on before answering.
	block chan struct{}
}

func (ff *fakeFetch) fetch(ctx context.Context, url string, max int64) ([]byte, error) {
	ff.mu.Lock()
	ff.urls = append(ff.urls, url)
	block := ff.block
	ff.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	b, ok := ff.files[url]
	if !ok {
		return nil, errors.New("404 Not Found")
	}
	if int64(len(b)) > max {
		return nil, errors.New("too big")
	}
	return b, nil
}

func reseedReq(user, guild string, file *Attachment) *Request {
	req := command("reseed", nil)
	req.User = User{ID: user}
	req.GuildID = guild
	if file != nil {
		req.Attachments = map[string]Attachment{"file": *file}
		req.Options = map[string]Option{"file": {Type: discordgo.ApplicationCommandOptionAttachment, Value: file.ID}}
	}
	return req
}

// runThen sends nothing anywhere: it runs a deferred reply's slow work the way the bot
// does and returns the final data and the progress lines.
func runThen(t *testing.T, r Response) (*discordgo.InteractionResponseData, []string) {
	t.Helper()
	if r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || !isEphemeral(r) || r.Then == nil {
		t.Fatalf("reply type %v ephemeral %v then %v, want an ephemeral deferral with slow work (content %q)",
			r.Type, isEphemeral(r), r.Then != nil, r.Data.Content)
	}
	var progress []string
	d := r.Then(context.Background(), func(s string) { progress = append(progress, s) })
	if d.AllowedMentions == nil || d.AllowedMentions.Parse == nil || len(d.AllowedMentions.Parse) != 0 {
		t.Errorf("final reply allowed mentions = %+v, want an empty parse list", d.AllowedMentions)
	}
	return d, progress
}

func generation(t *testing.T, st *store.Store) uint64 {
	t.Helper()
	g, err := st.Generation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestReseed_Refused(t *testing.T) {
	ff := &fakeFetch{files: map[string][]byte{}}
	f := newFixture(t, nil, func(d *Deps) { d.Fetch = ff.fetch })
	before := generation(t, f.store)
	file := &Attachment{ID: "9", Filename: "x.toml", URL: "https://cdn.test/x.toml", Size: 10}
	tests := []struct {
		name string
		req  *Request
	}{
		{"not an owner, home guild", reseedReq(otherID, homeGuild, nil)},
		{"not an owner, with a file", reseedReq(otherID, homeGuild, file)},
		{"owner, other guild", reseedReq(ownerID, "41771983423143938", nil)},
		{"owner, DM", reseedReq(ownerID, "", nil)},
		{"admin permissions do not help", func() *Request {
			r := reseedReq(otherID, homeGuild, nil)
			r.Permissions = discordgo.PermissionAdministrator
			return r
		}()},
		{"owner, wrong file type", reseedReq(ownerID, homeGuild, &Attachment{Filename: "seed.exe", URL: "u", Size: 10})},
		{"owner, file too big", reseedReq(ownerID, homeGuild, &Attachment{Filename: "big.toml", URL: "u", Size: 2 << 20})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.handle(tt.req)
			if r.Type != discordgo.InteractionResponseChannelMessageWithSource || !isEphemeral(r) || r.Then != nil {
				t.Errorf("reply type %v ephemeral %v, want an immediate ephemeral refusal", r.Type, isEphemeral(r))
			}
		})
	}
	if after := generation(t, f.store); after != before {
		t.Errorf("generation moved from %d to %d: a refused reseed changed the store", before, after)
	}
	if len(ff.urls) != 0 {
		t.Errorf("refused reseeds downloaded %v", ff.urls)
	}
	// No home guild configured: nobody can reseed.
	f2 := newFixture(t, nil, func(d *Deps) { d.HomeGuild = "" })
	if r := f2.handle(reseedReq(ownerID, "", nil)); !isEphemeral(r) || r.Then != nil {
		t.Errorf("reseed without a home guild was not refused")
	}
}

func TestReseed_Embedded(t *testing.T) {
	f := newFixture(t, catalogtest.Generate(20, 1), nil)
	before := generation(t, f.store)
	d, _ := runThen(t, f.handle(reseedReq(ownerID, homeGuild, nil)))
	if !strings.HasPrefix(d.Content, "Reseeded from the embedded seed") {
		t.Errorf("result = %q", d.Content)
	}
	if after := generation(t, f.store); after != before+1 {
		t.Errorf("generation %d → %d, want one step", before, after)
	}
	want := embedded(t).Counts()
	if got, _ := f.store.Counts(); got != want {
		t.Errorf("store holds %+v, want the embedded seed's %+v", got, want)
	}
	// The answer cache follows the reseed: /film finds a film of the new knowledge.
	if r := f.handle(command("film", map[string]string{"title": "Comrade Kim Goes Flying"})); len(r.Data.Embeds) != 1 {
		t.Errorf("after reseed, /film = %q", r.Data.Content)
	}
}

func TestReseed_Attachment(t *testing.T) {
	small, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	bad := []byte("[[film]]\nid = \"x\"\ntitel = \"y\"\n")
	ff := &fakeFetch{files: map[string][]byte{
		"https://cdn.test/small.toml": small,
		"https://cdn.test/bad.toml":   bad,
	}}
	f := newFixture(t, nil, func(d *Deps) { d.Fetch = ff.fetch })

	// Scores live beside the knowledge and survive it.
	log := store.NewAnswerLog(f.store)
	ans := store.Answer{Guild: homeGuild, Game: "g1", QuestionID: "q1", User: otherID, Correct: true, Points: 10, At: time.Unix(1700000000, 0)}
	if err := log.Record(ans); err != nil {
		t.Fatal(err)
	}

	t.Run("bad file", func(t *testing.T) {
		before := generation(t, f.store)
		d, _ := runThen(t, f.handle(reseedReq(ownerID, homeGuild, &Attachment{Filename: "bad.toml", URL: "https://cdn.test/bad.toml", Size: len(bad)})))
		if !regexp.MustCompile(`(?m)^bad\.toml:3: `).MatchString(d.Content) {
			t.Errorf("result = %q, want file:line problems", d.Content)
		}
		if after := generation(t, f.store); after != before {
			t.Errorf("a bad file changed the store (generation %d → %d)", before, after)
		}
	})
	t.Run("download fails", func(t *testing.T) {
		before := generation(t, f.store)
		d, _ := runThen(t, f.handle(reseedReq(ownerID, homeGuild, &Attachment{Filename: "gone.toml", URL: "https://cdn.test/gone.toml?sig=secret", Size: 10})))
		if !strings.Contains(d.Content, "nothing was changed") || strings.Contains(d.Content, "secret") {
			t.Errorf("result = %q", d.Content)
		}
		if after := generation(t, f.store); after != before {
			t.Errorf("a failed download changed the store")
		}
	})
	t.Run("good file", func(t *testing.T) {
		before := generation(t, f.store)
		d, _ := runThen(t, f.handle(reseedReq(ownerID, homeGuild, &Attachment{Filename: "small.toml", URL: "https://cdn.test/small.toml", Size: len(small)})))
		if !strings.HasPrefix(d.Content, "Reseeded from small.toml") || !strings.Contains(d.Content, "1 film, 1 person, 2 facts") {
			t.Errorf("result = %q", d.Content)
		}
		if after := generation(t, f.store); after != before+1 {
			t.Errorf("generation %d → %d, want one step", before, after)
		}
		if r := f.handle(command("film", map[string]string{"title": "The Small Film"})); len(r.Data.Embeds) != 1 {
			t.Errorf("the new film is not there: %q", r.Data.Content)
		}
		if r := f.handle(command("film", map[string]string{"title": "Comrade Kim Goes Flying"})); len(r.Data.Embeds) != 0 {
			t.Errorf("the old film is still there after a reseed that replaced it")
		}
		sc, err := f.store.Score(homeGuild, otherID)
		if err != nil || sc.Points != 10 {
			t.Errorf("score after reseed = %+v, %v; want the 10 points kept", sc, err)
		}
	})
}

// One reseed at a time: a second /reseed while the first is downloading is refused, and
// the store sees exactly one reseed.
func TestReseed_Serialized(t *testing.T) {
	small, _ := os.ReadFile("testdata/small.toml")
	ff := &fakeFetch{files: map[string][]byte{"u": small}, block: make(chan struct{})}
	f := newFixture(t, nil, func(d *Deps) { d.Fetch = ff.fetch })
	before := generation(t, f.store)

	first := f.handle(reseedReq(ownerID, homeGuild, &Attachment{Filename: "small.toml", URL: "u", Size: len(small)}))
	done := make(chan *discordgo.InteractionResponseData)
	go func() {
		d := first.Then(context.Background(), func(string) {})
		done <- d
	}()
	// Wait until the first reseed holds the lock and is downloading.
	for {
		ff.mu.Lock()
		n := len(ff.urls)
		ff.mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	// The download runs inside the lock only once Then has started; take the lock path
	// directly to be sure the second request sees it.
	second := f.handle(reseedReq(ownerID, homeGuild, nil))
	var secondText string
	if second.Then != nil {
		d, _ := runThen(t, second)
		secondText = d.Content
	} else {
		secondText = second.Data.Content
	}
	if !strings.Contains(secondText, "already running") {
		t.Errorf("second reseed = %q, want it refused as already running", secondText)
	}
	close(ff.block)
	d := <-done
	if !strings.HasPrefix(d.Content, "Reseeded from small.toml") {
		t.Errorf("first reseed = %q", d.Content)
	}
	if after := generation(t, f.store); after != before+1 {
		t.Errorf("generation %d → %d, want exactly one reseed", before, after)
	}
}

func TestReseed_Progress(t *testing.T) {
	f := newFixture(t, nil, nil)
	cat := catalogtest.Generate(3000, 2)
	var lines []string
	s := f.set
	// Big catalogs report progress through the same path /reseed uses.
	c := cat.Counts()
	if c.Films+c.Facts+c.People+c.Questions+c.Articles < progressRecords {
		t.Fatalf("test catalog too small for progress: %+v", c)
	}
	rs, ok := s.know.BeginReseed()
	if !ok {
		t.Fatal("reseed lock taken")
	}
	text, err := s.installReport(context.Background(), rs, "gen", cat, func(m string) { lines = append(lines, m) })
	rs.End()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, "Reseeded from gen") {
		t.Errorf("result = %q", text)
	}
	if len(lines) < 2 || !strings.Contains(lines[0], "installing") {
		t.Errorf("progress = %q, want a validation line then percentages", lines)
	}
}

// A reseed that takes less than a millisecond is not reported as taking no time.
func TestReseedSummary_Duration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{340 * time.Microsecond, " in 340µs: "},
		{12*time.Millisecond + 400*time.Microsecond, " in 12ms: "},
		{1254 * time.Millisecond, " in 1.25s: "},
		{125 * time.Second, " in 2m5s: "},
	}
	for _, tt := range tests {
		got := ReseedSummary("x.toml", store.ReseedResult{Duration: tt.d, Generation: 2})
		if !strings.Contains(got, tt.want) {
			t.Errorf("ReseedSummary after %v = %q, want it to say%q", tt.d, got, tt.want)
		}
	}
}
