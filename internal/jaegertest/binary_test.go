package jaegertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindBinaryHonoursEnv(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "jaeger")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(BinEnv, bin)
	got, err := FindBinary()
	if err != nil || got != bin {
		t.Fatalf("FindBinary() = %q, %v; want %q", got, err, bin)
	}
}

func TestFindBinaryReportsMissingEnvTarget(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "jaeger")
	t.Setenv(BinEnv, missing)
	_, err := FindBinary()
	if err == nil {
		t.Fatal("FindBinary found a binary that does not exist")
	}
	if !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "make tools") {
		t.Fatalf("error %q should name %s and `make tools`", err, missing)
	}
}

func TestRepoRootIsTheMainModule(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if got := modulePath(b); got != mainModule {
		t.Fatalf("repo root %s holds module %q, want %q", root, got, mainModule)
	}
}
