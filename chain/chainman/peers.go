package chainman

import (
	"bytes"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/chain/download"
	"github.com/actornode/actornode/chain/headers"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// sendHeadersVersion is the first protocol version that knows sendheaders
// (BIP 130).
const sendHeadersVersion = 70012

// maxAnnounceHeaders is the most headers announced in one headers message;
// more new blocks are announced with an inv of the tip (Core's
// MAX_BLOCKS_TO_ANNOUNCE).
const maxAnnounceHeaders = 8

// peerState is what chainman knows about one handshaken peer.
type peerState struct {
	id       actors.PeerID
	pid      *actor.PID
	version  uint32
	services wire.ServiceFlag
	// sendHeaders is set once the peer sent sendheaders: announce new
	// blocks to it with headers.
	sendHeaders bool
	// best is the most-work header the peer is known to have.
	best *headers.Node
	// inDownload is set once the scheduler knows the peer (PeerUp).
	inDownload bool
	// leaving is set once we asked for the peer's disconnection.
	leaving bool

	blocksRecv, headersRecv uint64
}

// canServe reports whether the peer offers full blocks with witnesses.
func (p *peerState) canServe() bool {
	const need = wire.SFNodeNetwork | wire.SFNodeWitness
	return p.services&need == need
}

// onHandshake records a peer, tells it we want headers announcements and
// asks it for headers from our best header's parent (so that the answer
// holds at least our best header and we learn how far the peer is).
func (c *chainman) onHandshake(ctx actor.Context, m *peermanpb.PeerHandshaken) {
	if c.tree == nil || m.GetPeer() == nil {
		return
	}
	p := &peerState{
		id:       actors.PeerID(m.GetPeerId()),
		pid:      m.GetPeer(),
		version:  m.GetVersion(),
		services: wire.ServiceFlag(m.GetServices()),
	}
	c.peers[p.id] = p
	if p.version >= sendHeadersVersion {
		c.sendMsg(ctx, p, &wire.MsgSendHeaders{})
	}
	from := c.tree.Tip()
	if from.Parent != nil {
		from = from.Parent
	}
	c.getHeaders(ctx, p, from, chainhash.Hash{})
}

// onPeerGone forgets a peer and hands its blocks in flight to others.
func (c *chainman) onPeerGone(ctx actor.Context, m *peermanpb.PeerDisconnected) {
	if c.tree == nil {
		return
	}
	id := actors.PeerID(m.GetPeerId())
	p, ok := c.peers[id]
	if !ok {
		return
	}
	delete(c.peers, id)
	if p.inDownload {
		c.feed(ctx, download.PeerDown{Peer: id}, c.cfg.Clock.Now())
	}
}

// setPeerBest records that p has n (if it has more work than what p was
// known to have) and tells the scheduler how far p has the best chain.
func (c *chainman) setPeerBest(ctx actor.Context, p *peerState, n *headers.Node) {
	if n == nil || n.Invalid() {
		return
	}
	if p.best != nil && n.Work.Cmp(p.best.Work) <= 0 {
		return
	}
	p.best = n
	c.tellScheduler(ctx, p)
}

// tellScheduler gives the scheduler p's best height on the best chain.
func (c *chainman) tellScheduler(ctx actor.Context, p *peerState) {
	if !p.canServe() || p.leaving {
		return
	}
	h := peerBestHeight(p.best, c.tree.Tip())
	if h < 0 {
		return
	}
	now := c.cfg.Clock.Now()
	if !p.inDownload {
		p.inDownload = true
		c.feed(ctx, download.PeerUp{Peer: p.id, BestHeight: h}, now)
		return
	}
	c.feed(ctx, download.PeerBest{Peer: p.id, Height: h}, now)
}

// disconnect asks the Peer actor of id to disconnect, misbehaving or not.
func (c *chainman) disconnect(ctx actor.Context, id actors.PeerID, reason peermanpb.DisconnectReason, detail string, misbehaving bool) {
	p, ok := c.peers[id]
	if !ok || p.leaving {
		return
	}
	p.leaving = true
	c.log.Info("disconnecting peer", "peer", uint64(id), "reason", reason.String(), "detail", detail,
		"misbehaving", misbehaving)
	ctx.Send(p.pid, &peermanpb.RequestDisconnect{Reason: reason, Detail: detail, Misbehaving: misbehaving})
}

// sendMsg encodes msg and asks p's Peer actor to send it.
func (c *chainman) sendMsg(ctx actor.Context, p *peerState, msg wire.Message) {
	var buf bytes.Buffer
	if err := msg.BtcEncode(&buf, wire.ProtocolVersion, wire.WitnessEncoding); err != nil {
		c.log.Error("encoding a message failed; not sent", "command", msg.Command(), "error", err)
		return
	}
	c.sendRaw(ctx, p, msg.Command(), buf.Bytes())
}

// sendRaw asks p's Peer actor to send an encoded payload.
func (c *chainman) sendRaw(ctx actor.Context, p *peerState, command string, payload []byte) {
	if p.leaving {
		return
	}
	ctx.Send(p.pid, &peermanpb.SendMessage{Command: command, Payload: payload})
}

// getHeaders asks p for the headers after from's locator, up to stop.
func (c *chainman) getHeaders(ctx actor.Context, p *peerState, from *headers.Node, stop chainhash.Hash) {
	msg := &wire.MsgGetHeaders{ProtocolVersion: wire.ProtocolVersion, HashStop: stop}
	for _, h := range c.tree.Locator(from) {
		h := h
		msg.BlockLocatorHashes = append(msg.BlockLocatorHashes, &h)
	}
	c.sendMsg(ctx, p, msg)
}

// request sends one getdata for the witness blocks the scheduler assigned.
func (c *chainman) request(ctx actor.Context, r download.Request) {
	p, ok := c.peers[r.Peer]
	if !ok {
		return
	}
	msg := wire.NewMsgGetDataSizeHint(uint(len(r.Blocks)))
	for i := range r.Blocks {
		_ = msg.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessBlock, &r.Blocks[i].Hash))
	}
	c.sendMsg(ctx, p, msg)
}

// announce tells the handshaken peers about the blocks connected from old
// to tip, once out of IBD: with headers to peers that asked for them (at
// most maxAnnounceHeaders, else an inv of the tip), with an inv of the tip
// to the others. Peers known to have tip are skipped.
func (c *chainman) announce(ctx actor.Context, old, tip *headers.Node) {
	fork := headers.Fork(old, tip)
	if fork == nil || fork == tip {
		return
	}
	var hdrs []*headers.Node
	if tip.Height-fork.Height <= maxAnnounceHeaders {
		for n := tip; n != fork; n = n.Parent {
			hdrs = append(hdrs, n)
		}
	}
	for _, p := range c.peers {
		if p.leaving || (p.best != nil && p.best.Ancestor(tip.Height) == tip) {
			continue
		}
		if p.sendHeaders && hdrs != nil {
			msg := wire.NewMsgHeaders()
			for i := len(hdrs) - 1; i >= 0; i-- {
				h := hdrs[i].Header
				_ = msg.AddBlockHeader(&h)
			}
			c.sendMsg(ctx, p, msg)
			continue
		}
		inv := wire.NewMsgInv()
		_ = inv.AddInvVect(wire.NewInvVect(wire.InvTypeBlock, &tip.Hash))
		c.sendMsg(ctx, p, inv)
	}
}
