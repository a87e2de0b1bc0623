package trivia

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/commands"
	"filmbot/internal/catalogtest"
	"filmbot/internal/crashtest"
	"filmbot/store"
	"filmbot/store/storetest"
)

// The crash test runs this test binary again as a child that plays trivia games, and
// kills it with SIGKILL at random moments. These variables pass the child its files.
const (
	envCrashDB  = "FILMBOT_TRIVIA_CRASH_DB"
	envCrashAck = "FILMBOT_TRIVIA_CRASH_ACKS"
	// crashPlaying is the line the child prints once its players are about to start.
	crashPlaying = "playing"
)

func TestMain(m *testing.M) {
	if db := os.Getenv(envCrashDB); db != "" {
		if err := crashChild(db, os.Getenv(envCrashAck)); err != nil {
			fmt.Fprintln(os.Stderr, "crash child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Where the child plays: two guilds, two channels each.
var crashChannels = []struct{ guild, channel string }{
	{"g1", "c1"}, {"g1", "c2"}, {"g2", "c3"}, {"g2", "c4"},
}

// silentMessenger accepts every message and forgets it.
type silentMessenger struct {
	mu sync.Mutex
	n  int
}

func (m *silentMessenger) Send(context.Context, string, *discordgo.MessageSend) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n++
	return strconv.Itoa(m.n), nil
}

func (m *silentMessenger) Edit(context.Context, string, string, *discordgo.MessageEdit) error {
	return nil
}

// crashChild plays games until it is killed. It first restores (closes) the games the
// previous child left, as the bot does at start. Each acknowledged answer is appended to
// the ack log as "game question user" and fsynced before the next answer.
func crashChild(dbPath, ackPath string) error {
	st, err := store.Open(dbPath, store.Options{Timeout: 10 * time.Second})
	if err != nil {
		return err
	}
	acks, err := os.OpenFile(ackPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	e := New(Deps{
		Store: st, Messenger: &silentMessenger{},
		Timing: &Timing{Lead: 5 * time.Millisecond, Between: 5 * time.Millisecond, Early: time.Millisecond, Question: 100 * time.Millisecond},
	})
	set := commands.New(commands.Deps{Store: st})
	e.Register(set)
	if _, err := e.Restore(context.Background()); err != nil {
		return err
	}

	var ackMu sync.Mutex
	logAck := func(game string, q int, user string) error {
		ackMu.Lock()
		defer ackMu.Unlock()
		if _, err := fmt.Fprintf(acks, "%s %d %s\n", game, q, user); err != nil {
			return err
		}
		return acks.Sync()
	}

	errc := make(chan error, 64)
	fmt.Println(crashPlaying)
	for _, c := range crashChannels {
		for p := range 6 {
			go func() {
				errc <- crashPlayer(context.Background(), set, e, c.guild, c.channel, fmt.Sprintf("%s-p%d", c.guild, p), logAck)
			}()
		}
	}
	return <-errc
}

// crashPlayer keeps answering the open question in its channel, starting games as
// needed, until ctx ends. logAck is called for each acknowledged answer.
func crashPlayer(ctx context.Context, set *commands.Set, e *Engine, guild, channel, user string, logAck func(string, int, string) error) error {
	r := rand.New(rand.NewPCG(rand.Uint64(), 0))
	last := ""
	for ctx.Err() == nil {
		g := e.game(channel)
		if g == nil {
			set.Handle(ctx, &commands.Request{
				Kind: commands.KindCommand, Name: "trivia", Subcommand: "start", GuildID: guild, ChannelID: channel,
				User: commands.User{ID: user}, Options: map[string]commands.Option{"questions": {Value: float64(50)}},
			})
			time.Sleep(time.Millisecond)
			continue
		}
		g.mu.Lock()
		id, q, open := g.rec.ID, g.cur, g.phase == phaseAsking
		var rd round
		if open {
			rd = g.rounds[q]
		}
		g.mu.Unlock()
		key := id + "/" + strconv.Itoa(q)
		if !open || key == last {
			time.Sleep(time.Millisecond)
			continue
		}
		last = key
		req := &commands.Request{GuildID: guild, ChannelID: channel, User: commands.User{ID: user}}
		if len(rd.choices) == 0 {
			req.Kind, req.CustomID = commands.KindModal, modalID(id, q)
			req.Values = map[string]string{"answer": []string{rd.q.Answer, "no idea"}[r.IntN(2)]}
		} else {
			req.Kind, req.CustomID = commands.KindComponent, answerID(id, q, r.IntN(len(rd.choices)))
		}
		resp := set.Handle(ctx, req)
		if strings.HasPrefix(resp.Data.Content, "Locked in") {
			if err := logAck(id, q, user); err != nil {
				return err
			}
		}
	}
	return nil
}

// ackedAnswer is one line of the ack log.
type ackedAnswer struct {
	game string
	q    int
	user string
}

// readAcks reads the ack log, ignoring a last line the kill cut short.
func readAcks(t *testing.T, path string) []ackedAnswer {
	t.Helper()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []ackedAnswer
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	complete := strings.HasSuffix(string(data), "\n")
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if !complete && len(lines) > 0 {
		lines = lines[:len(lines)-1]
	}
	for _, l := range lines {
		var a ackedAnswer
		if _, err := fmt.Sscanf(l, "%s %d %s", &a.game, &a.q, &a.user); err != nil {
			t.Fatalf("ack log line %q: %v", l, err)
		}
		out = append(out, a)
	}
	return out
}

// checkCrashStore opens the store a killed child left and checks that it is consistent,
// that every acknowledged answer is stored, and that every score equals the sum of the
// stored answers behind it; together these say the stored points are those of the
// acknowledged answers plus, at most, answers whose commit finished but whose
// acknowledgement the kill cut off. It returns how many answers are stored.
func checkCrashStore(t *testing.T, dbPath, ackPath string) int {
	t.Helper()
	st, err := store.Open(dbPath, store.Options{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("open after kill: %v", err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatalf("consistency check after kill: %v", err)
	}
	stored, err := st.Answers("")
	if err != nil {
		t.Fatal(err)
	}
	byKey := make(map[string]store.Answer, len(stored))
	type sum struct{ points, answered, correct int64 }
	sums := make(map[[2]string]sum)
	for _, a := range stored {
		byKey[fmt.Sprint(a.Game, " ", a.Question, " ", a.User)] = a
		s := sums[[2]string{a.Guild, a.User}]
		s.points += int64(a.Points)
		s.answered++
		if a.Correct {
			s.correct++
		}
		sums[[2]string{a.Guild, a.User}] = s
	}
	for _, a := range readAcks(t, ackPath) {
		if _, ok := byKey[fmt.Sprint(a.game, " ", a.q, " ", a.user)]; !ok {
			t.Errorf("acknowledged answer %+v is not stored", a)
		}
	}
	for _, g := range []string{"g1", "g2"} {
		scores, err := st.Scores(g)
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range scores {
			want := sums[[2]string{g, sc.User}]
			if sc.Points != want.points || sc.Answered != want.answered || sc.Correct != want.correct {
				t.Errorf("score of %s in %s = %d points, %d answered, %d right; stored answers say %d, %d, %d",
					sc.User, g, sc.Points, sc.Answered, sc.Correct, want.points, want.answered, want.correct)
			}
			delete(sums, [2]string{g, sc.User})
		}
	}
	for k, s := range sums {
		t.Errorf("stored answers of %s in %s (%d points) have no score", k[1], k[0], s.points)
	}
	return len(stored)
}

func TestCrash_KillDuringGames(t *testing.T) {
	dir := t.TempDir()
	dbPath, ackPath := filepath.Join(dir, "crash.db"), filepath.Join(dir, "acks.log")
	st, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Reseed(t.Context(), catalogtest.Generate(30, 1), nil); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	const kills = 12
	r := crashtest.Rand(t) // kill times; FILMBOT_CRASH_SEED replays them
	stored := 0
	for i := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envCrashDB+"="+dbPath, envCrashAck+"="+ackPath)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The child says when its players start; the kill comes a random moment later,
		// anywhere in a game: starting, mid-question, revealing, ending.
		lines := bufio.NewScanner(out)
		if !lines.Scan() || lines.Text() != crashPlaying {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("kill %d: crash child said %q, want %q:\n%s", i+1, lines.Text(), crashPlaying, stderr.String())
		}
		time.Sleep(time.Duration(r.Int64N(int64(900 * time.Millisecond))))
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("kill %d: child ended with %v before the kill:\n%s", i+1, err, stderr.String())
		}
		stored = checkCrashStore(t, dbPath, ackPath)
		if t.Failed() {
			t.Fatalf("after kill %d", i+1)
		}
	}
	acked := len(readAcks(t, ackPath))
	t.Logf("%d kills: %d answers acknowledged, %d stored", kills, acked, stored)
	if acked == 0 {
		t.Fatal("the children acknowledged no answers, so the kills tested nothing")
	}

	// The last child's games are closed by the next start, with scores kept.
	st, err = store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	before, _ := st.Scores("g1")
	msgs := newRecorder()
	e := New(Deps{Store: st, Messenger: msgs})
	if _, err := e.Restore(t.Context()); err != nil {
		t.Fatal(err)
	}
	if games, _ := st.Games(); len(games) != 0 {
		t.Errorf("games left after Restore: %+v", games)
	}
	after, _ := st.Scores("g1")
	if len(before) != len(after) {
		t.Errorf("Restore changed the scores: %d before, %d after", len(before), len(after))
	}
}

// TestEngine_ConcurrentPlayers has 64 players in 8 guilds answer through the command set
// for 2 s, with real timers and fsynced commits, and checks that every "Locked in" is a
// stored answer and every stored answer was acknowledged, and that the scores add up.
func TestEngine_ConcurrentPlayers(t *testing.T) {
	st := storetest.Open(t, catalogtest.Generate(30, 1))
	e := New(Deps{
		Store: st, Messenger: &silentMessenger{},
		Timing: &Timing{Lead: time.Millisecond, Between: time.Millisecond, Early: time.Millisecond, Question: 50 * time.Millisecond},
	})
	defer e.Close()
	set := commands.New(commands.Deps{Store: st})
	e.Register(set)

	var mu sync.Mutex
	acked := map[string]bool{}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for g := range 8 {
		guild := fmt.Sprint("guild-", g)
		for p := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := crashPlayer(ctx, set, e, guild, "chan-"+guild, fmt.Sprint(guild, "-p", p), func(game string, q int, user string) error {
					mu.Lock()
					defer mu.Unlock()
					acked[fmt.Sprint(game, " ", q, " ", user)] = true
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	e.Close()

	stored, err := st.Answers("")
	if err != nil {
		t.Fatal(err)
	}
	sums := map[[2]string]int64{}
	for _, a := range stored {
		k := fmt.Sprint(a.Game, " ", a.Question, " ", a.User)
		if !acked[k] {
			t.Errorf("stored answer %s was never acknowledged", k)
		}
		delete(acked, k)
		sums[[2]string{a.Guild, a.User}] += int64(a.Points)
	}
	for k := range acked {
		t.Errorf("acknowledged answer %s is not stored", k)
	}
	for k, want := range sums {
		sc, err := st.Score(k[0], k[1])
		if err != nil || sc.Points != want {
			t.Errorf("score of %s in %s = %d, %v; its answers add up to %d", k[1], k[0], sc.Points, err, want)
		}
	}
	t.Logf("%d answers acknowledged and stored", len(stored))
	if len(stored) == 0 {
		t.Fatal("no answers")
	}
}
