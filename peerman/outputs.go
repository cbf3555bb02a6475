package peerman

import (
	"bytes"
	"time"

	"github.com/actornode/actornode/peerman/peercore"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/actornode/actornode/telemetry/accounting"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"
)

// wireHeaderSize is the v1 frame header (magic, command, length, checksum)
// that sockman adds to every payload.
const wireHeaderSize = 24

// perform carries out the outputs of one Step in order. A snapshot is
// published to connman at most once per Step, after the outputs, when the
// handshake completed or the core reported a change.
func (p *peer) perform(ctx actor.Context, out []peercore.Output, now time.Time) {
	publish, misbehaving := false, false
	for _, o := range out {
		switch o := o.(type) {
		case peercore.Send:
			p.send(ctx, o, now)
		case peercore.Misbehaving:
			misbehaving = true
			p.log.Info("peer misbehaving", "reason", o.Reason.String(), "detail", o.Detail, "noban", p.spec.noban)
		case peercore.Disconnect:
			p.requestDisconnect(ctx, protoReason(o.Reason), o.Detail, misbehaving && !p.spec.noban)
		case peercore.HandshakeDone:
			publish = true
			p.announceHandshake(ctx, o.Info, now)
			p.log.Info("handshake done", "version", o.Info.Version, "subver", o.Info.UserAgent,
				"services", uint64(o.Info.Services), "startingheight", o.Info.StartHeight)
		case peercore.Changed:
			publish = true
		case peercore.Unknown:
			p.unknown++
			p.log.Debug("unknown command", "command", o.Command)
		case peercore.Ignored:
			p.ignored++
			p.log.Debug("message ignored", "command", o.Command, "reason", o.Reason.String())
		case peercore.AddrReceived:
			p.offerAddrs(ctx, o)
		case peercore.RelayAddrs:
			p.requestRelay(ctx, o)
		case peercore.GetAddrRequest:
			p.answerGetAddr(ctx)
		case peercore.Other:
			p.others++
			if p.accounting() {
				p.acct.Received(o.Msg, now)
			}
			p.forwardChain(ctx, o.Msg)
		}
	}
	if publish {
		p.publish(ctx, now)
		p.reportAddrRelay(ctx)
	}
}

// send encodes one message at the version the core chose, with witness
// encoding, counts its wire size (and, with accounting, what it announces
// or requests: a getdata starts tracked requests at now, the Step's time)
// and queues it on the connection.
func (p *peer) send(ctx actor.Context, o peercore.Send, now time.Time) {
	if p.closed != nil {
		return
	}
	var buf bytes.Buffer
	if err := o.Msg.BtcEncode(&buf, o.ProtocolVersion, wire.WitnessEncoding); err != nil {
		p.log.Error("encoding a message failed; not sent", "command", o.Msg.Command(), "error", err)
		return
	}
	cmd := o.Msg.Command()
	p.acct.Count(accounting.Sent, cmd, uint64(wireHeaderSize+buf.Len()))
	if p.accounting() {
		p.acct.Sent(o.Msg, now)
	}
	ctx.Send(p.spec.conn, &sockmanpb.Send{ConnId: uint64(p.spec.connID), Command: cmd, Payload: buf.Bytes()})
}

// requestDisconnect asks connman to close the connection, once. The Peer
// never closes the socket itself; connman's Close leads to sockman's
// Closed, which stops the Peer.
func (p *peer) requestDisconnect(ctx actor.Context, reason peermanpb.DisconnectReason, detail string, misbehaving bool) {
	if p.disconnecting {
		return
	}
	p.disconnecting = true
	p.log.Info("disconnecting peer", "reason", reason.String(), "detail", detail, "misbehaving", misbehaving)
	if p.spec.connman == nil {
		p.log.Error("no connman to ask for the disconnect; the connection stays open")
		return
	}
	ctx.Send(p.spec.connman, &peermanpb.DisconnectPeer{
		ConnId:      uint64(p.spec.connID),
		PeerId:      uint64(p.spec.id),
		Reason:      reason,
		Detail:      detail,
		Misbehaving: misbehaving,
	})
}

// publish sends connman a fresh snapshot (for eviction and its own view).
// Its byte totals are the Peer's own counts; the socket-level figures are
// in the snapshots answered to GetPeerSnapshot.
func (p *peer) publish(ctx actor.Context, now time.Time) {
	if p.spec.connman == nil {
		return
	}
	ctx.Send(p.spec.connman, p.snapshot(now, nil))
}
