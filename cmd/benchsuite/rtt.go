package main

import (
	"fmt"
	"math"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/cmd/benchsuite/report"
	"github.com/actornode/actornode/internal/loadgen"
)

// rttServers returns the servers of the ping figure, baselines first.
func rttServers() []string { return []string{"raw-echo", "sockman-echo", "actornode", "btcd"} }

// rttRun is one run's percentiles in microseconds.
type rttRun struct{ p50, p99 float64 }

// rttFigures holds every run of every server.
type rttFigures struct {
	runs map[string][]rttRun
	errs map[string]string
}

// median returns the medians of a server's runs (NaN when none).
func (f rttFigures) median(name string) rttRun {
	var p50, p99 []float64
	for _, r := range f.runs[name] {
		p50, p99 = append(p50, r.p50), append(p99, r.p99)
	}
	return rttRun{report.Median(p50), report.Median(p99)}
}

// startByName starts one of the ping figure's servers.
func (s *suite) startByName(name string) (*server, error) {
	switch name {
	case "raw-echo":
		return s.startEcho("raw")
	case "sockman-echo":
		return s.startEcho("sockman")
	case "actornode":
		return s.startActornode(nodeSpec{})
	}
	return s.startBtcd()
}

// measureRTT measures one-at-a-time ping round trips against every server,
// the servers taking turns within each run.
func (s *suite) measureRTT(z sizes) rttFigures {
	f := rttFigures{runs: map[string][]rttRun{}, errs: map[string]string{}}
	for run := range s.runs {
		for _, name := range rttServers() {
			r, err := s.pingOnce(name, z)
			if err != nil {
				f.errs[name] = err.Error()
				s.logf("ping %s: %v", name, err)
				continue
			}
			s.logf("ping %s run %d: p50 %.1f µs p99 %.1f µs", name, run+1, r.p50, r.p99)
			f.runs[name] = append(f.runs[name], r)
		}
	}
	return f
}

// pingOnce starts a server, measures a series of pings over one connection
// and stops the server.
func (s *suite) pingOnce(name string, z sizes) (rttRun, error) {
	srv, err := s.startByName(name)
	if err != nil {
		return rttRun{}, err
	}
	defer srv.stop()
	t := loadgen.Target{Addr: srv.p2p, Net: wire.TestNet}
	var c *loadgen.Conn
	if srv.handshake {
		c, err = t.Open()
	} else {
		c, err = loadgen.Dial(t.Addr, t.Net, 30*time.Second)
	}
	if err != nil {
		return rttRun{}, err
	}
	defer c.Close()
	lat, err := loadgen.PingSeries(c, z.pings, z.pingWarmup, t)
	if err != nil {
		return rttRun{}, err
	}
	return rttRun{micros(lat.P50), micros(lat.P99)}, nil
}

// micros converts d to microseconds.
func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// section renders the ping figure.
func (f rttFigures) section(z sizes) report.Section {
	raw := f.median("raw-echo")
	t := report.Table{Header: []string{"server", "p50 µs", "p99 µs", "p50 / raw", "p99 / raw", "runs (p50)"}}
	for _, name := range rttServers() {
		m := f.median(name)
		var runs []string
		for _, r := range f.runs[name] {
			runs = append(runs, fmt.Sprintf("%.1f", r.p50))
		}
		row := []string{name, num(m.p50, "%.1f"), num(m.p99, "%.1f"),
			num(report.Ratio(m.p50, raw.p50), "%.2f×"), num(report.Ratio(m.p99, raw.p99), "%.2f×"), join(runs)}
		if e, ok := f.errs[name]; ok && len(f.runs[name]) == 0 {
			row[5] = "not measured: " + firstLine(e)
		}
		t.Rows = append(t.Rows, row)
	}
	return report.Section{
		Title:  "1. Ping round trip",
		Intro:  fmt.Sprintf(`One connection, one ping in flight: %d timed pings after %d warm-up pings, each waiting for the pong with its nonce (loadgen.PingSeries). Every server is a separate process on loopback with the default GOMAXPROCS; the echo servers answer pings without a handshake, actornode and btcd after a full version handshake.`, z.pings, z.pingWarmup),
		Tables: []report.Table{t},
	}
}

// num formats v, or "n/a" for NaN.
func num(v float64, format string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return fmt.Sprintf(format, v)
}
