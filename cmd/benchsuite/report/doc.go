// Package report turns the benchmark suite's measured numbers into the
// generated block at the top of docs/benchmarks.md: machine, date, tables
// of medians and ratios, and one line per target showing measured against
// target and MET or MISSED, computed from the numbers.
//
// It is pure: it never measures, never starts a process and touches no file
// (the caller reads and writes docs/benchmarks.md and passes the text).
package report
