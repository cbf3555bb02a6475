// Package testproc runs the real programs tests talk to (btcd, Jaeger) as
// child processes: started with their output in a file, stopped with SIGINT
// and then killed after a grace period, and, on Linux, killed by the kernel
// if the test binary dies without running its cleanups.
//
// It owns the process lifecycle only; what a program is, how it is
// configured and when it is ready belong to the harness that uses it.
package testproc
