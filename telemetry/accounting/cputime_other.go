//go:build !linux

package accounting

import "time"

// ThreadCPUTime reports false: this platform has no per-thread CPU clock
// the package reads, so handler CPU time is not measured there.
func ThreadCPUTime() (time.Duration, bool) { return 0, false }
