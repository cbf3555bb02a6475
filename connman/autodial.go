package connman

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/connman/outbound"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// The timing of the automatic outbound loop.
const (
	// autoInterval is the pause between two rounds while slots are free
	// (Core's connection thread sleeps 500 ms between iterations).
	autoInterval = 500 * time.Millisecond
	// autoBackoffCap bounds the pause after rounds that found nothing to
	// dial: it doubles from autoInterval up to this.
	autoBackoffCap = 10 * time.Second
	// feelerInterval is the mean time between feelers (Core's
	// FEELER_INTERVAL); the actual delays are exponentially distributed.
	feelerInterval = 2 * time.Minute
	// selectTries bounds how many addresses one round asks addrman for
	// before it gives up (Core tries 100).
	selectTries = 100
	// selectTimeout bounds one Select; addrman answers at once.
	selectTimeout = 10 * time.Second
)

// dialableNetworks returns the BIP155 networks sockman can reach: IPv4 and
// IPv6.
func dialableNetworks() []uint32 { return []uint32{1, 2} }

// autoDialer is the state of the automatic outbound loop of one connman
// actor instance; a restart starts a new one, and messages and answers
// meant for an old one are ignored.
type autoDialer struct {
	// tick is the timer of the next round, nil when none is scheduled;
	// tickAt is when it fires and tickSeq names it.
	tick    actors.Timer
	tickAt  time.Time
	tickSeq uint64
	// feeler is the timer that makes the next feeler due.
	feeler    actors.Timer
	feelerDue bool
	// selecting is set while a question to addrman is unanswered.
	selecting bool
	// backoff is the pause after the next round that finds nothing.
	backoff time.Duration
	stopped bool
}

// autoTick is the timer message that the next round is due.
type autoTick struct {
	d   *autoDialer
	seq uint64
}

// feelerTick is the timer message that a feeler is due.
type feelerTick struct{ d *autoDialer }

// round is one search of addrman for an address worth dialling.
type round struct {
	connType peermanpb.ConnectionType
	tries    int
	// collision is set while the feeler's SelectTriedCollision is asked.
	collision bool
}

// startAuto starts the automatic outbound loop, unless there is no addrman
// or p2p.connect names the only peers.
func (a *connmanActor) startAuto(ctx actor.Context) {
	if a.cfg.Addrman == nil || len(a.cfg.Connect) > 0 {
		return
	}
	a.auto = &autoDialer{backoff: autoInterval}
	a.scheduleFeeler(ctx)
	a.autoRound(ctx)
}

// stopAuto cancels the loop's timers; late answers are ignored.
func (a *connmanActor) stopAuto() {
	d := a.auto
	if d == nil {
		return
	}
	d.stopped = true
	for _, t := range []actors.Timer{d.tick, d.feeler} {
		if t != nil {
			t.Stop()
		}
	}
	d.tick, d.feeler = nil, nil
}

// scheduleFeeler makes a feeler due after an exponentially distributed
// delay with mean feelerInterval.
func (a *connmanActor) scheduleFeeler(ctx actor.Context) {
	d := a.auto
	if a.limits.Feelers == 0 {
		return
	}
	delay := time.Duration(max(a.cfg.Rand.ExpFloat64(), 0) * float64(feelerInterval))
	sys, self := ctx.ActorSystem(), ctx.Self()
	d.feeler = a.cfg.Clock.AfterFunc(delay, func() { sys.Root.Send(self, &feelerTick{d: d}) })
}

// kick makes sure a round runs within delay.
func (a *connmanActor) kick(ctx actor.Context, delay time.Duration) {
	d := a.auto
	if d == nil || d.stopped {
		return
	}
	at := a.cfg.Clock.Now().Add(delay)
	if d.tick != nil {
		if !d.tickAt.After(at) {
			return
		}
		d.tick.Stop()
	}
	d.tickSeq++
	m := &autoTick{d: d, seq: d.tickSeq}
	sys, self := ctx.ActorSystem(), ctx.Self()
	d.tickAt = at
	d.tick = a.cfg.Clock.AfterFunc(delay, func() { sys.Root.Send(self, m) })
}

// autoSlotFreed reacts to an automatic connection or dial that ended: a
// round follows after the usual pause.
func (a *connmanActor) autoSlotFreed(ctx actor.Context) { a.kick(ctx, autoInterval) }

// onAutoTick runs the round a timer was set for.
func (a *connmanActor) onAutoTick(ctx actor.Context, m *autoTick) {
	d := a.auto
	if d == nil || m.d != d || d.stopped || m.seq != d.tickSeq || d.tick == nil {
		return
	}
	d.tick = nil
	a.autoRound(ctx)
}

// onFeelerTick marks a feeler due and starts a round.
func (a *connmanActor) onFeelerTick(ctx actor.Context, m *feelerTick) {
	d := a.auto
	if d == nil || m.d != d || d.stopped {
		return
	}
	d.feeler = nil
	d.feelerDue = true
	a.autoRound(ctx)
}

// autoRound starts a search for the next automatic connection, when a slot
// needs one and no question to addrman is pending. With every slot taken
// the loop idles until a connection ends or a feeler is due.
func (a *connmanActor) autoRound(ctx actor.Context) {
	d := a.auto
	if d == nil || d.stopped || d.selecting {
		return
	}
	t, ok := outbound.Next(a.limits, a.autoCounts(), d.feelerDue)
	if !ok {
		return
	}
	if t == peermanpb.ConnectionType_CONNECTION_TYPE_FEELER {
		// As Core: the next feeler's time is drawn now, whether or not
		// this one finds an address.
		d.feelerDue = false
		a.scheduleFeeler(ctx)
	}
	// Settle pending tried collisions (their feelers may have answered)
	// before asking for addresses, as Core does every iteration.
	ctx.Send(a.cfg.Addrman, &addrmanpb.ResolveCollisions{})
	rd := &round{connType: t, collision: t == peermanpb.ConnectionType_CONNECTION_TYPE_FEELER}
	a.askAddrman(ctx, rd)
}

// askAddrman sends the round's next question: SelectTriedCollision first
// for a feeler, else Select (new addresses only for a feeler).
func (a *connmanActor) askAddrman(ctx actor.Context, rd *round) {
	d := a.auto
	var q any = &addrmanpb.SelectTriedCollision{}
	if !rd.collision {
		rd.tries++
		q = &addrmanpb.Select{NewOnly: rd.connType == peermanpb.ConnectionType_CONNECTION_TYPE_FEELER,
			Networks: dialableNetworks()}
	}
	d.selecting = true
	f := ctx.RequestFuture(a.cfg.Addrman, q, selectTimeout)
	ctx.ReenterAfter(f, func(res any, err error) { a.answered(ctx, d, rd, res, err) })
}

// answered handles addrman's answer to the round's question.
func (a *connmanActor) answered(ctx actor.Context, d *autoDialer, rd *round, res any, err error) {
	if d != a.auto || d.stopped {
		return
	}
	d.selecting = false
	sel, _ := res.(*addrmanpb.Selected)
	if err != nil || sel == nil {
		a.log.Warn("addrman did not answer", "error", err, "answer", res)
		a.roundOver(ctx, false)
		return
	}
	if rd.collision {
		rd.collision = false
		if a.collisionToTest(ctx, sel) {
			a.tryAddress(ctx, rd, sel)
			return
		}
		a.askAddrman(ctx, rd)
		return
	}
	if !sel.GetOk() {
		a.log.Debug("addrman has no address to offer", "connection_type", rd.connType.String())
		a.roundOver(ctx, false)
		return
	}
	a.tryAddress(ctx, rd, sel)
}

// collisionToTest reports whether a SelectTriedCollision answer names an
// address for the feeler. An address we are already connected to is
// marked Good instead, as Core does: a feeler could not reach it anyway,
// and the collision must not evict a live peer.
func (a *connmanActor) collisionToTest(ctx actor.Context, sel *addrmanpb.Selected) bool {
	if !sel.GetOk() {
		return false
	}
	ap, ok := parseSelected(sel)
	if !ok {
		return false
	}
	if a.connectedTo(ap) {
		a.tellAddrman(ctx, &addrmanpb.Good{Address: sel.GetAddress()})
		return false
	}
	return true
}

// tryAddress dials the selected address when the rules allow it; else the
// round asks again, or ends.
func (a *connmanActor) tryAddress(ctx actor.Context, rd *round, sel *addrmanpb.Selected) {
	// Slots may have changed while addrman thought.
	if t, ok := outbound.Next(a.limits, a.autoCounts(), rd.connType == peermanpb.ConnectionType_CONNECTION_TYPE_FEELER); !ok || t != rd.connType {
		a.roundOver(ctx, false)
		return
	}
	why := a.unsuitable(sel, rd.connType)
	switch {
	case why == "":
		a.dialAuto(ctx, sel.GetAddress(), rd.connType)
		a.roundOver(ctx, true)
	case why.endsRound() || rd.tries >= selectTries:
		a.log.Debug("automatic outbound round found nothing to dial", "connection_type", rd.connType.String(),
			"tries", rd.tries, "last_address", sel.GetAddress(), "last_skip", string(why))
		a.roundOver(ctx, false)
	default:
		a.askAddrman(ctx, rd)
	}
}

// roundOver schedules the next round: after the usual pause when this one
// dialled, after a growing pause when it found nothing.
func (a *connmanActor) roundOver(ctx actor.Context, dialled bool) {
	d := a.auto
	delay := autoInterval
	if dialled {
		d.backoff = autoInterval
	} else {
		delay = d.backoff
		d.backoff = min(2*d.backoff, autoBackoffCap)
	}
	a.kick(ctx, delay)
}

// dialAuto dials addr for an automatic connection of type t.
func (a *connmanActor) dialAuto(ctx actor.Context, addr string, t peermanpb.ConnectionType) {
	count := a.cfg.groupOf.CountFailures(a.outboundConns(), a.limits.MaxConnections)
	a.sendDial(ctx, &dialIntent{addr: addr, connType: t, auto: true, report: reportAs(addr, count)})
	a.log.Debug("opening automatic outbound connection", "address", addr, "connection_type", t.String())
}
