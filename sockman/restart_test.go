package sockman

import (
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"
)

func TestRepeatedListenKeepsTheListenerAndMovesItsManager(t *testing.T) {
	h := newHarness(t, Config{})
	second := newProbe(t, h.sys)
	res, err := h.sys.Root.RequestFuture(h.sockman, &sockmanpb.Listen{Address: h.addr, Manager: second.pid}, waitLong).Result()
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := res.(*sockmanpb.Listening); !ok || l.GetBoundAddress() != h.addr {
		t.Fatalf("repeated Listen answered %T %v, want Listening on %s", res, res, h.addr)
	}
	nc, err := net.DialTimeout("tcp", h.addr, waitLong)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	expect[*sockmanpb.Opened](t, second)
	h.manager.expectNothing(t)
}

// crashOn panics the actor when it receives a crashSockman.
type crashSockman struct{}

func crashOn(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
		if _, ok := env.Message.(*crashSockman); ok {
			panic("injected sockman failure")
		}
		next(c, env)
	}
}

func TestRestartedSockmanListensAgainAndKeepsTotals(t *testing.T) {
	sys := actor.NewActorSystem()
	defer sys.Shutdown()
	props := actor.PropsFromProducer(NewActor(Config{Net: testNet}), actor.WithReceiverMiddleware(crashOn))
	node, err := actors.StartNode(sys, actors.NodeConfig{
		Children: []actors.ChildSpec{{Name: actors.SubsystemSockman, Props: props, Restarts: actors.RestartPolicy{Max: 3, Within: time.Minute}}},
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Shutdown(5 * time.Second)
	pid := actors.ChildPID(sys, actors.SubsystemSockman)
	manager := newProbe(t, sys)
	owner := newProbe(t, sys)
	res, err := sys.Root.RequestFuture(pid, &sockmanpb.Listen{Address: "127.0.0.1:0", Manager: manager.pid}, waitLong).Result()
	if err != nil {
		t.Fatal(err)
	}
	addr := res.(*sockmanpb.Listening).GetBoundAddress()

	// Exchange one ping so there is something to total.
	nc, err := net.DialTimeout("tcp", addr, waitLong)
	if err != nil {
		t.Fatal(err)
	}
	o := expect[*sockmanpb.Opened](t, manager)
	sys.Root.Send(o.GetConn(), &sockmanpb.Start{ConnId: o.GetConnId(), Owner: owner.pid})
	ping := btcdFrame(t, wire.NewMsgPing(7))
	if _, err := nc.Write(ping); err != nil {
		t.Fatal(err)
	}
	expect[*sockmanpb.Frame](t, owner)
	sys.Root.Send(o.GetConn(), &sockmanpb.Send{ConnId: o.GetConnId(), Command: "pong", Payload: make([]byte, 8)})
	readFull(t, nc, 32)
	// The write loop counts a batch once its flush returns, which can be
	// just after the client has read the bytes: poll briefly.
	before := askNetTotals(t, sys, pid)
	for deadline := time.Now().Add(waitLong); before.GetTotalBytesSent() != 32 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
		before = askNetTotals(t, sys, pid)
	}
	if before.GetTotalBytesRecv() != uint64(len(ping)) || before.GetTotalBytesSent() != 32 {
		t.Fatalf("totals before restart = %v, want recv %d sent 32", before, len(ping))
	}

	sys.Root.Send(pid, &crashSockman{})
	// The restart closes the connection (SHUTDOWN) and listens again.
	closed := expect[*sockmanpb.Closed](t, owner)
	if closed.GetReason() != sockmanpb.CloseReason_CLOSE_REASON_SHUTDOWN {
		t.Fatalf("connection closed with %v, want SHUTDOWN", closed.GetReason())
	}
	nc.Close()
	var again *sockmanpb.Listening
	for again == nil {
		switch m := manager.next(t).(type) {
		case *sockmanpb.Listening:
			again = m
		case *sockmanpb.Closed:
		default:
			t.Fatalf("manager got %T %v", m, m)
		}
	}
	if again.GetBoundAddress() != addr {
		t.Fatalf("listening again on %s, want the same %s", again.GetBoundAddress(), addr)
	}
	nc2, err := net.DialTimeout("tcp", addr, waitLong)
	if err != nil {
		t.Fatalf("listener not back after restart: %v", err)
	}
	defer nc2.Close()
	expect[*sockmanpb.Opened](t, manager)
	if after := askNetTotals(t, sys, pid); after.GetTotalBytesRecv() != before.GetTotalBytesRecv() || after.GetTotalBytesSent() != before.GetTotalBytesSent() {
		t.Fatalf("totals after restart = %v, want %v", after, before)
	}
	select {
	case <-node.Done():
		t.Fatalf("node stopped: %+v", node.Reason())
	default:
	}
}

func askNetTotals(t *testing.T, sys *actor.ActorSystem, pid *actor.PID) *sockmanpb.NetTotals {
	t.Helper()
	res, err := sys.Root.RequestFuture(pid, &sockmanpb.GetNetTotals{}, waitLong).Result()
	if err != nil {
		t.Fatal(err)
	}
	return res.(*sockmanpb.NetTotals)
}
