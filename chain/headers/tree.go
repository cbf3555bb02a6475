package headers

import (
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// Tree holds every accepted header of one network, keyed by hash, and the
// best chain: the valid node with the most cumulative work (the first seen
// among equals) and its ancestors, indexed by height.
type Tree struct {
	params *chaincfg.Params
	// interval is the number of headers per difficulty period.
	interval int32
	// minDiffGap is the gap after which a testnet header may use the
	// minimum difficulty.
	minDiffGap time.Duration
	// checkpoints maps checkpoint heights to their hashes.
	checkpoints map[int32]chainhash.Hash
	// lastCheckpoint is the highest checkpoint node held, or nil.
	lastCheckpoint *Node

	nodes map[chainhash.Hash]*Node
	// order lists every node in insertion order; parents precede children.
	order []*Node
	// best is the best chain: best[h] is its node at height h.
	best []*Node
}

// New returns a tree for the network described by params holding the
// genesis block as its only node, which is also the tip.
func New(params *chaincfg.Params) *Tree {
	t := &Tree{
		params:      params,
		interval:    int32(params.TargetTimespan / params.TargetTimePerBlock),
		minDiffGap:  params.MinDiffReductionTime,
		checkpoints: make(map[int32]chainhash.Hash, len(params.Checkpoints)),
		nodes:       make(map[chainhash.Hash]*Node),
	}
	if t.interval < 1 {
		t.interval = 1
	}
	if t.minDiffGap <= 0 {
		t.minDiffGap = 2 * params.TargetTimePerBlock
	}
	for _, cp := range params.Checkpoints {
		if cp.Hash != nil {
			t.checkpoints[cp.Height] = *cp.Hash
		}
	}
	genesis := &Node{
		Hash:   params.GenesisBlock.Header.BlockHash(),
		Header: params.GenesisBlock.Header,
		Work:   WorkFromBits(params.GenesisBlock.Header.Bits),
	}
	genesis.minDiffBase = genesis.Header.Bits
	t.insert(genesis)
	t.best = append(t.best, genesis)
	return t
}

// Params returns the network parameters the tree validates against.
func (t *Tree) Params() *chaincfg.Params { return t.params }

// Genesis returns the genesis node.
func (t *Tree) Genesis() *Node { return t.order[0] }

// Tip returns the last node of the best chain: the valid node with the most
// cumulative work, the first seen among equals.
func (t *Tree) Tip() *Node { return t.best[len(t.best)-1] }

// Lookup returns the node with the given hash, or nil. Invalid nodes are
// returned too; check Node.Invalid.
func (t *Tree) Lookup(hash chainhash.Hash) *Node { return t.nodes[hash] }

// Len returns the number of nodes in the tree, valid or not, genesis
// included.
func (t *Tree) Len() int { return len(t.order) }

// Add validates h in the context of its parent and, when it passes, adds it
// to the tree, moving the tip when it brings the most work. A header already
// in the tree returns its node and no error (or a CodeKnownInvalid error
// with the node when it is marked invalid). A failing header is not stored
// and returns a nil node and a *RuleError.
func (t *Tree) Add(h *wire.BlockHeader, now time.Time) (*Node, error) {
	n, _, err := t.add(h, now)
	return n, err
}

// add is Add that also reports whether the node is new.
func (t *Tree) add(h *wire.BlockHeader, now time.Time) (*Node, bool, error) {
	hash := h.BlockHash()
	if n := t.nodes[hash]; n != nil {
		if n.Invalid() {
			return n, false, ruleErr(CodeKnownInvalid, "%s is marked invalid", hash)
		}
		return n, false, nil
	}
	if err := checkProofOfWork(&hash, h.Bits, t.params); err != nil {
		return nil, false, err
	}
	parent := t.nodes[h.PrevBlock]
	if parent == nil {
		return nil, false, ruleErr(CodeOrphan, "%s: parent %s unknown", hash, h.PrevBlock)
	}
	if parent.Invalid() {
		return nil, false, ruleErr(CodeInvalidAncestor, "%s: parent %s is invalid", hash, h.PrevBlock)
	}
	if err := t.checkContext(h, &hash, parent, now); err != nil {
		return nil, false, err
	}
	n := &Node{
		Hash:   hash,
		Header: *h,
		Height: parent.Height + 1,
		Parent: parent,
	}
	n.Work = WorkFromBits(h.Bits)
	n.Work.Add(n.Work, parent.Work)
	n.skip = parent.Ancestor(skipHeight(n.Height))
	n.minDiffBase = t.minDiffBase(n)
	t.insert(n)
	if cp, ok := t.checkpoints[n.Height]; ok && cp == hash &&
		(t.lastCheckpoint == nil || n.Height > t.lastCheckpoint.Height) {
		t.lastCheckpoint = n
	}
	if n.Work.Cmp(t.Tip().Work) > 0 {
		t.setTip(n)
	}
	return n, true, nil
}

// insert records n in the index and the insertion order.
func (t *Tree) insert(n *Node) {
	n.seq = uint64(len(t.order))
	t.nodes[n.Hash] = n
	t.order = append(t.order, n)
}

// setTip makes n the tip, rewriting the best chain above the fork between
// n and the current best chain.
func (t *Tree) setTip(n *Node) {
	var path []*Node
	walk := n
	for !t.IsOnBest(walk) {
		path = append(path, walk)
		walk = walk.Parent
	}
	t.best = t.best[:walk.Height+1]
	for i := len(path) - 1; i >= 0; i-- {
		t.best = append(t.best, path[i])
	}
}
