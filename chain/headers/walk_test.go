package headers

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
)

// naiveAncestor walks parent by parent.
func naiveAncestor(n *Node, height int32) *Node {
	for n != nil && n.Height > height {
		n = n.Parent
	}
	return n
}

// naiveFork walks both nodes down parent by parent.
func naiveFork(a, b *Node) *Node {
	for a.Height > b.Height {
		a = a.Parent
	}
	for b.Height > a.Height {
		b = b.Parent
	}
	for a != b {
		a, b = a.Parent, b.Parent
	}
	return a
}

func TestAncestorAndForkMatchNaiveWalk(t *testing.T) {
	tr := New(&chaincfg.RegressionNetParams)
	long := extend(t, tr, tr.Genesis(), 3000, time.Second, 0)
	rng := rand.New(rand.NewPCG(1, 2))
	nodes := append([]*Node{tr.Genesis()}, long...)
	// Branches off random nodes, some off other branches.
	for i := 0; i < 200; i++ {
		parent := nodes[rng.IntN(len(nodes))]
		branch := extend(t, tr, parent, 1+rng.IntN(40), time.Second, uint32(i+1))
		nodes = append(nodes, branch...)
	}
	for i := 0; i < 3000; i++ {
		n := nodes[rng.IntN(len(nodes))]
		h := rng.Int32N(n.Height + 1)
		if got, want := n.Ancestor(h), naiveAncestor(n, h); got != want {
			t.Fatalf("Ancestor(%d) of height %d wrong", h, n.Height)
		}
		m := nodes[rng.IntN(len(nodes))]
		if got, want := Fork(n, m), naiveFork(n, m); got != want {
			t.Fatalf("Fork of heights %d and %d: got %d want %d", n.Height, m.Height, got.Height, want.Height)
		}
	}
	tip := long[len(long)-1]
	if tip.Ancestor(-1) != nil || tip.Ancestor(tip.Height+1) != nil || tip.Ancestor(tip.Height) != tip {
		t.Fatal("Ancestor bounds")
	}
	if Fork(nil, tip) != nil || Fork(tip, New(&chaincfg.MainNetParams).Genesis()) != nil {
		t.Fatal("Fork of unrelated nodes")
	}
}

func TestLocatorShape(t *testing.T) {
	tr := New(&chaincfg.RegressionNetParams)
	extend(t, tr, tr.Genesis(), 1000, time.Second, 0)
	loc := tr.Locator(nil)
	var heights []int32
	for _, h := range loc {
		n := tr.Lookup(h)
		if n == nil || !tr.IsOnBest(n) {
			t.Fatalf("locator hash %s not on the best chain", h)
		}
		heights = append(heights, n.Height)
	}
	want := []int32{1000, 999, 998, 997, 996, 995, 994, 993, 992, 991, 990, 989,
		987, 983, 975, 959, 927, 863, 735, 479, 0}
	if len(heights) != len(want) {
		t.Fatalf("locator heights %v, want %v", heights, want)
	}
	for i := range want {
		if heights[i] != want[i] {
			t.Fatalf("locator heights %v, want %v", heights, want)
		}
	}
	if g := tr.Locator(tr.Genesis()); len(g) != 1 || g[0] != tr.Genesis().Hash {
		t.Fatalf("genesis locator %v", g)
	}
}

func TestFindForkAndBestAfter(t *testing.T) {
	tr := New(&chaincfg.RegressionNetParams)
	main := extend(t, tr, tr.Genesis(), 30, time.Second, 0)
	side := extend(t, tr, main[9], 5, 2*time.Second, 7) // from height 10, shorter
	if tr.Tip() != main[29] {
		t.Fatal("tip")
	}
	// A peer on the side chain: its locator meets ours at height 10.
	if got := tr.FindFork(tr.Locator(side[4])); got != main[9] {
		t.Fatalf("side fork at %d", got.Height)
	}
	// A peer on our chain, behind us.
	if got := tr.FindFork(tr.Locator(main[19])); got != main[19] {
		t.Fatalf("behind: %d", got.Height)
	}
	// Unknown hashes only: genesis.
	if got := tr.FindFork([]chainhash.Hash{{1}, {2}}); got != tr.Genesis() {
		t.Fatal("unknown locator")
	}
	if got := tr.FindFork(nil); got != tr.Genesis() {
		t.Fatal("empty locator")
	}
	// A peer ahead of us on a chain we hold but do not follow (here an
	// invalidated extension): the fork is our tip.
	ahead := extend(t, tr, main[29], 2, time.Second, 9)
	if _, err := tr.Invalidate(ahead[1].Hash); err != nil {
		t.Fatal(err)
	}
	if tr.Tip() != ahead[0] {
		t.Fatal("tip after invalidation")
	}
	if got := tr.FindFork([]chainhash.Hash{ahead[1].Hash}); got != ahead[0] {
		t.Fatalf("ahead: %d", got.Height)
	}

	after := tr.BestAfter(main[9], chainhash.Hash{}, 5)
	if len(after) != 5 || after[0] != main[10] || after[4] != main[14] {
		t.Fatal("BestAfter limit")
	}
	after = tr.BestAfter(main[9], main[12].Hash, 2000)
	if len(after) != 3 || after[2] != main[12] {
		t.Fatalf("BestAfter stop: %d nodes", len(after))
	}
	if got := tr.BestAfter(ahead[0], chainhash.Hash{}, 10); len(got) != 0 {
		t.Fatal("BestAfter past the tip")
	}
	if tr.BestAfter(side[0], chainhash.Hash{}, 10) != nil {
		t.Fatal("BestAfter from a side node")
	}
}
