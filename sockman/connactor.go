package sockman

import (
	"fmt"
	"net/netip"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/actornode/actornode/telemetry/peerfilter"
	"github.com/asynkron/protoactor-go/actor"
)

// connActor is the actor of one connection: it takes Start, Send, Consumed,
// Close, SetCapture and GetConnStats. Received frames bypass it (the read loop sends them straight
// to the owner).
type connActor struct {
	c *conn
	// peer is what TracePeer reports, built on its first call.
	peer    peerfilter.Peer
	peerSet bool
}

// TracePeer tells the tracing middleware which peer this connection leads
// to (it implements trace.PeerIdentified): the connection id, the remote
// address and who opened the connection. A connection actor knows no peer
// id, connection type or user agent; the Peer actor reports those. It runs
// on the actor's goroutine and allocates nothing after its first call.
func (a *connActor) TracePeer() peerfilter.Peer {
	if !a.peerSet {
		a.peerSet = true
		a.peer = peerfilter.Peer{
			ConnID:  a.c.id,
			Inbound: a.c.dir == sockmanpb.Direction_DIRECTION_INBOUND,
		}
		if ap, err := netip.ParseAddrPort(a.c.remote); err == nil {
			a.peer.Addr = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
		}
	}
	return a.peer
}

// Receive handles one message.
func (a *connActor) Receive(ctx actor.Context) {
	c := a.c
	switch msg := ctx.Message().(type) {
	case *sockmanpb.Start:
		if !a.forMe(msg.GetConnId()) {
			return
		}
		if msg.GetOwner() == nil {
			c.log.Warn("Start without an owner ignored")
			return
		}
		c.recv.setOwner(msg.GetFlowControl())
		c.owner.Store(msg.GetOwner())
		c.startReader()
	case *sockmanpb.Consumed:
		if !a.forMe(msg.GetConnId()) {
			return
		}
		c.recv.consumed(msg.GetBytes(), msg.GetFrames())
	case *sockmanpb.Send:
		if !a.forMe(msg.GetConnId()) {
			return
		}
		a.send(msg)
	case *sockmanpb.Close:
		if !a.forMe(msg.GetConnId()) {
			return
		}
		reason := msg.GetReason()
		if reason == sockmanpb.CloseReason_CLOSE_REASON_UNSPECIFIED {
			reason = sockmanpb.CloseReason_CLOSE_REASON_REQUESTED
		}
		c.beginClose(reason, msg.GetDetail())
	case *sockmanpb.SetCapture:
		if !a.forMe(msg.GetConnId()) {
			return
		}
		c.capture.Store(msg.GetSink())
	case *sockmanpb.GetConnStats:
		ctx.Respond(c.snapshot())
	case *actor.Stopping:
		c.noSelfStop.Store(true)
		c.beginClose(sockmanpb.CloseReason_CLOSE_REASON_SHUTDOWN, "connection actor stopped")
	}
}

// send queues one message, closing the connection if the queue is full.
func (a *connActor) send(msg *sockmanpb.Send) {
	c := a.c
	if err := ValidateCommand(msg.GetCommand()); err != nil {
		c.log.Warn("Send dropped", "error", err)
		return
	}
	if c.queue.push(outMsg{command: msg.GetCommand(), payload: msg.GetPayload()}) == pushFull {
		queued, _ := c.queue.size()
		c.beginClose(sockmanpb.CloseReason_CLOSE_REASON_SEND_QUEUE_FULL,
			fmt.Sprintf("send queue holds %d bytes, limit %d", queued, c.cfg.MaxSendQueue))
	}
}

// forMe reports whether a message's conn_id addresses this connection; zero
// means "whichever connection this actor is".
func (a *connActor) forMe(id uint64) bool {
	if id == 0 || id == uint64(a.c.id) {
		return true
	}
	a.c.log.Warn("message for another connection ignored", "got_conn_id", id)
	return false
}
