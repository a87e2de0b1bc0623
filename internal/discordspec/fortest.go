package discordspec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// SpecEnv names the environment variable that points at openapi.json when
// it is not at ../shared/discord-api-spec/openapi.json beside the module.
const SpecEnv = "FILMBOT_DISCORD_SPEC"

// ForTest loads Discord's OpenAPI description for a test. It looks at
// $FILMBOT_DISCORD_SPEC, else at ../shared/discord-api-spec/openapi.json
// next to the module root (the directory holding go.mod, found by walking
// up from the working directory). When the file is missing the test is
// skipped, so that a fresh clone without shared/ still passes, except under
// CI=true, where a missing description fails the test: CI must validate.
// A FILMBOT_DISCORD_SPEC that names no file always fails the test.
//
// Loading takes a few tens of milliseconds; a test that validates many
// bodies should call ForTest once and keep the *Spec.
func ForTest(tb testing.TB) *Spec {
	tb.Helper()
	path, err := specPath()
	switch {
	case errors.Is(err, errNoSpec) && os.Getenv("CI") != "true":
		tb.Skipf("discordspec: %v; set %s", err, SpecEnv)
	case err != nil:
		tb.Fatalf("discordspec: %v", err)
	}
	spec, err := Load(path)
	if err != nil {
		tb.Fatal(err)
	}
	return spec
}

// errNoSpec is returned by specPath when the description is not beside
// the module; CI=true turns it into a failure.
var errNoSpec = errors.New("the Discord OpenAPI spec is not found")

func specPath() (string, error) {
	if p := os.Getenv(SpecEnv); p != "" {
		// Set by hand, so a wrong path is a mistake to fix, not a skip.
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", SpecEnv, p, err)
		}
		return p, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, "..", "shared", "discord-api-spec", "openapi.json")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%w at %s", errNoSpec, p)
	}
	return p, nil
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

var (
	checkerOnce sync.Once
	checkerSpec *Spec
)

// Checker returns the check every end-to-end test gives the fake Discord
// (fakediscord.Options.Check): each recorded request body is held to
// Discord's limits (CheckLimits) and, when the description is found, to
// Discord's OpenAPI description (ValidateRequest). The description is
// loaded once per test binary, by the first test that calls it, in a
// subtest named "openapi" that is skipped with a message when the file is
// missing (and fails under CI=true, as ForTest does); later callers share
// it. A benchmark that runs before any such test checks the limits only.
func Checker(tb testing.TB) func(method, path string, body []byte) error {
	tb.Helper()
	if t, ok := tb.(*testing.T); ok {
		checkerOnce.Do(func() {
			t.Run("openapi", func(t *testing.T) { checkerSpec = ForTest(t) })
		})
	}
	spec := checkerSpec
	return func(method, path string, body []byte) error {
		var errs []error
		if spec != nil {
			errs = append(errs, spec.ValidateRequest(method, path, body))
		}
		errs = append(errs, CheckLimits(method, path, body))
		return errors.Join(errs...)
	}
}
