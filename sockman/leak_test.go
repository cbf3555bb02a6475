package sockman

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"
)

// goroutines returns the stack of every live goroutine keyed by its header
// line ("goroutine N [state]:" without the state).
func goroutines() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]string{}
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		s := string(g)
		id, _, _ := strings.Cut(s, " [")
		out[id] = s
	}
	return out
}

// leakChecker remembers the goroutines alive when it was made.
type leakChecker struct {
	before map[string]string
}

// newLeakChecker records the goroutines alive now.
func newLeakChecker() *leakChecker { return &leakChecker{before: goroutines()} }

// verify fails the test if goroutines started since newLeakChecker are
// still alive after a generous grace period.
func (l *leakChecker) verify(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for {
		var leaked []string
		for id, stack := range goroutines() {
			if _, old := l.before[id]; !old && !strings.Contains(stack, "sockman.(*leakChecker).verify") {
				leaked = append(leaked, stack)
			}
		}
		if len(leaked) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines leaked:\n\n%s", len(leaked), strings.Join(leaked, "\n\n"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
