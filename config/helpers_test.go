package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeConfig writes a YAML file into a fresh temporary directory and
// returns its path.
func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "node.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// nestedYAML renders one dotted key and a YAML value as nested mappings;
// the key's leaf ends up on line len(parts).
func nestedYAML(key, value string) string {
	var b strings.Builder
	parts := strings.Split(key, ".")
	for i, p := range parts {
		b.WriteString(strings.Repeat("  ", i) + p + ":")
		if i == len(parts)-1 {
			b.WriteString(" " + value)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// problems returns the problems in err, failing the test when err is not
// an Errors.
func problems(t *testing.T, err error) Errors {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got nil")
	}
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v (%T) is not config.Errors", err, err)
	}
	return es
}

// onlyProblem returns the single problem in err.
func onlyProblem(t *testing.T, err error) *Error {
	t.Helper()
	es := problems(t, err)
	if len(es) != 1 {
		t.Fatalf("expected one problem, got %d:\n%v", len(es), err)
	}
	return es[0]
}

// testEnv is an environment with a fixed home directory and nothing else.
func testEnv(extra ...string) []string {
	return append([]string{"HOME=/home/tester"}, extra...)
}
