package peerman_test

import (
	"log/slog"
	"syscall"
	"testing"
	"time"

	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/peerman"
	"github.com/btcsuite/btcd/wire/v2"
)

// socketRig is a node (sockman and peerman) with one wiretest client
// connected over loopback and past its handshake.
type socketRig struct {
	c     *wiretest.Client
	burst []byte // batch pings, framed back to back
	n     int
}

// newSocketRig starts a fixture configured by cfg and connects a client;
// each run writes n pings at once and reads their n pongs.
func newSocketRig(b *testing.B, cfg peerman.Config, n int) *socketRig {
	cfg.Logger = slog.New(slog.DiscardHandler)
	f := newFixture(b, cfg)
	c, err := wiretest.Dial(f.addr, testNet)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		b.Fatal(err)
	}
	r := &socketRig{c: c, n: n}
	for i := range n {
		fr, err := wiretest.MessageFrame(testNet, wire.NewMsgPing(uint64(i+1)))
		if err != nil {
			b.Fatal(err)
		}
		r.burst = append(r.burst, fr...)
	}
	return r
}

// run writes the batch of pings and waits for as many pongs (the node's
// own ping, sent once after the handshake, is skipped).
func (r *socketRig) run(b *testing.B) {
	if err := r.c.WriteRaw(r.burst); err != nil {
		b.Fatal(err)
	}
	for got := 0; got < r.n; {
		_, cmd, err := r.c.ReadMessage(waitLong)
		if err != nil {
			b.Fatal(err)
		}
		if cmd == wire.CmdPong {
			got++
		}
	}
}

// processCPUTime returns the CPU time the whole process has used.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSocketAccounting compares ping/pong throughput through the
// whole stack (client socket, sockman, Peer, sockman, client socket) with
// accounting off and on, in the same run: two nodes in one process take
// turns in batches of 500 pings, alternating which goes first. Each op is
// one ping answered by each node. CPU time is the process's, the test
// client included, so the overhead relative to the node alone is higher
// than the cpu figure says; the wall figure is throughput.
func BenchmarkSocketAccounting(b *testing.B) {
	const batch = 500
	for _, c := range []struct {
		name string
		on   peerman.Config
	}{
		{"cpu-every-1", peerman.Config{HandlerCPUEvery: 1}},
		{"default", peerman.Config{}},
		{"wall-only", peerman.Config{HandlerCPUEvery: 1 << 62}},
		{"off-vs-off", peerman.Config{NoAccounting: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			offCfg, onCfg := statsConfig(), statsConfig()
			offCfg.NoAccounting = true
			onCfg.NoAccounting, onCfg.HandlerCPUEvery = c.on.NoAccounting, c.on.HandlerCPUEvery
			rigs := []*socketRig{newSocketRig(b, offCfg, batch), newSocketRig(b, onCfg, batch)}
			rigs[0].run(b)
			rigs[1].run(b)
			var wall, cpu [2]time.Duration
			rounds := (b.N + batch - 1) / batch
			b.ResetTimer()
			for round := range rounds {
				order := []int{0, 1}
				if round%2 == 1 {
					order = []int{1, 0}
				}
				for _, i := range order {
					w0, c0 := time.Now(), processCPUTime()
					rigs[i].run(b)
					wall[i] += time.Since(w0)
					cpu[i] += processCPUTime() - c0
				}
			}
			b.StopTimer()
			msgs := float64(rounds * batch)
			b.ReportMetric(float64(wall[0])/msgs, "off-ns/msg")
			b.ReportMetric(float64(wall[1])/msgs, "on-ns/msg")
			b.ReportMetric(float64(cpu[0])/msgs, "off-cpu-ns/msg")
			b.ReportMetric(float64(cpu[1])/msgs, "on-cpu-ns/msg")
			b.ReportMetric(100*(float64(cpu[1])/float64(cpu[0])-1), "cpu-overhead-%")
			b.ReportMetric(100*(float64(wall[1])/float64(wall[0])-1), "wall-overhead-%")
		})
	}
}
