package chainman

import (
	"bytes"

	"github.com/actornode/actornode/chain/headers"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// Serving limits (Core's MAX_HEADERS_RESULTS and getblocks' 500).
const (
	maxHeadersResults = wire.MaxBlockHeadersPerMsg
	maxBlocksResults  = wire.MaxBlocksPerMsg
)

// servedAfter returns the block chain's nodes after the fork point of
// locator, up to limit, stopping at stop (included): only blocks up to the
// block tip are served, so a peer never learns of a block we cannot give.
func (c *chainman) servedAfter(locator []*chainhash.Hash, stop chainhash.Hash, limit int) []*headers.Node {
	loc := make([]chainhash.Hash, len(locator))
	for i, h := range locator {
		loc[i] = *h
	}
	from := c.tree.FindFork(loc)
	if from.Height >= c.blockTip.Height {
		return nil
	}
	limit = min(limit, int(c.blockTip.Height-from.Height))
	return c.tree.BestAfter(from, stop, limit)
}

// serveGetHeaders answers getheaders with up to 2000 headers of the block
// chain after the locator's fork point, ending at hash_stop. With an empty
// locator only the hash_stop header is sent, as Core does.
func (c *chainman) serveGetHeaders(ctx actor.Context, p *peerState, payload []byte) error {
	var msg wire.MsgGetHeaders
	if err := decode(payload, &msg); err != nil {
		return err
	}
	var nodes []*headers.Node
	if len(msg.BlockLocatorHashes) == 0 {
		if n := c.tree.Lookup(msg.HashStop); n != nil && c.tree.IsOnBest(n) && n.Height <= c.blockTip.Height {
			nodes = []*headers.Node{n}
		}
	} else {
		nodes = c.servedAfter(msg.BlockLocatorHashes, msg.HashStop, maxHeadersResults)
	}
	out := wire.NewMsgHeaders()
	for _, n := range nodes {
		h := n.Header
		_ = out.AddBlockHeader(&h)
	}
	c.sendMsg(ctx, p, out)
	return nil
}

// serveGetBlocks answers getblocks with an inv of up to 500 block hashes
// of the block chain after the locator's fork point, stopping before
// hash_stop. Nothing is sent when there is nothing to announce.
func (c *chainman) serveGetBlocks(ctx actor.Context, p *peerState, payload []byte) error {
	var msg wire.MsgGetBlocks
	if err := decode(payload, &msg); err != nil {
		return err
	}
	nodes := c.servedAfter(msg.BlockLocatorHashes, msg.HashStop, maxBlocksResults)
	inv := wire.NewMsgInv()
	for _, n := range nodes {
		if n.Hash == msg.HashStop {
			break
		}
		_ = inv.AddInvVect(wire.NewInvVect(wire.InvTypeBlock, &n.Hash))
	}
	if len(inv.InvList) > 0 {
		c.sendMsg(ctx, p, inv)
	}
	return nil
}

// serveGetData sends the requested blocks from the store, with witness
// for MSG_WITNESS_BLOCK and without for MSG_BLOCK, and one notfound for
// everything else (blocks we lack, transactions: there is no mempool).
// Reading a block is a disk read in the actor (about a millisecond for a
// full block; see the package documentation).
func (c *chainman) serveGetData(ctx actor.Context, p *peerState, payload []byte) error {
	var msg wire.MsgGetData
	if err := decode(payload, &msg); err != nil {
		return err
	}
	notFound := wire.NewMsgNotFound()
	for _, iv := range msg.InvList {
		if iv.Type != wire.InvTypeBlock && iv.Type != wire.InvTypeWitnessBlock {
			_ = notFound.AddInvVect(iv)
			continue
		}
		raw, err := c.store.Get(iv.Hash)
		if err != nil {
			_ = notFound.AddInvVect(iv)
			continue
		}
		if iv.Type == wire.InvTypeBlock {
			if raw, err = stripWitness(raw); err != nil {
				c.log.Error("stored block not decoded", "hash", iv.Hash.String(), "error", err)
				_ = notFound.AddInvVect(iv)
				continue
			}
		}
		c.sendRaw(ctx, p, wire.CmdBlock, raw)
	}
	if len(notFound.InvList) > 0 {
		c.sendMsg(ctx, p, notFound)
	}
	return nil
}

// stripWitness re-serializes a block without its witness data.
func stripWitness(raw []byte) ([]byte, error) {
	var b wire.MsgBlock
	if err := b.Deserialize(bytes.NewReader(raw)); err != nil {
		return nil, err
	}
	if !hasWitness(&b) {
		return raw, nil
	}
	var buf bytes.Buffer
	buf.Grow(b.SerializeSizeStripped())
	if err := b.SerializeNoWitness(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// hasWitness reports whether any transaction of b carries witness data.
func hasWitness(b *wire.MsgBlock) bool {
	for _, tx := range b.Transactions {
		if tx.HasWitness() {
			return true
		}
	}
	return false
}
