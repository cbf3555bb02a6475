package node_test

import (
	"testing"
	"time"

	"github.com/actornode/actornode/internal/btcdtest"
)

// chainBlocks is the length of the chain the sync tests mine; chainTxFrom
// is the height from which its blocks carry transactions (segwit is active
// on regtest from 432).
const (
	chainBlocks = 2000
	chainTxFrom = 440
)

// TestChainSyncFromTwoBtcdsThenServeAThird mines a regtest chain with
// P2PKH and P2WPKH spends on btcd A, syncs btcd B from A, syncs actornode
// from both (checking that both delivered blocks and that the blocks are
// byte for byte btcd's), then lets a fresh btcd C, connected to actornode
// only, sync the whole chain from it and validate it.
func TestChainSyncFromTwoBtcdsThenServeAThird(t *testing.T) {
	a := btcdtest.Start(t, btcdtest.Options{DebugLevel: "warn"})
	start := time.Now()
	st, err := a.MineChain(chainBlocks, chainTxFrom)
	if err != nil {
		t.Fatalf("mining: %v", err)
	}
	t.Logf("mined %d blocks (%d P2PKH, %d P2WPKH spends) in %v", st.Blocks, st.P2PKHSpends, st.P2WPKHSpends, time.Since(start))
	b := btcdtest.Start(t, btcdtest.Options{DebugLevel: "warn", Connect: []string{a.P2PAddr()}})
	waitBtcdTip(t, b, st.Tip, chainWait)

	n := startNode(t, "--p2p.connect", a.P2PAddr(), "--p2p.connect", b.P2PAddr(), "--log.level", "info")
	start = time.Now()
	n.waitForTip(t, st.Tip, chainWait)
	t.Logf("actornode synced %d blocks in %v", st.Blocks, time.Since(start))
	status := n.syncStatus(t)
	if len(status.GetPeers()) != 2 {
		t.Fatalf("sync status lists %d peers, want 2: %v", len(status.GetPeers()), status)
	}
	for _, p := range status.GetPeers() {
		if p.GetBlocksReceived() == 0 {
			t.Errorf("peer %d delivered no block: %v", p.GetPeerId(), status)
		}
	}
	compareBlocks(t, n, a, []int64{0, 1, 100, chainTxFrom - 1, chainTxFrom, chainTxFrom + 1, 1000, int64(chainBlocks) - 1, int64(chainBlocks)})

	c := btcdtest.Start(t, btcdtest.Options{DebugLevel: "warn", Connect: []string{n.p2p}})
	start = time.Now()
	waitBtcdTip(t, c, st.Tip, chainWait)
	t.Logf("btcd C synced from actornode in %v", time.Since(start))
}
