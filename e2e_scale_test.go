package main

// Two `filmbot run` processes as one bot: shard 0 and shard 1 of 2, one fake Discord, one
// PostgreSQL for the per-guild data, each with its own store file for the knowledge.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"filmbot/bot/fakediscord"
	"filmbot/internal/pgtest"
	"filmbot/pgstore"
)

// watchedLog is a process's output that can be waited on for a line.
type watchedLog struct {
	mu      sync.Mutex
	b       strings.Builder
	changed chan struct{}
}

func newWatchedLog() *watchedLog { return &watchedLog{changed: make(chan struct{})} }

func (l *watchedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	close(l.changed)
	l.changed = make(chan struct{})
	return l.b.Write(p)
}

func (l *watchedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor waits until the output holds text; the bound only turns a hang into a failure.
func (l *watchedLog) waitFor(tb testing.TB, text string) {
	tb.Helper()
	t := time.NewTimer(30 * time.Second)
	defer t.Stop()
	for {
		l.mu.Lock()
		ch, has := l.changed, strings.Contains(l.b.String(), text)
		l.mu.Unlock()
		if has {
			return
		}
		select {
		case <-ch:
		case <-t.C:
			tb.Fatalf("no %q in the output after 30 s:\n%s", text, l.String())
		}
	}
}

// shardProcess is one `filmbot run` with its shards.
type shardProcess struct {
	cmd  *exec.Cmd
	log  *watchedLog
	done chan struct{}
}

func startShardProcess(t *testing.T, fake *fakediscord.Server, db, url, shards string) *shardProcess {
	t.Helper()
	cfg := fmt.Sprintf("shard-count = 2\nshards = %q\nlog-level = \"info\"\n", shards)
	cmd := botCommand(t, fake, db, cfg, "FILMBOT_DATABASE_URL="+url, "FILMBOT_CONFIG=")
	p := &shardProcess{cmd: cmd, log: newWatchedLog(), done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.log, p.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-p.done
		}
	})
	p.log.waitFor(t, `msg=connected`)
	return p
}

// guildOn returns a guild ID on shard of 2.
func guildOn(shard int) string { return strconv.FormatUint(uint64(2000+shard)<<22, 10) }

// in builds an interaction in channel.
func in(i fakediscord.Interaction, channel string) fakediscord.Interaction {
	i["channel_id"] = channel
	return i
}

func interact(t *testing.T, fake *fakediscord.Server, i fakediscord.Interaction) *fakediscord.ResponseData {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cb, err := fake.Interact(ctx, i)
	if err != nil {
		t.Fatal(err)
	}
	return cb.Response.Data
}

// question starts a one-question game in channel of guild and returns the first answer
// button of the question the bot posts there.
func question(t *testing.T, fake *fakediscord.Server, guild, channel, user string) string {
	t.Helper()
	resp := interact(t, fake, in(fake.Command(fakediscord.Who{User: user, Guild: guild}, "trivia",
		fakediscord.Sub("start", fakediscord.Int("questions", 1), fakediscord.Int("seconds", 60))), channel))
	if resp == nil || resp.Ephemeral() {
		t.Fatalf("/trivia start in %s refused: %+v", guild, resp)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for n := 0; ; n++ {
		call, err := fake.WaitCall(ctx, "POST", "/api/v9/channels/"+channel+"/messages", n)
		if err != nil {
			t.Fatalf("no question posted in %s: %v", channel, err)
		}
		d, err := fakediscord.DecodeData(call.Body)
		if err != nil {
			t.Fatal(err)
		}
		if bs := d.Buttons(); len(bs) > 0 {
			return bs[0].CustomID
		}
	}
}

// TestTwoProcesses runs shard 0 and shard 1 of one bot as two processes: games in guilds
// of both shards, a global leaderboard from either that shows both, a /reseed in one that
// reaches the other, and a SIGKILL mid-game whose acknowledged answer stays in
// PostgreSQL and whose restart closes the interrupted game.
func TestTwoProcesses(t *testing.T) {
	t.Parallel()
	url := pgtest.DB(t)
	fake := newFake(t, fakediscord.Options{ShardCount: 2, HeartbeatInterval: time.Second})
	dir := t.TempDir()
	a := startShardProcess(t, fake, filepath.Join(dir, "a.db"), url, "0")
	b := startShardProcess(t, fake, filepath.Join(dir, "b.db"), url, "1")

	g0, g1 := guildOn(0), guildOn(1)
	const ch0, ch1 = "300000000000000010", "300000000000000011"
	const ann, bob = "400000000000000021", "400000000000000022"
	for _, game := range []struct{ guild, channel, user string }{{g0, ch0, ann}, {g1, ch1, bob}} {
		button := question(t, fake, game.guild, game.channel, game.user)
		who := fakediscord.Who{User: game.user, Guild: game.guild}
		resp := interact(t, fake, in(fake.Button(who, button), game.channel))
		if resp != nil && strings.HasPrefix(resp.CustomID, "trivia:modal") {
			// A question to type the answer to: the button opened its form.
			resp = interact(t, fake, in(fake.Modal(who, resp.CustomID, map[string]string{"answer": "a guess"}), game.channel))
		}
		if resp == nil || !strings.HasPrefix(resp.Text(), "Locked in") {
			t.Fatalf("answer in %s not locked in: %+v", game.guild, resp)
		}
	}
	for _, g := range []string{g0, g1} {
		resp := interact(t, fake, fake.Command(fakediscord.Who{User: ann, Guild: g}, "leaderboard", fakediscord.Str("scope", "global")))
		if text := resp.Text(); !strings.Contains(text, "<@"+ann+">") || !strings.Contains(text, "<@"+bob+">") {
			t.Errorf("global leaderboard from the process of %s does not show both players:\n%s", g, text)
		}
	}

	// A reseed through shard 0 (the home guild's) reaches the process of shard 1.
	data, err := os.ReadFile("trivia/testdata/quiz.toml")
	if err != nil {
		t.Fatal(err)
	}
	reseed := fake.Attach(fake.Command(fakediscord.Who{User: e2eOwner, Guild: e2eHome, Permissions: "8"}, "reseed"),
		"file", "quiz.toml", data)
	if fake.ShardOf(e2eHome) != 0 {
		t.Fatalf("the home guild is on shard %d; this test expects 0", fake.ShardOf(e2eHome))
	}
	interact(t, fake, reseed)
	a.log.waitFor(t, "knowledge published")
	b.log.waitFor(t, "knowledge installed from another process")
	film := interact(t, fake, fake.Command(fakediscord.Who{User: bob, Guild: g1}, "film", fakediscord.Str("title", "harbour")))
	if film == nil || film.Ephemeral() {
		t.Errorf("/film harbour on shard 1 after the reseed through shard 0: %+v", film)
	}

	// SIGKILL shard 1's process mid-game: bob's acknowledged answer is in PostgreSQL, and
	// the restart closes its interrupted game but not shard 0's running one.
	b.cmd.Process.Signal(syscall.SIGKILL)
	<-b.done
	pg, err := pgstore.Open(context.Background(), url, pgstore.Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if sc, err := pg.Score(g1, bob); err != nil || sc.Answered != 1 {
		t.Errorf("bob's score after the kill = %+v, %v; want his 1 acknowledged answer", sc, err)
	}
	startShardProcess(t, fake, filepath.Join(dir, "b.db"), url, "1")
	games, err := pg.Games()
	if err != nil {
		t.Fatal(err)
	}
	var channels []string
	for _, g := range games {
		channels = append(channels, g.Channel)
	}
	if len(channels) != 1 || channels[0] != ch0 {
		t.Errorf("games running after shard 1's restart: %v; want only shard 0's in %s", channels, ch0)
	}
	edits := fake.CallsTo("PATCH", "/api/v9/channels/"+ch1+"/messages/{message}")
	interrupted := false
	for _, e := range edits {
		var m struct{ Content string }
		json.Unmarshal(e.Body, &m)
		interrupted = interrupted || strings.Contains(m.Content, "interrupted")
	}
	if !interrupted {
		t.Errorf("the restarted process did not mark the interrupted game's message (%d edits)", len(edits))
	}
}
