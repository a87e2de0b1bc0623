package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"filmbot/bot/fakediscord"
	"filmbot/internal/moviedata"
)

// Whole-process figures on the Wikipedia movie data (docs/bench/dataset.md): filmbot
// reseed of the 13 files, filmbot ask on the store it makes, and a bot serving it.

// datasetDB reseeds a new store with the whole dataset through the binary and returns
// its path.
func datasetDB(b *testing.B) string {
	b.Helper()
	files := moviedata.Files(b)
	db := filepath.Join(b.TempDir(), "filmbot.db")
	if out, err := exec.Command(filmbotBinary(b), append([]string{"reseed", "-db", db}, files...)...).CombinedOutput(); err != nil {
		b.Fatalf("reseed: %v\n%s", err, out)
	}
	return db
}

// medianMs reports the median of ds in milliseconds under unit.
func medianMs(b *testing.B, ds []time.Duration, unit string) {
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, unit)
}

// BenchmarkDatasetReseedProcess runs `filmbot reseed` of the 13 files into a store that
// holds them already, reporting wall time and the child's peak RSS.
func BenchmarkDatasetReseedProcess(b *testing.B) {
	db := datasetDB(b)
	files := moviedata.Files(b)
	var walls, cpus []time.Duration
	var peak int64
	for b.Loop() {
		cmd := exec.Command(filmbotBinary(b), append([]string{"reseed", "-db", db}, files...)...)
		t0 := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		walls = append(walls, time.Since(t0))
		// CPU time says what the process costs when other work shares the cores.
		cpus = append(cpus, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peak = max(peak, ru.Maxrss) // KiB on Linux
		}
	}
	medianMs(b, walls, "ms-wall")
	medianMs(b, cpus, "ms-cpu")
	b.ReportMetric(float64(peak)/1024, "MB-peak-RSS")
	if st, err := os.Stat(db); err == nil {
		b.ReportMetric(float64(st.Size())/1e6, "MB-store")
	}
}

// BenchmarkDatasetAskProcess runs `filmbot ask` on the dataset store: exec, open, answer,
// exit. Report the median of at least five runs (-benchtime 5x).
func BenchmarkDatasetAskProcess(b *testing.B) {
	db := datasetDB(b)
	q := "Who directed Home from the Hill?"
	var walls, cpus []time.Duration
	for b.Loop() {
		cmd := exec.Command(filmbotBinary(b), "ask", "-db", db, q)
		t0 := time.Now()
		out, err := cmd.Output()
		walls = append(walls, time.Since(t0))
		cpus = append(cpus, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
		if err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
	medianMs(b, walls, "ms-median")
	medianMs(b, cpus, "ms-cpu")
}

// BenchmarkDatasetBotStart starts `filmbot run` on the dataset store against the fake
// Discord and reports the time from exec to the first /ask answered, and the process's
// resident memory then.
func BenchmarkDatasetBotStart(b *testing.B) {
	db := datasetDB(b)
	var walls []time.Duration
	var rss float64
	for b.Loop() {
		fake := fakediscord.New(b, fakediscord.Options{})
		cmd := exec.Command(filmbotBinary(b), "run", "-db", db)
		cmd.Env = append(os.Environ(), "FILMBOT_TOKEN="+fake.Token(), "FILMBOT_DISCORD_URL="+fake.URL(), "FILMBOT_CONFIG=")
		var logs bytes.Buffer
		cmd.Stderr = &logs
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		err := fake.WaitReady(ctx)
		var cb *fakediscord.Callback
		if err == nil {
			g := fakediscord.Who{Guild: "600000000000000002", Permissions: "0"}
			cb, err = fake.Interact(ctx, fake.Command(g, "ask", fakediscord.Str("question", "Who directed Home from the Hill?")))
		}
		walls = append(walls, time.Since(t0))
		cancel()
		if err == nil {
			rss = max(rss, rssMB(cmd.Process.Pid))
		}
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if err != nil {
			b.Fatalf("%v\n%s", err, logs.String())
		}
		if cb.Response.Data == nil || cb.Response.Data.Ephemeral() {
			b.Fatalf("/ask answered with an error: %s", cb.Body)
		}
	}
	medianMs(b, walls, "ms-to-first-answer")
	b.ReportMetric(rss, "MB-RSS-after-start")
}

// rssMB reads a process's resident set from /proc, in MB; 0 when it cannot.
func rssMB(pid int) float64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
