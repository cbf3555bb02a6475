// Command benchsuite is the benchmark suite `make bench` runs: it starts
// the servers under test as separate processes (the actornode binary, btcd,
// and itself as the raw TCP and sockman echo servers), drives them with
// internal/loadgen from this process, repeats every figure, and writes the
// medians, ratios to the baselines and a MET or MISSED line per target into
// the generated block of docs/benchmarks.md (package report).
//
//	benchsuite -actornode bin/actornode [-quick] [-runs 3] [-out docs/benchmarks.md]
//
// It owns only the processes, temporary directories and connections it
// creates. It never dials anything but loopback, never changes the node's
// code or configuration files, and leaves docs/benchmarks.md unchanged
// outside its markers.
package main
