package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"strconv"
	"strings"

	"github.com/actornode/actornode/cmd/benchsuite/report"
)

// ibdPaths are the sub-benchmarks of BenchmarkIBD, in report order: the
// plain one-connection client (the baseline), actornode syncing from btcd,
// and actornode syncing from another actornode.
var ibdPaths = []string{"wire-client", "actornode-from-btcd", "actornode-from-actornode"}

// ibdFigure is the IBD throughput figure: per path, blocks/s and MB/s.
type ibdFigure struct {
	blocksPerSecond map[string]float64
	mbPerSecond     map[string]float64
	err             error
}

// measureIBD runs BenchmarkIBD (cmd/actornode/node/ibd_bench_test.go) in
// the same run as the other figures: it mines a regtest chain with
// transactions in btcd once, then times each path pulling it, s.runs
// times each (go test -benchtime), and reports the benchmark's own
// blocks/s and MB/s metrics. It must run from the repository root, as
// `make bench` does.
func (s *suite) measureIBD() ibdFigure {
	f := ibdFigure{blocksPerSecond: map[string]float64{}, mbPerSecond: map[string]float64{}}
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", "^BenchmarkIBD$",
		"-benchtime", fmt.Sprintf("%dx", s.runs), "-count", "1", "./cmd/actornode/node/")
	out, err := cmd.CombinedOutput()
	if err != nil {
		f.err = fmt.Errorf("BenchmarkIBD failed: %v: %s", err, lastLines(out, 5))
		return f
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || !strings.HasPrefix(fields[0], "BenchmarkIBD/") {
			continue
		}
		name := strings.TrimPrefix(fields[0], "BenchmarkIBD/")
		if i := strings.LastIndex(name, "-"); i > 0 {
			name = name[:i] // the GOMAXPROCS suffix
		}
		for i := 1; i+1 < len(fields); i++ {
			v, perr := strconv.ParseFloat(fields[i], 64)
			if perr != nil {
				continue
			}
			switch fields[i+1] {
			case "blocks/s":
				f.blocksPerSecond[name] = v
			case "MB/s":
				f.mbPerSecond[name] = v
			}
		}
	}
	if _, ok := f.blocksPerSecond["actornode-from-btcd"]; !ok {
		f.err = fmt.Errorf("BenchmarkIBD printed no actornode-from-btcd figure: %s", lastLines(out, 5))
	}
	return f
}

// lastLines returns the last n lines of out, for error messages.
func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// section renders figure 6.
func (f ibdFigure) section() report.Section {
	s := report.Section{Title: "6. IBD throughput"}
	if f.err != nil {
		s.Intro = "Not measured: " + f.err.Error() + "."
		return s
	}
	s.Intro = "BenchmarkIBD (cmd/actornode/node/ibd_bench_test.go): a regtest chain with signed P2PKH transactions mined by btcd, pulled by each path; figures are the benchmark's means over the runs."
	rows := [][]string{}
	for _, p := range ibdPaths {
		bps, ok := f.blocksPerSecond[p]
		if !ok {
			continue
		}
		rows = append(rows, []string{p, num(bps, "%.0f"), num(f.mbPerSecond[p], "%.1f")})
	}
	s.Tables = []report.Table{{Header: []string{"path", "blocks/s", "MB/s"}, Rows: rows}}
	return s
}
