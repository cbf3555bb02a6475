package headers

import (
	"math/big"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
)

// RequiredBits returns the Bits a header with timestamp ts must carry to
// extend parent, by the tree's network rules:
//
//   - inside a difficulty period the Bits stay those of the parent, except
//     on networks with ReduceMinDifficulty (testnet3, testnet4, regtest):
//     a header more than MinDiffReductionTime after its parent may use the
//     proof-of-work limit, and otherwise carries the Bits of the last header
//     of the chain that was not such a minimum-difficulty exception;
//   - at a period boundary (height a multiple of the interval) the target is
//     retargeted from the time the previous period took (see Retarget),
//     unless the network has PoWNoRetargeting (regtest), where the parent's
//     Bits carry on;
//   - on networks enforcing BIP94 (testnet4) the retarget starts from the
//     Bits of the first header of the period, which can never be a
//     minimum-difficulty exception.
func (t *Tree) RequiredBits(parent *Node, ts time.Time) uint32 {
	p := t.params
	height := parent.Height + 1
	if height%t.interval != 0 {
		if !p.ReduceMinDifficulty {
			return parent.Header.Bits
		}
		if ts.Unix() > parent.Header.Timestamp.Unix()+int64(t.minDiffGap/time.Second) {
			return p.PowLimitBits
		}
		return parent.minDiffBase
	}
	if p.PoWNoRetargeting {
		return parent.Header.Bits
	}
	first := parent.Ancestor(parent.Height - (t.interval - 1))
	base := parent.Header.Bits
	if p.EnforceBIP94 {
		base = first.Header.Bits
	}
	return Retarget(p, base, parent.Header.Timestamp.Sub(first.Header.Timestamp))
}

// minDiffBase computes n.minDiffBase from its parent's: the Bits of the
// last header at or before n that is not a minimum-difficulty exception
// (a header inside a period carrying the proof-of-work limit), stopping at
// period boundaries and the genesis block. Memoising it keeps the testnet
// rule O(1) per header where a walk would cost up to a period.
func (t *Tree) minDiffBase(n *Node) uint32 {
	if n.Parent == nil || n.Height%t.interval == 0 || n.Header.Bits != t.params.PowLimitBits {
		return n.Header.Bits
	}
	return n.Parent.minDiffBase
}

// Retarget computes the Bits of the first header of a new difficulty
// period: the target encoded by bits scaled by actual / TargetTimespan,
// where actual (the time the last period took, from its first header to
// its last) is clamped to [TargetTimespan/RetargetAdjustmentFactor,
// TargetTimespan*RetargetAdjustmentFactor], and capped at PowLimit. The
// arithmetic is on whole seconds, as in Bitcoin Core.
func Retarget(p *chaincfg.Params, bits uint32, actual time.Duration) uint32 {
	span := int64(p.TargetTimespan / time.Second)
	factor := p.RetargetAdjustmentFactor
	if factor < 1 {
		factor = 1
	}
	secs := int64(actual / time.Second)
	secs = max(secs, span/factor)
	secs = min(secs, span*factor)

	target := CompactToBig(bits)
	target.Mul(target, big.NewInt(secs))
	target.Div(target, big.NewInt(span))
	if target.Cmp(p.PowLimit) > 0 {
		target.Set(p.PowLimit)
	}
	return BigToCompact(target)
}
