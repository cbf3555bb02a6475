package chainman

import "time"

// rate measures blocks and bytes stored per second between two progress
// reports.
type rate struct {
	since         time.Time
	blocks, bytes uint64
	// last figures computed by take.
	blocksPerSec, mbPerSec float64
}

// add counts one stored block of size bytes.
func (r *rate) add(size int) {
	r.blocks++
	r.bytes += uint64(size)
}

// take computes the rates since the last take (or the first add) at now
// and starts a new interval. An interval shorter than a millisecond keeps
// the previous figures.
func (r *rate) take(now time.Time) (blocksPerSec, mbPerSec float64) {
	if r.since.IsZero() {
		r.since = now
		return 0, 0
	}
	d := now.Sub(r.since).Seconds()
	if d < 0.001 {
		return r.blocksPerSec, r.mbPerSec
	}
	r.blocksPerSec = float64(r.blocks) / d
	r.mbPerSec = float64(r.bytes) / 1e6 / d
	r.blocks, r.bytes, r.since = 0, 0, now
	return r.blocksPerSec, r.mbPerSec
}

// eta estimates the time to store remaining blocks at blocksPerSec; zero
// when there is nothing left or no rate to go by.
func eta(remaining int32, blocksPerSec float64) time.Duration {
	if remaining <= 0 || blocksPerSec <= 0 {
		return 0
	}
	return time.Duration(float64(remaining) / blocksPerSec * float64(time.Second)).Round(time.Second)
}
