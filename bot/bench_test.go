package bot_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"filmbot/bot"
	"filmbot/bot/fakediscord"
	"filmbot/commands"
	"filmbot/seed"
	"filmbot/store"
)

// The benchmarks run the bot in a child process (this test binary, re-executed with
// FILMBOT_BENCH_CHILD set) so that its CPU time and RSS are measured apart from the fake
// Discord driving it. Two bots are measured the same way:
//
//   - filmbot: the real wiring (store, command set, bot) answering /ask;
//   - floor: a bare discordgo session whose handler answers a constant string with
//     InteractionRespond — the least any discordgo bot can do per interaction.
func TestMain(m *testing.M) {
	if path := os.Getenv("FILMBOT_BENCH_CPUPROFILE"); path != "" && os.Getenv("FILMBOT_BENCH_CHILD") != "" {
		// Profile the bot process (only the parent's is written by -cpuprofile).
		f, err := os.Create(path + "." + os.Getenv("FILMBOT_BENCH_CHILD"))
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	switch os.Getenv("FILMBOT_BENCH_CHILD") {
	case "":
		os.Exit(m.Run())
	case "filmbot":
		code := childFilmbot()
		pprof.StopCPUProfile()
		os.Exit(code)
	case "floor":
		code := childFloor()
		pprof.StopCPUProfile()
		os.Exit(code)
	default:
		fmt.Fprintln(os.Stderr, "unknown FILMBOT_BENCH_CHILD")
		os.Exit(2)
	}
}

func childFilmbot() int {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	path := os.Getenv("FILMBOT_DB")
	st, err := store.Open(path, store.Options{Timeout: 5 * time.Second})
	if err != nil {
		logger.Error("open store", "err", err)
		return 1
	}
	defer st.Close()
	if ok, _ := st.Seeded(); !ok {
		cat, err := seed.Default()
		if err == nil {
			_, err = st.Reseed(context.Background(), cat, nil)
		}
		if err != nil {
			logger.Error("seed store", "err", err)
			return 1
		}
	}
	set := commands.New(commands.Deps{Store: st, Logger: logger, HomeGuild: homeGuild, Owners: []string{owner}})
	b, err := bot.New(bot.Config{
		Token:      os.Getenv("FILMBOT_TOKEN"),
		DiscordURL: os.Getenv("FILMBOT_DISCORD_URL"),
		HomeGuild:  homeGuild,
	}, set, logger)
	if err != nil {
		logger.Error("bot", "err", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := b.Run(ctx); err != nil {
		logger.Error("run", "err", err)
		return 1
	}
	return 0
}

// rebase sends discord.com requests to the fake; the floor bot needs it to reach it at all.
type rebase struct {
	host string
	next http.RoundTripper
}

func (r rebase) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = "http", r.host, ""
	return r.next.RoundTrip(req)
}

func childFloor() int {
	u, err := url.Parse(os.Getenv("FILMBOT_DISCORD_URL"))
	if err != nil {
		return 1
	}
	s, err := discordgo.New("Bot " + os.Getenv("FILMBOT_TOKEN"))
	if err != nil {
		return 1
	}
	// The same connection pool as filmbot's, so neither is slowed by reconnecting.
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 128,
	}
	s.Client = &http.Client{Transport: rebase{host: u.Host, next: tr}, Timeout: 20 * time.Second}
	s.Identify.Intents = discordgo.IntentsGuilds
	s.LogLevel = discordgo.LogWarning
	reply := &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content:         "I don't know.",
			AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}},
		},
	}
	s.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		s.InteractionRespond(i.Interaction, reply)
	})
	if err := s.Open(); err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 1
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	s.Close()
	return 0
}

// child is a bot process under measurement.
type child struct {
	cmd *exec.Cmd
	// ready is how long the process took from exec to READY.
	ready  time.Duration
	stderr *syncBuffer
	fake   *fakediscord.Server
}

// startChild starts a bot of the given kind against a fresh fake and waits until it
// serves; db is the store path (created and seeded by the child when missing).
func startChild(tb testing.TB, kind, db string) *child {
	tb.Helper()
	fake := fakediscord.New(tb, fakediscord.Options{Record: 64, HeartbeatInterval: 5 * time.Second})
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(),
		"FILMBOT_BENCH_CHILD="+kind,
		"FILMBOT_DISCORD_URL="+fake.URL(),
		"FILMBOT_TOKEN="+fake.Token(),
		"FILMBOT_DB="+db,
	)
	c := &child{cmd: cmd, stderr: &syncBuffer{}, fake: fake}
	cmd.Stderr = c.stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.stop(tb) })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := fake.WaitReady(ctx); err != nil {
		tb.Fatalf("%s child: %v\n%s", kind, err, c.stderr.String())
	}
	c.ready = time.Since(t0)
	if kind == "filmbot" {
		if _, err := fake.WaitCall(ctx, "PUT", "/api/v9/applications/{app}/commands", 0); err != nil {
			tb.Fatalf("filmbot child registered no commands: %v\n%s", err, c.stderr.String())
		}
	}
	return c
}

func (c *child) stop(tb testing.TB) {
	tb.Helper()
	if c.cmd.ProcessState != nil {
		return
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			tb.Errorf("child exited: %v\n%s", err, c.stderr.String())
		}
	case <-time.After(15 * time.Second):
		c.cmd.Process.Kill()
		<-done
		tb.Errorf("child did not exit within 15 s of SIGTERM")
	}
}

// cpu returns the child's user+system CPU time so far.
func (c *child) cpu(tb testing.TB) time.Duration {
	tb.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.cmd.Process.Pid))
	if err != nil {
		tb.Fatal(err)
	}
	// Fields after the command name (which may hold spaces) start at state, field 3.
	f := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ is 100 on Linux
}

// rss returns the child's resident set size in bytes.
func (c *child) rss(tb testing.TB) int64 {
	tb.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	tb.Fatal("no VmRSS")
	return 0
}

// load sends n /ask interactions from workers concurrent senders, or paced at rate per
// second when rate > 0, and returns every latency from dispatch to callback.
func load(tb testing.TB, f *fakediscord.Server, n, workers int, rate float64) []time.Duration {
	tb.Helper()
	g := who(stranger, otherGuild, "0")
	questions := []string{
		"Where was Comrade Kim Goes Flying shot?",
		"Who directed Comrade Kim Goes Flying?",
		"Who plays Comrade Yong Mi?",
		"Where can I stream it?",
	}
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	interval := time.Duration(0)
	if rate > 0 {
		interval = time.Duration(float64(time.Second) / rate)
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || failed.Load() != nil {
					return
				}
				in := f.Command(g, "ask", fakediscord.Str("question", questions[i%int64(len(questions))]))
				if interval > 0 {
					if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
						time.Sleep(d)
					}
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				t0 := time.Now()
				_, err := f.Interact(ctx, in)
				lat[i] = time.Since(t0)
				cancel()
				if err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		tb.Fatal(err)
	}
	return lat
}

func percentile(lat []time.Duration, p float64) time.Duration {
	s := slices.Clone(lat)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// BenchmarkAsk measures /ask through the fake Discord at saturation: dispatch to callback,
// for filmbot and for the floor bot, in the same run. Reported: interactions per second,
// latency percentiles, and the bot process's CPU time per interaction (cpu-µs/op), whose
// ratio between the two is filmbot's cost over the floor's.
func BenchmarkAsk(b *testing.B) {
	benchAsk(b, 8, 0)
}

// BenchmarkAskPaced sends /ask at a steady 2,000 per second (open loop, as users would)
// and reports the latency percentiles at that rate.
func BenchmarkAskPaced(b *testing.B) {
	benchAsk(b, 64, 2000)
}

// benchAsk sends b.N /ask interactions to each kind of child, after a warm-up, from
// workers senders at rate per second (0: as fast as they answer), and reports throughput,
// latency percentiles and the child's CPU time per interaction.
func benchAsk(b *testing.B, workers int, rate float64) {
	for _, kind := range []string{"floor", "filmbot"} {
		b.Run(kind, func(b *testing.B) {
			c := startChild(b, kind, filepath.Join(b.TempDir(), "filmbot.db"))
			load(b, c.fake, 500, 8, 0) // warm up: connections, caches, the answer index
			cpu0 := c.cpu(b)
			b.ReportAllocs()
			b.ResetTimer()
			t0 := time.Now()
			lat := load(b, c.fake, b.N, workers, rate)
			el := time.Since(t0)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/el.Seconds(), "interactions/s")
			b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64((c.cpu(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

// BenchmarkMemory answers 200,000 interactions and reports the bot process's RSS after
// 20,000 and after 200,000: flat means no per-interaction leak (discordgo keeps a
// rate-limit bucket per interaction token unless the bot prevents it). It ignores b.N; run
// it with -benchtime=1x.
func BenchmarkMemory(b *testing.B) {
	for _, kind := range []string{"floor", "filmbot"} {
		b.Run(kind, func(b *testing.B) {
			c := startChild(b, kind, filepath.Join(b.TempDir(), "filmbot.db"))
			load(b, c.fake, 20000, 8, 0)
			time.Sleep(time.Second)
			r20 := c.rss(b)
			load(b, c.fake, 180000, 8, 0)
			time.Sleep(time.Second)
			r200 := c.rss(b)
			b.ReportMetric(float64(r20)/(1<<20), "rss-20k-MiB")
			b.ReportMetric(float64(r200)/(1<<20), "rss-200k-MiB")
			b.ReportMetric(100*float64(r200-r20)/float64(r20), "growth-%")
		})
	}
}

// BenchmarkStartToReady measures a bot process from exec to the gateway's READY, with a
// seeded store already on disk.
func BenchmarkStartToReady(b *testing.B) {
	db := filepath.Join(b.TempDir(), "filmbot.db")
	startChild(b, "filmbot", db).stop(b) // creates and seeds the store
	var total time.Duration
	for range b.N {
		c := startChild(b, "filmbot", db)
		total += c.ready
		c.stop(b)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-ready")
}
