package peerman_test

import (
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/peerman"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"
)

// testNet is the magic every test connection speaks.
const testNet = wire.TestNet

// waitLong bounds every wait for something that must happen; generous for
// a loaded two-core machine under the race detector.
const waitLong = 20 * time.Second

// quiet is how long a test watches for something that must not happen.
const quiet = 500 * time.Millisecond

// testUserAgent is the user agent our side announces in the tests.
const testUserAgent = "/actornode-test:0.1.0/"

// testStartHeight is the start height our side announces in the tests.
const testStartHeight int32 = 321

// testLogger logs at warn level, or debug with PEERMAN_TEST_DEBUG=1.
func testLogger() *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("PEERMAN_TEST_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// baseConfig is the peerman configuration of most tests: production
// defaults for the timers, relay on.
func baseConfig() peerman.Config {
	return peerman.Config{
		Net:         testNet,
		UserAgent:   testUserAgent,
		OurServices: wire.SFNodeNetwork | wire.SFNodeWitness,
		StartHeight: func() int32 { return testStartHeight },
		Relay:       true,
		Logger:      testLogger(),
	}
}

// events is everything the test manager received, in order. It is safe
// for concurrent use.
type events struct {
	mu  sync.Mutex
	all []any
}

// add records one event.
func (e *events) add(m any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, m)
}

// snapshot returns a copy of the events so far.
func (e *events) snapshot() []any {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]any(nil), e.all...)
}

// find returns the first event of type T matching pred.
func find[T any](e *events, pred func(T) bool) (T, bool) {
	for _, m := range e.snapshot() {
		if v, ok := m.(T); ok && (pred == nil || pred(v)) {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// waitFor polls until an event of type T matching pred was recorded.
func waitFor[T any](t testing.TB, e *events, what string, pred func(T) bool) T {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for {
		if v, ok := find(e, pred); ok {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %v", what, waitLong)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// dialReq asks the test manager to dial address as a connection of type ct.
type dialReq struct {
	address string
	ct      peermanpb.ConnectionType
}

// manager is a test-only stand-in for connman, doing what connman's
// contract says: it hands every Opened connection to peerman with
// AttachPeer, watches the Peer it gets back, closes the connection when the
// Peer asks (DisconnectPeer) or terminates first, and records everything.
type manager struct {
	sockman, peerman *actor.PID
	ev               *events
	nextReq          uint64
	types            map[uint64]peermanpb.ConnectionType // by Dial request id
	conns            map[uint64]*actor.PID               // by ConnID, while open
	peerConn         map[string]uint64                   // Peer PID id -> ConnID
}

// Receive handles one message.
func (m *manager) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *dialReq:
		m.nextReq++
		m.types[m.nextReq] = msg.ct
		ctx.Send(m.sockman, &sockmanpb.Dial{RequestId: m.nextReq, Address: msg.address, Manager: ctx.Self()})
	case *sockmanpb.Opened:
		m.ev.add(msg)
		m.conns[msg.GetConnId()] = msg.GetConn()
		ct := peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND
		if msg.GetDirection() == sockmanpb.Direction_DIRECTION_OUTBOUND {
			ct = m.types[msg.GetRequestId()]
		}
		ctx.Send(m.peerman, &peermanpb.AttachPeer{
			ConnId: msg.GetConnId(), Conn: msg.GetConn(), ConnectionType: ct,
			RemoteAddr: msg.GetRemoteAddr(), LocalAddr: msg.GetLocalAddr(), OpenedUnixNano: msg.GetTimeUnixNano(),
		})
	case *peermanpb.PeerStarted:
		m.ev.add(msg)
		m.peerConn[msg.GetPeer().GetId()] = msg.GetConnId()
		ctx.Watch(msg.GetPeer())
	case *peermanpb.DisconnectPeer:
		m.ev.add(msg)
		m.close(ctx, msg.GetConnId(), "peer asked: "+msg.GetReason().String())
	case *actor.Terminated:
		m.ev.add(msg)
		if id, ok := m.peerConn[msg.GetWho().GetId()]; ok {
			m.close(ctx, id, "peer actor terminated")
		}
	case *sockmanpb.Closed:
		m.ev.add(msg)
		delete(m.conns, msg.GetConnId())
	case *peermanpb.PeerSnapshot, *sockmanpb.DialFailed:
		m.ev.add(msg)
	}
}

// close asks sockman to close a connection that is still open.
func (m *manager) close(ctx actor.Context, connID uint64, detail string) {
	if pid, ok := m.conns[connID]; ok {
		ctx.Send(pid, &sockmanpb.Close{ConnId: connID, Reason: sockmanpb.CloseReason_CLOSE_REASON_REQUESTED, Detail: detail})
	}
}

// fixture is a real actor system with a real sockman listening on
// loopback, the test manager and a peerman.
type fixture struct {
	t       testing.TB
	sys     *actor.ActorSystem
	sockman *actor.PID
	manager *actor.PID
	peerman *actor.PID
	ev      *events
	finals  *events // what the stats sink received (PeerFinal)
	addr    string  // sockman's listening address
}

// recorder is an actor that records every user message it receives.
type recorder struct{ ev *events }

// Receive records user messages.
func (r *recorder) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		r.ev.add(ctx.Message())
	}
}

// newFixture starts everything with cfg (Connman and Clock are filled in).
func newFixture(t testing.TB, cfg peerman.Config) *fixture {
	t.Helper()
	return newFixtureWith(t, cfg, sockman.Config{})
}

// newFixtureWith is newFixture with sockman configured by sockCfg (Net and
// Logger are filled in).
func newFixtureWith(t testing.TB, cfg peerman.Config, sockCfg sockman.Config) *fixture {
	t.Helper()
	return newFixtureFull(t, cfg, sockCfg, nil)
}

// newFixtureFull is newFixtureWith plus, when addrman is not nil, an actor
// it produces spawned as "addrman" and given to peerman as Config.Addrman.
func newFixtureFull(t testing.TB, cfg peerman.Config, sockCfg sockman.Config, addrman actor.Producer) *fixture {
	t.Helper()
	sockCfg.Net, sockCfg.Logger = testNet, testLogger()
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	f := &fixture{t: t, sys: sys, ev: &events{}, finals: &events{}}
	f.sockman = sys.Root.Spawn(actor.PropsFromProducer(sockman.NewActor(sockCfg),
		actor.WithSupervisor(actors.NewStopOnFailure(testLogger()))))
	peermanPID := sys.NewLocalPID("peerman")
	mgr, err := sys.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor {
		return &manager{sockman: f.sockman, peerman: peermanPID, ev: f.ev,
			types: map[uint64]peermanpb.ConnectionType{}, conns: map[uint64]*actor.PID{}, peerConn: map[string]uint64{}}
	}), "manager")
	if err != nil {
		t.Fatal(err)
	}
	f.manager = mgr
	cfg.Connman = mgr
	if addrman != nil {
		pid, err := sys.Root.SpawnNamed(actor.PropsFromProducer(addrman), "addrman")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Addrman = pid
	}
	if cfg.Clock == nil {
		cfg.Clock = actors.SystemClock{}
	}
	if cfg.StatsSink == nil {
		sink, err := sys.Root.SpawnNamed(actor.PropsFromProducer(func() actor.Actor { return &recorder{ev: f.finals} }), "statssink")
		if err != nil {
			t.Fatal(err)
		}
		cfg.StatsSink = sink
	}
	f.peerman, err = sys.Root.SpawnNamed(actor.PropsFromProducer(peerman.NewActor(cfg),
		actor.WithSupervisor(actors.NewStopOnFailure(cfg.Logger))), "peerman")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = sys.Root.StopFuture(f.peerman).Wait()
		_ = sys.Root.StopFuture(f.sockman).Wait()
		_ = sys.Root.StopFuture(f.manager).Wait()
		if cfg.Addrman != nil {
			_ = sys.Root.StopFuture(cfg.Addrman).Wait()
		}
		sys.Shutdown()
	})
	res, err := sys.Root.RequestFuture(f.sockman, &sockmanpb.Listen{Address: "127.0.0.1:0", Manager: mgr}, waitLong).Result()
	if err != nil {
		t.Fatal(err)
	}
	l, ok := res.(*sockmanpb.Listening)
	if !ok {
		t.Fatalf("Listen answered %T %v", res, res)
	}
	f.addr = l.GetBoundAddress()
	return f
}

// dial makes sockman dial address as a connection of type ct.
func (f *fixture) dial(address string, ct peermanpb.ConnectionType) {
	f.sys.Root.Send(f.manager, &dialReq{address: address, ct: ct})
}

// peerInfo asks peerman for GetPeerInfo.
func (f *fixture) peerInfo() []*peermanpb.PeerSnapshot {
	f.t.Helper()
	res, err := f.sys.Root.RequestFuture(f.peerman, &peermanpb.GetPeerInfo{}, waitLong).Result()
	if err != nil {
		f.t.Fatalf("GetPeerInfo: %v", err)
	}
	list, ok := res.(*peermanpb.PeerInfoList)
	if !ok {
		f.t.Fatalf("GetPeerInfo answered %T", res)
	}
	return list.GetPeers()
}

// peerOf waits for the connection whose remote address (as sockman sees
// it) is remote and returns its PeerStarted.
func (f *fixture) peerOf(remote string) *peermanpb.PeerStarted {
	f.t.Helper()
	op := waitFor(f.t, f.ev, "Opened from "+remote, func(o *sockmanpb.Opened) bool { return o.GetRemoteAddr() == remote })
	return waitFor(f.t, f.ev, "PeerStarted", func(p *peermanpb.PeerStarted) bool { return p.GetConnId() == op.GetConnId() })
}

// snapshotOf returns peer's entry in GetPeerInfo, or nil.
func (f *fixture) snapshotOf(peer uint64) *peermanpb.PeerSnapshot {
	for _, s := range f.peerInfo() {
		if s.GetPeerId() == peer {
			return s
		}
	}
	return nil
}

// eventually polls check until it returns "" (success) or waitLong
// passes, then fails with the last complaint.
func eventually(t testing.TB, check func() string) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for {
		msg := check()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still failing after %v: %s", waitLong, msg)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// disconnectOf waits for the DisconnectPeer of peer.
func (f *fixture) disconnectOf(peer uint64) *peermanpb.DisconnectPeer {
	f.t.Helper()
	return waitFor(f.t, f.ev, fmt.Sprintf("DisconnectPeer of peer %d", peer),
		func(d *peermanpb.DisconnectPeer) bool { return d.GetPeerId() == peer })
}

// gone waits until peer is no longer listed by GetPeerInfo.
func (f *fixture) gone(peer uint64) {
	f.t.Helper()
	eventually(f.t, func() string {
		if s := f.snapshotOf(peer); s != nil {
			return fmt.Sprintf("peer %d still listed", peer)
		}
		return ""
	})
}
