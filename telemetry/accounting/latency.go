package accounting

import (
	"math"
	"slices"
	"time"
)

// LatencyWindow is how many of the most recent samples Latency keeps for
// its percentiles.
const LatencyWindow = 256

// Latency summarises request latencies: count and mean over every sample,
// p50 and p90 by nearest rank over the last LatencyWindow samples. The
// zero value is ready to use; the ring grows as samples arrive.
type Latency struct {
	count uint64
	sum   time.Duration
	ring  []time.Duration
	next  int // where the next sample goes once the ring is full
}

// Add records one sample.
func (l *Latency) Add(d time.Duration) {
	l.count++
	l.sum += d
	if len(l.ring) < LatencyWindow {
		l.ring = append(l.ring, d)
		return
	}
	l.ring[l.next] = d
	l.next = (l.next + 1) % LatencyWindow
}

// Count returns the number of samples ever added.
func (l *Latency) Count() uint64 { return l.count }

// Mean returns the mean of every sample, 0 without samples.
func (l *Latency) Mean() time.Duration {
	if l.count == 0 {
		return 0
	}
	return l.sum / time.Duration(l.count)
}

// Percentiles returns the nearest-rank percentiles ps (each in (0, 100])
// of the samples in the window: the smallest sample with at least p% of
// the window at or below it. Without samples every figure is 0.
func (l *Latency) Percentiles(ps ...float64) []time.Duration {
	out := make([]time.Duration, len(ps))
	if len(l.ring) == 0 {
		return out
	}
	sorted := slices.Clone(l.ring)
	slices.Sort(sorted)
	n := len(sorted)
	for i, p := range ps {
		rank := int(math.Ceil(float64(n) * p / 100))
		rank = min(max(rank, 1), n)
		out[i] = sorted[rank-1]
	}
	return out
}

// samples returns how many samples the window holds.
func (l *Latency) samples() int { return cap(l.ring) }
