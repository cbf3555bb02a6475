package chainman

import (
	"testing"
	"time"

	"github.com/actornode/actornode/chain/headers"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// mine returns n regtest headers on top of parent, each one second after
// the one before, with extra distinguishing the branch.
func mine(t *testing.T, parent *wire.BlockHeader, n int, extra uint32) []wire.BlockHeader {
	t.Helper()
	p := &chaincfg.RegressionNetParams
	target := headers.CompactToBig(p.PowLimitBits)
	var out []wire.BlockHeader
	prev := *parent
	for i := 0; i < n; i++ {
		h := wire.BlockHeader{Version: 4, PrevBlock: prev.BlockHash(), Timestamp: prev.Timestamp.Add(time.Second),
			Bits: p.PowLimitBits, MerkleRoot: chainhash.Hash{byte(extra), byte(extra >> 8)}}
		for nonce := uint32(0); ; nonce++ {
			h.Nonce = nonce
			hash := h.BlockHash()
			if headers.HashToBig(&hash).Cmp(target) <= 0 {
				break
			}
		}
		out = append(out, h)
		prev = h
	}
	return out
}

// newTree returns a regtest tree with a chain of n headers.
func newTree(t *testing.T, n int) (*headers.Tree, []wire.BlockHeader) {
	t.Helper()
	tree := headers.New(&chaincfg.RegressionNetParams)
	hs := mine(t, &chaincfg.RegressionNetParams.GenesisBlock.Header, n, 0)
	if _, err := tree.AddHeaders(hs, hs[len(hs)-1].Timestamp); err != nil {
		t.Fatal(err)
	}
	return tree, hs
}

// haveSet reports the nodes whose hashes are in the set.
func haveSet(hashes ...chainhash.Hash) func(*headers.Node) bool {
	set := map[chainhash.Hash]bool{}
	for _, h := range hashes {
		set[h] = true
	}
	return func(n *headers.Node) bool { return n.Height == 0 || set[n.Hash] }
}

func TestNeedListSkipsStoredAndStopsAtWindow(t *testing.T) {
	tree, hs := newTree(t, 10)
	have := haveSet(hs[0].BlockHash(), hs[3].BlockHash())
	tip := advanceBlockTip(tree, tree.Genesis(), have)
	if tip.Height != 1 {
		t.Fatalf("block tip at %d, want 1", tip.Height)
	}
	got := needList(tree, tip, have, 5)
	var heights []int32
	for _, b := range got {
		heights = append(heights, b.Height)
	}
	// Window of 5 after height 1: 2..6, minus the stored 4.
	want := []int32{2, 3, 5, 6}
	if len(heights) != len(want) {
		t.Fatalf("need heights %v, want %v", heights, want)
	}
	for i := range want {
		if heights[i] != want[i] || got[i].Hash != hs[want[i]-1].BlockHash() {
			t.Fatalf("need %v, want heights %v", heights, want)
		}
	}
}

func TestAdvanceBlockTipMovesBackToForkOnReorg(t *testing.T) {
	tree, hs := newTree(t, 6)
	var all []chainhash.Hash
	for _, h := range hs {
		all = append(all, h.BlockHash())
	}
	tip := advanceBlockTip(tree, tree.Genesis(), haveSet(all...))
	if tip.Height != 6 {
		t.Fatalf("block tip at %d, want 6", tip.Height)
	}
	// A longer branch from height 3.
	fork := mine(t, &hs[2], 5, 1)
	res, err := tree.AddHeaders(fork, fork[len(fork)-1].Timestamp)
	if err != nil || !res.Reorg() {
		t.Fatalf("fork not a reorg: %v %v", res, err)
	}
	moved := advanceBlockTip(tree, tip, haveSet(all...))
	if moved.Height != 3 || moved.Hash != hs[2].BlockHash() {
		t.Fatalf("block tip after reorg at %d %s, want the fork at 3", moved.Height, moved.Hash)
	}
	if h := peerBestHeight(tip, tree.Tip()); h != 3 {
		t.Fatalf("a peer with the old tip has the best chain up to %d, want 3", h)
	}
	if h := peerBestHeight(nil, tree.Tip()); h != -1 {
		t.Fatalf("unknown peer best height %d, want -1", h)
	}
}

func TestIBDAndRates(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	if !inIBD(now.Add(-25*time.Hour), now) || inIBD(now.Add(-time.Hour), now) {
		t.Fatal("IBD is a tip older than 24 hours")
	}
	var r rate
	r.take(now)
	for range 50 {
		r.add(2_000_000)
	}
	bps, mbps := r.take(now.Add(10 * time.Second))
	if bps != 5 || mbps != 10 {
		t.Fatalf("rate %v blocks/s %v MB/s, want 5 and 10", bps, mbps)
	}
	if d := eta(100, bps); d != 20*time.Second {
		t.Fatalf("eta %v, want 20s", d)
	}
	if eta(0, bps) != 0 || eta(10, 0) != 0 {
		t.Fatal("eta without work or rate is not zero")
	}
}
