package peerman

import (
	"time"

	"github.com/actornode/actornode/peerman/peercore"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
)

// tell sends msg to every watcher. Lifecycle messages are immutable once
// built, so all watchers share one.
func (p *peer) tell(ctx actor.Context, msg any) {
	for _, w := range p.cfg.Watchers {
		if w != nil {
			ctx.Send(w, msg)
		}
	}
}

// announceConnected sends the watchers PeerConnected. It runs first in
// start, so a watcher hears of the peer before any of its frames.
func (p *peer) announceConnected(ctx actor.Context) {
	if len(p.cfg.Watchers) == 0 {
		return
	}
	opened := p.spec.opened
	if opened.IsZero() {
		opened = p.cfg.Clock.Now()
	}
	p.tell(ctx, &peermanpb.PeerConnected{
		PeerId:         uint64(p.spec.id),
		ConnId:         uint64(p.spec.connID),
		Conn:           p.spec.conn,
		Addr:           p.spec.remote,
		LocalAddr:      p.spec.local,
		Inbound:        p.spec.connType.IsInbound(),
		ConnectionType: p.spec.protoType,
		TimeUnixNano:   opened.UnixNano(),
		Peer:           ctx.Self(),
		CaptureSink:    p.spec.captureSink,
	})
}

// announceHandshake sends the watchers PeerHandshaken with what the peer's
// version said.
func (p *peer) announceHandshake(ctx actor.Context, info peercore.PeerInfo, now time.Time) {
	if len(p.cfg.Watchers) == 0 {
		return
	}
	p.tell(ctx, &peermanpb.PeerHandshaken{
		PeerId:       uint64(p.spec.id),
		ConnId:       uint64(p.spec.connID),
		UserAgent:    info.UserAgent,
		Services:     uint64(info.Services),
		Version:      uint32(info.Version),
		StartHeight:  info.StartHeight,
		Peer:         ctx.Self(),
		TimeUnixNano: now.UnixNano(),
	})
}

// announceGone sends the watchers PeerDisconnected once: with sockman's
// reason when the connection closed (closed set), without one when the Peer
// stops for another reason.
func (p *peer) announceGone(ctx actor.Context, closed *sockmanpb.Closed) {
	if p.goneSent || len(p.cfg.Watchers) == 0 {
		return
	}
	p.goneSent = true
	msg := &peermanpb.PeerDisconnected{
		PeerId:       uint64(p.spec.id),
		ConnId:       uint64(p.spec.connID),
		TimeUnixNano: p.cfg.Clock.Now().UnixNano(),
	}
	if closed != nil {
		msg.CloseReason, msg.Detail = closed.GetReason(), closed.GetDetail()
		if ns := closed.GetTimeUnixNano(); ns != 0 {
			msg.TimeUnixNano = ns
		}
	}
	p.tell(ctx, msg)
}
