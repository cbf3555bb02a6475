package headers

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/actornode/actornode/internal/btcdtest"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// TestSyncHeadersFromBtcd mines 300 blocks on a real btcd regtest node,
// fetches every header over its RPC interface and checks that the tree
// accepts them all and ends on btcd's best block.
func TestSyncHeadersFromBtcd(t *testing.T) {
	node := btcdtest.Start(t, btcdtest.Options{NoListen: true})
	const count = 300
	hashes, err := node.Generate(count)
	if err != nil {
		t.Fatal(err)
	}
	if len(hashes) != count {
		t.Fatalf("generated %d blocks", len(hashes))
	}
	hs := make([]wire.BlockHeader, 0, count)
	for _, hash := range hashes {
		raw, err := node.RPC("getblockheader", hash, false)
		if err != nil {
			t.Fatal(err)
		}
		var hexHeader string
		if err := json.Unmarshal(raw, &hexHeader); err != nil {
			t.Fatal(err)
		}
		b, err := hex.DecodeString(hexHeader)
		if err != nil {
			t.Fatal(err)
		}
		var h wire.BlockHeader
		if err := h.Deserialize(bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
		if h.BlockHash().String() != hash {
			t.Fatalf("header hash %s, btcd says %s", h.BlockHash(), hash)
		}
		hs = append(hs, h)
	}
	tr := New(&chaincfg.RegressionNetParams)
	now := time.Now()
	// Two messages, as a peer would send them.
	res, err := tr.AddHeaders(hs[:count/2], now)
	if err != nil || res.Added != count/2 {
		t.Fatalf("first half: %+v %v", res, err)
	}
	res, err = tr.AddHeaders(hs[count/2:], now)
	if err != nil || res.Added != count-count/2 || res.Reorg() {
		t.Fatalf("second half: %+v %v", res, err)
	}
	best, err := node.GetBestBlockHash()
	if err != nil {
		t.Fatal(err)
	}
	if tr.Tip().Hash.String() != best || tr.Tip().Height != count {
		t.Fatalf("tip %s at %d, btcd best %s", tr.Tip().Hash, tr.Tip().Height, best)
	}
	for i, hash := range hashes {
		if n := tr.BestAt(int32(i + 1)); n == nil || n.Hash.String() != hash {
			t.Fatalf("height %d differs from btcd", i+1)
		}
	}
}
