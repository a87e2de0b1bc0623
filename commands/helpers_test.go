package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"filmbot/seed"
	"filmbot/store"
	"filmbot/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const (
	ownerID   = "80351110224678912"
	homeGuild = "41771983423143937"
	otherID   = "80351110224678913"
	kimID     = "comrade-kim-goes-flying"
)

// embedded returns the embedded seed, failing the test when it does not load.
func embedded(tb testing.TB) *seed.Catalog {
	tb.Helper()
	cat, err := seed.Default()
	if err != nil {
		tb.Fatalf("embedded seed: %v", err)
	}
	return cat
}

// syncBuffer is a log sink that tests may read while handlers write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// fixture is a Set over a real store seeded with the embedded data, with its log.
type fixture struct {
	set   *Set
	store *store.Store
	log   *syncBuffer
}

func newFixture(tb testing.TB, cat *seed.Catalog, edit func(*Deps)) *fixture {
	tb.Helper()
	if cat == nil {
		cat = embedded(tb)
	}
	st := storetest.Open(tb, cat)
	log := &syncBuffer{}
	deps := Deps{
		Store:     st,
		Logger:    slog.New(slog.NewTextHandler(log, nil)),
		Owners:    []string{ownerID},
		HomeGuild: homeGuild,
	}
	if edit != nil {
		edit(&deps)
	}
	return &fixture{set: New(deps), store: st, log: log}
}

func (f *fixture) handle(req *Request) Response {
	return f.set.Handle(context.Background(), req)
}

func command(name string, opts map[string]string) *Request {
	req := &Request{Kind: KindCommand, Name: name, User: User{ID: otherID, Name: "someone"}, GuildID: homeGuild, ChannelID: "1"}
	if len(opts) > 0 {
		req.Options = map[string]Option{}
		for k, v := range opts {
			req.Options[k] = Option{Type: discordgo.ApplicationCommandOptionString, Value: v}
		}
	}
	return req
}

func autocomplete(name, option, typed string) *Request {
	req := command(name, map[string]string{option: typed})
	req.Kind = KindAutocomplete
	req.Focused = option
	return req
}

func isEphemeral(r Response) bool {
	return r.Data != nil && r.Data.Flags&discordgo.MessageFlagsEphemeral != 0
}

// golden compares got, as indented JSON, with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(b)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}
