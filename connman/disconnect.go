package connman

import (
	"strings"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/connman/netgroup"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

// reasonText is the short form of a disconnect reason used in Close
// details and logs: "banned", "evicted", "ping_timeout".
func reasonText(r peermanpb.DisconnectReason) string {
	return strings.ToLower(strings.TrimPrefix(r.String(), "DISCONNECT_REASON_"))
}

// closeDetail is the Close detail for reason and detail.
func closeDetail(r peermanpb.DisconnectReason, detail string) string {
	if detail == "" {
		return reasonText(r)
	}
	return reasonText(r) + ": " + detail
}

// closeConn asks the connection's actor to close it, once. The record stays
// (marked closing) until sockman's Closed arrives.
func (a *connmanActor) closeConn(ctx actor.Context, r *record, reason peermanpb.DisconnectReason, detail string) {
	if r.closing {
		return
	}
	r.closing = true
	text := closeDetail(reason, detail)
	ctx.Send(r.conn, &sockmanpb.Close{ConnId: uint64(r.id), Reason: sockmanpb.CloseReason_CLOSE_REASON_REQUESTED, Detail: text})
	a.log.Info("disconnecting peer", "conn_id", uint64(r.id), "peer_id", uint64(r.peerID), "remote", r.remote,
		"connection_type", r.connType.String(), "reason", text)
}

// punishable reports whether misbehaviour on r discourages its address:
// never for noban or manual peers, nor for local addresses (which are only
// disconnected, as Core does).
func punishable(r *record) bool {
	return !r.noban && r.connType != peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL &&
		r.addr.IsValid() && !netgroup.IsLocal(r.addr)
}

// disconnectPeer handles a Peer's request to end its connection.
func (a *connmanActor) disconnectPeer(ctx actor.Context, m *peermanpb.DisconnectPeer) {
	r := a.view.conns[actors.ConnID(m.GetConnId())]
	if r == nil {
		a.log.Debug("disconnect for a connection already gone", "conn_id", m.GetConnId(), "peer_id", m.GetPeerId())
		return
	}
	if m.GetPeerId() != 0 && r.peerID != 0 && actors.PeerID(m.GetPeerId()) != r.peerID {
		a.log.Warn("disconnect names the wrong peer; ignored", "conn_id", m.GetConnId(), "peer_id", m.GetPeerId(), "conn_peer_id", uint64(r.peerID))
		return
	}
	if m.GetReason() == peermanpb.DisconnectReason_DISCONNECT_REASON_FEELER_DONE {
		a.feelerDone(ctx, r)
	}
	if m.GetMisbehaving() && punishable(r) {
		a.discouraged.Add(r.addr, a.cfg.Clock.Now())
		a.log.Info("discouraging address", "remote", r.remote, "reason", reasonText(m.GetReason()))
	}
	a.closeConn(ctx, r, m.GetReason(), m.GetDetail())
}

// peerStarted records the Peer actor of a connection and watches it.
func (a *connmanActor) peerStarted(ctx actor.Context, m *peermanpb.PeerStarted) {
	r := a.view.conns[actors.ConnID(m.GetConnId())]
	if r == nil || m.GetPeer() == nil {
		a.log.Debug("peer started for a connection already gone", "conn_id", m.GetConnId(), "peer_id", m.GetPeerId())
		return
	}
	r.peerID = actors.PeerID(m.GetPeerId())
	r.peer = m.GetPeer()
	a.view.byPeer[pidKey(r.peer)] = r.id
	ctx.Watch(r.peer)
}

// peerTerminated closes the connection of a Peer actor that stopped while
// its connection was still open.
func (a *connmanActor) peerTerminated(ctx actor.Context, m *actor.Terminated) {
	k := pidKey(m.GetWho())
	id, ok := a.view.byPeer[k]
	if !ok {
		return
	}
	delete(a.view.byPeer, k)
	if r := a.view.conns[id]; r != nil && !r.closing {
		a.closeConn(ctx, r, peermanpb.DisconnectReason_DISCONNECT_REASON_PEER_ACTOR_FAILED, "peer actor stopped")
	}
}

// closed updates the view when sockman reports a connection closed,
// schedules the redial of a manual target, tells addrman how an outbound
// connection ended and lets the automatic loop fill a freed slot.
func (a *connmanActor) closed(ctx actor.Context, m *sockmanpb.Closed) {
	r := a.view.remove(actors.ConnID(m.GetConnId()))
	if r == nil {
		a.log.Debug("closed connection not in view", "conn_id", m.GetConnId(), "reason", m.GetReason().String())
		return
	}
	if r.peer != nil {
		ctx.Unwatch(r.peer)
	}
	a.log.Debug("connection closed", "conn_id", m.GetConnId(), "remote", r.remote, "connection_type", r.connType.String(),
		"reason", m.GetReason().String(), "detail", m.GetDetail())
	a.targetClosed(ctx, r, m)
	a.reportClosed(ctx, r)
	if automatic(r.connType) {
		a.autoSlotFreed(ctx)
	}
}

// automatic reports whether t is a type only the automatic loop dials.
func automatic(t peermanpb.ConnectionType) bool {
	switch t {
	case peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY,
		peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY,
		peermanpb.ConnectionType_CONNECTION_TYPE_FEELER:
		return true
	}
	return false
}
