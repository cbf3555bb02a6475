//go:build !linux

package testproc

import "syscall"

// childProcAttr returns no special attributes outside Linux, which has no
// parent-death signal; cleanups still stop the process.
func childProcAttr() *syscall.SysProcAttr { return nil }
