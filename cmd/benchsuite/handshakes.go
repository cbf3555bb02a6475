package main

import (
	"fmt"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/cmd/benchsuite/report"
	"github.com/actornode/actornode/internal/loadgen"
)

// handshakeFigures holds handshakes per second per run.
type handshakeFigures struct {
	runs []float64
	p50  []float64
	err  string
}

// median returns the median rate.
func (f handshakeFigures) median() float64 { return report.Median(f.runs) }

// measureHandshakes measures completed handshakes per second against a
// fresh node per run.
func (s *suite) measureHandshakes(z sizes) handshakeFigures {
	var f handshakeFigures
	for run := range s.runs {
		srv, err := s.startActornode(nodeSpec{})
		if err != nil {
			f.err = err.Error()
			s.logf("handshakes: %v", err)
			continue
		}
		res := loadgen.Handshakes(loadgen.Target{Addr: srv.p2p, Net: wire.TestNet}, z.handshakes, z.hsWorkers)
		srv.stop()
		if res.Failed > 0 {
			f.err = fmt.Sprintf("%d of %d failed: %v", res.Failed, z.handshakes, res.FirstError)
			s.logf("handshakes: %s", f.err)
			continue
		}
		s.logf("handshakes run %d: %.0f/s", run+1, res.Rate())
		f.runs = append(f.runs, res.Rate())
		f.p50 = append(f.p50, micros(res.Latency.P50))
	}
	return f
}

// section renders the handshake figure.
func (f handshakeFigures) section(z sizes) report.Section {
	var runs []string
	for _, r := range f.runs {
		runs = append(runs, fmt.Sprintf("%.0f", r))
	}
	row := []string{num(f.median(), "%.0f"), join(runs), num(report.Median(f.p50), "%.0f")}
	if f.err != "" && len(f.runs) == 0 {
		row[1] = "not measured: " + firstLine(f.err)
	}
	return report.Section{
		Title:  "4. Handshakes per second",
		Intro:  fmt.Sprintf(`%d connections, at most %d at a time: each dials, sends version, wtxidrelay, sendaddrv2 and verack in one write, waits for the node's version and verack, and closes. Rate = completed / elapsed wall time of the whole batch. The client shares the two cores with the node.`, z.handshakes, z.hsWorkers),
		Tables: []report.Table{{Header: []string{"handshakes/s (median)", "runs", "dial-to-verack p50 µs (median)"}, Rows: [][]string{row}}},
	}
}
