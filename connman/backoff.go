package connman

import "time"

// The redial schedule of manual peers: 1 s after the first failure,
// doubling, never more than 30 s, so a peer that comes back is reconnected
// within a minute. A connection that lasted stableAfter counts as a success:
// the schedule starts over.
const (
	redialFirst = time.Second
	redialCap   = 30 * time.Second
	stableAfter = time.Minute
)

// redialDelay returns how long to wait before the next dial after failures
// consecutive failures (at least one).
func redialDelay(failures int) time.Duration {
	d := redialFirst
	for i := 1; i < failures && d < redialCap; i++ {
		d *= 2
	}
	return min(d, redialCap)
}

// failuresAfterClose returns the failure count after a connection that
// lived for lived closed: a stable connection resets the count to one, a
// short one adds a failure.
func failuresAfterClose(failures int, lived time.Duration) int {
	if lived >= stableAfter {
		return 1
	}
	return failures + 1
}
