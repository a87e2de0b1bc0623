package crashtest

import "testing"

// TestRand_replaysTheSeed: the same FILMBOT_CRASH_SEED gives the same draws, another seed
// other draws.
func TestRand_replaysTheSeed(t *testing.T) {
	draws := func(seed string) []uint64 {
		t.Helper()
		t.Setenv(SeedEnv, seed)
		r := Rand(t)
		out := make([]uint64, 8)
		for i := range out {
			out[i] = r.Uint64()
		}
		return out
	}
	a, b, c := draws("12345"), draws("12345"), draws("12346")
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d: %d and %d from the same seed", i, a[i], b[i])
		}
	}
	same := 0
	for i := range a {
		if a[i] == c[i] {
			same++
		}
	}
	if same == len(a) {
		t.Errorf("seeds 12345 and 12346 gave the same draws")
	}
}
