package blockcheck

import (
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// witnessCommitmentHeader starts a BIP141 commitment output script:
// OP_RETURN, a 36-byte push, then the tag aa21a9ed.
const witnessCommitmentHeader = "\x6a\x24\xaa\x21\xa9\xed"

// commitmentScriptLen is the shortest script that holds a commitment.
const commitmentScriptLen = len(witnessCommitmentHeader) + chainhash.HashSize

// WitnessCommitment returns the 32-byte witness commitment the coinbase
// carries and the index of the output holding it, or ok false when it
// carries none. When several outputs match, the last one counts (BIP141).
func WitnessCommitment(coinbase *wire.MsgTx) (commitment chainhash.Hash, index int, ok bool) {
	index = -1
	for i, out := range coinbase.TxOut {
		s := out.PkScript
		if len(s) >= commitmentScriptLen && string(s[:len(witnessCommitmentHeader)]) == witnessCommitmentHeader {
			index = i
		}
	}
	if index < 0 {
		return chainhash.Hash{}, -1, false
	}
	copy(commitment[:], coinbase.TxOut[index].PkScript[len(witnessCommitmentHeader):commitmentScriptLen])
	return commitment, index, true
}

// ComputeWitnessCommitment returns double-SHA256(witnessRoot ||
// reservedValue), the value a coinbase commits to.
func ComputeWitnessCommitment(witnessRoot, reservedValue chainhash.Hash) chainhash.Hash {
	var buf [2 * chainhash.HashSize]byte
	copy(buf[:chainhash.HashSize], witnessRoot[:])
	copy(buf[chainhash.HashSize:], reservedValue[:])
	return chainhash.DoubleHashH(buf[:])
}

// checkWitness applies BIP141: with a commitment, the coinbase witness must
// be a single 32-byte reserved value and the commitment must match the
// witness root; without one, no transaction may carry witness data.
func checkWitness(b *wire.MsgBlock) error {
	coinbase := b.Transactions[0]
	commitment, index, ok := WitnessCommitment(coinbase)
	if !ok {
		for i, tx := range b.Transactions {
			if tx.HasWitness() {
				return fail(CodeUnexpectedWitness, "transaction %d has witness data but the coinbase has no commitment", i)
			}
		}
		return nil
	}
	wit := coinbase.TxIn[0].Witness
	if len(wit) != 1 || len(wit[0]) != chainhash.HashSize {
		return fail(CodeBadWitnessCommitment, "coinbase witness must be one 32-byte reserved value, has %d items", len(wit))
	}
	var reserved chainhash.Hash
	copy(reserved[:], wit[0])
	if got := ComputeWitnessCommitment(WitnessMerkleRoot(b), reserved); got != commitment {
		return fail(CodeBadWitnessCommitment, "output %d commits to %s, transactions give %s", index, commitment, got)
	}
	return nil
}
