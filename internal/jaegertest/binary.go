package jaegertest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BinEnv names the environment variable that holds the path of the jaeger
// binary. When it is set no other place is searched.
const BinEnv = "JAEGERTEST_BIN"

// installHint tells a developer how to get the binary.
const installHint = "build it with `make tools` (Jaeger v2 from source into .tools/bin/jaeger, " +
	"several minutes on a cold cache) or point " + BinEnv + " at a jaeger v2 binary"

// FindBinary locates the jaeger binary in the documented search order. The
// error says where it looked and how to install it.
func FindBinary() (string, error) {
	if p := os.Getenv(BinEnv); p != "" {
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("jaeger not found: %s=%s is not an executable file; %s", BinEnv, p, installHint)
	}
	var looked []string
	if root, err := repoRoot(); err == nil {
		p := filepath.Join(root, ".tools", "bin", "jaeger")
		if isExecutable(p) {
			return p, nil
		}
		looked = append(looked, p)
	}
	if p, err := exec.LookPath("jaeger"); err == nil {
		return p, nil
	}
	looked = append(looked, "PATH")
	return "", fmt.Errorf("jaeger not found (%s unset; looked in %s); %s",
		BinEnv, strings.Join(looked, ", "), installHint)
}

// RequireBinary returns the jaeger binary's path or ends the test: a missing
// binary skips it, or fails it when the CI environment variable is set.
func RequireBinary(t testing.TB) string {
	t.Helper()
	p, err := FindBinary()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("jaegertest: %v", err)
		}
		t.Skipf("jaegertest: %v", err)
	}
	return p
}

// isExecutable reports whether path is a regular file with an execute bit.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// mainModule is the module path of the repository whose .tools/bin is
// searched.
const mainModule = "github.com/actornode/actornode"

// repoRoot walks up from the working directory to the directory whose go.mod
// declares mainModule, passing over nested modules such as internal/tools.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && modulePath(b) == mainModule {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of %s above the working directory", mainModule)
		}
		dir = parent
	}
}

// modulePath returns the path of a go.mod's module directive, or "".
func modulePath(gomod []byte) string {
	for line := range strings.Lines(string(gomod)) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
