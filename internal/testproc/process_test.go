package testproc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func outFile(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestStopInterruptsThenKills(t *testing.T) {
	polite, err := Start("sleep", []string{"30"}, outFile(t), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := polite.Stop(); err != nil {
		t.Fatalf("a process that exits on SIGINT: %v", err)
	}
	if !polite.Exited() || polite.Stop() != nil {
		t.Fatal("Stop is not idempotent")
	}
	out := outFile(t)
	stubborn, err := Start("sh", []string{"-c", `trap "" INT; echo ready; sleep 30`}, out, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(Tail(out.Name(), 100), "ready"); {
		if time.Now().After(deadline) {
			t.Fatal("sh never installed its trap")
		}
		time.Sleep(10 * time.Millisecond)
	}
	err = stubborn.Stop()
	if err == nil || !strings.Contains(err.Error(), "was killed") {
		t.Fatalf("a process ignoring SIGINT: %v, want a kill reported", err)
	}
	if stubborn.Err() == nil {
		t.Fatal("a killed process reports a clean exit")
	}
}

func TestTailStartsAtALine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	if err := os.WriteFile(path, []byte("first line\nsecond line\nthird\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := Tail(path, 1000); got != "first line\nsecond line\nthird\n" {
		t.Fatalf("whole file: %q", got)
	}
	if got := Tail(path, 15); got != "...\nthird\n" {
		t.Fatalf("tail: %q", got)
	}
}
