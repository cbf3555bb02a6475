package recorder

import (
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/actornode/actornode/sockman/sockmanpb"
)

// fsizeEnv marks the child process of TestWriteErrorStopsOnlyTheSession.
const fsizeEnv = "RECORDER_TEST_FSIZE_CHILD"

// fsizeLimit is the largest file the child may write.
const fsizeLimit = 64 << 10

// TestWriteErrorStopsOnlyTheSession runs the recorder in a child process
// whose files may not grow past 64 KiB (RLIMIT_FSIZE, with SIGXFSZ ignored
// so that a write past it fails with EFBIG), the portable stand-in for a
// full disk that needs no privileges. The node-level test mounts a real
// full tmpfs where it may.
func TestWriteErrorStopsOnlyTheSession(t *testing.T) {
	if os.Getenv(fsizeEnv) == "1" {
		fsizeChild(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriteErrorStopsOnlyTheSession$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), fsizeEnv+"=1")
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "child: survived") {
		t.Fatalf("child failed: %v\n%s", err, out)
	}
}

// fsizeChild is the body of the child process.
func fsizeChild(t *testing.T) {
	signal.Ignore(syscall.SIGXFSZ)
	lim := syscall.Rlimit{Cur: fsizeLimit, Max: fsizeLimit}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatalf("setrlimit: %v", err)
	}
	h := start(t, Config{Root: t.TempDir(), Filter: "all"})
	t0 := time.Now()
	h.connected(1, t0, h.pid)
	payload := make([]byte, 10<<10)
	for i := 0; i < 10; i++ {
		h.frame(1, false, "tx", payload, t0)
	}
	if untap := expect[*sockmanpb.SetCapture](t, h.conn); untap.GetConnId() != 1 || untap.GetSink() != nil {
		t.Fatalf("untap %v", untap)
	}
	l := h.list(t)
	s := l.GetSessions()[0]
	if s.GetRecording() || !strings.Contains(s.GetError(), "file too large") || s.GetRecvRecords() != 6 ||
		!strings.Contains(l.GetLastError(), "file too large") || l.GetFailed() {
		t.Fatalf("after the write error: %v", l)
	}
	// The recorder goes on: another peer's session opens and records.
	h.connected(2, t0, h.pid)
	h.frame(2, false, "ping", make([]byte, 8), t0)
	eventually(t, "the second session records", func() bool {
		for _, s := range h.list(t).GetSessions() {
			if s.GetPeerId() == 2 && s.GetRecvRecords() == 1 && s.GetRecording() {
				return true
			}
		}
		return false
	})
	t.Log("child: survived")
}
