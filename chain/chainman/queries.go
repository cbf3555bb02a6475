package chainman

import (
	"bytes"
	"errors"
	"fmt"
	"sort"

	"github.com/actornode/actornode/chain/blockstore"
	"github.com/actornode/actornode/chain/chainpb"
	"github.com/actornode/actornode/chain/headers"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// workHex renders cumulative work as 64 hex digits.
func workHex(n *headers.Node) string { return fmt.Sprintf("%064x", n.Work) }

// snapshot builds the current TipSnapshot.
func (c *chainman) snapshot() *chainpb.TipSnapshot {
	if c.tree == nil || c.blockTip == nil {
		return &chainpb.TipSnapshot{}
	}
	tip, bt := c.tree.Tip(), c.blockTip
	progress := 1.0
	if tip.Height > 0 {
		progress = float64(bt.Height) / float64(tip.Height)
	}
	snap := &chainpb.TipSnapshot{
		HeaderHeight:         tip.Height,
		HeaderHash:           tip.Hash.String(),
		BlockHeight:          bt.Height,
		BlockHash:            bt.Hash.String(),
		ChainWork:            workHex(bt),
		BlockTimeUnix:        bt.Time().Unix(),
		MedianTimeUnix:       bt.MedianTimePast().Unix(),
		BlockBits:            bt.Header.Bits,
		VerificationProgress: progress,
		InitialBlockDownload: c.ibd,
		Pruned:               c.cfg.PruneTarget > 0,
		TimeUnixNano:         c.cfg.Clock.Now().UnixNano(),
	}
	if c.store != nil {
		st := c.store.Stats()
		snap.SizeOnDisk = uint64(st.Bytes + st.IndexBytes)
		if snap.Pruned {
			snap.PruneHeight = st.PrunedBelowHeight
		}
	}
	return snap
}

// activeAt returns the block chain's node at height (the best chain up to
// the block tip), or nil.
func (c *chainman) activeAt(height int32) *headers.Node {
	if height < 0 || height > c.blockTip.Height {
		return nil
	}
	return c.tree.BestAt(height)
}

// blockHash answers GetBlockHash: heights above the block tip are out of
// range, as in Core.
func (c *chainman) blockHash(m *chainpb.GetBlockHash) *chainpb.BlockHashReply {
	if c.tree == nil {
		return &chainpb.BlockHashReply{Error: chainpb.ChainErrorCode_CHAIN_ERROR_CODE_INTERNAL, Detail: "chain not loaded"}
	}
	n := c.activeAt(m.GetHeight())
	if n == nil {
		return &chainpb.BlockHashReply{Error: chainpb.ChainErrorCode_CHAIN_ERROR_CODE_OUT_OF_RANGE,
			Detail: fmt.Sprintf("height %d is not in 0..%d", m.GetHeight(), c.blockTip.Height)}
	}
	return &chainpb.BlockHashReply{Hash: n.Hash.String()}
}

// lookupHex finds a node by display-order hex hash.
func (c *chainman) lookupHex(s string) (*headers.Node, chainpb.ChainErrorCode, string) {
	if c.tree == nil {
		return nil, chainpb.ChainErrorCode_CHAIN_ERROR_CODE_INTERNAL, "chain not loaded"
	}
	h, err := chainhash.NewHashFromStr(s)
	if err != nil {
		return nil, chainpb.ChainErrorCode_CHAIN_ERROR_CODE_NOT_FOUND, err.Error()
	}
	n := c.tree.Lookup(*h)
	if n == nil {
		return nil, chainpb.ChainErrorCode_CHAIN_ERROR_CODE_NOT_FOUND, "unknown block " + s
	}
	return n, chainpb.ChainErrorCode_CHAIN_ERROR_CODE_NONE, ""
}

// headerInfo describes n; raw is its stored block when already read
// (for the transaction count), else it is read when stored.
func (c *chainman) headerInfo(n *headers.Node, raw []byte) *chainpb.HeaderInfo {
	var hb bytes.Buffer
	_ = n.Header.Serialize(&hb)
	info := &chainpb.HeaderInfo{
		Hash:           n.Hash.String(),
		Header:         hb.Bytes(),
		Height:         n.Height,
		Confirmations:  -1,
		ChainWork:      workHex(n),
		MedianTimeUnix: n.MedianTimePast().Unix(),
	}
	if n.Parent != nil {
		info.PreviousHash = n.Parent.Hash.String()
	}
	if c.tree.IsOnBest(n) && n.Height <= c.blockTip.Height {
		info.Confirmations = c.blockTip.Height - n.Height + 1
		if next := c.activeAt(n.Height + 1); next != nil {
			info.NextHash = next.Hash.String()
		}
	}
	if raw == nil && c.store != nil && c.store.Has(n.Hash) {
		raw, _ = c.store.Get(n.Hash)
	}
	if raw != nil {
		info.Stored = true
		if len(raw) > wire.MaxBlockHeaderPayload {
			if count, err := wire.ReadVarInt(bytes.NewReader(raw[wire.MaxBlockHeaderPayload:]), 0); err == nil {
				info.NTx = uint32(count)
			}
		}
	}
	return info
}

// blockHeader answers GetBlockHeader for any known header.
func (c *chainman) blockHeader(m *chainpb.GetBlockHeader) *chainpb.BlockHeaderReply {
	n, code, detail := c.lookupHex(m.GetHash())
	if n == nil {
		return &chainpb.BlockHeaderReply{Error: code, Detail: detail}
	}
	return &chainpb.BlockHeaderReply{Info: c.headerInfo(n, nil)}
}

// block answers GetBlock with the stored block (with witness).
func (c *chainman) block(m *chainpb.GetBlock) *chainpb.BlockReply {
	n, code, detail := c.lookupHex(m.GetHash())
	if n == nil {
		return &chainpb.BlockReply{Error: code, Detail: detail}
	}
	if c.store == nil {
		return &chainpb.BlockReply{Error: chainpb.ChainErrorCode_CHAIN_ERROR_CODE_INTERNAL, Detail: "store closed"}
	}
	raw, err := c.store.Get(n.Hash)
	switch {
	case err == nil:
		return &chainpb.BlockReply{Raw: raw, Info: c.headerInfo(n, raw)}
	case errors.Is(err, blockstore.ErrNotFound):
		if _, ok := c.pruned[n.Hash]; ok {
			return &chainpb.BlockReply{Error: chainpb.ChainErrorCode_CHAIN_ERROR_CODE_PRUNED, Detail: "pruned"}
		}
		return &chainpb.BlockReply{Error: chainpb.ChainErrorCode_CHAIN_ERROR_CODE_NOT_STORED, Detail: "not stored"}
	default:
		return &chainpb.BlockReply{Error: chainpb.ChainErrorCode_CHAIN_ERROR_CODE_INTERNAL, Detail: err.Error()}
	}
}

// syncStatus answers GetSyncStatus.
func (c *chainman) syncStatus() *chainpb.SyncStatus {
	st := &chainpb.SyncStatus{Tip: c.snapshot(), BlocksPerSecond: c.blocksPerSec, MegabytesPerSecond: c.mbPerSec}
	if c.tree == nil {
		return st
	}
	start, _ := c.dl.Window()
	st.WindowStart = start
	st.StallTimeoutMs = c.dl.StallTimeout().Milliseconds()
	for _, p := range c.peers {
		st.Peers = append(st.Peers, &chainpb.PeerSync{
			PeerId:          uint64(p.id),
			BestKnownHeight: peerBestHeight(p.best, c.tree.Tip()),
			BlocksInFlight:  uint32(c.dl.InFlight(p.id)),
			BlocksReceived:  p.blocksRecv,
			HeadersReceived: p.headersRecv,
		})
	}
	sort.Slice(st.Peers, func(i, j int) bool { return st.Peers[i].PeerId < st.Peers[j].PeerId })
	return st
}
