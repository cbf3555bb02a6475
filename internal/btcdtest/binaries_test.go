package btcdtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindBinariesHonoursDirEnv(t *testing.T) {
	empty := t.TempDir()
	t.Setenv(DirEnv, empty)
	_, err := FindBinaries()
	if err == nil {
		t.Fatal("found btcd in an empty directory")
	}
	for _, want := range []string{DirEnv, empty, "make tools", "go install github.com/btcsuite/btcd@v0.26.2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestFindBinariesUsesDirEnv(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"btcd", "btcctl"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv(DirEnv, dir)
	b, err := FindBinaries()
	if err != nil {
		t.Fatal(err)
	}
	if b.Btcd != filepath.Join(dir, "btcd") || b.Btcctl != filepath.Join(dir, "btcctl") {
		t.Fatalf("found %+v, want binaries in %s", b, dir)
	}
}

func TestCheckVersionRejectsOtherVersion(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "btcd")
	script := "#!/bin/sh\necho 'btcd version 0.24.2-beta'\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	err := CheckVersion(fake)
	if err == nil || !strings.Contains(err.Error(), "0.24.2") {
		t.Fatalf("CheckVersion = %v, want a wrong-version error", err)
	}
}
