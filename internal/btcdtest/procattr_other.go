//go:build !linux

package btcdtest

import "syscall"

// childProcAttr returns no special attributes: only Linux offers a parent
// death signal, elsewhere the test cleanups alone stop btcd.
func childProcAttr() *syscall.SysProcAttr { return nil }
