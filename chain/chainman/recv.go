package chainman

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/chain/blockcheck"
	"github.com/actornode/actornode/chain/blockstore"
	"github.com/actornode/actornode/chain/chainpb"
	"github.com/actornode/actornode/chain/download"
	"github.com/actornode/actornode/chain/headers"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// decode decodes a chain message's payload into msg.
func decode(payload []byte, msg wire.Message) error {
	return msg.BtcDecode(bytes.NewReader(payload), wire.ProtocolVersion, wire.WitnessEncoding)
}

// onPeerMessage handles one chain message a Peer forwarded. Messages from
// peers not (or no longer) handshaken are dropped.
func (c *chainman) onPeerMessage(ctx actor.Context, m *chainpb.PeerMessage) {
	if c.tree == nil || c.failed {
		return
	}
	p, ok := c.peers[actors.PeerID(m.GetPeerId())]
	if !ok || p.leaving {
		return
	}
	now := c.cfg.Clock.Now()
	var err error
	switch m.GetCommand() {
	case wire.CmdHeaders:
		err = c.onHeaders(ctx, p, m.GetPayload(), now)
	case wire.CmdBlock:
		c.onBlock(ctx, p, m.GetPayload(), now)
	case wire.CmdInv:
		err = c.onInv(ctx, p, m.GetPayload())
	case wire.CmdNotFound:
		err = c.onNotFound(ctx, p, m.GetPayload(), now)
	case wire.CmdSendHeaders:
		p.sendHeaders = true
	case wire.CmdGetHeaders:
		err = c.serveGetHeaders(ctx, p, m.GetPayload())
	case wire.CmdGetBlocks:
		err = c.serveGetBlocks(ctx, p, m.GetPayload())
	case wire.CmdGetData:
		err = c.serveGetData(ctx, p, m.GetPayload())
	}
	if err != nil {
		// The Peer decoded the message already; this only happens if the
		// forwarded payload was damaged.
		c.log.Warn("chain message not decoded", "peer", m.GetPeerId(), "command", m.GetCommand(), "error", err)
	}
}

// onHeaders adds a headers message to the tree. A header that breaks the
// rules disconnects the peer as misbehaving; one that does not connect
// asks the peer for headers from our best; a full message asks for the
// next ones.
func (c *chainman) onHeaders(ctx actor.Context, p *peerState, payload []byte, now time.Time) error {
	var msg wire.MsgHeaders
	if err := decode(payload, &msg); err != nil {
		return err
	}
	p.headersRecv += uint64(len(msg.Headers))
	hs := make([]wire.BlockHeader, len(msg.Headers))
	for i, h := range msg.Headers {
		hs[i] = *h
	}
	res, err := c.tree.AddHeaders(hs, now)
	if res.Changed() {
		c.onTipChange(ctx, res.TipChange, now)
	}
	c.setPeerBest(ctx, p, res.Last)
	if err != nil {
		var rule *headers.RuleError
		switch {
		case errors.As(err, &rule) && rule.Misbehaving():
			c.disconnect(ctx, p.id, peermanpb.DisconnectReason_DISCONNECT_REASON_INVALID_HEADER, err.Error(), true)
		case headers.CodeOf(err) == headers.CodeOrphan:
			c.getHeaders(ctx, p, c.tree.Tip(), chainhash.Hash{})
		default:
			c.log.Debug("headers not accepted", "peer", uint64(p.id), "error", err)
		}
		return nil
	}
	if len(msg.Headers) == wire.MaxBlockHeadersPerMsg && res.Last != nil {
		c.getHeaders(ctx, p, res.Last, chainhash.Hash{})
	}
	return nil
}

// onTipChange follows a new best header: the scheduler gets a new Need and
// every peer's height on the new best chain, and the block tip moves back
// to the fork when the old one left the best chain.
func (c *chainman) onTipChange(ctx actor.Context, tc headers.TipChange, now time.Time) {
	c.needDirty = true
	if tc.Reorg() {
		c.log.Info("header chain reorganised", "old_tip", tc.OldTip.Hash.String(), "new_tip", tc.NewTip.Hash.String(),
			"fork_height", tc.Fork.Height, "new_height", tc.NewTip.Height)
	}
	for _, p := range c.peers {
		if p.inDownload {
			c.tellScheduler(ctx, p)
		}
	}
	c.moveBlockTip(ctx, now)
}

// moveBlockTip recomputes the block tip and, when it moved, marks the tip
// for publication and announces the new blocks outside IBD.
func (c *chainman) moveBlockTip(ctx actor.Context, now time.Time) {
	old := c.blockTip
	c.blockTip = advanceBlockTip(c.tree, old, c.have)
	if c.blockTip == old {
		return
	}
	c.tipDirty = true
	if !c.tree.IsOnBest(old) || headers.Fork(old, c.blockTip) != old {
		c.needDirty = true
	}
	c.updateIBD(now)
	if !c.ibd {
		c.announce(ctx, old, c.blockTip)
	}
}

// onBlock checks and stores a block. A block whose header is unknown is
// added to the tree first (an unsolicited new block). A block that fails
// blockcheck disconnects the peer as misbehaving; when the failure is not
// a mutation (the header itself commits to a bad block) the header is
// invalidated too; otherwise the block is fetched again from another peer.
func (c *chainman) onBlock(ctx actor.Context, p *peerState, payload []byte, now time.Time) {
	var block wire.MsgBlock
	if err := block.Deserialize(bytes.NewReader(payload)); err != nil {
		c.log.Warn("block not decoded", "peer", uint64(p.id), "error", err)
		return
	}
	hash := block.BlockHash()
	p.blocksRecv++
	n := c.tree.Lookup(hash)
	if n == nil {
		res, err := c.tree.AddHeaders([]wire.BlockHeader{block.Header}, now)
		if res.Changed() {
			c.onTipChange(ctx, res.TipChange, now)
		}
		if err != nil {
			var rule *headers.RuleError
			if errors.As(err, &rule) && rule.Misbehaving() {
				c.disconnect(ctx, p.id, peermanpb.DisconnectReason_DISCONNECT_REASON_INVALID_HEADER, err.Error(), true)
			} else if headers.CodeOf(err) == headers.CodeOrphan {
				c.getHeaders(ctx, p, c.tree.Tip(), chainhash.Hash{})
			}
			return
		}
		n = res.Last
	}
	if n.Invalid() {
		c.disconnect(ctx, p.id, peermanpb.DisconnectReason_DISCONNECT_REASON_INVALID_BLOCK,
			fmt.Sprintf("block %s has an invalid header", hash), true)
		return
	}
	c.setPeerBest(ctx, p, n)
	if c.store.Has(hash) {
		return
	}
	if err := blockcheck.Check(&block, c.cfg.Params); err != nil {
		c.rejectBlock(ctx, p, n, err, now)
		return
	}
	if _, err := c.store.Put(hash, n.Height, payload); err != nil {
		c.log.Error("storing a block failed", "hash", hash.String(), "height", n.Height, "error", err)
		var failed *blockstore.FailedError
		if errors.As(err, &failed) {
			c.fatal(ctx, err)
			return
		}
		c.feed(ctx, download.NotFound{Peer: p.id, Hashes: []chainhash.Hash{hash}}, now)
		return
	}
	c.progress.add(len(payload))
	c.feed(ctx, download.Received{Peer: p.id, Hash: hash}, now)
	c.feed(ctx, download.Stored{Hash: hash}, now)
	c.moveBlockTip(ctx, now)
}

// rejectBlock handles a block that failed its checks.
func (c *chainman) rejectBlock(ctx actor.Context, p *peerState, n *headers.Node, err error, now time.Time) {
	c.feed(ctx, download.Rejected{Peer: p.id, Hash: n.Hash}, now)
	c.disconnect(ctx, p.id, peermanpb.DisconnectReason_DISCONNECT_REASON_INVALID_BLOCK,
		fmt.Sprintf("block %s at height %d: %v", n.Hash, n.Height, err), true)
	var berr *blockcheck.Error
	if errors.As(err, &berr) && berr.Mutated() {
		return
	}
	tc, ierr := c.tree.Invalidate(n.Hash)
	if ierr != nil {
		c.log.Warn("invalidating a bad block's header failed", "hash", n.Hash.String(), "error", ierr)
		return
	}
	c.log.Warn("block invalid: header chain invalidated", "hash", n.Hash.String(), "height", n.Height, "error", err)
	if tc.Changed() {
		c.onTipChange(ctx, tc, now)
	}
}

// onInv learns from block announcements: a known block raises what the
// peer is known to have; an unknown one asks the peer for headers.
func (c *chainman) onInv(ctx actor.Context, p *peerState, payload []byte) error {
	var msg wire.MsgInv
	if err := decode(payload, &msg); err != nil {
		return err
	}
	unknown := false
	for _, iv := range msg.InvList {
		if iv.Type != wire.InvTypeBlock && iv.Type != wire.InvTypeWitnessBlock {
			continue
		}
		if n := c.tree.Lookup(iv.Hash); n != nil {
			c.setPeerBest(ctx, p, n)
		} else {
			unknown = true
		}
	}
	if unknown {
		c.getHeaders(ctx, p, c.tree.Tip(), chainhash.Hash{})
	}
	return nil
}

// onNotFound hands the blocks a peer does not have back to the scheduler.
func (c *chainman) onNotFound(ctx actor.Context, p *peerState, payload []byte, now time.Time) error {
	var msg wire.MsgNotFound
	if err := decode(payload, &msg); err != nil {
		return err
	}
	var hashes []chainhash.Hash
	for _, iv := range msg.InvList {
		if iv.Type == wire.InvTypeBlock || iv.Type == wire.InvTypeWitnessBlock {
			hashes = append(hashes, iv.Hash)
		}
	}
	if len(hashes) > 0 && p.inDownload {
		c.feed(ctx, download.NotFound{Peer: p.id, Hashes: hashes}, now)
	}
	return nil
}
