package sockman

import (
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/goleak"
)

func TestDialOpensOutbound(t *testing.T) {
	h := newHarness(t, Config{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dialer := newProbe(t, h.sys)
	h.sys.Root.Send(h.sockman, &sockmanpb.Dial{RequestId: 9, Address: ln.Addr().String(), Manager: dialer.pid})
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	o := expect[*sockmanpb.Opened](t, dialer)
	if o.GetRequestId() != 9 || o.GetDirection() != sockmanpb.Direction_DIRECTION_OUTBOUND ||
		o.GetRemoteAddr() != ln.Addr().String() || o.GetLocalAddr() != peer.RemoteAddr().String() {
		t.Fatalf("Opened %v", o)
	}
	h.sys.Root.Send(o.GetConn(), &sockmanpb.Start{Owner: dialer.pid})
	_ = peer.Close()
	expectClosedOnce(t, dialer, o.GetConnId(), peerClosed)
}

func TestDialClosedPortFails(t *testing.T) {
	h := newHarness(t, Config{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	h.sys.Root.Send(h.sockman, &sockmanpb.Dial{RequestId: 3, Address: addr, Manager: h.manager.pid})
	f := expect[*sockmanpb.DialFailed](t, h.manager)
	if f.GetRequestId() != 3 || f.GetAddress() != addr || !strings.Contains(f.GetError(), "refused") {
		t.Fatalf("DialFailed %v", f)
	}
}

// fullBacklog returns the address of a listening socket that accepts no more
// connections: its accept queue is full and it never accepts, so further
// SYNs are dropped and a connect attempt hangs until its timeout.
func fullBacklog(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Skipf("raw socket: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := (&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: sa.(*syscall.SockaddrInet4).Port}).String()
	for i := 0; ; i++ {
		nc, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return addr
			}
			t.Fatalf("filling backlog: %v", err)
		}
		t.Cleanup(func() { _ = nc.Close() })
		if i > 64 {
			t.Skip("the kernel keeps accepting into a full backlog")
		}
	}
}

func TestDialTimeoutRespected(t *testing.T) {
	h := newHarness(t, Config{DialTimeout: time.Hour})
	addr := fullBacklog(t)
	start := time.Now()
	h.sys.Root.Send(h.sockman, &sockmanpb.Dial{RequestId: 4, Address: addr, TimeoutMs: 300, Manager: h.manager.pid})
	f := expect[*sockmanpb.DialFailed](t, h.manager)
	elapsed := time.Since(start)
	if f.GetRequestId() != 4 || !strings.Contains(f.GetError(), "timeout") {
		t.Fatalf("DialFailed %v", f)
	}
	if elapsed < 300*time.Millisecond || elapsed > waitLong/2 {
		t.Fatalf("dial failed after %v with a 300ms timeout", elapsed)
	}
}

func TestConfigDialTimeoutIsDefault(t *testing.T) {
	h := newHarness(t, Config{DialTimeout: 300 * time.Millisecond})
	addr := fullBacklog(t)
	start := time.Now()
	h.sys.Root.Send(h.sockman, &sockmanpb.Dial{RequestId: 5, Address: addr, Manager: h.manager.pid})
	f := expect[*sockmanpb.DialFailed](t, h.manager)
	if elapsed := time.Since(start); !strings.Contains(f.GetError(), "timeout") || elapsed < 300*time.Millisecond {
		t.Fatalf("DialFailed %v after %v", f, elapsed)
	}
}

func TestListenFailure(t *testing.T) {
	h := newHarness(t, Config{})
	// A port some other socket holds (not one sockman listens on, which a
	// repeated Listen reuses).
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	busy := other.Addr().String()
	res, err := h.sys.Root.RequestFuture(h.sockman, &sockmanpb.Listen{Address: busy, Manager: h.manager.pid}, waitLong).Result()
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := res.(*sockmanpb.ListenFailed); !ok || f.GetAddress() != busy || f.GetError() == "" {
		t.Fatalf("got %T %v", res, res)
	}
}

func TestStoppingSockmanClosesEverything(t *testing.T) {
	h := newHarness(t, Config{})
	inbound, in := h.connectStarted(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	h.sys.Root.Send(h.sockman, &sockmanpb.Dial{RequestId: 1, Address: ln.Addr().String(), Manager: h.manager.pid})
	outbound, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer outbound.Close()
	out := expect[*sockmanpb.Opened](t, h.manager)
	notStarted, idle := h.connect(t)

	h.stop(t)
	closed := map[uint64]bool{}
	for range 3 {
		c := expect[*sockmanpb.Closed](t, h.manager)
		if c.GetReason() != shutdown || closed[c.GetConnId()] {
			t.Fatalf("Closed %v (seen %v)", c, closed)
		}
		closed[c.GetConnId()] = true
	}
	if !closed[in.GetConnId()] || !closed[out.GetConnId()] || !closed[idle.GetConnId()] {
		t.Fatalf("closed %v", closed)
	}
	h.manager.expectNothing(t)
	expectClosedOnce(t, h.owner, in.GetConnId(), shutdown)
	expectEOF(t, inbound)
	expectEOF(t, notStarted)
	_ = outbound.SetReadDeadline(time.Now().Add(waitLong))
	if _, err := outbound.Read(make([]byte, 1)); err == nil {
		t.Fatal("outbound connection still open")
	}
	if nc, err := net.DialTimeout("tcp", h.addr, time.Second); err == nil {
		nc.Close()
		t.Fatal("listener still accepting")
	}
}

func TestThousandConnectionsLeaveNoGoroutine(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	sys := actor.NewActorSystem()
	h := newHarnessOn(t, sys, Config{})
	const total = 1000
	ids := map[uint64]bool{}
	const batch = 50
	for range total / batch {
		// Half of each batch is closed by its owner, half by the client.
		type opened struct {
			nc net.Conn
			o  *sockmanpb.Opened
		}
		var open []opened
		for range batch {
			nc, o := h.connectStarted(t)
			if ids[o.GetConnId()] {
				t.Fatalf("ConnID %d reused", o.GetConnId())
			}
			ids[o.GetConnId()] = true
			open = append(open, opened{nc, o})
		}
		for _, c := range open {
			if nc, o := c.nc, c.o; o.GetConnId()%2 == 0 {
				h.sys.Root.Send(o.GetConn(), &sockmanpb.Close{})
			} else {
				_ = nc.Close()
			}
		}
		seen := map[uint64]int{}
		for range batch {
			seen[expect[*sockmanpb.Closed](t, h.owner).GetConnId()]++
			seen[expect[*sockmanpb.Closed](t, h.manager).GetConnId()]++
		}
		for id, n := range seen {
			if n != 2 {
				t.Fatalf("conn %d: %d Closed events, want one to the owner and one to the manager", id, n)
			}
		}
	}
	for id := uint64(1); id <= total; id++ {
		if !ids[id] {
			t.Fatalf("ConnID %d never assigned: ids are not 1..%d", id, total)
		}
	}
	h.owner.expectNothing(t)
	h.stop(t)
	sys.Root.Stop(h.owner.pid)
	sys.Root.Stop(h.manager.pid)
	sys.Shutdown()
	goleak.VerifyNone(t, ignore)
}

func TestConnPropsBuildsConnectionActors(t *testing.T) {
	var seen atomic.Int64
	cfg := Config{ConnProps: func(p actor.Producer) *actor.Props {
		return actor.PropsFromProducer(p, actor.WithReceiverMiddleware(func(next actor.ReceiverFunc) actor.ReceiverFunc {
			return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
				if _, ok := env.Message.(*sockmanpb.GetConnStats); ok {
					seen.Add(1)
				}
				next(c, env)
			}
		}))
	}}
	h := newHarness(t, cfg)
	_, o := h.connect(t)
	h.stats(t, o.GetConn())
	if seen.Load() != 1 {
		t.Fatalf("middleware saw %d GetConnStats, want 1", seen.Load())
	}
}
