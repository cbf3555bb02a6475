package main

import (
	"fmt"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/cmd/benchsuite/report"
	"github.com/actornode/actornode/internal/loadgen"
)

// floodPeers is how many connections flood the node.
const floodPeers = 100

// floodFigures holds messages per second per GOMAXPROCS value.
type floodFigures struct {
	runs map[int][]float64
	errs map[int]string
}

// median returns the median rate at procs.
func (f floodFigures) median(procs int) float64 { return report.Median(f.runs[procs]) }

// measureFlood measures the node's processed pings per second with 100
// peers flooding, at GOMAXPROCS 1 and 2, taking turns.
func (s *suite) measureFlood(z sizes) floodFigures {
	f := floodFigures{runs: map[int][]float64{}, errs: map[int]string{}}
	for run := range s.runs {
		for _, procs := range []int{1, 2} {
			rate, err := s.floodOnce(nodeSpec{gomaxprocs: procs}, z)
			if err != nil {
				f.errs[procs] = err.Error()
				s.logf("flood GOMAXPROCS=%d: %v", procs, err)
				continue
			}
			s.logf("flood GOMAXPROCS=%d run %d: %.0f msgs/s", procs, run+1, rate)
			f.runs[procs] = append(f.runs[procs], rate)
		}
	}
	return f
}

// floodOnce starts a node, floods it with pings from floodPeers
// connections and returns the pings it handled per second over the window,
// after a warm-up that fills the buffers. A ping counts as handled when its
// pong arrives: the node's Peer actor decoded it and answered. (The node's
// getnetmsgstats is not used: under this load its answer can take longer
// than the RPC's 30 s limit.)
func (s *suite) floodOnce(spec nodeSpec, z sizes) (float64, error) {
	srv, err := s.startActornode(spec)
	if err != nil {
		return 0, err
	}
	defer srv.stop()
	p, err := loadgen.OpenPool(loadgen.Target{Addr: srv.p2p, Net: wire.TestNet}, floodPeers, 16)
	if err != nil {
		return 0, err
	}
	defer p.Close()
	live := &loadgen.Live{}
	done := make(chan loadgen.TrafficResult, 1)
	go func() {
		done <- loadgen.Run(p, loadgen.Traffic{Kind: loadgen.KindPing, Duration: z.floodWarmup + z.window + time.Second, Drain: time.Millisecond, Live: live})
	}()
	time.Sleep(z.floodWarmup)
	before, t0 := live.Answered(), time.Now()
	time.Sleep(z.window)
	after, elapsed := live.Answered(), time.Since(t0)
	res := <-done
	if res.FirstError != nil {
		return 0, fmt.Errorf("%d connections broke: %w", res.Failed, res.FirstError)
	}
	return float64(after-before) / elapsed.Seconds(), nil
}

// section renders the flood figure.
func (f floodFigures) section(z sizes) report.Section {
	t := report.Table{Header: []string{"node GOMAXPROCS", "pings handled/s (median)", "runs", "vs GOMAXPROCS=1"}}
	for _, procs := range []int{1, 2} {
		var runs []string
		for _, r := range f.runs[procs] {
			runs = append(runs, fmt.Sprintf("%.0f", r))
		}
		row := []string{fmt.Sprint(procs), num(f.median(procs), "%.0f"), join(runs), num(report.Ratio(f.median(procs), f.median(1)), "%.2f×")}
		if e, ok := f.errs[procs]; ok && len(f.runs[procs]) == 0 {
			row[2] = "not measured: " + firstLine(e)
		}
		t.Rows = append(t.Rows, row)
	}
	return report.Section{
		Title:  "2. Messages per second, 100 peers flooding",
		Intro:  fmt.Sprintf(`%d handshaken connections each write pre-encoded pings back to back (32 KiB writes) and read the pongs; a ping counts as handled by the node when its pong comes back (the Peer actor decoded it and answered), counted over a %v window after a %v warm-up that fills the buffers. (getnetmsgstats, the node's own count, is not used: under this load the node answered it only after more than 30 s.) The node runs with GOMAXPROCS set in its environment; default configuration otherwise (accounting on, tracing off).`, floodPeers, z.window, z.floodWarmup),
		Tables: []report.Table{t},
		Notes:  `The load generator runs in the suite's process on the same two cores: it competes with the node for CPU (writing, and reading one pong per ping), so the 1 → 2 ratio may understate what the node would gain on a machine where the client ran elsewhere.`,
	}
}
