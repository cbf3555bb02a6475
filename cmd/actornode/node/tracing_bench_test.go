package node_test

import (
	"bytes"
	"testing"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/internal/jaegertest"
	"github.com/actornode/actornode/internal/wiretest"
)

// pingWindow is how many pings BenchmarkTracingThroughput keeps in flight.
const pingWindow = 100

// BenchmarkTracingThroughput measures how many Bitcoin messages a whole
// node handles per second with tracing off, at the default ratio (0.001)
// and with every message traced, in one run and against the same real
// Jaeger. One operation is one ping from a wiretest client handled by the
// node's Peer actor and its pong sent back through the connection actor;
// the client keeps pingWindow pings in flight. With sampler always each
// ping makes two spans (peerman recv ping, sockman send pong); spans the
// export queue cannot take are dropped, never waited for.
func BenchmarkTracingThroughput(b *testing.B) {
	j := jaegertest.Start(b)
	for _, mode := range []struct {
		name  string
		flags []string
	}{
		{"off", []string{"--telemetry.traces.sampler", "off"}},
		{"ratio-0.001", []string{"--telemetry.traces.sampler", "ratio", "--telemetry.traces.ratio", "0.001"}},
		{"always", []string{"--telemetry.traces.sampler", "always"}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			n := startBenchNode(b, append(mode.flags, "--telemetry.traces.endpoint", j.OTLPGRPCAddr())...)
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

// pingThroughput sends count pings over c, pingWindow at a time in one
// write, and reads every pong back (answering the node's own pings).
func pingThroughput(b *testing.B, c *wiretest.Client, count int) {
	b.Helper()
	var batch bytes.Buffer
	nonce := uint64(1)
	for done := 0; done < count; {
		k := min(pingWindow, count-done)
		batch.Reset()
		for range k {
			frame, err := wiretest.MessageFrame(benchNet, wire.NewMsgPing(nonce))
			if err != nil {
				b.Fatal(err)
			}
			nonce++
			batch.Write(frame)
		}
		if err := c.WriteRaw(batch.Bytes()); err != nil {
			b.Fatal(err)
		}
		for got := 0; got < k; {
			msg, _, err := c.ReadMessage(benchWait)
			if err != nil {
				b.Fatalf("waiting for pong %d of %d: %v", got+1, k, err)
			}
			switch m := msg.(type) {
			case *wire.MsgPong:
				got++
			case *wire.MsgPing:
				if err := c.WriteMessage(wire.NewMsgPong(m.Nonce)); err != nil {
					b.Fatal(err)
				}
			}
		}
		done += k
	}
}
