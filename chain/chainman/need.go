package chainman

import (
	"time"

	"github.com/actornode/actornode/chain/download"
	"github.com/actornode/actornode/chain/headers"
)

// needList returns the blocks of tree's best chain above from (the block
// tip, on the best chain) that have returns false for, in height order,
// within the window heights from.Height+1 .. from.Height+window: what the
// scheduler's Need lists.
func needList(tree *headers.Tree, from *headers.Node, have func(*headers.Node) bool, window int) []download.BlockRef {
	tip := tree.Tip()
	last := min(tip.Height, from.Height+int32(window))
	var out []download.BlockRef
	for h := from.Height + 1; h <= last; h++ {
		n := tree.BestAt(h)
		if n == nil {
			break
		}
		if !have(n) {
			out = append(out, download.BlockRef{Hash: n.Hash, Height: n.Height})
		}
	}
	return out
}

// advanceBlockTip returns the block tip after tip: first moved back to the
// best chain (to its fork with the best chain after a reorganisation), then
// forward along the best chain for as long as have says the next block is
// there. The block tip is thus the last block of the best header chain
// that is stored together with every ancestor.
func advanceBlockTip(tree *headers.Tree, tip *headers.Node, have func(*headers.Node) bool) *headers.Node {
	if !tree.IsOnBest(tip) {
		tip = headers.Fork(tip, tree.Tip())
	}
	for {
		next := tree.Next(tip)
		if next == nil || !have(next) {
			return tip
		}
		tip = next
	}
}

// peerBestHeight is the height up to which a peer whose best known header
// is best has the best chain: the height of its fork with tip, or -1 when
// nothing is known.
func peerBestHeight(best, tip *headers.Node) int32 {
	if best == nil || best.Invalid() {
		return -1
	}
	f := headers.Fork(best, tip)
	if f == nil {
		return -1
	}
	return f.Height
}

// inIBD reports whether a node whose block tip has time tipTime is in
// initial block download at now: the tip is older than MaxTipAge.
func inIBD(tipTime, now time.Time) bool { return now.Sub(tipTime) > MaxTipAge }
