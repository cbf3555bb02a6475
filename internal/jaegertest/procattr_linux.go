package jaegertest

import "syscall"

// childProcAttr asks the kernel to kill Jaeger if the test binary dies
// without running its cleanups (a panic or a test timeout), so no Jaeger is
// left behind holding its ports.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
