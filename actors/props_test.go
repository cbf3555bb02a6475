package actors

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

func TestDroppingMailboxCountsAndNeverBlocks(t *testing.T) {
	system := actor.NewActorSystem()
	defer system.Shutdown()
	release := make(chan struct{})
	var handled atomic.Int32
	counters := &MailboxCounters{}
	props, err := NewProps(func() actor.Actor {
		return actor.ReceiveFunc(func(ctx actor.Context) {
			if _, ok := ctx.Message().(int); ok {
				<-release
				handled.Add(1)
			}
		})
	}, Settings{MailboxKind: MailboxDropping, MailboxSize: 10}, Chain{}, counters)
	if err != nil {
		t.Fatal(err)
	}
	pid := system.Root.Spawn(props)
	sent := make(chan struct{})
	go func() {
		for i := 0; i < 1000; i++ {
			system.Root.Send(pid, i)
		}
		close(sent)
	}()
	select {
	case <-sent:
	case <-time.After(10 * time.Second):
		t.Fatal("sender blocked on a full dropping mailbox")
	}
	close(release)
	deadline := time.Now().Add(10 * time.Second)
	for counters.Depth() > 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	// One message may be in the handler (not pending) while ten are queued.
	h := handled.Load()
	if h < 10 || h > 11 {
		t.Fatalf("handled %d messages, want 10 or 11", h)
	}
	if d := counters.Dropped.Load(); d != uint64(1000-h) {
		t.Fatalf("dropped = %d, want %d (1000 sent, %d handled)", d, 1000-h, h)
	}
	if p := counters.Posted.Load(); p != uint64(h) {
		t.Fatalf("posted = %d, want %d", p, h)
	}
}

func TestUnknownMailboxKindIsAnError(t *testing.T) {
	_, err := NewProps(func() actor.Actor { return nil }, Settings{MailboxKind: "bounded"}, Chain{}, nil)
	if err == nil {
		t.Fatal("want an error for an unknown mailbox kind")
	}
	_, err = NewProps(func() actor.Actor { return nil }, Settings{MailboxKind: MailboxDropping}, Chain{}, nil)
	if err == nil {
		t.Fatal("want an error for a dropping mailbox without size")
	}
}

// TestMiddlewareRunsOncePerMessagePerChild guards against the propagator trap:
// middleware configured on shared Props must not multiply with children.
func TestMiddlewareRunsOncePerMessagePerChild(t *testing.T) {
	system := actor.NewActorSystem()
	defer system.Shutdown()
	var mu sync.Mutex
	var trace []string
	mw := func(tag string) actor.ReceiverMiddleware {
		return func(next actor.ReceiverFunc) actor.ReceiverFunc {
			return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
				if _, ok := env.Message.(string); ok {
					mu.Lock()
					trace = append(trace, tag)
					mu.Unlock()
				}
				next(c, env)
			}
		}
	}
	done := make(chan struct{}, 100)
	props, err := NewProps(func() actor.Actor {
		return actor.ReceiveFunc(func(ctx actor.Context) {
			if _, ok := ctx.Message().(string); ok {
				done <- struct{}{}
			}
		})
	}, Settings{}, Chain{Tracing: mw("trace"), Receive: []actor.ReceiverMiddleware{mw("inner")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var pids []*actor.PID
	for i := 0; i < 100; i++ {
		pids = append(pids, system.Root.Spawn(props))
	}
	system.Root.Send(pids[0], "hello")
	<-done
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(trace) != 2 || trace[0] != "trace" || trace[1] != "inner" {
		t.Fatalf("middleware trace = %v, want [trace inner]", trace)
	}
}

// TestNilMiddlewareIsSkipped: a disabled telemetry component hands out nil
// middleware; an actor built with it still handles its messages, and the
// other middleware still runs.
func TestNilMiddlewareIsSkipped(t *testing.T) {
	system := actor.NewActorSystem()
	defer system.Shutdown()
	var wrapped, sent atomic.Int32
	counting := func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
			if _, ok := env.Message.(string); ok {
				wrapped.Add(1)
			}
			next(c, env)
		}
	}
	countingSend := func(next actor.SenderFunc) actor.SenderFunc {
		return func(c actor.SenderContext, target *actor.PID, env *actor.MessageEnvelope) {
			sent.Add(1)
			next(c, target, env)
		}
	}
	chain := Chain{
		Receive: []actor.ReceiverMiddleware{nil, counting, nil},
		Send:    []actor.SenderMiddleware{nil, countingSend},
	}
	if got := len(chain.receivers()); got != 1 {
		t.Fatalf("receivers() has %d entries, want 1", got)
	}
	if got := len(chain.senders()); got != 1 {
		t.Fatalf("senders() has %d entries, want 1", got)
	}
	props, err := NewProps(func() actor.Actor {
		return actor.ReceiveFunc(func(ctx actor.Context) {
			if s, ok := ctx.Message().(string); ok && ctx.Sender() != nil {
				ctx.Respond(s + "!")
			}
		})
	}, Settings{}, chain, nil)
	if err != nil {
		t.Fatal(err)
	}
	pid := system.Root.Spawn(props)
	res, err := system.Root.RequestFuture(pid, "hi", 10*time.Second).Result()
	if err != nil || res != "hi!" {
		t.Fatalf("answer %v, error %v", res, err)
	}
	if wrapped.Load() != 1 || sent.Load() != 1 {
		t.Fatalf("middleware ran %d (receive) and %d (send) times, want 1 and 1", wrapped.Load(), sent.Load())
	}
}
