package main

import "syscall"

// childAttr makes the kernel kill a child when the suite dies.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
