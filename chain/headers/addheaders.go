package headers

import (
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// TipChange describes how the tip moved during an operation.
type TipChange struct {
	// OldTip is the tip before the operation.
	OldTip *Node
	// NewTip is the tip after it (OldTip when nothing changed).
	NewTip *Node
	// Fork is the last common ancestor of OldTip and NewTip: OldTip when
	// the chain was only extended, below it after a reorganisation.
	Fork *Node
}

// Changed reports whether the tip moved.
func (c TipChange) Changed() bool { return c.OldTip != c.NewTip }

// Reorg reports whether the old tip left the best chain: the nodes above
// Fork up to OldTip are disconnected and those above Fork up to NewTip
// connected.
func (c TipChange) Reorg() bool { return c.Fork != c.OldTip }

// tipChange builds the TipChange from old to the current tip.
func (t *Tree) tipChange(old *Node) TipChange {
	tip := t.Tip()
	return TipChange{OldTip: old, NewTip: tip, Fork: Fork(old, tip)}
}

// AddResult is what AddHeaders did with a headers message.
type AddResult struct {
	// Added is how many headers were new to the tree.
	Added int
	// Last is the node of the last header accepted (new or already known),
	// or nil when none was.
	Last *Node
	// TipChange says how the tip moved.
	TipChange
}

// AddHeaders adds the headers of one headers message in order. Each header
// must build on the one before it (else CodeNotContinuous); the first must
// connect to a known node (else CodeOrphan). It stops at the first error
// and returns it with the result of the headers accepted before it. An
// empty message is no error.
func (t *Tree) AddHeaders(hs []wire.BlockHeader, now time.Time) (AddResult, error) {
	res := AddResult{}
	old := t.Tip()
	var err error
	for i := range hs {
		h := &hs[i]
		if res.Last != nil && h.PrevBlock != res.Last.Hash {
			err = ruleErr(CodeNotContinuous, "header %d builds on %s, not on %s", i, h.PrevBlock, res.Last.Hash)
			break
		}
		n, created, addErr := t.add(h, now)
		if addErr != nil {
			err = addErr
			break
		}
		if created {
			res.Added++
		}
		res.Last = n
	}
	res.TipChange = t.tipChange(old)
	return res, err
}
