package connman

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

// targetKind says where a manual target comes from.
type targetKind uint8

const (
	// kindConnect targets come from p2p.connect.
	kindConnect targetKind = iota + 1
	// kindAddNode targets come from p2p.addnode or the addnode RPC.
	kindAddNode
)

// targetState is where a manual target is in its dial cycle.
type targetState uint8

const (
	targetDialling targetState = iota + 1
	targetConnected
	targetWaiting
)

// target is a manual peer kept connected: dialled, redialled on failure or
// close with growing delays.
type target struct {
	addr     string
	kind     targetKind
	state    targetState
	failures int
	conn     actors.ConnID
	timer    actors.Timer
}

// redialDue is the timer message that a target's wait is over.
type redialDue struct{ target *target }

// startTargets dials every configured manual peer: p2p.connect peers (then
// nothing automatic is ever dialled) and p2p.addnode peers.
func (a *connmanActor) startTargets(ctx actor.Context) {
	for _, addr := range a.cfg.Connect {
		a.addTarget(ctx, a.cfg.withPort(addr), kindConnect)
	}
	for _, addr := range a.cfg.AddNode {
		a.addTarget(ctx, a.cfg.withPort(addr), kindAddNode)
	}
}

// addTarget starts keeping addr connected; false if it already is a target.
func (a *connmanActor) addTarget(ctx actor.Context, addr string, kind targetKind) bool {
	if _, ok := a.targets[addr]; ok {
		return false
	}
	t := &target{addr: addr, kind: kind}
	a.targets[addr] = t
	a.dialTarget(ctx, t)
	return true
}

// removeTarget stops keeping addr connected (a connection stays open).
func (a *connmanActor) removeTarget(addr string) bool {
	t, ok := a.targets[addr]
	if !ok || t.kind != kindAddNode {
		return false
	}
	if t.timer != nil {
		t.timer.Stop()
	}
	delete(a.targets, addr)
	return true
}

// current reports whether t is still a target (not removed or replaced).
func (a *connmanActor) current(t *target) bool { return t != nil && a.targets[t.addr] == t }

// dialTarget dials t, or schedules a retry when its address is banned.
func (a *connmanActor) dialTarget(ctx actor.Context, t *target) {
	if err := a.dial(ctx, t.addr, peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL, t); err != "" {
		t.failures++
		a.scheduleRedial(ctx, t, "dial refused", "error", err)
		return
	}
	t.state = targetDialling
}

// scheduleRedial waits redialDelay(t.failures) before dialling t again and
// logs why and when.
func (a *connmanActor) scheduleRedial(ctx actor.Context, t *target, msg string, why ...any) {
	d := redialDelay(t.failures)
	t.state = targetWaiting
	sys, self := ctx.ActorSystem(), ctx.Self()
	t.timer = a.cfg.Clock.AfterFunc(d, func() { sys.Root.Send(self, &redialDue{target: t}) })
	args := append([]any{"address", t.addr}, why...)
	args = append(args, "attempt", t.failures, "retry_in", d.String())
	a.log.Warn("manual peer "+msg+", will retry", args...)
}

// redial dials a target whose wait is over.
func (a *connmanActor) redial(ctx actor.Context, m *redialDue) {
	if t := m.target; a.current(t) && t.state == targetWaiting {
		t.timer = nil
		a.dialTarget(ctx, t)
	}
}

// targetDialFailed schedules the next dial of a target whose dial failed.
func (a *connmanActor) targetDialFailed(ctx actor.Context, t *target, m *sockmanpb.DialFailed) {
	if !a.current(t) || t.state != targetDialling {
		return
	}
	t.failures++
	a.scheduleRedial(ctx, t, "unreachable", "error", m.GetError())
}

// targetClosed schedules the redial of the target a closed connection
// served.
func (a *connmanActor) targetClosed(ctx actor.Context, r *record, m *sockmanpb.Closed) {
	t := r.target
	if !a.current(t) || t.state != targetConnected || t.conn != r.id {
		return
	}
	t.failures = failuresAfterClose(t.failures, a.cfg.Clock.Now().Sub(r.since))
	a.scheduleRedial(ctx, t, "disconnected", "reason", m.GetReason().String(), "detail", m.GetDetail())
}

// stopTimers cancels every pending redial.
func (a *connmanActor) stopTimers() {
	for _, t := range a.targets {
		if t.timer != nil {
			t.timer.Stop()
			t.timer = nil
		}
	}
}
