package testproc

import "syscall"

// childProcAttr asks the kernel to kill the child if the test binary dies
// without running its cleanups (a panic or a test timeout), so no child is
// left behind holding its ports.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
