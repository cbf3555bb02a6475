package node_test

import (
	"testing"

	"github.com/actornode/actornode/internal/wiretest"
)

// BenchmarkCaptureThroughput measures how many Bitcoin messages a whole
// node handles per second with message capture off and with every peer
// captured, in one run. One operation is one ping from a wiretest client
// handled by the node's Peer actor and its pong sent back, pingWindow pings
// in flight (as BenchmarkTracingThroughput); with capture on both are
// appended to the session's files on disk.
func BenchmarkCaptureThroughput(b *testing.B) {
	for _, mode := range []struct {
		name  string
		flags []string
	}{
		{"off", nil},
		{"all", []string{"--capture.enabled", "--capture.filter", "all", "--capture.maxsessionbytes", "0"}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			n := startBenchNode(b, mode.flags...)
			c := dialBench(b, n.p2p)
			if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
				b.Fatalf("handshake: %v", err)
			}
			pingThroughput(b, c, 20)
			b.ReportAllocs()
			b.ResetTimer()
			pingThroughput(b, c, b.N)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
