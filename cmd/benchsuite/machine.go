package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// describeMachine returns lines describing where the suite runs: CPU
// model, cores, memory, kernel, Go version and load at the start.
func describeMachine() []string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	kernel := strings.TrimSpace(readOr("/proc/sys/kernel/osrelease", "unknown"))
	load := strings.Join(strings.Fields(readOr("/proc/loadavg", ""))[:min(3, len(strings.Fields(readOr("/proc/loadavg", ""))))], " ")
	mem := "unknown"
	for _, l := range strings.Split(readOr("/proc/meminfo", ""), "\n") {
		if v, ok := strings.CutPrefix(l, "MemTotal:"); ok {
			mem = strings.TrimSpace(v)
		}
	}
	goVersion := runtime.Version()
	if out, err := exec.Command("go", "version").Output(); err == nil {
		goVersion = strings.TrimSpace(string(out))
	}
	return []string{
		"CPU: " + model,
		fmt.Sprintf("cores (nproc): %d", runtime.NumCPU()),
		"memory: " + mem,
		fmt.Sprintf("kernel: %s %s/%s", kernel, runtime.GOOS, runtime.GOARCH),
		"Go: " + goVersion,
		"load average at start: " + load,
		"client: this process (internal/loadgen), on the same cores as the server under test",
	}
}

// readOr returns the file's contents, or def when it cannot be read.
func readOr(path, def string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return def
	}
	return string(b)
}
