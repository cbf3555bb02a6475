package peerman

import (
	"bytes"
	"log/slog"
	"net"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/actornode/actornode/peerman/peercore"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"
)

// benchConn stands in for a sockman connection actor: it counts the pongs
// the Peer queues, signals when a batch is complete, and answers
// GetConnStats with empty figures.
type benchConn struct {
	pongs  atomic.Int64
	target atomic.Int64
	done   atomic.Pointer[chan struct{}]
}

// Receive counts pongs and signals once target is reached.
func (c *benchConn) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *sockmanpb.Send:
		if m.GetCommand() == wire.CmdPong && c.pongs.Add(1) == c.target.Load() {
			close(*c.done.Load())
		}
	case *sockmanpb.GetConnStats:
		ctx.Respond(&sockmanpb.ConnStats{ConnId: m.GetConnId()})
	}
}

// peerRig is one Peer actor fed frames straight into its mailbox (no
// socket): the handler's own cost, which is where accounting adds its
// work.
type peerRig struct {
	sys  *actor.ActorSystem
	peer *actor.PID
	conn *benchConn
	ping []byte
}

// newPeerRig starts a Peer configured by cfg and completes its handshake.
func newPeerRig(b *testing.B, cfg Config) *peerRig {
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	r := &peerRig{sys: sys, conn: &benchConn{}}
	connPID := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return r.conn }))
	cfg.Logger, cfg.Relay, cfg.PingInterval = slog.New(slog.DiscardHandler), true, time.Hour
	cfg = cfg.withDefaults()
	spec := peerSpec{id: 1, connID: 1, conn: connPID, connType: peercore.ConnInbound,
		protoType: peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND,
		remote:    "127.0.0.1:50000", local: "127.0.0.1:8333", opened: time.Now()}
	nonces := newNonceSet()
	r.peer = sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return newPeer(spec, &cfg, nonces) }))
	b.Cleanup(func() {
		_ = sys.Root.StopFuture(r.peer).Wait()
		sys.Shutdown()
	})
	me := wire.NewNetAddressIPPort(net.IPv4(127, 0, 0, 1), 50000, wire.SFNodeNetwork|wire.SFNodeWitness)
	v := wire.NewMsgVersion(me, me, 42, 0)
	v.Services = wire.SFNodeNetwork | wire.SFNodeWitness
	v.ProtocolVersion = 70016
	sys.Root.Send(r.peer, frame(wire.CmdVersion, encodePayload(b, v)))
	sys.Root.Send(r.peer, frame(wire.CmdVerAck, nil))
	r.ping = encodePayload(b, wire.NewMsgPing(7))
	return r
}

// frame is a received frame as sockman delivers it.
func frame(cmd string, payload []byte) *sockmanpb.Frame {
	return &sockmanpb.Frame{ConnId: 1, Command: cmd, Payload: payload, WireSize: uint32(24 + len(payload))}
}

// encodePayload encodes msg as a peer at protocol version 70016 would.
func encodePayload(b *testing.B, msg wire.Message) []byte {
	var buf bytes.Buffer
	if err := msg.BtcEncode(&buf, 70016, wire.WitnessEncoding); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// run feeds n pings and waits for their n pongs.
func (r *peerRig) run(b *testing.B, n int) {
	done := make(chan struct{})
	r.conn.done.Store(&done)
	r.conn.target.Store(r.conn.pongs.Load() + int64(n))
	for range n {
		r.sys.Root.Send(r.peer, frame(wire.CmdPing, r.ping))
	}
	select {
	case <-done:
	case <-time.After(5 * time.Minute):
		b.Fatalf("pongs %d, want %d", r.conn.pongs.Load(), r.conn.target.Load())
	}
}

// processCPU returns the CPU time (user and system) the process has used
// so far: what every goroutine of the pipeline costs, whatever else runs
// on the machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPeerAccounting compares a Peer's message handling with
// accounting off and on, in the same run and interleaved: the two Peers
// take turns in batches of 2,000 pings, alternating which goes first, so
// that the machine's load drifts alike over both. "on" is measured with
// the CPU time of every message, of every 16th, the default
// (DefaultHandlerCPUEvery), wall time only (CPU of the first message of
// each type), and off again (the noise floor). Each op is one ping handled and its pong queued, in
// each of the two Peers. It reports, per message, the wall time and the
// process CPU time of each side and the overhead of "on" over "off" in
// percent (CPU time is the steadier figure on a shared machine).
func BenchmarkPeerAccounting(b *testing.B) {
	for _, c := range []struct {
		name string
		on   Config
	}{
		{"cpu-every-1", Config{HandlerCPUEvery: 1}},
		{"cpu-every-16", Config{HandlerCPUEvery: 16}},
		{"default", Config{}},
		{"wall-only", Config{HandlerCPUEvery: 1 << 62}},
		{"off-vs-off", Config{NoAccounting: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			off, on := newPeerRig(b, Config{NoAccounting: true}), newPeerRig(b, c.on)
			off.run(b, 2000) // warm both up
			on.run(b, 2000)
			const batch = 2000
			var wall, cpu [2]time.Duration
			b.ResetTimer()
			for round, left := 0, b.N; left > 0; round, left = round+1, left-batch {
				n := min(left, batch)
				order := []int{0, 1}
				if round%2 == 1 {
					order = []int{1, 0} // neither side always goes first
				}
				for _, i := range order {
					r := []*peerRig{off, on}[i]
					w0, c0 := time.Now(), processCPU()
					r.run(b, n)
					wall[i] += time.Since(w0)
					cpu[i] += processCPU() - c0
				}
			}
			b.StopTimer()
			per := func(d time.Duration) float64 { return float64(d) / float64(b.N) }
			b.ReportMetric(per(wall[0]), "off-ns/msg")
			b.ReportMetric(per(wall[1]), "on-ns/msg")
			b.ReportMetric(per(cpu[0]), "off-cpu-ns/msg")
			b.ReportMetric(per(cpu[1]), "on-cpu-ns/msg")
			b.ReportMetric(100*(per(cpu[1])/per(cpu[0])-1), "cpu-overhead-%")
			b.ReportMetric(100*(per(wall[1])/per(wall[0])-1), "wall-overhead-%")
		})
	}
}
