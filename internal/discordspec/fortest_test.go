package discordspec_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"filmbot/internal/discordspec"
)

// recorder is a testing.TB that records a skip or a failure instead of
// acting on it; like the real one, it stops the calling goroutine.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.failed = fmt.Sprint(args...)
	runtime.Goexit()
}

// forTest runs ForTest with a recorder and says what it did.
func forTest() (spec *discordspec.Spec, r *recorder) {
	r = &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		spec = discordspec.ForTest(r)
	}()
	<-done
	return spec, r
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestForTest(t *testing.T) {
	// A workspace like CI's: the module in main/, the spec in shared/.
	work := t.TempDir()
	write(t, filepath.Join(work, "main", "go.mod"), "module example\n")
	write(t, filepath.Join(work, "main", "bot", "x.go"), "package bot\n")
	toy := filepath.Join(work, "shared", "discord-api-spec", "openapi.json")
	write(t, toy, toySpec)
	bare := t.TempDir()
	write(t, filepath.Join(bare, "main", "go.mod"), "module example\n")

	tests := []struct {
		name, env, ci, dir     string
		found, skipped, failed bool
	}{
		{name: "beside the module, from a package directory", dir: filepath.Join(work, "main", "bot"), found: true},
		{name: "beside the module, under CI", ci: "true", dir: filepath.Join(work, "main"), found: true},
		{name: "named by the environment", env: toy, dir: filepath.Join(bare, "main"), found: true},
		{name: "missing", dir: filepath.Join(bare, "main"), skipped: true},
		{name: "missing under CI", ci: "true", dir: filepath.Join(bare, "main"), failed: true},
		{name: "CI=false is not CI", ci: "false", dir: filepath.Join(bare, "main"), skipped: true},
		{name: "the environment names no file", env: filepath.Join(bare, "nope.json"), dir: filepath.Join(work, "main"), failed: true},
		{name: "no module", dir: bare, failed: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(discordspec.SpecEnv, tc.env)
			t.Setenv("CI", tc.ci)
			t.Chdir(tc.dir)
			spec, r := forTest()
			if got := spec != nil; got != tc.found {
				t.Errorf("found = %v, want %v", got, tc.found)
			}
			if got := r.skipped != ""; got != tc.skipped {
				t.Errorf("skipped = %v (%q), want %v", got, r.skipped, tc.skipped)
			}
			if got := r.failed != ""; got != tc.failed {
				t.Errorf("failed = %v (%q), want %v", got, r.failed, tc.failed)
			}
		})
	}
}

// Checker holds every body to Discord's limits, whether or not the description is found:
// a message without allowed_mentions is refused, the same message with them passes.
func TestChecker(t *testing.T) {
	check := discordspec.Checker(t)
	const path = "/api/v9/channels/300000000000000001/messages"
	if err := check("POST", path, []byte(`{"content":"hi"}`)); err == nil {
		t.Error("a message without allowed_mentions passed")
	}
	if err := check("POST", path, []byte(`{"content":"hi","allowed_mentions":{"parse":[]}}`)); err != nil {
		t.Errorf("a well-formed message was refused: %v", err)
	}
}
