package headers

import (
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// MaxFutureBlockTime is how far past the caller's now a header timestamp
// may be.
const MaxFutureBlockTime = 2 * time.Hour

// MaxTimewarp is how much earlier than its parent the first header of a
// difficulty period may be on networks enforcing BIP94.
const MaxTimewarp = 600 * time.Second

// checkProofOfWork checks the context-free proof-of-work rule: the target
// encoded by bits is usable on the network and hash meets it.
func checkProofOfWork(hash *chainhash.Hash, bits uint32, p *chaincfg.Params) error {
	target, ok := TargetFromBits(bits, p.PowLimit)
	if !ok {
		return ruleErr(CodeBadPoW, "%s: bits %08x encode an unusable target", hash, bits)
	}
	if HashToBig(hash).Cmp(target) > 0 {
		return ruleErr(CodeBadPoW, "%s: hash above target of bits %08x", hash, bits)
	}
	return nil
}

// checkContext applies the rules that depend on the parent: checkpoints,
// difficulty, median time past, BIP94 timewarp, future time and versions.
func (t *Tree) checkContext(h *wire.BlockHeader, hash *chainhash.Hash, parent *Node, now time.Time) error {
	height := parent.Height + 1
	if cp, ok := t.checkpoints[height]; ok && cp != *hash {
		return ruleErr(CodeCheckpoint, "%s at height %d, checkpoint is %s", hash, height, cp)
	}
	if last := t.lastCheckpoint; last != nil && height < last.Height {
		return ruleErr(CodeForkBeforeCheckpoint, "%s forks at height %d below checkpoint %d", hash, height, last.Height)
	}
	if want := t.RequiredBits(parent, h.Timestamp); h.Bits != want {
		return ruleErr(CodeBadDifficulty, "%s at height %d: bits %08x, want %08x", hash, height, h.Bits, want)
	}
	ts := h.Timestamp.Unix()
	if mtp := parent.MedianTimePast().Unix(); ts <= mtp {
		return ruleErr(CodeTimeTooOld, "%s: time %d not after median time past %d", hash, ts, mtp)
	}
	if t.params.EnforceBIP94 && height%t.interval == 0 {
		if floor := parent.Header.Timestamp.Add(-MaxTimewarp).Unix(); ts < floor {
			return ruleErr(CodeTimewarp, "%s: period start time %d before %d", hash, ts, floor)
		}
	}
	if limit := now.Add(MaxFutureBlockTime).Unix(); ts > limit {
		return ruleErr(CodeTimeTooNew, "%s: time %d after %d", hash, ts, limit)
	}
	p := t.params
	switch {
	case h.Version < 2 && height >= p.BIP0034Height,
		h.Version < 3 && height >= p.BIP0066Height,
		h.Version < 4 && height >= p.BIP0065Height:
		return ruleErr(CodeBadVersion, "%s: version %d too old at height %d", hash, h.Version, height)
	}
	return nil
}
