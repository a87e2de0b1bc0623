// Package crashtest gives the crash tests (which SIGKILL a child process at random moments)
// a random source that can be replayed: its seed is logged with the test, and
// FILMBOT_CRASH_SEED sets it, so a kill pattern that found a bug can be run again.
package crashtest

import (
	"bufio"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// SeedEnv names the environment variable that fixes the seed.
const SeedEnv = "FILMBOT_CRASH_SEED"

// Rand returns the random source a crash test draws its kill times from. The seed is
// FILMBOT_CRASH_SEED's value when it is set, the clock's otherwise; either way it is logged
// (shown with -v, and whenever the test fails) with the command that replays it. A value
// that is not an unsigned integer fails the test rather than being ignored.
func Rand(tb testing.TB) *rand.Rand {
	tb.Helper()
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(SeedEnv); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			tb.Fatalf("%s=%q: want an unsigned integer", SeedEnv, v)
		}
		seed = n
	}
	tb.Logf("crash seed %d; replay with %s=%d go test -run '^%s$'", seed, SeedEnv, seed, tb.Name())
	return rand.New(rand.NewPCG(seed, 0))
}

// KillDuring starts cmd, a child that prints ready on its first line of standard output
// once the work to interrupt has begun, calls during (when not nil) while the child works,
// lets it run for a random time below max drawn from r, then SIGKILLs it and waits for it
// to exit. It returns how long the child ran after saying it was ready. The random wait is
// the point of a crash test: it picks the moment of the kill, it synchronises nothing.
func KillDuring(tb testing.TB, cmd *exec.Cmd, ready string, r *rand.Rand, max time.Duration, during func()) time.Duration {
	tb.Helper()
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != ready {
		cmd.Process.Kill()
		cmd.Wait()
		tb.Fatalf("crash helper said %q, want %q", lines.Text(), ready)
	}
	go func() {
		for lines.Scan() {
		}
	}()
	if during != nil {
		during()
	}
	wait := time.Duration(r.Int64N(int64(max)))
	time.Sleep(wait)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		tb.Fatal(err)
	}
	cmd.Wait()
	return wait
}
