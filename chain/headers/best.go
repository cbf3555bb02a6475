package headers

import "github.com/btcsuite/btcd/chainhash/v2"

// MaxLocatorHashes is the most hashes a getheaders or getblocks locator may
// carry on the wire.
const MaxLocatorHashes = 101

// BestAt returns the node at height on the best chain, or nil when height
// is negative or above the tip.
func (t *Tree) BestAt(height int32) *Node {
	if height < 0 || int(height) >= len(t.best) {
		return nil
	}
	return t.best[height]
}

// IsOnBest reports whether n is on the best chain.
func (t *Tree) IsOnBest(n *Node) bool {
	return n != nil && t.BestAt(n.Height) == n
}

// Next returns the successor of n on the best chain, or nil when n is the
// tip or not on the best chain.
func (t *Tree) Next(n *Node) *Node {
	if !t.IsOnBest(n) {
		return nil
	}
	return t.BestAt(n.Height + 1)
}

// Locator returns a block locator for n (the tip when n is nil): n's hash,
// then its ancestors one by one for ten more entries, then with a step that
// doubles each time, always ending with the genesis hash. A chain of a
// million headers yields about 30 hashes.
func (t *Tree) Locator(n *Node) []chainhash.Hash {
	if n == nil {
		n = t.Tip()
	}
	hashes := make([]chainhash.Hash, 0, 32)
	step := int32(1)
	for {
		hashes = append(hashes, n.Hash)
		if n.Height == 0 {
			return hashes
		}
		n = n.Ancestor(max(n.Height-step, 0))
		if len(hashes) > 10 {
			step *= 2
		}
	}
}

// FindFork returns the node a peer's locator shares with our best chain:
// the first locator hash that is on the best chain, or the tip when a
// locator hash extends our tip (the peer is ahead on our chain), or the
// genesis node when nothing matches. Serving getheaders and getblocks
// starts right after it.
func (t *Tree) FindFork(locator []chainhash.Hash) *Node {
	tip := t.Tip()
	for _, hash := range locator {
		n := t.nodes[hash]
		if n == nil {
			continue
		}
		if t.IsOnBest(n) {
			return n
		}
		if n.Ancestor(tip.Height) == tip {
			return tip
		}
	}
	return t.Genesis()
}

// BestAfter returns the nodes that follow from on the best chain, in
// order, at most limit of them, ending early after the node whose hash is
// stop (a zero stop never matches). It returns nil when from is not on the
// best chain. This is the answer to getheaders (limit 2000) and getblocks
// (limit 500) once FindFork found from.
func (t *Tree) BestAfter(from *Node, stop chainhash.Hash, limit int) []*Node {
	if !t.IsOnBest(from) || limit <= 0 {
		return nil
	}
	start := int(from.Height) + 1
	end := min(start+limit, len(t.best))
	var out []*Node
	for _, n := range t.best[start:end] {
		out = append(out, n)
		if n.Hash == stop {
			break
		}
	}
	return out
}
