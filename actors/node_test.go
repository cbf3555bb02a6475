package actors

import (
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors/actorspb"
)

// crashOnDemand is a subsystem that panics when told to and otherwise echoes
// how many times it has been started.
type crashOnDemand struct{ starts *atomic.Int32 }

type crash struct{}
type ask struct{}

func (c *crashOnDemand) Receive(ctx actor.Context) {
	switch ctx.Message().(type) {
	case *actor.Started:
		c.starts.Add(1)
	case *crash:
		panic("boom: injected failure")
	case *ask:
		ctx.Respond(c.starts.Load())
	}
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func startTestNode(t *testing.T, policy RestartPolicy) (*actor.ActorSystem, *Node, *atomic.Int32) {
	t.Helper()
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quietLogger() }))
	starts := &atomic.Int32{}
	props, err := NewProps(func() actor.Actor { return &crashOnDemand{starts: starts} }, Settings{}, Chain{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := StartNode(system, NodeConfig{
		Children: []ChildSpec{{Name: "flaky", Props: props, Restarts: policy}},
		Logger:   quietLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Shutdown(5 * time.Second); system.Shutdown() })
	return system, n, starts
}

func askStarts(t *testing.T, system *actor.ActorSystem) int32 {
	t.Helper()
	res, err := system.Root.RequestFuture(ChildPID(system, "flaky"), &ask{}, 5*time.Second).Result()
	if err != nil {
		t.Fatalf("flaky subsystem did not answer: %v", err)
	}
	return res.(int32)
}

func TestPanickingSubsystemIsRestartedAndKeepsServing(t *testing.T) {
	system, n, _ := startTestNode(t, RestartPolicy{Max: 3, Within: time.Minute})
	pid := ChildPID(system, "flaky")
	for i := 0; i < 3; i++ {
		system.Root.Send(pid, &crash{})
	}
	if got := askStarts(t, system); got != 4 {
		t.Fatalf("starts after 3 panics = %d, want 4 (1 start + 3 restarts)", got)
	}
	select {
	case <-n.Done():
		t.Fatalf("node stopped although the restart limit was not exceeded: %+v", n.Reason())
	default:
	}
}

func TestSubsystemPastRestartLimitStopsNodeWithReason(t *testing.T) {
	system, n, _ := startTestNode(t, RestartPolicy{Max: 2, Within: time.Minute})
	pid := ChildPID(system, "flaky")
	for i := 0; i < 3; i++ {
		system.Root.Send(pid, &crash{})
	}
	select {
	case <-n.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("node did not stop after the subsystem exceeded its restart limit")
	}
	r := n.Reason()
	if !r.Fatal {
		t.Fatalf("stop reason not fatal: %+v", r)
	}
	for _, want := range []string{"flaky", "3 times", "limit 2", "boom: injected failure"} {
		if !strings.Contains(r.Reason, want) {
			t.Errorf("stop reason %q lacks %q", r.Reason, want)
		}
	}
	if err := n.Shutdown(5 * time.Second); err != nil {
		t.Fatalf("clean shutdown after fatal stop failed: %v", err)
	}
}

func TestStopNodeAndUptimeMessages(t *testing.T) {
	system, n, _ := startTestNode(t, RestartPolicy{Max: 1, Within: time.Minute})
	res, err := system.Root.RequestFuture(n.PID(), &actorspb.GetUptime{}, 5*time.Second).Result()
	if err != nil {
		t.Fatal(err)
	}
	up := res.(*actorspb.Uptime)
	if up.GetSeconds() < 0 || up.GetStartedUnixNano() == 0 {
		t.Fatalf("bad uptime answer %+v", up)
	}
	if _, err := system.Root.RequestFuture(n.PID(), &actorspb.StopNode{Reason: "test asked"}, 5*time.Second).Result(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-n.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("StopNode did not stop the node")
	}
	if r := n.Reason(); r.Fatal || r.Reason != "test asked" {
		t.Fatalf("reason = %+v", r)
	}
}

func TestShutdownStopsChildrenInReverseOrder(t *testing.T) {
	system := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quietLogger() }))
	defer system.Shutdown()
	order := make(chan string, 3)
	mk := func(name string) ChildSpec {
		props, err := NewProps(func() actor.Actor {
			return actor.ReceiveFunc(func(ctx actor.Context) {
				if _, ok := ctx.Message().(*actor.Stopping); ok {
					order <- name
				}
			})
		}, Settings{}, Chain{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return ChildSpec{Name: Subsystem(name), Props: props}
	}
	n, err := StartNode(system, NodeConfig{Children: []ChildSpec{mk("a"), mk("b"), mk("c")}, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Shutdown(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	close(order)
	var got []string
	for s := range order {
		got = append(got, s)
	}
	if strings.Join(got, ",") != "c,b,a" {
		t.Fatalf("stop order = %v, want c,b,a", got)
	}
}
