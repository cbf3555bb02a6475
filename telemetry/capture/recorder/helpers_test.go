package recorder

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/actornode/actornode/telemetry/capture/capturepb"
)

// waitLong bounds every wait; generous for a loaded machine under -race.
const waitLong = 20 * time.Second

// probe is an actor standing in for a connection actor or peerman: it
// forwards what it receives to a channel.
type probe struct {
	pid *actor.PID
	ch  chan any
}

func newProbe(t *testing.T, sys *actor.ActorSystem) *probe {
	t.Helper()
	ch := make(chan any, 1000)
	pid := sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch m := ctx.Message().(type) {
		case *sockmanpb.SetCapture, *peermanpb.SetCaptureSelection:
			ch <- m
		}
	}))
	return &probe{pid: pid, ch: ch}
}

// expect returns the probe's next message, which must be a T.
func expect[T any](t *testing.T, p *probe) T {
	t.Helper()
	select {
	case m := <-p.ch:
		v, ok := m.(T)
		if !ok {
			var zero T
			t.Fatalf("got %T %v, want %T", m, m, zero)
		}
		return v
	case <-time.After(waitLong):
		t.Fatal("nothing received")
	}
	var zero T
	return zero
}

// harness is a recorder in its own actor system.
type harness struct {
	sys     *actor.ActorSystem
	pid     *actor.PID
	peerman *probe
	conn    *probe
}

// start spawns a recorder with cfg (Peerman set to a probe) and extra
// Props options.
func start(t *testing.T, cfg Config, opts ...actor.PropsOption) *harness {
	t.Helper()
	sys := actor.NewActorSystem()
	h := &harness{sys: sys, peerman: newProbe(t, sys), conn: newProbe(t, sys)}
	cfg.Peerman = h.peerman.pid
	rec, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.pid = sys.Root.Spawn(rec.Props(opts...))
	t.Cleanup(func() { _ = sys.Root.StopFuture(h.pid).Wait() })
	return h
}

// list asks for the recorder's state.
func (h *harness) list(t *testing.T) *capturepb.CaptureList {
	t.Helper()
	res, err := h.sys.Root.RequestFuture(h.pid, &capturepb.ListCaptures{}, waitLong).Result()
	if err != nil {
		t.Fatal(err)
	}
	return res.(*capturepb.CaptureList)
}

// ask sends a StartCapture or StopCapture and returns the reply.
func (h *harness) ask(t *testing.T, msg any) *capturepb.CaptureReply {
	t.Helper()
	res, err := h.sys.Root.RequestFuture(h.pid, msg, waitLong).Result()
	if err != nil {
		t.Fatal(err)
	}
	return res.(*capturepb.CaptureReply)
}

// connected announces peer id on conn id (address 10.0.0.<id>:8333,
// outbound full relay) at start, tapped with sink when sink is set.
func (h *harness) connected(id uint64, start time.Time, sink *actor.PID) {
	h.sys.Root.Send(h.pid, &peermanpb.PeerConnected{
		PeerId: id, ConnId: id, Conn: h.conn.pid, Addr: addrOf(id), LocalAddr: "10.0.0.100:50000",
		ConnectionType: peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY,
		TimeUnixNano:   start.UnixNano(), CaptureSink: sink,
	})
}

// frame sends one captured frame of conn id.
func (h *harness) frame(id uint64, sent bool, cmd string, payload []byte, at time.Time) {
	h.sys.Root.Send(h.pid, &sockmanpb.CapturedFrame{
		ConnId: id, Sent: sent, Command: cmd, Payload: payload, TimeUnixNano: at.UnixNano(),
		WireSize: uint32(24 + len(payload)),
	})
}

func addrOf(id uint64) string {
	return "10.0.0." + string(rune('0'+id)) + ":8333"
}

// eventually polls cond until it holds or waitLong passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
