package btcdtest

import "syscall"

// childProcAttr asks the kernel to kill btcd if the test binary dies without
// running its cleanups (a panic or a test timeout), so no btcd is left behind.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
