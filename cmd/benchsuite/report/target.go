package report

import (
	"fmt"
	"math"
)

// Bound says on which side of its limit a target is met.
type Bound int

// The two kinds of target.
const (
	// AtMost is met when the measured value is not above the limit.
	AtMost Bound = iota
	// AtLeast is met when the measured value is not below the limit.
	AtLeast
)

// Verdict is the outcome of one target.
type Verdict string

// The verdicts a target line shows.
const (
	// Met means the measured value satisfies the target.
	Met Verdict = "MET"
	// Missed means it does not.
	Missed Verdict = "MISSED"
	// Unmeasured means the figure could not be measured in this run.
	Unmeasured Verdict = "NOT MEASURED"
)

// Target is one requirement of the issue and what the suite measured for
// it.
type Target struct {
	// Name says what is compared, e.g. "full-stack ping p50 / raw echo p50".
	Name string
	// Bound and Limit are the requirement.
	Bound Bound
	Limit float64
	// Measured is the median measured value; NaN when not measured.
	Measured float64
	// Format renders a value (Measured and Limit) with its unit; "%.2f"
	// when empty.
	Format string
	// Why explains an unmeasured figure, or adds context.
	Why string
}

// Verdict computes whether the target is met.
func (t Target) Verdict() Verdict {
	switch {
	case math.IsNaN(t.Measured) || math.IsInf(t.Measured, 0):
		return Unmeasured
	case t.Bound == AtMost && t.Measured <= t.Limit:
		return Met
	case t.Bound == AtLeast && t.Measured >= t.Limit:
		return Met
	}
	return Missed
}

// Line renders the target as one Markdown list item.
func (t Target) Line() string {
	f := t.Format
	if f == "" {
		f = "%.2f"
	}
	op := "≤"
	if t.Bound == AtLeast {
		op = "≥"
	}
	measured := "n/a"
	if v := t.Verdict(); v != Unmeasured {
		measured = fmt.Sprintf(f, t.Measured)
	}
	line := fmt.Sprintf("- %s: measured %s, target %s %s — **%s**", t.Name, measured, op, fmt.Sprintf(f, t.Limit), t.Verdict())
	if t.Why != "" {
		line += " (" + t.Why + ")"
	}
	return line
}
