package blockstore

import (
	"testing"

	"github.com/btcsuite/btcd/blockchain"
	"github.com/btcsuite/btcd/btcutil/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// TestMerkleRootMatchesBtcd checks merkleRoot against btcd's independent
// implementation for every transaction count up to 33, and against the
// genesis block.
func TestMerkleRootMatchesBtcd(t *testing.T) {
	g := chaincfg.RegressionNetParams.GenesisBlock
	if got := merkleRoot([]chainhash.Hash{g.Transactions[0].TxHash()}); got != g.Header.MerkleRoot {
		t.Fatalf("genesis merkle root %s", got)
	}
	var txs []*btcutil.Tx
	var ids []chainhash.Hash
	for n := 1; n <= 33; n++ {
		tx := wire.NewMsgTx(1)
		tx.AddTxOut(&wire.TxOut{Value: int64(n), PkScript: []byte{byte(n)}})
		txs = append(txs, btcutil.NewTx(tx))
		ids = append(ids, tx.TxHash())
		if got, want := merkleRoot(ids), blockchain.CalcMerkleRoot(txs, false); got != want {
			t.Fatalf("%d transactions: %s, btcd says %s", n, got, want)
		}
	}
}
