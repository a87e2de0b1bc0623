package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filmbot/bot/fakediscord"
	"filmbot/control"
)

// askLoad sends n /ask interactions to fake with workers in flight at once and returns
// how long they took; it fails the benchmark on any error or error reply.
func askLoad(b *testing.B, fake *fakediscord.Server, n, workers int) time.Duration {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One user per worker: the per-user rate limit is off in these bots anyway.
			g := fakediscord.Who{User: fmt.Sprintf("4000000000000%05d", w), Guild: "600000000000000002", Permissions: "0"}
			for next.Add(1) <= int64(n) {
				cb, err := fake.Interact(ctx, fake.Command(g, "ask", fakediscord.Str("question", "Who plays Yong Mi?")))
				if err == nil && cb.Response.Data.Ephemeral() {
					err = fmt.Errorf("error reply: %s", cb.Body)
				}
				if err != nil {
					failed.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkAskMetrics measures /ask throughput through the fake Discord of two `filmbot
// run` processes, one with metrics-addr set and one without, in alternating rounds of one
// run so that the machine's drift hits both alike. It reports ns per /ask for each and
// their ratio (on/off; the target is at most 1.03).
func BenchmarkAskMetrics(b *testing.B) {
	b.ReportAllocs()
	const rounds, workers = 10, 16
	type side struct {
		name string
		fake *fakediscord.Server
		took time.Duration
	}
	var sides []*side
	for _, on := range []bool{false, true} {
		fake := fakediscord.New(b, fakediscord.Options{HeartbeatInterval: 10 * time.Second, Record: 64})
		extra := "rate-limit = 0\nlog-level = \"warn\"\n"
		name := "off"
		if on {
			extra += "metrics-addr = \"127.0.0.1:0\"\n"
			name = "on"
		}
		startBotProcess(b, fake, filepath.Join(b.TempDir(), "filmbot.db"), extra)
		sides = append(sides, &side{name: name, fake: fake})
	}
	per := max(b.N/rounds, 50)
	// Warm both (connections, the answer index's first use) before timing.
	for _, s := range sides {
		askLoad(b, s.fake, 200, workers)
	}
	b.ResetTimer()
	for r := range rounds {
		order := sides
		if r%2 == 1 {
			order = []*side{sides[1], sides[0]}
		}
		for _, s := range order {
			s.took += askLoad(b, s.fake, per, workers)
		}
	}
	b.StopTimer()
	n := float64(per * rounds)
	off, on := float64(sides[0].took)/n, float64(sides[1].took)/n
	b.ReportMetric(off, "ns/ask-off")
	b.ReportMetric(on, "ns/ask-on")
	b.ReportMetric(on/off, "on/off")
	b.ReportMetric(1e9/on, "asks/s-on")
}

// BenchmarkLiveReseed measures a reseed of the embedded seed into a running bot through
// its control socket, end to end: "cli" is `filmbot reseed` as an operator runs it
// (process start, the socket, validation, install, the new index live, the report);
// "socket" is the same request from this process, without the process start.
func BenchmarkLiveReseed(b *testing.B) {
	b.ReportAllocs()
	fake := fakediscord.New(b, fakediscord.Options{HeartbeatInterval: 10 * time.Second, Record: 64})
	db := filepath.Join(b.TempDir(), "filmbot.db")
	startBotProcess(b, fake, db, "log-level = \"warn\"\n")
	bin := filmbotBinary(b)
	b.Run("cli", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r := runBinary(b, bin, "reseed", "-db", db)
			if r.code != 0 {
				b.Fatalf("reseed: exit %d\n%s", r.code, r.stderr)
			}
		}
	})
	b.Run("socket", func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		for b.Loop() {
			code, err := control.Run(ctx, control.SocketPath(db), "reseed", control.Command{}, io.Discard, io.Discard)
			if err != nil || code != 0 {
				b.Fatalf("reseed through the socket: %d %v", code, err)
			}
		}
	})
}

// runBinary runs bin with args and returns how it ended.
func runBinary(tb testing.TB, bin string, args ...string) result {
	tb.Helper()
	cmd := exec.Command(bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return result{ee.ExitCode(), out.String(), errb.String()}
	case err != nil:
		tb.Fatal(err)
	}
	return result{0, out.String(), errb.String()}
}
