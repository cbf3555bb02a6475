package connman

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/actors/actorspb"
	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

// waitLong bounds every wait for something that must happen; generous for
// a loaded two-core machine under the race detector.
const waitLong = 20 * time.Second

// quiet is how long a test watches for something that must not happen.
const quiet = 300 * time.Millisecond

// testNet is the magic of the tests.
const testNet = wire.MainNet

// logBuffer collects log output safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the log lines containing every one of subs.
func (b *logBuffer) lines(subs ...string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, l := range strings.Split(b.buf.String(), "\n") {
		all := l != ""
		for _, s := range subs {
			all = all && strings.Contains(l, s)
		}
		if all {
			out = append(out, l)
		}
	}
	return out
}

// eventually polls cond until it holds, failing the test after waitLong.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// fakePeerman stands in for peerman: it records AttachPeer and spawns a
// stand-in Peer actor for each connection, which takes the connection over
// (Start) and is reported to connman with PeerStarted.
type fakePeerman struct {
	connman  func() *actor.PID
	attached chan *peermanpb.AttachPeer
	nextPeer uint64
	mu       sync.Mutex
	peers    map[uint64]*actor.PID // by conn id
	peerIDs  map[uint64]uint64     // conn id -> peer id
}

// Receive implements actor.Actor.
func (f *fakePeerman) Receive(ctx actor.Context) {
	m, ok := ctx.Message().(*peermanpb.AttachPeer)
	if !ok {
		return
	}
	f.nextPeer++
	peer := ctx.Spawn(actor.PropsFromProducer(func() actor.Actor { return &fakePeer{conn: m.GetConn(), connID: m.GetConnId()} }))
	f.mu.Lock()
	f.peers[m.GetConnId()] = peer
	f.peerIDs[m.GetConnId()] = f.nextPeer
	f.mu.Unlock()
	ctx.Send(f.connman(), &peermanpb.PeerStarted{ConnId: m.GetConnId(), PeerId: f.nextPeer, Peer: peer})
	f.attached <- m
}

// peer returns the stand-in Peer actor and peer id of a connection.
func (f *fakePeerman) peer(connID uint64) (*actor.PID, uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.peers[connID], f.peerIDs[connID]
}

// fakePeer takes the connection over and stops when it closes, as a Peer
// actor does.
type fakePeer struct {
	conn   *actor.PID
	connID uint64
}

// Receive implements actor.Actor.
func (p *fakePeer) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *actor.Started:
		ctx.Send(p.conn, &sockmanpb.Start{ConnId: p.connID, Owner: ctx.Self()})
	case *sockmanpb.Closed:
		ctx.Stop(ctx.Self())
	}
}

// harness is a real actor system with the real sockman actor, connman and
// the stand-in peerman.
type harness struct {
	t       testing.TB
	sys     *actor.ActorSystem
	sockman *actor.PID
	cm      atomic.Pointer[actor.PID]
	parent  *actor.PID
	peerman *fakePeerman
	pmPID   *actor.PID
	logs    *logBuffer
	clock   *actors.ManualClock
	cfg     Config
	fatals  chan *actorspb.Fatal
	addr    string
	addrman *fakeAddrman
}

// options adjust a harness before it starts.
type options struct {
	cfg func(*Config)
	// addrman, when set, is spawned and named in Config.Addrman.
	addrman *fakeAddrman
}

// newHarness starts sockman, the stand-in peerman and connman (listening
// on 127.0.0.1:0, bans in a temporary directory) and waits for the
// listener.
func newHarness(t testing.TB, o options) *harness {
	t.Helper()
	h := &harness{t: t, sys: actor.NewActorSystem(), logs: &logBuffer{},
		clock: actors.NewManualClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)), fatals: make(chan *actorspb.Fatal, 10)}
	h.sockman = h.sys.Root.Spawn(actor.PropsFromProducer(sockman.NewActor(sockman.Config{Net: testNet})))
	h.peerman = &fakePeerman{connman: h.connmanPID,
		attached: make(chan *peermanpb.AttachPeer, 1000), peers: map[uint64]*actor.PID{}, peerIDs: map[uint64]uint64{}}
	h.pmPID = h.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return h.peerman }))
	node := h.sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if f, ok := ctx.Message().(*actorspb.Fatal); ok {
			h.fatals <- f
		}
	}))
	h.cfg = Config{
		Listen:      []string{"127.0.0.1:0"},
		BanFile:     filepath.Join(t.TempDir(), "banlist.json"),
		Sockman:     h.sockman,
		Peerman:     h.pmPID,
		Node:        node,
		Clock:       h.clock,
		Logger:      slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		EvictionKey: []byte("connman tests"),
	}
	if o.addrman != nil {
		h.addrman = o.addrman
		h.cfg.Addrman = h.sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return o.addrman }))
	}
	if o.cfg != nil {
		o.cfg(&h.cfg)
	}
	h.spawnConnman()
	t.Cleanup(func() {
		_ = h.sys.Root.StopFuture(h.parent).Wait()
		_ = h.sys.Root.StopFuture(h.sockman).Wait()
		h.sys.Shutdown()
	})
	return h
}

// connmanPID returns the connman actor of the harness, waiting for it to
// be spawned (connman may dial, and peerman hear of it, before its parent
// has recorded its PID).
func (h *harness) connmanPID() *actor.PID {
	for {
		if pid := h.cm.Load(); pid != nil {
			return pid
		}
		time.Sleep(time.Millisecond)
	}
}

// restartConnman asks connman's parent to restart it, as the root
// supervisor does after a panic.
type restartConnman struct{}

// spawnConnman spawns connman under a parent that can restart it, and
// waits for its listeners.
func (h *harness) spawnConnman() {
	h.t.Helper()
	producer := NewActor(h.cfg)
	ready := make(chan *actor.PID, 1)
	h.parent = h.sys.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		switch ctx.Message().(type) {
		case *actor.Started:
			pid := ctx.Spawn(actor.PropsFromProducer(producer))
			h.cm.Store(pid)
			ready <- pid
		case *restartConnman:
			ctx.(actor.Supervisor).RestartChildren(ctx.Children()...)
		}
	}))
	<-ready
	if len(h.cfg.Listen) > 0 {
		eventually(h.t, "connman listening", func() bool {
			b := h.ask(&connmanpb.GetListenAddrs{}).(*connmanpb.ListenAddrs).GetBound()
			if len(b) == len(h.cfg.Listen) {
				h.addr = b[0]
				return true
			}
			return false
		})
	}
}

// stopConnman stops connman (and its parent).
func (h *harness) stopConnman() {
	h.t.Helper()
	if err := h.sys.Root.StopFuture(h.parent).Wait(); err != nil {
		h.t.Fatalf("stopping connman: %v", err)
	}
}

// ask sends msg to connman and returns the answer.
func (h *harness) ask(msg any) any {
	h.t.Helper()
	res, err := h.sys.Root.RequestFuture(h.connmanPID(), msg, waitLong).Result()
	if err != nil {
		h.t.Fatalf("asking connman %T: %v", msg, err)
	}
	return res
}

// result sends a command and returns its Result.
func (h *harness) result(msg any) *connmanpb.Result {
	h.t.Helper()
	r, ok := h.ask(msg).(*connmanpb.Result)
	if !ok {
		h.t.Fatalf("%T answered with %T", msg, r)
	}
	return r
}

// mustOK fails unless the command succeeds.
func (h *harness) mustOK(msg any) {
	h.t.Helper()
	if r := h.result(msg); !r.GetOk() {
		h.t.Fatalf("%T %v failed: %d %s", msg, msg, r.GetErrorCode(), r.GetError())
	}
}

// mustFail fails unless the command fails with code and a message
// containing text.
func (h *harness) mustFail(msg any, code int32, text string) {
	h.t.Helper()
	r := h.result(msg)
	if r.GetOk() || r.GetErrorCode() != code || !strings.Contains(r.GetError(), text) {
		h.t.Fatalf("%T %v: ok=%v code %d %q, want code %d containing %q", msg, msg, r.GetOk(), r.GetErrorCode(), r.GetError(), code, text)
	}
}

// counts asks for the connection counts.
func (h *harness) counts() *connmanpb.ConnectionCounts {
	h.t.Helper()
	return h.ask(&connmanpb.GetConnectionCounts{}).(*connmanpb.ConnectionCounts)
}

// dial connects a wiretest client to connman's listener.
func (h *harness) dial() *wiretest.Client {
	h.t.Helper()
	c, err := wiretest.Dial(h.addr, testNet)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { _ = c.Close() })
	return c
}

// nextAttach waits for the next AttachPeer.
func (h *harness) nextAttach() *peermanpb.AttachPeer {
	h.t.Helper()
	select {
	case m := <-h.peerman.attached:
		return m
	case <-time.After(waitLong):
		h.t.Fatal("no AttachPeer")
		return nil
	}
}

// noAttach fails if an AttachPeer arrives within quiet.
func (h *harness) noAttach() {
	h.t.Helper()
	select {
	case m := <-h.peerman.attached:
		h.t.Fatalf("unexpected AttachPeer %v", m)
	case <-time.After(quiet):
	}
}

// accepted dials connman and waits for the connection's AttachPeer.
func (h *harness) accepted() (*wiretest.Client, *peermanpb.AttachPeer) {
	h.t.Helper()
	c := h.dial()
	a := h.nextAttach()
	if a.GetRemoteAddr() != c.LocalAddr() {
		h.t.Fatalf("AttachPeer for %s, client is %s", a.GetRemoteAddr(), c.LocalAddr())
	}
	return c, a
}

// closed waits until the node has closed c.
func closed(t testing.TB, c *wiretest.Client) {
	t.Helper()
	if err := c.WaitClosed(waitLong); err != nil {
		t.Fatal(err)
	}
}

// stillOpen fails if the node closes c within quiet.
func stillOpen(t testing.TB, c *wiretest.Client) {
	t.Helper()
	if err := c.WaitClosed(quiet); err == nil {
		t.Fatal("connection closed, want open")
	}
}

// retryIn matches the retry delay of a redial log line.
var retryIn = regexp.MustCompile(`retry_in=(\S+)`)
