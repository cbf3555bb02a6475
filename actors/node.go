package actors

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors/actorspb"
)

// NodeName is the actor name of the root supervisor.
const NodeName = "node"

// ChildSpec describes one subsystem started by the root supervisor.
type ChildSpec struct {
	// Name is the subsystem; the child's actor id is "node/<Name>".
	Name Subsystem
	// Props builds the subsystem actor (see NewProps).
	Props *actor.Props
	// Restarts bounds restarts after panics; past it the node stops.
	Restarts RestartPolicy
}

// NodeConfig configures the root supervisor.
type NodeConfig struct {
	// Children are started in order and stopped in reverse order.
	Children []ChildSpec
	// Clock measures uptime.
	Clock Clock
	// Logger receives the supervisor's own logs.
	Logger *slog.Logger
}

// StopReason says why the node is stopping.
type StopReason struct {
	// Fatal is true when a subsystem could not go on; the process should
	// exit non-zero.
	Fatal bool
	// Reason is a human-readable cause ("stop requested over RPC", ...).
	Reason string
}

// Node is a running root supervisor. Its methods are safe for concurrent use.
type Node struct {
	system   *actor.ActorSystem
	pid      *actor.PID
	children []ChildSpec
	log      *slog.Logger

	once   sync.Once
	done   chan struct{}
	reason StopReason

	shutdownOnce sync.Once
	shutdownErr  error
}

// NodePID returns the PID the root supervisor has (or will have) in system.
func NodePID(system *actor.ActorSystem) *actor.PID { return system.NewLocalPID(NodeName) }

// ChildPID returns the PID subsystem name has (or will have) in system, so
// that siblings can be given each other's address before they start.
func ChildPID(system *actor.ActorSystem, name Subsystem) *actor.PID {
	return system.NewLocalPID(NodeName + "/" + string(name))
}

// StartNode spawns the root supervisor, which starts cfg.Children in order.
func StartNode(system *actor.ActorSystem, cfg NodeConfig) (*Node, error) {
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	n := &Node{system: system, children: cfg.Children, log: cfg.Logger, done: make(chan struct{})}
	policies := make(map[string]RestartPolicy, len(cfg.Children))
	for _, c := range cfg.Children {
		policies[string(c.Name)] = c.Restarts
	}
	nodePID := NodePID(system)
	strategy := NewLimitedRestart(policies, RestartPolicy{}, cfg.Logger, func(g GaveUp) {
		system.Root.Send(nodePID, &actorspb.Fatal{
			Subsystem: g.Name,
			Reason:    fmt.Sprintf("%s failed %d times within %s (limit %d): %s", g.Name, g.Failures, g.Policy.Within, g.Policy.Max, g.Reason),
		})
	})
	started := make(chan error, 1)
	props := actor.PropsFromProducer(func() actor.Actor {
		return &nodeActor{node: n, clock: cfg.Clock, started: started}
	}, actor.WithSupervisor(strategy))
	pid, err := system.Root.SpawnNamed(props, NodeName)
	if err != nil {
		return nil, fmt.Errorf("spawn root supervisor: %w", err)
	}
	n.pid = pid
	if err := <-started; err != nil {
		_ = system.Root.StopFuture(pid).Wait()
		return nil, err
	}
	return n, nil
}

// PID returns the root supervisor's PID.
func (n *Node) PID() *actor.PID { return n.pid }

// Done is closed when the node has been asked to stop (StopNode, Fatal or a
// subsystem past its restart limit). Call Shutdown to carry the stop out.
func (n *Node) Done() <-chan struct{} { return n.done }

// Reason returns why the node is stopping; valid once Done is closed.
func (n *Node) Reason() StopReason {
	<-n.done
	return n.reason
}

// RequestStop marks the node as stopping for reason; the first call wins.
func (n *Node) RequestStop(reason StopReason) {
	n.once.Do(func() {
		n.reason = reason
		if reason.Fatal {
			n.log.Error("node stopping", "reason", reason.Reason)
		} else {
			n.log.Info("node stopping", "reason", reason.Reason)
		}
		close(n.done)
	})
}

// Shutdown stops the subsystems in reverse start order, each given what is
// left of timeout, then the root supervisor. It is idempotent.
func (n *Node) Shutdown(timeout time.Duration) error {
	n.shutdownOnce.Do(func() {
		n.RequestStop(StopReason{Reason: "shutdown"})
		deadline := time.Now().Add(timeout)
		var errs []error
		for i := len(n.children) - 1; i >= 0; i-- {
			name := n.children[i].Name
			left := time.Until(deadline)
			if left <= 0 {
				errs = append(errs, fmt.Errorf("%s: not stopped: shutdown timeout", name))
				continue
			}
			if err := stopWithin(n.system, ChildPID(n.system, name), left); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
		if err := stopWithin(n.system, n.pid, max(time.Until(deadline), 100*time.Millisecond)); err != nil {
			errs = append(errs, fmt.Errorf("root supervisor: %w", err))
		}
		n.shutdownErr = errors.Join(errs...)
	})
	return n.shutdownErr
}

// nodeActor is the root supervisor's actor.
type nodeActor struct {
	node      *Node
	clock     Clock
	startedAt time.Time
	started   chan error
}

// Receive implements actor.Actor.
func (a *nodeActor) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *actor.Started:
		a.startedAt = a.clock.Now()
		a.started <- a.spawnChildren(ctx)
	case *actorspb.StopNode:
		ctx.Respond(&actorspb.StopAccepted{})
		a.node.RequestStop(StopReason{Reason: msg.GetReason()})
	case *actorspb.GetUptime:
		ctx.Respond(&actorspb.Uptime{
			Seconds:         int64(a.clock.Now().Sub(a.startedAt) / time.Second),
			StartedUnixNano: a.startedAt.UnixNano(),
		})
	case *actorspb.Fatal:
		a.node.RequestStop(StopReason{Fatal: true, Reason: msg.GetSubsystem() + ": " + msg.GetReason()})
	}
}

func (a *nodeActor) spawnChildren(ctx actor.Context) error {
	for _, c := range a.node.children {
		if _, err := ctx.SpawnNamed(c.Props, string(c.Name)); err != nil {
			return fmt.Errorf("start %s: %w", c.Name, err)
		}
	}
	return nil
}

// stopWithin stops pid and waits at most d for it to have stopped.
func stopWithin(system *actor.ActorSystem, pid *actor.PID, d time.Duration) error {
	f := system.Root.StopFuture(pid)
	done := make(chan error, 1)
	go func() { done <- f.Wait() }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return fmt.Errorf("not stopped within %s", d)
	}
}
