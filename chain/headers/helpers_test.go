package headers

import (
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// testVersion satisfies every BIP34/65/66 minimum.
const testVersion = 0x20000000

// farFuture is a now under which no test header is too new.
var farFuture = time.Unix(1<<40, 0)

// mine returns a header on prev with the given time and bits, its nonce
// ground until the hash meets the target. salt varies the merkle root so
// that siblings differ.
func mine(t testing.TB, prev *chainhash.Hash, ts time.Time, bits uint32, salt uint32) wire.BlockHeader {
	t.Helper()
	h := wire.BlockHeader{
		Version:   testVersion,
		PrevBlock: *prev,
		Timestamp: time.Unix(ts.Unix(), 0),
		Bits:      bits,
	}
	h.MerkleRoot[0] = byte(salt)
	h.MerkleRoot[1] = byte(salt >> 8)
	h.MerkleRoot[2] = byte(salt >> 16)
	h.MerkleRoot[3] = byte(salt >> 24)
	target := CompactToBig(bits)
	if target.Sign() <= 0 {
		t.Fatalf("bits %08x encode no minable target", bits)
	}
	for nonce := uint32(0); ; nonce++ {
		h.Nonce = nonce
		hash := h.BlockHash()
		if HashToBig(&hash).Cmp(target) <= 0 {
			return h
		}
		if nonce == ^uint32(0) {
			t.Fatalf("no nonce for bits %08x", bits)
		}
	}
}

// extend mines and adds count headers on parent, each step seconds after
// the previous, with the bits the tree requires, and returns the nodes.
func extend(t testing.TB, tr *Tree, parent *Node, count int, step time.Duration, salt uint32) []*Node {
	t.Helper()
	out := make([]*Node, 0, count)
	for i := 0; i < count; i++ {
		ts := parent.Time().Add(step)
		h := mine(t, &parent.Hash, ts, tr.RequiredBits(parent, ts), salt)
		n, err := tr.Add(&h, farFuture)
		if err != nil {
			t.Fatalf("add height %d: %v", parent.Height+1, err)
		}
		out = append(out, n)
		parent = n
	}
	return out
}

// testParams returns a copy of the regtest parameters with a difficulty
// interval of ten blocks and the given retarget rules.
func testParams(retarget, minDiff, bip94 bool) *chaincfg.Params {
	p := chaincfg.RegressionNetParams
	p.TargetTimePerBlock = 10 * time.Minute
	p.TargetTimespan = 10 * p.TargetTimePerBlock
	p.RetargetAdjustmentFactor = 4
	p.PoWNoRetargeting = !retarget
	p.ReduceMinDifficulty = minDiff
	p.MinDiffReductionTime = 20 * time.Minute
	p.EnforceBIP94 = bip94
	p.Checkpoints = nil
	return &p
}

// wantCode fails unless err is a *RuleError with code.
func wantCode(t testing.TB, err error, code Code) {
	t.Helper()
	if got := CodeOf(err); got != code {
		t.Fatalf("error %v: code %v, want %v", err, got, code)
	}
}
