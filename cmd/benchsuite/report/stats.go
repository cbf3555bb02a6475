package report

import (
	"math"
	"slices"
)

// Median returns the median of runs (the mean of the two middle values for
// an even count), or NaN when there are none.
func Median(runs []float64) float64 {
	if len(runs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(runs)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}

// Ratio returns a / b, or NaN when either is not a number or b is zero.
func Ratio(a, b float64) float64 {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	return a / b
}
