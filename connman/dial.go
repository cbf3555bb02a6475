package connman

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/connman/netgroup"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

// dialIntent is why a Dial request was sent.
type dialIntent struct {
	addr     string
	connType peermanpb.ConnectionType
	target   *target // nil for addnode onetry and automatic dials
	// auto marks a dial of the automatic outbound loop.
	auto bool
	// report is what addrman may hear about the dial.
	report addrReport
}

// dial asks sockman to connect to addr for a manual connection of type t,
// serving target tg (nil for a one-off). It refuses banned addresses and
// returns why it refused, or "" when the Dial was sent.
func (a *connmanActor) dial(ctx actor.Context, addr string, t peermanpb.ConnectionType, tg *target) string {
	if ip, ok := netgroup.ParseHostPort(addr); ok && !a.isNoBan(ip) && a.bans.Banned(ip, a.cfg.Clock.Now()) {
		a.log.Warn("refusing to dial a banned address", "address", addr)
		return "address is banned"
	}
	a.sendDial(ctx, &dialIntent{addr: addr, connType: t, target: tg, report: reportAs(addr, false)})
	return ""
}

// sendDial records in and sends its Dial to sockman.
func (a *connmanActor) sendDial(ctx actor.Context, in *dialIntent) {
	id := a.life.nextRequest()
	a.dials[id] = in
	ctx.Send(a.cfg.Sockman, &sockmanpb.Dial{
		RequestId: id,
		Address:   in.addr,
		TimeoutMs: a.cfg.DialTimeout.Milliseconds(),
		Manager:   ctx.Self(),
	})
	a.log.Debug("dialling", "address", in.addr, "request_id", id, "connection_type", in.connType.String())
}

// dialFailed handles a Dial that did not connect.
func (a *connmanActor) dialFailed(ctx actor.Context, m *sockmanpb.DialFailed) {
	in, ok := a.dials[m.GetRequestId()]
	if !ok {
		return
	}
	delete(a.dials, m.GetRequestId())
	a.reportAttempt(ctx, in.report)
	switch {
	case in.auto:
		a.log.Debug("automatic outbound dial failed", "address", in.addr,
			"connection_type", in.connType.String(), "error", m.GetError())
		a.autoSlotFreed(ctx)
	case in.target == nil:
		a.log.Warn("one-off dial failed", "address", in.addr, "error", m.GetError())
	default:
		a.targetDialFailed(ctx, in.target, m)
	}
}

// outboundOpened records a connection we dialled and hands it to peerman,
// unless the dial is unknown or the address turned out to be banned.
func (a *connmanActor) outboundOpened(ctx actor.Context, m *sockmanpb.Opened) {
	in, ok := a.dials[m.GetRequestId()]
	if !ok {
		ctx.Send(m.GetConn(), &sockmanpb.Close{ConnId: m.GetConnId(), Reason: sockmanpb.CloseReason_CLOSE_REASON_REQUESTED,
			Detail: "no dial of this connman is waiting for it"})
		a.log.Info("closing an outbound connection nobody waits for", "conn_id", m.GetConnId(), "remote", m.GetRemoteAddr())
		return
	}
	delete(a.dials, m.GetRequestId())
	now := a.cfg.Clock.Now()
	r := a.newRecord(m, in.connType, now)
	r.noban = r.addr.IsValid() && a.isNoBan(r.addr)
	r.report = in.report
	if !in.auto {
		// addrman knows a manual peer by the address the name resolved to.
		r.report = reportAs(r.remote, false)
	}
	if a.current(in.target) && in.target.state == targetDialling {
		r.target = in.target
		in.target.state = targetConnected
		in.target.conn = r.id
	}
	a.view.add(r)
	if r.addr.IsValid() && !r.noban && a.bans.Banned(r.addr, now) {
		a.closeConn(ctx, r, peermanpb.DisconnectReason_DISCONNECT_REASON_BANNED, "dialled address is banned")
		return
	}
	a.log.Info("connected to peer", "conn_id", m.GetConnId(), "address", in.addr, "remote", m.GetRemoteAddr(),
		"connection_type", in.connType.String())
	a.attach(ctx, r, m)
}
