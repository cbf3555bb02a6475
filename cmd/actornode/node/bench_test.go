package node_test

import (
	"net"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/cmd/actornode/node"
	"github.com/actornode/actornode/cmd/benchsuite/echo"
	"github.com/actornode/actornode/config"
	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/internal/wiretest"
)

// benchNet is the magic of regtest, the network every benchmark speaks.
const benchNet = wire.TestNet

// benchWait bounds every wait in the benchmarks; it is generous because the
// machines they run on are small and shared.
const benchWait = 30 * time.Second

// benchNode is an actornode started for a benchmark: regtest on loopback,
// logs discarded below error, room for many inbound peers and no outbound
// connections of its own.
type benchNode struct {
	running *node.Running
	p2p     string
}

// startBenchNode starts a node, with extra flags (config keys) if any, and
// stops it when b ends.
func startBenchNode(b *testing.B, extra ...string) *benchNode {
	b.Helper()
	cfg, err := config.Load(append([]string{
		"--network", "regtest",
		"--datadir", b.TempDir(),
		"--p2p.listen", "127.0.0.1:0",
		"--p2p.maxconnections", "10000",
		"--p2p.maxoutbound", "0",
		"--p2p.maxblockrelay", "0",
		"--p2p.dnsseed=false",
		"--rpc.listen", "127.0.0.1:0",
		"--rpc.user", "bench", "--rpc.password", "bench",
		"--log.level", "error",
	}, extra...), nil)
	if err != nil {
		b.Fatalf("config: %v", err)
	}
	logs := &syncBuffer{}
	r, err := node.Start(cfg, node.Options{LogOutput: logs})
	if err != nil {
		b.Fatalf("start: %v", err)
	}
	b.Cleanup(func() {
		if err := r.Shutdown(); err != nil {
			b.Errorf("shutdown: %v", err)
		}
		if b.Failed() {
			b.Logf("actornode log:\n%s", tail(logs.String(), 60))
		}
	})
	addrs, err := r.P2PAddrs(benchWait)
	if err != nil || len(addrs) != 1 {
		b.Fatalf("P2P listener: %v %v", addrs, err)
	}
	return &benchNode{running: r, p2p: addrs[0]}
}

// connections asks connman how many connections it holds.
func (n *benchNode) connections(b *testing.B) uint32 {
	b.Helper()
	sys := n.running.System()
	res, err := sys.Root.RequestFuture(actors.ChildPID(sys, actors.SubsystemConnman), &connmanpb.GetConnectionCounts{}, benchWait).Result()
	if err != nil {
		b.Fatalf("connection counts: %v", err)
	}
	return res.(*connmanpb.ConnectionCounts).GetTotal()
}

// waitNoConnections waits until the node has closed every connection, so
// that a handshake benchmark pays for the teardown of the connections it
// opened and not only for their setup.
func (n *benchNode) waitNoConnections(b *testing.B) {
	b.Helper()
	deadline := time.Now().Add(benchWait)
	for n.connections(b) != 0 {
		if time.Now().After(deadline) {
			b.Fatalf("node still holds %d connections after %v", n.connections(b), benchWait)
		}
		time.Sleep(time.Millisecond)
	}
}

// handshakeOnce dials the node, completes the version handshake as Bitcoin
// Core would and closes the connection.
func handshakeOnce(addr string) error {
	c, err := wiretest.Dial(addr, benchNet)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Handshake(wiretest.DefaultHandshake())
	return err
}

// reportHandshakeRate adds handshakes per second of wall time to the result.
func reportHandshakeRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "handshakes/s")
}

// BenchmarkHandshake measures one inbound peer's whole life, one after the
// other: dial, version/verack exchange, close, and (once, at the end) the
// node finishing the teardown of every connection it accepted.
func BenchmarkHandshake(b *testing.B) {
	n := startBenchNode(b)
	if err := handshakeOnce(n.p2p); err != nil {
		b.Fatalf("warm-up handshake: %v", err)
	}
	n.waitNoConnections(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := handshakeOnce(n.p2p); err != nil {
			b.Fatal(err)
		}
	}
	n.waitNoConnections(b)
	b.StopTimer()
	reportHandshakeRate(b)
}

// BenchmarkHandshakeParallel is BenchmarkHandshake with several clients
// handshaking at once (4 per GOMAXPROCS), which is how a node meets a burst
// of inbound peers.
func BenchmarkHandshakeParallel(b *testing.B) {
	n := startBenchNode(b)
	if err := handshakeOnce(n.p2p); err != nil {
		b.Fatalf("warm-up handshake: %v", err)
	}
	n.waitNoConnections(b)
	var failed atomic.Pointer[error]
	b.ReportAllocs()
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := handshakeOnce(n.p2p); err != nil {
				failed.CompareAndSwap(nil, &err)
				return
			}
		}
	})
	if err := failed.Load(); err != nil {
		b.Fatal(*err)
	}
	n.waitNoConnections(b)
	b.StopTimer()
	reportHandshakeRate(b)
}

// BenchmarkPingRTT measures one ping/pong round trip from the same wiretest
// client against three servers, in one process and one run so that their
// figures can be compared:
//
//   - raw-tcp-echo: a goroutine that decodes each ping frame with sockman's
//     decoder and writes the pong frame back; no actors.
//   - sockman-echo: a sockman actor whose connection owner is an actor that
//     answers each ping Frame with a pong Send.
//   - full-stack: a whole actornode after a complete handshake; the ping goes
//     through sockman to the connection's Peer actor and its protocol core.
//
// ns/op is one round trip; p50-us and p99-us are percentiles of the
// individual round trips.
func BenchmarkPingRTT(b *testing.B) {
	b.Run("raw-tcp-echo", func(b *testing.B) {
		addr := startRawEcho(b)
		c := dialBench(b, addr)
		pingRoundTrips(b, c)
	})
	b.Run("sockman-echo", func(b *testing.B) {
		addr := startSockmanEcho(b)
		c := dialBench(b, addr)
		pingRoundTrips(b, c)
	})
	b.Run("full-stack", func(b *testing.B) {
		n := startBenchNode(b)
		c := dialBench(b, n.p2p)
		if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
			b.Fatalf("handshake: %v", err)
		}
		pingRoundTrips(b, c)
	})
}

// dialBench dials addr with a wiretest client that is closed when b ends.
func dialBench(b *testing.B, addr string) *wiretest.Client {
	b.Helper()
	c, err := wiretest.Dial(addr, benchNet)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	return c
}

// pingRoundTrips pings over c b.N times and reports the round-trip
// percentiles. A few untimed pings first let the server settle (the node,
// for one, sends its own messages right after the handshake).
func pingRoundTrips(b *testing.B, c *wiretest.Client) {
	b.Helper()
	const warmUp = 20
	for i := range warmUp {
		if _, err := c.Ping(uint64(1+i), benchWait); err != nil {
			b.Fatalf("warm-up ping: %v", err)
		}
	}
	c.ResetOthers()
	rtts := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		rtt, err := c.Ping(uint64(warmUp+1+i), benchWait)
		if err != nil {
			b.Fatal(err)
		}
		rtts[i] = rtt
	}
	b.StopTimer()
	if others := c.Others(); len(others) > 0 {
		b.Logf("the server also sent %d other messages, first %q", len(others), others[0].Command)
	}
	slices.Sort(rtts)
	b.ReportMetric(percentileMicros(rtts, 0.50), "p50-us")
	b.ReportMetric(percentileMicros(rtts, 0.99), "p99-us")
}

// percentileMicros returns the q-quantile (nearest rank) of sorted, in
// microseconds.
func percentileMicros(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return float64(sorted[i]) / float64(time.Microsecond)
}

// startRawEcho starts the suite's raw echo server (echo.ServeRaw: sockman's
// decoder and encoder, no actors) on loopback, stopped when b ends. It
// returns the address to dial.
func startRawEcho(b *testing.B) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = echo.ServeRaw(ln, benchNet)
	}()
	b.Cleanup(func() {
		_ = ln.Close()
		<-done
	})
	return ln.Addr().String()
}

// startSockmanEcho starts the suite's sockman echo server
// (echo.ServeSockman: a sockman actor and a pong-answering owner) on
// loopback, stopped when b ends. It returns the address to dial.
func startSockmanEcho(b *testing.B) string {
	b.Helper()
	addr, stop, err := echo.ServeSockman("127.0.0.1:0", benchNet)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	return addr
}
