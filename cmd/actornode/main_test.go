package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestConfigCheckNamesTheMisspeltKey(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "node.yaml")
	if err := os.WriteFile(bad, []byte("network: regtest\np2p:\n  maxconections: 5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"config", "check", bad}, nil, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	want := bad + ":3: p2p.maxconections: unknown key (did you mean p2p.maxconnections?)"
	if !strings.Contains(errb.String(), want) {
		t.Fatalf("stderr %q lacks %q", errb.String(), want)
	}
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("network: regtest\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run([]string{"config", "check", good}, nil, &out, &errb); code != 0 {
		t.Fatalf("valid file: exit %d", code)
	}
}

func TestConfigDefaultsIsAValidConfig(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"config", "defaults"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	path := filepath.Join(t.TempDir(), "defaults.yaml")
	if err := os.WriteFile(path, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"config", "check", path}, nil, &out, &errb); code != 0 {
		t.Fatalf("printed defaults do not pass config check: %s", errb.String())
	}
}

func TestBadFlagFailsBeforeStarting(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"--network", "regtest", "--p2p.maxconnections", "lots"}, nil, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "--p2p.maxconnections") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

// TestSIGINTStopsTheDaemonCleanly builds the binary and checks a user's
// Ctrl-C: exit 0 within 5 seconds, cookie removed, lock released.
func TestSIGINTStopsTheDaemonCleanly(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "actornode")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	datadir := t.TempDir()
	var logs bytes.Buffer
	cmd := exec.Command(bin, "--network", "regtest", "--datadir", datadir, "--p2p.listen", "127.0.0.1:0", "--rpc.listen", "127.0.0.1:0")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cookie := filepath.Join(datadir, "regtest", ".cookie")
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(cookie); err == nil {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("no cookie: the daemon did not start\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGINT: %v\n%s", err, logs.String())
		}
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("still running 5s after SIGINT\n%s", logs.String())
	}
	t.Logf("stopped %v after SIGINT", time.Since(start).Round(time.Millisecond))
	if _, err := os.Stat(cookie); !os.IsNotExist(err) {
		t.Errorf("cookie still there after stop: %v", err)
	}
	if !strings.Contains(logs.String(), "actornode stopped") {
		t.Errorf("no 'actornode stopped' in the log:\n%s", logs.String())
	}
}
