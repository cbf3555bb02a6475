package chainman

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/actors/actorspb"
	"github.com/actornode/actornode/chain/blockstore"
	"github.com/actornode/actornode/chain/chainpb"
	"github.com/actornode/actornode/chain/download"
	"github.com/actornode/actornode/chain/headers"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// tick is the message the actor's timer sends it every TickInterval.
type tick struct{}

// needSlack is how far (in heights) the scheduler's window end may move
// past the last height listed in a Need before a new Need is sent.
const needSlack = 64

// NewActor returns the producer of the chain actor configured by cfg.
// Params and Dir are required.
func NewActor(cfg Config) actor.Producer {
	cfg = cfg.withDefaults()
	return func() actor.Actor { return &chainman{cfg: &cfg, log: cfg.Logger} }
}

// chainman is the chain actor: a thin adapter around the header tree, the
// block store and the download scheduler. Everything in it belongs to its
// own goroutine.
type chainman struct {
	cfg *Config
	log *slog.Logger

	tree     *headers.Tree
	store    *blockstore.Store
	dl       download.State
	blockTip *headers.Node
	// pruned holds the hashes of the blocks the store pruned.
	pruned map[chainhash.Hash]struct{}
	peers  map[actors.PeerID]*peerState
	subs   []*actor.PID
	timer  actors.Timer

	// lastListed is the highest height the last Need considered;
	// needDirty forces a new Need (the best chain changed).
	lastListed int32
	needDirty  bool
	// ibd latches to false once the block tip is recent.
	ibd      bool
	tipDirty bool
	failed   bool

	lastFlush, lastProgress time.Time
	progress                rate
	blocksPerSec, mbPerSec  float64
}

// Receive handles one message.
func (c *chainman) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		c.start(ctx)
	case tick:
		c.onTick(ctx)
	case *peermanpb.PeerHandshaken:
		c.onHandshake(ctx, m)
	case *peermanpb.PeerDisconnected:
		c.onPeerGone(ctx, m)
	case *chainpb.PeerMessage:
		c.onPeerMessage(ctx, m)
	case *chainpb.GetTip:
		ctx.Respond(c.snapshot())
	case *chainpb.GetBlockHash:
		ctx.Respond(c.blockHash(m))
	case *chainpb.GetBlockHeader:
		ctx.Respond(c.blockHeader(m))
	case *chainpb.GetBlock:
		ctx.Respond(c.block(m))
	case *chainpb.GetSyncStatus:
		ctx.Respond(c.syncStatus())
	case *chainpb.SubscribeTip:
		if s := m.GetSubscriber(); s != nil {
			c.subs = append(c.subs, s)
			if c.tree != nil {
				ctx.Send(s, c.snapshot())
			}
		}
	case *actor.Stopping:
		c.stop()
	case *actor.Restarting:
		c.stop()
	}
	if c.tree != nil && !c.failed {
		c.afterMessage(ctx)
	}
}

// start opens the store, rebuilds the header tree from the stored blocks'
// headers, stores the genesis block if missing and arms the tick.
func (c *chainman) start(ctx actor.Context) {
	now := c.cfg.Clock.Now()
	store, err := blockstore.Open(c.cfg.Dir, blockstore.Options{
		Net: c.cfg.Params.Net, MaxFileSize: c.cfg.MaxFileSize, PruneTarget: c.cfg.PruneTarget,
	})
	if err != nil {
		c.fatal(ctx, fmt.Errorf("opening the block store: %w", err))
		return
	}
	c.store = store
	if rec := store.Recovery(); !rec.Clean() {
		c.log.Warn("block store recovered", "data_bytes_discarded", rec.DataBytesDiscarded,
			"index_bytes_discarded", rec.IndexBytesDiscarded, "index_corrupt", rec.IndexCorrupt,
			"rebuilt", rec.Rebuilt, "lost_blocks", rec.LostBlocks)
	}
	c.tree = headers.New(c.cfg.Params)
	c.peers = make(map[actors.PeerID]*peerState)
	c.dl = download.New(c.cfg.Download)
	c.ibd = true
	c.rebuild(now)
	genesis := c.tree.Genesis()
	if !c.have(genesis) {
		var buf bytes.Buffer
		if err := c.cfg.Params.GenesisBlock.Serialize(&buf); err == nil {
			if _, err := store.Put(genesis.Hash, 0, buf.Bytes()); err != nil {
				c.fatal(ctx, fmt.Errorf("storing the genesis block: %w", err))
				return
			}
		}
	}
	c.blockTip = advanceBlockTip(c.tree, genesis, c.have)
	c.updateIBD(now)
	c.needDirty, c.tipDirty = true, true
	c.lastFlush, c.lastProgress = now, now
	c.progress.take(now)
	st := store.Stats()
	c.log.Info("chain loaded", "headers", c.tree.Tip().Height, "blocks", c.blockTip.Height,
		"best_block", c.blockTip.Hash.String(), "stored_blocks", st.Blocks, "pruned_blocks", st.PrunedBlocks,
		"bytes", st.Bytes, "dir", c.cfg.Dir)
	c.armTick(ctx)
}

// rebuild adds the headers of every stored (and pruned) block to the tree,
// parents first.
func (c *chainman) rebuild(now time.Time) {
	pruned := c.store.PrunedEntries()
	c.pruned = make(map[chainhash.Hash]struct{}, len(pruned))
	for _, e := range pruned {
		c.pruned[e.Hash] = struct{}{}
	}
	entries := append(pruned, c.store.Entries()...)
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Height < entries[j].Height })
	skipped := 0
	for _, e := range entries {
		var h wire.BlockHeader
		if err := h.Deserialize(bytes.NewReader(e.Header[:])); err != nil {
			skipped++
			continue
		}
		if _, err := c.tree.Add(&h, now); err != nil {
			skipped++
			c.log.Debug("stored block's header not added", "hash", e.Hash.String(), "height", e.Height, "error", err)
		}
	}
	if skipped > 0 {
		c.log.Warn("stored blocks whose header was not added to the tree", "count", skipped)
	}
}

// have reports whether n's block is stored or was stored and pruned.
func (c *chainman) have(n *headers.Node) bool {
	if _, ok := c.pruned[n.Hash]; ok {
		return true
	}
	return c.store.Has(n.Hash)
}

// stop flushes and closes the store and stops the timer.
func (c *chainman) stop() {
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	if c.store == nil {
		return
	}
	if err := c.store.Flush(); err != nil {
		c.log.Error("flushing the block store at stop failed", "error", err)
	}
	if err := c.store.Close(); err != nil {
		c.log.Error("closing the block store failed", "error", err)
	}
	c.store = nil
	c.failed = true
}

// fatal logs err, stops the chain work and tells the node.
func (c *chainman) fatal(ctx actor.Context, err error) {
	c.failed = true
	c.log.Error("chain actor failed", "error", err)
	if c.cfg.Node != nil {
		ctx.Send(c.cfg.Node, &actorspb.Fatal{Subsystem: string(actors.SubsystemChainman), Reason: err.Error()})
	}
}

// armTick schedules the next tick.
func (c *chainman) armTick(ctx actor.Context) {
	self, root := ctx.Self(), ctx.ActorSystem().Root
	c.timer = c.cfg.Clock.AfterFunc(c.cfg.TickInterval, func() { root.Send(self, tick{}) })
}

// onTick runs the scheduler's timers, flushes the store every
// FlushInterval (pruning after it), logs progress every ProgressInterval
// and publishes a pending tip change.
func (c *chainman) onTick(ctx actor.Context) {
	if c.failed || c.store == nil {
		return
	}
	now := c.cfg.Clock.Now()
	c.feed(ctx, download.Tick{}, now)
	if now.Sub(c.lastFlush) >= c.cfg.FlushInterval {
		c.lastFlush = now
		c.flush(ctx)
	}
	if now.Sub(c.lastProgress) >= c.cfg.ProgressInterval {
		c.lastProgress = now
		c.blocksPerSec, c.mbPerSec = c.progress.take(now)
		c.logProgress()
	}
	c.publishTip(ctx)
	c.armTick(ctx)
}

// flush makes the stored blocks durable and prunes when configured.
func (c *chainman) flush(ctx actor.Context) {
	if err := c.store.Flush(); err != nil {
		var failed *blockstore.FailedError
		if errors.As(err, &failed) {
			c.fatal(ctx, err)
			return
		}
		c.log.Error("flushing the block store failed", "error", err)
		return
	}
	if c.cfg.PruneTarget <= 0 || c.blockTip.Height <= MinPruneKeep {
		return
	}
	res, err := c.store.Prune(c.blockTip.Height - MinPruneKeep)
	if err != nil {
		c.log.Error("pruning failed", "error", err)
		return
	}
	if res.Blocks > 0 {
		for _, e := range c.store.PrunedEntries() {
			c.pruned[e.Hash] = struct{}{}
		}
		c.log.Info("pruned blocks", "blocks", res.Blocks, "bytes", res.Bytes, "min_height", res.MinHeight,
			"max_height", res.MaxHeight)
	}
}

// logProgress logs one progress line while the block tip is behind.
func (c *chainman) logProgress() {
	tip := c.tree.Tip()
	if c.blockTip == tip && !c.ibd {
		return
	}
	c.log.Info("sync progress", "headers", tip.Height, "blocks", c.blockTip.Height,
		"blocks_per_s", fmt.Sprintf("%.1f", c.blocksPerSec), "mb_per_s", fmt.Sprintf("%.2f", c.mbPerSec),
		"eta", eta(tip.Height-c.blockTip.Height, c.blocksPerSec).String(),
		"peers", len(c.dl.Peers()), "in_flight", c.dl.InFlightTotal())
}

// feed steps the scheduler with in at now and carries out its outputs.
func (c *chainman) feed(ctx actor.Context, in download.Input, now time.Time) {
	var out []download.Output
	c.dl, out = download.Step(c.dl, in, now)
	for _, o := range out {
		switch o := o.(type) {
		case download.Request:
			c.request(ctx, o)
		case download.Stalling:
			c.disconnect(ctx, o.Peer, peermanpb.DisconnectReason_DISCONNECT_REASON_STALLING,
				fmt.Sprintf("stalled the download with block %s for %v", o.Hash, o.Timeout), false)
		case download.TimedOut:
			c.disconnect(ctx, o.Peer, peermanpb.DisconnectReason_DISCONNECT_REASON_BLOCK_TIMEOUT,
				fmt.Sprintf("block %s not delivered in time", o.Hash), false)
		}
	}
}

// afterMessage sends the scheduler a new Need when the best chain changed,
// the window moved well past the last one, or nothing is in flight while
// blocks are missing; and publishes the tip at once outside IBD.
func (c *chainman) afterMessage(ctx actor.Context) {
	tip := c.tree.Tip()
	_, end := c.dl.Window()
	missing := c.blockTip != tip
	if c.needDirty || (missing && end >= c.lastListed+needSlack && c.lastListed < tip.Height) ||
		(missing && c.dl.InFlightTotal() == 0) {
		c.needDirty = false
		window := c.cfg.Download.Window
		if window <= 0 {
			window = download.DefaultWindow
		}
		list := needList(c.tree, c.blockTip, c.have, window)
		c.lastListed = min(tip.Height, c.blockTip.Height+int32(window))
		c.feed(ctx, download.Need{Blocks: list}, c.cfg.Clock.Now())
	}
	if !c.ibd {
		c.publishTip(ctx)
	}
}

// updateIBD latches ibd to false once the block tip is recent.
func (c *chainman) updateIBD(now time.Time) {
	if c.ibd && !inIBD(c.blockTip.Time(), now) {
		c.ibd = false
		c.log.Info("out of initial block download", "height", c.blockTip.Height)
	}
}

// publishTip sends a pending tip change to the subscribers and OnTip.
func (c *chainman) publishTip(ctx actor.Context) {
	if !c.tipDirty {
		return
	}
	c.tipDirty = false
	snap := c.snapshot()
	for _, s := range c.subs {
		ctx.Send(s, snap)
	}
	if c.cfg.OnTip != nil {
		c.cfg.OnTip(snap)
	}
}
