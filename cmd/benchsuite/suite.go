package main

import (
	"fmt"
	"io"
	"time"

	"github.com/actornode/actornode/cmd/benchsuite/report"
)

// options are the suite's settings.
type options struct {
	actornode string
	quick     bool
	runs      int
	out       string
}

// suite is one run of the benchmark suite.
type suite struct {
	options
	btcd string
	tmp  string
	log  io.Writer
}

// sizes are the per-figure workloads of a full or a quick pass.
type sizes struct {
	pings, pingWarmup     int
	floodWarmup, window   time.Duration
	memoryPeers           []int
	handshakes, hsWorkers int
	settle                time.Duration
}

// sizes returns the workload of this pass.
func (s *suite) sizes() sizes {
	if s.quick {
		return sizes{pings: 500, pingWarmup: 50, floodWarmup: time.Second, window: 2 * time.Second,
			memoryPeers: []int{1000}, handshakes: 1000, hsWorkers: 16, settle: 2 * time.Second}
	}
	return sizes{pings: 3000, pingWarmup: 200, floodWarmup: 2 * time.Second, window: 5 * time.Second,
		memoryPeers: []int{1000, 10000}, handshakes: 4000, hsWorkers: 16, settle: 5 * time.Second}
}

// logf writes a progress line.
func (s *suite) logf(format string, args ...any) {
	fmt.Fprintf(s.log, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

// run measures every figure and assembles the report.
func (s *suite) run(command string) report.Report {
	started := time.Now().UTC()
	machine := describeMachine()
	z := s.sizes()
	rtt := s.measureRTT(z)
	flood := s.measureFlood(z)
	mem := s.measureMemory(z)
	hs := s.measureHandshakes(z)
	over := s.measureOverheads(z)
	ibd := s.measureIBD()
	r := report.Report{
		Machine: machine,
		Date:    started.Format("2006-01-02 15:04 UTC"),
		Command: command,
		Runs:    s.runs,
	}
	r.Targets = targets(rtt, flood, mem, hs)
	r.Sections = []report.Section{rtt.section(z), flood.section(z), mem.section(z), hs.section(z), over.section(z), ibd.section()}
	return r
}

// targets derives the targets from the medians.
func targets(rtt rttFigures, flood floodFigures, mem memoryFigures, hs handshakeFigures) []report.Target {
	full, raw, btcd := rtt.median("actornode"), rtt.median("raw-echo"), rtt.median("btcd")
	ts := []report.Target{
		{Name: "full-stack ping p50 / raw TCP echo p50", Bound: report.AtMost, Limit: 1.5,
			Measured: report.Ratio(full.p50, raw.p50), Format: "%.2f×",
			Why: fmt.Sprintf("%.1f µs against %.1f µs", full.p50, raw.p50)},
		{Name: "full-stack ping p99", Bound: report.AtMost, Limit: 1000, Measured: full.p99, Format: "%.0f µs"},
		{Name: "full-stack ping p50 / btcd p50", Bound: report.AtMost, Limit: 1, Measured: report.Ratio(full.p50, btcd.p50), Format: "%.2f×",
			Why: fmt.Sprintf("%.1f µs against %.1f µs", full.p50, btcd.p50)},
		{Name: "full-stack ping p99 / btcd p99", Bound: report.AtMost, Limit: 1, Measured: report.Ratio(full.p99, btcd.p99), Format: "%.2f×",
			Why: fmt.Sprintf("%.1f µs against %.1f µs", full.p99, btcd.p99)},
		{Name: "messages/s processed, 100 flooding peers, GOMAXPROCS=2", Bound: report.AtLeast, Limit: 300000,
			Measured: flood.median(2), Format: "%.0f"},
		{Name: "scaling GOMAXPROCS 1 → 2", Bound: report.AtLeast, Limit: 1.7,
			Measured: report.Ratio(flood.median(2), flood.median(1)), Format: "%.2f×"},
	}
	for _, n := range mem.peers {
		a, b := mem.perPeer("actornode", n), mem.perPeer("btcd", n)
		ts = append(ts,
			report.Target{Name: fmt.Sprintf("RSS per idle peer at %d peers", n), Bound: report.AtMost, Limit: 30,
				Measured: a / 1000, Format: "%.1f KB"},
			report.Target{Name: fmt.Sprintf("RSS per idle peer at %d peers / btcd's", n), Bound: report.AtMost, Limit: 1,
				Measured: report.Ratio(a, b), Format: "%.2f×", Why: fmt.Sprintf("%.1f KB against %.1f KB", a/1000, b/1000)})
	}
	ts = append(ts,
		report.Target{Name: "handshakes/s", Bound: report.AtLeast, Limit: 5000, Measured: hs.median(), Format: "%.0f"})
	// IBD has no target in the issue: figure 6 reports it next to its
	// baseline without a verdict.
	return ts
}
