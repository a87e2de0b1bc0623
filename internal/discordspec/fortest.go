package discordspec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
