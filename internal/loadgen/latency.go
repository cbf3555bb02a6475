package loadgen

import (
	"math"
	"slices"
	"time"
)

// Latency summarises a set of measured durations.
type Latency struct {
	// Count is how many durations were measured.
	Count int
	// P50, P90, P99 and Max are percentiles (nearest rank) and the largest.
	P50, P90, P99, Max time.Duration
	// Mean is the arithmetic mean.
	Mean time.Duration
}

// Summarize computes the percentiles of samples (which it sorts in place).
// An empty set gives the zero Latency.
func Summarize(samples []time.Duration) Latency {
	if len(samples) == 0 {
		return Latency{}
	}
	slices.Sort(samples)
	var sum time.Duration
	for _, d := range samples {
		sum += d
	}
	return Latency{
		Count: len(samples),
		P50:   Percentile(samples, 0.50),
		P90:   Percentile(samples, 0.90),
		P99:   Percentile(samples, 0.99),
		Max:   samples[len(samples)-1],
		Mean:  sum / time.Duration(len(samples)),
	}
}

// Percentile returns the q-quantile (0 < q <= 1) of sorted by nearest rank:
// the smallest sample that at least a fraction q of the samples do not
// exceed. It returns 0 for an empty slice.
func Percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}
