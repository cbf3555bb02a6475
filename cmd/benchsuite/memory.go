package main

import (
	"fmt"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/cmd/benchsuite/report"
	"github.com/actornode/actornode/internal/loadgen"
)

// memoryFigures holds bytes of RSS per idle peer, by server and peer count.
type memoryFigures struct {
	peers []int
	runs  map[string]map[int][]float64
	base  map[string][]float64
	errs  map[string]string
}

// perPeer returns the median bytes per peer.
func (f memoryFigures) perPeer(name string, n int) float64 { return report.Median(f.runs[name][n]) }

// measureMemory measures RSS per handshaken idle peer for actornode and
// btcd at each peer count.
func (s *suite) measureMemory(z sizes) memoryFigures {
	f := memoryFigures{peers: z.memoryPeers, runs: map[string]map[int][]float64{}, base: map[string][]float64{}, errs: map[string]string{}}
	for _, name := range []string{"actornode", "btcd"} {
		f.runs[name] = map[int][]float64{}
	}
	for run := range s.runs {
		for _, n := range z.memoryPeers {
			for _, name := range []string{"actornode", "btcd"} {
				base, per, err := s.memoryOnce(name, n, z)
				if err != nil {
					f.errs[name] = err.Error()
					s.logf("memory %s %d peers: %v", name, n, err)
					continue
				}
				s.logf("memory %s %d peers run %d: base %.1f MB, %.1f KB/peer", name, n, run+1, base/1e6, per/1000)
				f.runs[name][n] = append(f.runs[name][n], per)
				f.base[name] = append(f.base[name], base)
			}
		}
	}
	return f
}

// memoryOnce starts a server, reads its RSS settled with no peers, opens n
// idle handshaken peers, waits until the server reports all of them
// handshaken and settles again, and returns the base RSS and the RSS added
// per peer.
func (s *suite) memoryOnce(name string, n int, z sizes) (float64, float64, error) {
	var srv *server
	var err error
	if name == "btcd" {
		srv, err = s.startBtcd()
	} else {
		srv, err = s.startActornode(nodeSpec{})
	}
	if err != nil {
		return 0, 0, err
	}
	defer srv.stop()
	time.Sleep(z.settle)
	base, err := srv.proc.rssBytes()
	if err != nil {
		return 0, 0, err
	}
	// btcd refuses a source (/24) with several handshakes pending at once,
	// so its peers are opened one at a time.
	concurrency := 32
	if name == "btcd" {
		concurrency = 1
	}
	p, err := loadgen.OpenPool(loadgen.Target{Addr: srv.p2p, Net: wire.TestNet, Timeout: 2 * time.Minute}, n, concurrency)
	if err != nil {
		return 0, 0, err
	}
	defer p.Close()
	err = waitFor(3*time.Minute, func() error {
		got, err := srv.rpc.handshakenPeers()
		if err != nil {
			return err
		}
		if got != n {
			return fmt.Errorf("%d of %d peers handshaken", got, n)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	time.Sleep(z.settle)
	// Check again after the settle: a peer dropped meanwhile would make
	// the figure wrong.
	if got, err := srv.rpc.handshakenPeers(); err != nil || got != n {
		return 0, 0, fmt.Errorf("after settling: %d of %d peers handshaken (%v)", got, n, err)
	}
	rss, err := srv.proc.rssBytes()
	if err != nil {
		return 0, 0, err
	}
	return base, (rss - base) / float64(n), nil
}

// section renders the memory figure.
func (f memoryFigures) section(z sizes) report.Section {
	t := report.Table{Header: []string{"server", "peers", "RSS KB per idle peer (median)", "runs (KB)", "vs btcd"}}
	for _, name := range []string{"actornode", "btcd"} {
		for _, n := range f.peers {
			var runs []string
			for _, r := range f.runs[name][n] {
				runs = append(runs, fmt.Sprintf("%.1f", r/1000))
			}
			row := []string{name, fmt.Sprint(n), num(f.perPeer(name, n)/1000, "%.1f"), join(runs),
				num(report.Ratio(f.perPeer(name, n), f.perPeer("btcd", n)), "%.2f×")}
			if e, ok := f.errs[name]; ok && len(f.runs[name][n]) == 0 {
				row[3] = "not measured: " + firstLine(e)
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return report.Section{
		Title:  "3. Memory per handshaken idle peer",
		Intro:  fmt.Sprintf(`(RSS with N handshaken idle peers − RSS with none) / N, each RSS read from /proc after a %v settle; the peer count is checked with getpeerinfo (peers whose version was handled) before and after the settle. Medians of the base RSS with no peers: actornode %s MB, btcd %s MB.`, z.settle, num(report.Median(f.base["actornode"])/1e6, "%.1f"), num(report.Median(f.base["btcd"])/1e6, "%.1f")),
		Tables: []report.Table{t},
		Notes:  `Go heap is not reported: actornode's Prometheus endpoint (telemetry.metrics.listen) exports the node's own metrics from a private registry without the Go runtime collector, so there is no go_memstats series to read; RSS is the comparable figure for both servers anyway. The idle peers are 127.0.0.1 connections with the default configuration apart from p2p.maxconnections (10,200) and btcd's --maxpeers (10,200).`,
	}
}
