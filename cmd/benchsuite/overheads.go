package main

import (
	"errors"
	"fmt"

	"github.com/actornode/actornode/cmd/benchsuite/report"
)

// feature is one optional cost measured on against off.
type feature struct {
	name string
	// on are the flags that switch it on over the all-off baseline.
	on []string
}

// features lists the measured features; the baseline has all of them off.
func features(closedPort string) []feature {
	return []feature{
		{"tracing (sampler ratio 0.001)", []string{"--telemetry.traces.sampler", "ratio", "--telemetry.traces.endpoint", closedPort}},
		{"capture", []string{"--capture.enabled=true"}},
		{"accounting", []string{"--telemetry.accounting.enabled=true"}},
	}
}

// baselineFlags switch every measured feature off.
func baselineFlags() []string {
	return []string{"--telemetry.traces.sampler", "off", "--telemetry.accounting.enabled=false"}
}

// overheadFigures holds flood rates per configuration.
type overheadFigures struct {
	names []string
	runs  map[string][]float64
	errs  map[string]string
}

// measureOverheads floods the node (GOMAXPROCS 2) with each feature on
// alone and with all off, the configurations taking turns within a run.
func (s *suite) measureOverheads(z sizes) overheadFigures {
	closed, _ := freePort()
	fs := features(closed)
	f := overheadFigures{runs: map[string][]float64{}, errs: map[string]string{}}
	f.names = append(f.names, "all off")
	for _, ft := range fs {
		f.names = append(f.names, ft.name)
	}
	unsupported := map[string]bool{}
	for run := range s.runs {
		for i, name := range f.names {
			flags := baselineFlags()
			if i > 0 {
				flags = append(flags, fs[i-1].on...)
			}
			if unsupported[name] {
				continue
			}
			rate, err := s.floodOnce(nodeSpec{flags: flags, gomaxprocs: 2}, z)
			if err != nil {
				if errors.Is(err, errUnsupportedKey) {
					unsupported[name] = true
					err = fmt.Errorf("not available in this build (%v)", err)
				}
				f.errs[name] = err.Error()
				s.logf("overhead %s: %v", name, err)
				continue
			}
			s.logf("overhead %s run %d: %.0f msgs/s", name, run+1, rate)
			f.runs[name] = append(f.runs[name], rate)
		}
	}
	return f
}

// section renders the overhead figure.
func (f overheadFigures) section(z sizes) report.Section {
	off := report.Median(f.runs["all off"])
	t := report.Table{Header: []string{"configuration", "pings handled/s (median)", "runs", "cost vs all off"}}
	for _, name := range f.names {
		var runs []string
		for _, r := range f.runs[name] {
			runs = append(runs, fmt.Sprintf("%.0f", r))
		}
		m := report.Median(f.runs[name])
		cost := "—"
		if name != "all off" {
			cost = num(100*(1-report.Ratio(m, off)), "%+.1f%%")
		}
		row := []string{name, num(m, "%.0f"), join(runs), cost}
		if e, ok := f.errs[name]; ok && len(f.runs[name]) == 0 {
			row[1], row[2], row[3] = "n/a", firstLine(e), "n/a"
		}
		t.Rows = append(t.Rows, row)
	}
	return report.Section{
		Title:  "5. Overheads of tracing, capture and accounting",
		Intro:  fmt.Sprintf(`The flood of figure 2 (100 peers, node GOMAXPROCS=2, %v window) with every feature off, then with each one on alone; the configurations take turns within each run. Cost = 1 − rate(on) / rate(all off): positive is slower.`, z.window),
		Tables: []report.Table{t},
		Notes:  `Tracing exports to a loopback port where nothing listens (no collector is started): spans are made and queued as with a collector, and the failed exports are dropped and counted, never waited for. Capture writes every message of every peer to the node's temporary datadir.`,
	}
}
