package inspect

import (
	"slices"
	"time"
)

// Distribution summarises a set of durations. Percentiles use the
// nearest-rank method: the p-th percentile of n sorted values is the
// value at rank ceil(p/100 * n), so every reported figure is an observed
// value.
type Distribution struct {
	// Count is the number of values.
	Count int
	// Min, Median (p50), P99 and Max are the figures; all zero when Count
	// is zero.
	Min, Median, P99, Max time.Duration
}

// NewDistribution summarises values (which it sorts in place).
func NewDistribution(values []time.Duration) Distribution {
	if len(values) == 0 {
		return Distribution{}
	}
	slices.Sort(values)
	return Distribution{
		Count: len(values), Min: values[0], Median: Percentile(values, 50),
		P99: Percentile(values, 99), Max: values[len(values)-1],
	}
}

// Percentile returns the nearest-rank p-th percentile (0 < p <= 100) of
// sorted, or zero when it is empty.
func Percentile(sorted []time.Duration, p int) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := (p*n + 99) / 100 // ceil(p*n/100)
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}
