package node_test

import (
	"bytes"
	"encoding/hex"
	"testing"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/chain/chainpb"
	"github.com/actornode/actornode/internal/btcdtest"
)

// chainWait bounds the chain tests' waits; generous for a loaded 2-core
// machine.
const chainWait = 90 * time.Second

// syncStatus asks the node's chain actor for its SyncStatus.
func (n *testNode) syncStatus(t *testing.T) *chainpb.SyncStatus {
	t.Helper()
	sys := n.running.System()
	res, err := sys.Root.RequestFuture(actors.ChildPID(sys, actors.SubsystemChainman), &chainpb.GetSyncStatus{}, 10*time.Second).Result()
	if err != nil {
		t.Fatalf("GetSyncStatus: %v", err)
	}
	return res.(*chainpb.SyncStatus)
}

// bestBlockHash returns the node's getbestblockhash, or "" on error.
func (n *testNode) bestBlockHash() string {
	var best string
	if err := n.rpc(&best, "getbestblockhash"); err != nil {
		return ""
	}
	return best
}

// waitForTip waits until the node's best block is tip.
func (n *testNode) waitForTip(t *testing.T, tip string, timeout time.Duration) {
	t.Helper()
	eventually(t, timeout, "actornode reaches tip "+tip, func() bool { return n.bestBlockHash() == tip })
}

// waitBtcdTip waits until btcd's best block is tip.
func waitBtcdTip(t *testing.T, b *btcdtest.Node, tip string, timeout time.Duration) {
	t.Helper()
	eventually(t, timeout, "btcd reaches tip "+tip, func() bool {
		best, err := b.GetBestBlockHash()
		return err == nil && best == tip
	})
}

// compareBlocks checks that the node's getblockhash and getblock (raw)
// match btcd's at the given heights.
func compareBlocks(t *testing.T, n *testNode, b *btcdtest.Node, heights []int64) {
	t.Helper()
	for _, h := range heights {
		want, err := b.GetBlockHash(h)
		if err != nil {
			t.Fatalf("btcd getblockhash %d: %v", h, err)
		}
		var got string
		if err := n.rpc(&got, "getblockhash", h); err != nil || got != want {
			t.Fatalf("getblockhash %d = %q (%v), btcd says %s", h, got, err, want)
		}
		wantRaw, err := b.GetBlockRaw(want)
		if err != nil {
			t.Fatalf("btcd getblock %s: %v", want, err)
		}
		var gotHex string
		if err := n.rpc(&gotHex, "getblock", want, 0); err != nil {
			t.Fatalf("getblock %s 0: %v", want, err)
		}
		gotRaw, _ := hex.DecodeString(gotHex)
		if !bytes.Equal(gotRaw, wantRaw) {
			t.Fatalf("block %d (%s): %d bytes from actornode differ from btcd's %d", h, want, len(gotRaw), len(wantRaw))
		}
	}
}
