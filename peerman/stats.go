package peerman

import (
	"time"

	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/actornode/actornode/telemetry/peerfilter"
	"github.com/asynkron/protoactor-go/actor"
)

// getPeerStats (peerman -> Peer) asks a Peer for its PeerStats. A Peer
// that filter does not select (matched against its TracePeer identity)
// answers notSelected; a nil filter selects every Peer. With trafficOnly
// the Peer answers at once, without its connection's figures (GetNetMsgStats
// needs only by_type, the network and the connection type).
type getPeerStats struct {
	filter      *peerfilter.Filter
	all         bool
	trafficOnly bool
}

// notSelected answers a getPeerStats whose filter does not select the Peer.
type notSelected struct{}

// onStatsRequest answers getPeerStats: like a snapshot, the connection's
// figures come from sockman's ConnStats, asked for without blocking.
func (p *peer) onStatsRequest(ctx actor.Context, m *getPeerStats) {
	sender := ctx.Sender()
	if sender == nil {
		return
	}
	if !m.all && !m.filter.Match(p.TracePeer()) {
		ctx.Send(sender, &notSelected{})
		return
	}
	if m.trafficOnly || p.closed != nil {
		ctx.Send(sender, p.stats(p.cfg.Clock.Now(), p.closed.GetStats(), p.closed != nil))
		return
	}
	f := ctx.RequestFuture(p.spec.conn, &sockmanpb.GetConnStats{ConnId: uint64(p.spec.connID)}, p.cfg.StatsTimeout)
	ctx.ReenterAfter(f, func(res any, err error) {
		stats, _ := res.(*sockmanpb.ConnStats)
		if stats == nil && p.closed != nil {
			stats = p.closed.GetStats()
		}
		if stats == nil {
			p.log.Debug("no connection stats for the peer stats", "error", err)
		}
		ctx.Send(sender, p.stats(p.cfg.Clock.Now(), stats, false))
	})
}

// stats builds the Peer's PeerStats at now: its snapshot (with the
// socket's figures when cs is set), everything its accounting counted,
// and, from cs, the memory held for it by its connection: the send queue,
// the received bytes not yet acknowledged, and the frames delivered to its
// mailbox and not yet handled (sockman's delivered frames, msgs_recv plus
// bad_checksums, minus the frames this Peer handled).
func (p *peer) stats(now time.Time, cs *sockmanpb.ConnStats, final bool) *peermanpb.PeerStats {
	s := &peermanpb.PeerStats{
		Peer:         p.snapshot(now, cs),
		Final:        final,
		TimeUnixNano: now.UnixNano(),
	}
	p.acct.Fill(s)
	if cs != nil {
		s.MemSendQueueBytes = cs.GetSendQueueBytes()
		s.MemRecvUnackedBytes = cs.GetRecvUnackedBytes()
		if delivered := cs.GetMsgsRecv() + cs.GetBadChecksums(); delivered > p.framesHandled {
			s.MemMailboxDepth = delivered - p.framesHandled
		}
	}
	return s
}

// sendFinal sends PeerFinal, once, to peerman (the parent) and to
// Config.StatsSink: on Closed with the connection's last figures, or when
// the Peer stops for another reason (a failure, the node stopping) with
// none.
func (p *peer) sendFinal(ctx actor.Context, cs *sockmanpb.ConnStats) {
	if p.finalSent {
		return
	}
	p.finalSent = true
	final := &peermanpb.PeerFinal{Stats: p.stats(p.cfg.Clock.Now(), cs, true)}
	if parent := ctx.Parent(); parent != nil {
		ctx.Send(parent, final)
	}
	if p.cfg.StatsSink != nil {
		ctx.Send(p.cfg.StatsSink, final)
	}
}
