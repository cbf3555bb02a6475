package headers

import "github.com/btcsuite/btcd/chainhash/v2"

// Invalidate marks the node with the given hash invalid, and with it every
// descendant, for a header chain that a block's data proved bad beyond the
// header checks. The tip moves to the valid node with the most work (the
// first seen among equals); the returned TipChange says how. Invalidating
// a node that is already invalid changes nothing. It costs a pass over the
// nodes added after the invalidated one, and one over all nodes when the
// tip was invalidated.
func (t *Tree) Invalidate(hash chainhash.Hash) (TipChange, error) {
	old := t.Tip()
	n := t.nodes[hash]
	if n == nil {
		return TipChange{OldTip: old, NewTip: old, Fork: old}, ErrUnknownBlock
	}
	if n.Parent == nil {
		return TipChange{OldTip: old, NewTip: old, Fork: old}, ErrGenesis
	}
	if n.status == statusValid {
		n.status = statusFailed
	}
	for _, d := range t.order[n.seq+1:] {
		if d.status == statusValid && d.Parent.Invalid() {
			d.status = statusFailedAncestor
		}
	}
	if old.Invalid() {
		best := t.Genesis()
		for _, c := range t.order {
			if !c.Invalid() && c.Work.Cmp(best.Work) > 0 {
				best = c
			}
		}
		t.setTip(best)
	}
	return t.tipChange(old), nil
}
