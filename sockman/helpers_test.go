package sockman

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"
)

// testNet is the magic used by the tests.
const testNet = wire.MainNet

// waitLong bounds every wait for something that must happen; generous for a
// loaded two-core machine under the race detector.
const waitLong = 20 * time.Second

// quiet is how long a test watches for something that must not happen.
const quiet = 300 * time.Millisecond

// recorder is a test actor that forwards every sockman message it receives
// to a channel.
type recorder struct {
	ch chan any
}

// Receive forwards sockman messages.
func (r *recorder) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *sockmanpb.Opened, *sockmanpb.Closed, *sockmanpb.Frame, *sockmanpb.FrameDropped,
		*sockmanpb.DialFailed, *sockmanpb.Listening, *sockmanpb.ListenFailed, *sockmanpb.CapturedFrame:
		r.ch <- m
	}
}

// probe is a recorder's PID and channel.
type probe struct {
	pid *actor.PID
	ch  chan any
}

// newProbe spawns a recorder.
func newProbe(t testing.TB, sys *actor.ActorSystem) *probe {
	t.Helper()
	ch := make(chan any, 100000)
	pid := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &recorder{ch: ch} }))
	return &probe{pid: pid, ch: ch}
}

// next returns the probe's next message, failing the test after waitLong.
func (p *probe) next(t testing.TB) any {
	t.Helper()
	select {
	case m := <-p.ch:
		return m
	case <-time.After(waitLong):
		t.Fatalf("no message within %v", waitLong)
		return nil
	}
}

// expect returns the next message, which must be a T.
func expect[T any](t testing.TB, p *probe) T {
	t.Helper()
	m := p.next(t)
	v, ok := m.(T)
	if !ok {
		var zero T
		t.Fatalf("got %T %v, want %T", m, m, zero)
	}
	return v
}

// expectNothing fails if the probe receives anything within quiet.
func (p *probe) expectNothing(t testing.TB) {
	t.Helper()
	select {
	case m := <-p.ch:
		t.Fatalf("unexpected %T %v", m, m)
	case <-time.After(quiet):
	}
}

// harness is an actor system with a listening sockman actor.
type harness struct {
	sys     *actor.ActorSystem
	sockman *actor.PID
	manager *probe
	owner   *probe
	addr    string
	stopped bool
}

// stop stops the sockman actor and waits until it has stopped.
func (h *harness) stop(t testing.TB) {
	t.Helper()
	if h.stopped {
		return
	}
	h.stopped = true
	if err := h.sys.Root.StopFuture(h.sockman).Wait(); err != nil {
		t.Fatalf("stopping sockman: %v", err)
	}
}

// newHarness starts a sockman actor listening on 127.0.0.1:0 with cfg.
func newHarness(t testing.TB, cfg Config) *harness {
	t.Helper()
	if cfg.Net == 0 {
		cfg.Net = testNet
	}
	return newHarnessOn(t, actor.NewActorSystem(), cfg)
}

// newHarnessOn is newHarness on an existing actor system.
func newHarnessOn(t testing.TB, sys *actor.ActorSystem, cfg Config) *harness {
	t.Helper()
	if cfg.Net == 0 {
		cfg.Net = testNet
	}
	h := &harness{sys: sys}
	h.sockman = sys.Root.Spawn(actor.PropsFromProducer(NewActor(cfg)))
	h.manager = newProbe(t, sys)
	h.owner = newProbe(t, sys)
	res, err := sys.Root.RequestFuture(h.sockman, &sockmanpb.Listen{Address: "127.0.0.1:0", Manager: h.manager.pid}, waitLong).Result()
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	l, ok := res.(*sockmanpb.Listening)
	if !ok {
		t.Fatalf("Listen answered %T %v", res, res)
	}
	h.addr = l.GetBoundAddress()
	t.Cleanup(func() { h.stop(t) })
	return h
}

// connect dials the harness, waits for Opened at the manager and returns the
// client socket and the Opened event. Nothing is started.
func (h *harness) connect(t testing.TB) (net.Conn, *sockmanpb.Opened) {
	t.Helper()
	nc, err := net.DialTimeout("tcp", h.addr, waitLong)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	o := expect[*sockmanpb.Opened](t, h.manager)
	if o.GetRemoteAddr() != nc.LocalAddr().String() {
		t.Fatalf("Opened remote %s, client is %s", o.GetRemoteAddr(), nc.LocalAddr())
	}
	return nc, o
}

// connectStarted is connect followed by Start with the harness's owner.
func (h *harness) connectStarted(t testing.TB) (net.Conn, *sockmanpb.Opened) {
	t.Helper()
	nc, o := h.connect(t)
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Start{ConnId: o.GetConnId(), Owner: h.owner.pid})
	return nc, o
}

// stats asks a connection actor for its ConnStats.
func (h *harness) stats(t testing.TB, conn *actor.PID) *sockmanpb.ConnStats {
	t.Helper()
	res, err := h.sys.Root.RequestFuture(conn, &sockmanpb.GetConnStats{}, waitLong).Result()
	if err != nil {
		t.Fatalf("GetConnStats: %v", err)
	}
	return res.(*sockmanpb.ConnStats)
}

// expectClosedOnce checks that p receives exactly one Closed, with reason,
// and nothing after it.
func expectClosedOnce(t testing.TB, p *probe, connID uint64, reason sockmanpb.CloseReason) *sockmanpb.Closed {
	t.Helper()
	c := expect[*sockmanpb.Closed](t, p)
	if c.GetConnId() != connID || c.GetReason() != reason {
		t.Fatalf("Closed conn %d reason %v (%q), want conn %d reason %v", c.GetConnId(), c.GetReason(), c.GetDetail(), connID, reason)
	}
	p.expectNothing(t)
	return c
}

// btcdFrame returns btcd's encoding of msg on the test network.
func btcdFrame(t testing.TB, msg wire.Message) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := wire.WriteMessage(&buf, msg, wire.ProtocolVersion, testNet); err != nil {
		t.Fatalf("btcd WriteMessage: %v", err)
	}
	return buf.Bytes()
}

// sampleMessages returns a version, a ping and a transaction of about 1 MB.
func sampleMessages() []wire.Message {
	me := wire.NewNetAddressIPPort(net.ParseIP("127.0.0.1"), 8333, wire.SFNodeNetwork)
	you := wire.NewNetAddressIPPort(net.ParseIP("10.0.0.1"), 8333, wire.SFNodeNetwork)
	version := wire.NewMsgVersion(me, you, 0x0123456789abcdef, 840000)
	tx := wire.NewMsgTx(2)
	tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{Index: 7}, []byte{0x51}, nil))
	script := make([]byte, 1<<20)
	for i := range script {
		script[i] = byte(i * 7)
	}
	tx.AddTxOut(wire.NewTxOut(5000, script))
	return []wire.Message{version, wire.NewMsgPing(42), tx, wire.NewMsgVerAck()}
}

// readFull reads exactly n bytes from nc within waitLong.
func readFull(t testing.TB, nc net.Conn, n int) []byte {
	t.Helper()
	_ = nc.SetReadDeadline(time.Now().Add(waitLong))
	buf := make([]byte, n)
	if _, err := io.ReadFull(nc, buf); err != nil {
		t.Fatalf("reading %d bytes: %v", n, err)
	}
	return buf
}
