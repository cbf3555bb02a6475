package btcdtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// RequiredVersion is the btcd release the harness is written against.
const RequiredVersion = "0.26.2"

// DirEnv names the environment variable that points at a directory holding
// the btcd and btcctl binaries.
const DirEnv = "BTCDTEST_DIR"

// installHint tells a developer how to get the binaries.
const installHint = "install them with `make tools` or " +
	"`GOBIN=$PWD/.tools/bin go install github.com/btcsuite/btcd@v0.26.2 " +
	"github.com/btcsuite/btcd/cmd/btcctl@v0.26.2`"

// Binaries holds the paths of the btcd executables a Node runs.
type Binaries struct {
	// Btcd is the path of the btcd daemon.
	Btcd string
	// Btcctl is the path of btcctl, or empty when it was not found next to
	// btcd.
	Btcctl string
}

// FindBinaries locates btcd (and btcctl next to it) in the documented search
// order. The error explains where it looked and how to install.
func FindBinaries() (Binaries, error) {
	var looked []string
	if dir := os.Getenv(DirEnv); dir != "" {
		if b, ok := binariesIn(dir); ok {
			return b, nil
		}
		return Binaries{}, fmt.Errorf("btcd not found in %s=%s; %s", DirEnv, dir, installHint)
	}
	if root, err := repoRoot(); err == nil {
		dir := filepath.Join(root, ".tools", "bin")
		if b, ok := binariesIn(dir); ok {
			return b, nil
		}
		looked = append(looked, dir)
	}
	if dir := gopathBin(); dir != "" {
		if b, ok := binariesIn(dir); ok {
			return b, nil
		}
		looked = append(looked, dir)
	}
	if p, err := exec.LookPath("btcd"); err == nil {
		b := Binaries{Btcd: p}
		if c, err := exec.LookPath("btcctl"); err == nil {
			b.Btcctl = c
		}
		return b, nil
	}
	looked = append(looked, "PATH")
	return Binaries{}, fmt.Errorf("btcd v%s not found (%s unset; looked in %s); %s",
		RequiredVersion, DirEnv, strings.Join(looked, ", "), installHint)
}

// CheckVersion runs `btcd --version` and returns an error unless it reports
// RequiredVersion.
func CheckVersion(btcd string) error {
	out, err := exec.Command(btcd, "--version").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s --version: %v: %s", btcd, err, out)
	}
	got := strings.TrimSpace(string(out))
	if !strings.Contains(got, "version "+RequiredVersion) {
		return fmt.Errorf("%s reports %q, want btcd version %s; %s", btcd, got, RequiredVersion, installHint)
	}
	return nil
}

// Require returns usable binaries or ends the test: a missing btcd skips the
// test (fails it when $CI is set), a wrong version always fails it.
func Require(t testing.TB) Binaries {
	t.Helper()
	b, err := FindBinaries()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("btcdtest: %v", err)
		}
		t.Skipf("btcdtest: %v", err)
	}
	if err := CheckVersion(b.Btcd); err != nil {
		t.Fatalf("btcdtest: wrong btcd: %v", err)
	}
	return b
}

// binariesIn reports the binaries found in dir; btcd is required, btcctl
// optional.
func binariesIn(dir string) (Binaries, bool) {
	btcd := filepath.Join(dir, "btcd")
	if !isExecutable(btcd) {
		return Binaries{}, false
	}
	b := Binaries{Btcd: btcd}
	if ctl := filepath.Join(dir, "btcctl"); isExecutable(ctl) {
		b.Btcctl = ctl
	}
	return b, true
}

// isExecutable reports whether path is a regular file with an execute bit.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// repoRoot walks up from the working directory to the directory holding
// go.mod.
func repoRoot() (string, error) {
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

// gopathBin returns $(go env GOPATH)/bin, or empty when go is unavailable.
func gopathBin() string {
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), string(os.PathListSeparator))
	if first == "" {
		return ""
	}
	return filepath.Join(first, "bin")
}
