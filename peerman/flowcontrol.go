package peerman

import (
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
)

// ackBatch is how many handled wire bytes a Peer lets pile up before it
// acknowledges them to its connection with Consumed; a remainder is
// acknowledged on the next tick. One Consumed per 64 KiB keeps the extra
// messages to a few per megabyte received.
const ackBatch = 64 << 10

// ackFrames is how many handled frames a Peer lets pile up before it
// acknowledges them, whatever their size: sockman also bounds the
// unacknowledged frames (sockman.DefaultMaxRecvFrames, 1,024), so the
// Peer acknowledges well before that limit to keep the socket read.
const ackFrames = 128

// handled counts the wire bytes of one frame the Peer has finished with
// (delivered or dropped) and acknowledges them once ackBatch is reached.
// sockman reads no further from a Peer whose unacknowledged bytes reach its
// receive budget, so a flood fills that budget, not the Peer's mailbox.
func (p *peer) handled(ctx actor.Context, wireSize uint64) {
	p.unacked += wireSize
	p.unackedFrames++
	if p.unacked >= ackBatch || p.unackedFrames >= ackFrames {
		p.ackHandled(ctx)
	}
}

// ackHandled sends Consumed for every handled byte not yet acknowledged.
func (p *peer) ackHandled(ctx actor.Context) {
	if p.unackedFrames == 0 || p.closed != nil {
		return
	}
	ctx.Send(p.spec.conn, &sockmanpb.Consumed{ConnId: uint64(p.spec.connID), Bytes: p.unacked, Frames: p.unackedFrames})
	p.unacked, p.unackedFrames = 0, 0
}
