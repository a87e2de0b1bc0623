// Package crashtest gives the crash tests (which SIGKILL a child process at random moments)
// a random source that can be replayed: its seed is logged with the test, and
// FILMBOT_CRASH_SEED sets it, so a kill pattern that found a bug can be run again.
package crashtest

import (
	"math/rand/v2"
	"os"
	"strconv"
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
