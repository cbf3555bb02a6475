package headers

import (
	"math/big"
	"slices"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// medianTimeBlocks is how many headers the median time past covers.
const medianTimeBlocks = 11

// status records why a node is invalid, if it is.
type status uint8

const (
	// statusValid: the node and all its ancestors are valid.
	statusValid status = iota
	// statusFailed: the node itself was marked invalid.
	statusFailed
	// statusFailedAncestor: an ancestor of the node was marked invalid.
	statusFailedAncestor
)

// Node is one header in the tree. All fields are owned by the Tree and must
// be treated as read-only by callers.
type Node struct {
	// Hash is the header's block hash.
	Hash chainhash.Hash
	// Header is the header itself.
	Header wire.BlockHeader
	// Height is the number of headers between this one and the genesis
	// block (the genesis block has height 0).
	Height int32
	// Work is the cumulative chain work up to and including this header.
	// It is shared with the tree: never modify it.
	Work *big.Int
	// Parent is the previous header, or nil for the genesis block.
	Parent *Node

	// skip points to an ancestor at skipHeight(Height), for Ancestor.
	skip *Node
	// minDiffBase is the Bits the testnet walk-back returns from this
	// node: its own, unless it is a minimum-difficulty exception inside a
	// period, then its parent's minDiffBase.
	minDiffBase uint32
	// seq is the insertion order (genesis 0); ties in work go to the lower.
	seq uint64
	// status says whether the node is valid.
	status status
}

// Invalid reports whether the node or one of its ancestors was marked
// invalid (Tree.Invalidate). An invalid node is never the tip.
func (n *Node) Invalid() bool { return n.status != statusValid }

// Time returns the header's timestamp.
func (n *Node) Time() time.Time { return n.Header.Timestamp }

// Ancestor returns the ancestor of n at height (n itself at n.Height), or
// nil when height is negative or above n.Height. It follows skip pointers,
// so it takes a logarithmic number of steps in the distance.
func (n *Node) Ancestor(height int32) *Node {
	if n == nil || height < 0 || height > n.Height {
		return nil
	}
	walk := n
	for walk.Height > height {
		if walk.skip != nil && walk.useSkip(height) {
			walk = walk.skip
		} else {
			walk = walk.Parent
		}
	}
	return walk
}

// useSkip reports whether, walking from n towards height, jumping to n's
// skip target beats stepping to the parent: it does unless it overshoots,
// or the parent's own skip would land closer to height without passing it.
func (n *Node) useSkip(height int32) bool {
	own := n.skip.Height
	if own == height {
		return true
	}
	if own < height {
		return false
	}
	parents := skipHeight(n.Height - 1)
	return !(parents < own-2 && parents >= height)
}

// MedianTimePast returns the median timestamp of n and up to ten of its
// ancestors: the value a child of n must exceed.
func (n *Node) MedianTimePast() time.Time {
	var stamps [medianTimeBlocks]int64
	count := 0
	for walk := n; walk != nil && count < medianTimeBlocks; walk = walk.Parent {
		stamps[count] = walk.Header.Timestamp.Unix()
		count++
	}
	sorted := stamps[:count]
	slices.Sort(sorted)
	return time.Unix(sorted[count/2], 0)
}

// Fork returns the last common ancestor of a and b (one of them when it is
// an ancestor of the other), or nil when either is nil or they share no
// ancestor (nodes of different trees).
func Fork(a, b *Node) *Node {
	if a == nil || b == nil {
		return nil
	}
	if a.Height > b.Height {
		a = a.Ancestor(b.Height)
	} else if b.Height > a.Height {
		b = b.Ancestor(a.Height)
	}
	for a != b {
		if a == nil || b == nil {
			return nil
		}
		// Jump together while the skip targets still differ.
		if a.skip != nil && b.skip != nil && a.skip != b.skip {
			a, b = a.skip, b.skip
			continue
		}
		a, b = a.Parent, b.Parent
	}
	return a
}

// skipHeight returns the height the skip pointer of a node at height h
// targets. Even heights drop their lowest set bit; odd heights drop the two
// lowest set bits of h-1 and add one. Either way the targets are spread so
// that any ancestor is reachable in O(log h) jumps.
func skipHeight(h int32) int32 {
	if h < 2 {
		return 0
	}
	clearLow := func(x int32) int32 { return x & (x - 1) }
	if h&1 == 1 {
		return clearLow(clearLow(h-1)) + 1
	}
	return clearLow(h)
}
