package accounting

import "time"

// Cost is the handling cost of one received message type: the Peer
// actor's handling of each message (decoding, protocol logic, replies).
type Cost struct {
	// Handled counts the messages whose handling was timed.
	Handled uint64
	// Wall is the total wall time of their handling (monotonic clock).
	Wall time.Duration
	// CPUMeasured counts the messages whose CPU time was measured; it is
	// Handled unless Traffic.CPUEvery is above one or the CPU clock failed.
	CPUMeasured uint64
	// CPUSum is the CPU time of the measured messages.
	CPUSum time.Duration
}

// CPU returns the CPU time of every handled message: CPUSum when every
// message was measured, otherwise CPUSum scaled by Handled/CPUMeasured
// (an estimate), and 0 when none was measured.
func (c Cost) CPU() time.Duration {
	if c.CPUMeasured == 0 {
		return 0
	}
	if c.CPUMeasured == c.Handled {
		return c.CPUSum
	}
	return time.Duration(float64(c.CPUSum) * float64(c.Handled) / float64(c.CPUMeasured))
}

// Estimated reports whether CPU is an estimate (not every message was
// measured).
func (c Cost) Estimated() bool { return c.CPUMeasured != c.Handled }

// add folds in another Cost.
func (c *Cost) add(o Cost) {
	c.Handled += o.Handled
	c.Wall += o.Wall
	c.CPUMeasured += o.CPUMeasured
	c.CPUSum += o.CPUSum
}

// record adds one handled message: its wall time and, when cpuOK, its CPU
// time.
func (c *Cost) record(wall, cpu time.Duration, cpuOK bool) {
	c.Handled++
	c.Wall += wall
	if cpuOK {
		c.CPUMeasured++
		c.CPUSum += cpu
	}
}
