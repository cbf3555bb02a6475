package trace

import (
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/actornode/actornode/telemetry/peerfilter"
	"github.com/actornode/actornode/telemetry/service"
	"github.com/asynkron/protoactor-go/actor"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

var testInfo = service.Info{Version: "test", InstanceID: "test-node", Network: "regtest"}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newSystem(t *testing.T) *actor.ActorSystem {
	t.Helper()
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quiet() }))
	t.Cleanup(system.Shutdown)
	return system
}

// newRecorded builds a tracer whose spans go synchronously to a recorder.
func newRecorded(t *testing.T, cfg Config, opts ...Option) (*Tracer, *tracetest.SpanRecorder) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tr, err := New(cfg, testInfo, append([]Option{WithSpanProcessor(rec)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Shutdown(t.Context()) })
	return tr, rec
}

// spawn starts an actor of subsystem sub with the tracer's middleware, as
// the node does.
func spawn(t *testing.T, system *actor.ActorSystem, tr *Tracer, sub actors.Subsystem, a actor.Actor) *actor.PID {
	t.Helper()
	props, err := actors.NewProps(func() actor.Actor { return a }, actors.Settings{},
		actors.Chain{Tracing: tr.ReceiveMiddleware(sub), TracingSend: tr.SendMiddleware()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return system.Root.Spawn(props)
}

// eventually polls cond until it holds or a generous deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// ended returns the recorder's ended spans by name.
func ended(rec *tracetest.SpanRecorder) map[string][]sdktrace.ReadOnlySpan {
	out := map[string][]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		out[s.Name()] = append(out[s.Name()], s)
	}
	return out
}

// addrAdd is what the fake peer sends the fake addrman for a received addr.
type addrAdd struct{ n int }

// fakePeer plays the Peer actor: it answers ping with a pong sent through
// the connection actor, forwards addr to addrman, panics on "boom" and
// reports an error on "bad".
type fakePeer struct {
	ident       peerfilter.Peer
	conn        *actor.PID
	addrman     *actor.PID
	err         error
	handled     atomic.Int64
	restarts    atomic.Int64
	slowHandler atomic.Int64 // the longest frame handling, in nanoseconds
}

func (p *fakePeer) TracePeer() peerfilter.Peer { return p.ident }

func (p *fakePeer) HandlerError() error { return p.err }

func (p *fakePeer) Receive(ctx actor.Context) {
	p.err = nil
	switch m := ctx.Message().(type) {
	case *actor.Restarting:
		p.restarts.Add(1)
	case *sockmanpb.Frame:
		start := time.Now()
		switch m.GetCommand() {
		case "ping":
			ctx.Send(p.conn, &sockmanpb.Send{ConnId: m.GetConnId(), Command: "pong", Payload: m.GetPayload()})
		case "addr":
			ctx.Send(p.addrman, &addrAdd{n: 1})
		case "boom":
			panic("boom from the handler")
		case "bad":
			p.err = errors.New("malformed addr")
		}
		if d := time.Since(start).Nanoseconds(); d > p.slowHandler.Load() {
			p.slowHandler.Store(d)
		}
		p.handled.Add(1)
	}
}

// sink counts the messages of one type it handles.
type sink struct {
	mu   sync.Mutex
	seen []any
}

func (s *sink) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *sockmanpb.Send, *addrAdd:
		s.mu.Lock()
		s.seen = append(s.seen, ctx.Message())
		s.mu.Unlock()
	}
}

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

// fixedSampler says yes to every nth root message, deterministically.
type fixedSampler struct {
	every int64
	n     atomic.Int64
}

func (f *fixedSampler) SampleRoot() bool { return f.n.Add(1)%f.every == 0 }

var testPeer = peerfilter.Peer{
	ID: 7, ConnID: 21, Addr: netip.MustParseAddrPort("10.1.2.3:8333"),
	Inbound: false, ConnType: peerfilter.ConnTypeOutboundFullRelay, UserAgent: "/Satoshi:27.1.0/",
}

// world is a fake peer, its connection actor and addrman, all traced.
type world struct {
	system  *actor.ActorSystem
	peer    *fakePeer
	peerPID *actor.PID
	conn    *sink
	addrman *sink
}

func newWorld(t *testing.T, tr *Tracer, ident peerfilter.Peer) *world {
	t.Helper()
	w := &world{system: newSystem(t), conn: &sink{}, addrman: &sink{}}
	connPID := spawn(t, w.system, tr, actors.SubsystemSockman, w.conn)
	addrPID := spawn(t, w.system, tr, actors.SubsystemAddrman, w.addrman)
	w.peer = &fakePeer{ident: ident, conn: connPID, addrman: addrPID}
	w.peerPID = spawn(t, w.system, tr, actors.SubsystemPeerman, w.peer)
	return w
}

// frame delivers a received Bitcoin message to the peer the way sockman
// does: from outside any handler, so without a trace context.
func (w *world) frame(command string, payload []byte) {
	w.system.Root.Send(w.peerPID, &sockmanpb.Frame{ConnId: 21, Command: command, Payload: payload,
		WireSize: uint32(24 + len(payload))})
}
