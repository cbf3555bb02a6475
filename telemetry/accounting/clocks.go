package accounting

import (
	"runtime"
	"time"
)

// Clocks are the two clocks a handler measurement reads. Both are
// injected so that tests can drive them.
type Clocks struct {
	// Wall returns a monotonic reading; only differences matter.
	Wall func() time.Duration
	// CPU returns the calling thread's CPU time and true, or false when it
	// cannot be read (nil means never).
	CPU func() (time.Duration, bool)
}

// SystemClocks returns the process's monotonic clock and, where the
// platform has one, the calling thread's CPU clock (see ThreadCPUTime).
func SystemClocks() Clocks {
	base := time.Now()
	return Clocks{
		Wall: func() time.Duration { return time.Since(base) },
		CPU:  ThreadCPUTime,
	}
}

// Mark is the start of one handler measurement. End must be called on it
// exactly once, on the same goroutine, also when the handler panics (use
// defer): a Mark with CPU measurement locks the goroutine to its thread.
type Mark struct {
	wall   time.Duration
	cpu    time.Duration
	cpuOK  bool
	locked bool
}

// Begin starts a measurement. With withCPU it locks the goroutine to its
// OS thread (so that both CPU readings are of that thread) and reads the
// thread's CPU clock.
func (c Clocks) Begin(withCPU bool) Mark {
	var m Mark
	if withCPU && c.CPU != nil {
		runtime.LockOSThread()
		m.locked = true
		m.cpu, m.cpuOK = c.CPU()
	}
	m.wall = c.Wall()
	return m
}

// End finishes a measurement: the wall time since Begin and, when it was
// measured, the CPU time (cpuOK false otherwise). A CPU reading that went
// backwards is reported as not measured.
func (c Clocks) End(m Mark) (wall, cpu time.Duration, cpuOK bool) {
	wall = c.Wall() - m.wall
	if wall < 0 {
		wall = 0
	}
	if m.locked {
		var end time.Duration
		end, cpuOK = c.CPU()
		runtime.UnlockOSThread()
		cpuOK = cpuOK && m.cpuOK && end >= m.cpu
		if cpuOK {
			cpu = end - m.cpu
		}
	}
	return wall, cpu, cpuOK
}
