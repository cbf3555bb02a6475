package node_test

import (
	"testing"

	"github.com/actornode/actornode/internal/btcdtest"
)

// TestChainFollowsReorg: btcd invalidates a block a few below its tip and
// mines a longer fork; actornode, connected to it, follows to the new tip
// and serves the new branch's blocks.
func TestChainFollowsReorg(t *testing.T) {
	a := btcdtest.Start(t, btcdtest.Options{DebugLevel: "warn"})
	st, err := a.MineChain(200, 100000)
	if err != nil {
		t.Fatalf("mining: %v", err)
	}
	n := startNode(t, "--p2p.connect", a.P2PAddr())
	n.waitForTip(t, st.Tip, chainWait)

	const k = 5
	forkAt := int64(st.Blocks - k)
	old, err := a.GetBlockHash(forkAt)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.InvalidateBlock(old); err != nil {
		t.Fatalf("invalidateblock: %v", err)
	}
	// Another coinbase address would make the fork's blocks differ; btcd
	// mines to the same one, so the new blocks differ by their time only:
	// mine enough to outweigh the old branch.
	fork, err := a.MineChain(k+3, 100000)
	if err != nil {
		t.Fatalf("mining the fork: %v", err)
	}
	newHeight := forkAt - 1 + k + 3 // one longer than the old chain
	if h, _ := a.GetBlockCount(); h != newHeight {
		t.Fatalf("btcd at height %d after the fork, want %d", h, newHeight)
	}
	n.waitForTip(t, fork.Tip, chainWait)
	var got string
	if err := n.rpc(&got, "getblockhash", forkAt); err != nil || got == old {
		t.Fatalf("getblockhash %d = %s (%v), still the invalidated block", forkAt, got, err)
	}
	compareBlocks(t, n, a, []int64{forkAt - 1, forkAt, newHeight})
}
