package btcdtest

import (
	"testing"
	"time"
)

// pollInterval is how often WaitFor re-evaluates its condition.
const pollInterval = 50 * time.Millisecond

// WaitFor polls cond until it returns true or timeout passes, and reports
// whether it became true. cond is always evaluated at least once.
func WaitFor(cond func() bool, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(pollInterval)
	}
}

// Eventually fails the test with the formatted message unless cond becomes
// true within timeout.
func Eventually(t testing.TB, timeout time.Duration, cond func() bool, format string, args ...any) {
	t.Helper()
	if !WaitFor(cond, timeout) {
		t.Fatalf("btcdtest: not within %v: "+format, append([]any{timeout}, args...)...)
	}
}
