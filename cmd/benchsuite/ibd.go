package main

import (
	"errors"
	"math"

	"github.com/actornode/actornode/cmd/benchsuite/report"
)

// errIBDNotAvailable is what measureIBD returns until chain sync lands.
var errIBDNotAvailable = errors.New("chain sync (IBD) is not in this build yet")

// ibdFigure is the IBD throughput figure.
type ibdFigure struct {
	blocksPerSecond float64
	err             error
}

// measureIBD is the HOOK for figure 6, IBD throughput.
//
// TODO(chain-sync): once the node syncs a chain, measure here: start btcd,
// mine a regtest chain with btcctl generate, start actornode with
// --p2p.connect to btcd, and time the sync to btcd's height (blocks/s and
// MB/s, medians over s.runs), then return the figure instead of
// errIBDNotAvailable. The report row and target line below pick it up.
func (s *suite) measureIBD() ibdFigure {
	return ibdFigure{blocksPerSecond: math.NaN(), err: errIBDNotAvailable}
}

// target is the IBD line of the targets list (no number is required yet).
func (f ibdFigure) target() report.Target {
	t := report.Target{Name: "IBD throughput (blocks/s)", Bound: report.AtLeast, Limit: 0, Measured: f.blocksPerSecond, Format: "%.0f"}
	if f.err != nil {
		t.Why = f.err.Error()
	}
	return t
}

// section renders figure 6.
func (f ibdFigure) section() report.Section {
	s := report.Section{Title: "6. IBD throughput"}
	if f.err != nil {
		s.Intro = "Not measured: " + f.err.Error() + ". The hook is measureIBD in cmd/benchsuite/ibd.go."
		return s
	}
	s.Tables = []report.Table{{Header: []string{"blocks/s (median)"}, Rows: [][]string{{num(f.blocksPerSecond, "%.0f")}}}}
	return s
}
