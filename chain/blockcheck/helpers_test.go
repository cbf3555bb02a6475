package blockcheck

import (
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// wantCode fails unless err is an *Error with code.
func wantCode(t testing.TB, err error, code Code) {
	t.Helper()
	if got := CodeOf(err); got != code {
		t.Fatalf("error %v: code %v, want %v", err, got, code)
	}
}

// spend returns a plain transaction spending prev:index to one output.
func spend(prev chainhash.Hash, index uint32, value int64) *wire.MsgTx {
	tx := wire.NewMsgTx(2)
	tx.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&prev, index), []byte{0x51}, nil))
	tx.AddTxOut(wire.NewTxOut(value, []byte{0x51}))
	return tx
}

// syntheticBlock returns a three-transaction block: the mainnet genesis
// coinbase and two spends, with a matching merkle root.
func syntheticBlock() *wire.MsgBlock {
	b := wire.NewMsgBlock(&chaincfg.MainNetParams.GenesisBlock.Header)
	b.AddTransaction(chaincfg.MainNetParams.GenesisBlock.Transactions[0].Copy())
	b.AddTransaction(spend(chainhash.Hash{1}, 0, 1000))
	b.AddTransaction(spend(chainhash.Hash{2}, 1, 2000))
	fixRoots(b)
	return b
}

// fixRoots recomputes the coinbase's witness commitment (when it has one)
// and then the header's merkle root, so a mutated block is checked past
// those rules.
func fixRoots(b *wire.MsgBlock) {
	if len(b.Transactions) > 0 {
		cb := b.Transactions[0]
		if _, index, ok := WitnessCommitment(cb); ok && len(cb.TxIn) > 0 && len(cb.TxIn[0].Witness) == 1 {
			var reserved chainhash.Hash
			copy(reserved[:], cb.TxIn[0].Witness[0])
			c := ComputeWitnessCommitment(WitnessMerkleRoot(b), reserved)
			copy(cb.TxOut[index].PkScript[len(witnessCommitmentHeader):], c[:])
		}
	}
	b.Header.MerkleRoot, _ = TxMerkleRoot(b)
}

// addCommitment gives b's coinbase a zero reserved value and a commitment
// output, then fixes the roots.
func addCommitment(b *wire.MsgBlock) {
	cb := b.Transactions[0]
	cb.TxIn[0].Witness = wire.TxWitness{make([]byte, 32)}
	script := append([]byte(witnessCommitmentHeader), make([]byte, 32)...)
	cb.AddTxOut(wire.NewTxOut(0, script))
	fixRoots(b)
}
