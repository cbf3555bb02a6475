package peerman

import (
	"time"

	"github.com/actornode/actornode/peerman/peercore"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/actornode/actornode/telemetry/accounting"
	"github.com/asynkron/protoactor-go/actor"
)

// transportV1 is getpeerinfo's transport_protocol_type of a v1 connection.
const transportV1 = "v1"

// noFigure is what the ping fields hold when there is no measurement.
const noFigure int64 = -1

// onSnapshotRequest answers GetPeerSnapshot. The byte totals come from the
// connection's ConnStats, asked for without blocking the Peer (the answer
// re-enters the actor); once the connection is gone, from its Closed.
func (p *peer) onSnapshotRequest(ctx actor.Context) {
	sender := ctx.Sender()
	if sender == nil {
		return
	}
	if p.closed != nil {
		ctx.Send(sender, p.snapshot(p.cfg.Clock.Now(), p.closed.GetStats()))
		return
	}
	f := ctx.RequestFuture(p.spec.conn, &sockmanpb.GetConnStats{ConnId: uint64(p.spec.connID)}, p.cfg.StatsTimeout)
	ctx.ReenterAfter(f, func(res any, err error) {
		stats, _ := res.(*sockmanpb.ConnStats)
		if stats == nil && p.closed != nil {
			stats = p.closed.GetStats()
		}
		if stats == nil {
			p.log.Debug("no connection stats for the snapshot", "error", err)
		}
		ctx.Send(sender, p.snapshot(p.cfg.Clock.Now(), stats))
	})
}

// snapshot builds a PeerSnapshot in getpeerinfo's terms at now. With stats,
// bytessent, bytesrecv, lastsend, lastrecv and send_queue_bytes are the
// socket's figures; without, they come from the Peer's own counts and the
// core's send and receive times.
func (p *peer) snapshot(now time.Time, stats *sockmanpb.ConnStats) *peermanpb.PeerSnapshot {
	info := p.state.Snapshot(now)
	s := &peermanpb.PeerSnapshot{
		PeerId:                uint64(p.spec.id),
		ConnId:                uint64(p.spec.connID),
		Addr:                  p.spec.remote,
		Addrbind:              p.spec.local,
		Network:               NetworkName(p.spec.remote),
		Services:              uint64(info.Services),
		Relaytxes:             info.Relay,
		ConntimeUnix:          unixSeconds(p.spec.opened),
		Timeoffset:            info.TimeOffset,
		PingtimeUs:            noFigure,
		MinpingUs:             noFigure,
		PingwaitUs:            noFigure,
		Version:               info.Version,
		Subver:                info.UserAgent,
		Inbound:               p.spec.connType.IsInbound(),
		Startingheight:        info.StartHeight,
		ConnectionType:        p.spec.protoType,
		TransportProtocolType: transportV1,
		BytessentPerMsg:       p.acct.Traffic().BytesPerMsg(accounting.Sent),
		BytesrecvPerMsg:       p.acct.Traffic().BytesPerMsg(accounting.Recv),
		HandshakeDone:         info.Handshake == peercore.Established,
		Noban:                 p.spec.noban,
		Wtxidrelay:            info.WTxIDRelay,
		Sendaddrv2:            info.SendAddrV2,
		Minfeefilter:          info.FeeFilter,
		SnapshotUnixNano:      now.UnixNano(),
		AddrRelayEnabled:      info.AddrRelayEnabled,
		AddrProcessed:         info.AddrProcessed,
		AddrRateLimited:       info.AddrRateLimited,
	}
	if info.AddrLocal.IsValid() {
		s.Addrlocal = info.AddrLocal.String()
	}
	if s.ConntimeUnix == 0 {
		s.ConntimeUnix = unixSeconds(info.ConnTime)
	}
	if info.PongsReceived > 0 {
		s.PingtimeUs = info.LastPing.Microseconds()
		s.MinpingUs = info.MinPing.Microseconds()
	}
	if info.PingNonce != 0 {
		s.PingwaitUs = info.PingWait.Microseconds()
	}
	if stats != nil {
		s.Bytessent = stats.GetBytesSent()
		s.Bytesrecv = stats.GetBytesRecv()
		s.LastsendUnix = unixNanoSeconds(stats.GetLastSendUnixNano())
		s.LastrecvUnix = unixNanoSeconds(stats.GetLastRecvUnixNano())
		s.SendQueueBytes = stats.GetSendQueueBytes()
	} else {
		_, s.Bytessent = p.acct.Traffic().Total(accounting.Sent)
		_, s.Bytesrecv = p.acct.Traffic().Total(accounting.Recv)
		s.LastsendUnix = unixSeconds(info.LastSend)
		s.LastrecvUnix = unixSeconds(info.LastRecv)
	}
	return s
}

// unixSeconds returns t in Unix seconds, 0 for the zero time.
func unixSeconds(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// unixNanoSeconds converts Unix nanoseconds to Unix seconds, 0 staying 0.
func unixNanoSeconds(ns int64) int64 {
	if ns == 0 {
		return 0
	}
	return time.Unix(0, ns).Unix()
}
