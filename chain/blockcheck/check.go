package blockcheck

import (
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// MaxBlockWeight is the BIP141 block weight limit.
const MaxBlockWeight = 4_000_000

// WitnessScaleFactor is how much more a byte of non-witness data weighs
// than a byte of witness data.
const WitnessScaleFactor = 4

// Weight returns b's BIP141 weight: its size without witness data times
// three plus its full size.
func Weight(b *wire.MsgBlock) int {
	return b.SerializeSizeStripped()*(WitnessScaleFactor-1) + b.SerializeSize()
}

// Check verifies b's integrity against its own header, in Bitcoin Core's
// order: transactions present, merkle root and mutation, size limits,
// coinbase position, context-free transaction rules, witness commitment,
// weight. It returns nil or an *Error. params is accepted for rules that
// differ per network; none of the current ones do.
func Check(b *wire.MsgBlock, params *chaincfg.Params) error {
	_ = params
	if len(b.Transactions) == 0 {
		return fail(CodeNoTransactions, "block %s has no transactions", b.Header.BlockHash())
	}
	root, mutated := TxMerkleRoot(b)
	if root != b.Header.MerkleRoot {
		return fail(CodeBadMerkleRoot, "transactions hash to %s, header has %s", root, b.Header.MerkleRoot)
	}
	if mutated {
		return fail(CodeMutated, "duplicate sibling hashes in the merkle tree")
	}
	if n := len(b.Transactions); n*WitnessScaleFactor > MaxBlockWeight {
		return fail(CodeTooLarge, "%d transactions", n)
	}
	if size := b.SerializeSizeStripped(); size*WitnessScaleFactor > MaxBlockWeight {
		return fail(CodeTooLarge, "size without witness %d bytes", size)
	}
	if !IsCoinbase(b.Transactions[0]) {
		return fail(CodeFirstNotCoinbase, "first transaction %s is not a coinbase", b.Transactions[0].TxHash())
	}
	for i, tx := range b.Transactions[1:] {
		if IsCoinbase(tx) {
			return fail(CodeMultipleCoinbase, "transaction %d is a second coinbase", i+1)
		}
	}
	for i, tx := range b.Transactions {
		if err := checkTransaction(tx); err != nil {
			return fail(CodeBadTransaction, "transaction %d (%s): %s", i, tx.TxHash(), err)
		}
	}
	if err := checkWitness(b); err != nil {
		return err
	}
	if w := Weight(b); w > MaxBlockWeight {
		return fail(CodeTooLarge, "weight %d", w)
	}
	return nil
}
