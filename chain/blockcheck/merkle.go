package blockcheck

import (
	"crypto/sha256"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// MerkleRoot returns the merkle root of hashes (zero for none): pairs are
// hashed with double SHA-256 level by level, an odd last hash being paired
// with itself. mutated is true when some level holds two identical hashes
// at a pair's positions, the CVE-2012-2459 pattern: another transaction
// list with duplicated entries yields the same root, so a block whose
// merkle computation is mutated is never valid. hashes is not modified.
func MerkleRoot(hashes []chainhash.Hash) (root chainhash.Hash, mutated bool) {
	if len(hashes) == 0 {
		return chainhash.Hash{}, false
	}
	level := append([]chainhash.Hash(nil), hashes...)
	var buf [2 * chainhash.HashSize]byte
	for len(level) > 1 {
		for i := 0; i+1 < len(level); i += 2 {
			if level[i] == level[i+1] {
				mutated = true
			}
		}
		if len(level)%2 == 1 {
			level = append(level, level[len(level)-1])
		}
		for i := 0; i < len(level); i += 2 {
			copy(buf[:chainhash.HashSize], level[i][:])
			copy(buf[chainhash.HashSize:], level[i+1][:])
			first := sha256.Sum256(buf[:])
			level[i/2] = sha256.Sum256(first[:])
		}
		level = level[:len(level)/2]
	}
	return level[0], mutated
}

// TxMerkleRoot returns the merkle root of b's transaction hashes (txids)
// and whether its computation is mutated.
func TxMerkleRoot(b *wire.MsgBlock) (chainhash.Hash, bool) {
	hashes := make([]chainhash.Hash, len(b.Transactions))
	for i, tx := range b.Transactions {
		hashes[i] = tx.TxHash()
	}
	return MerkleRoot(hashes)
}

// WitnessMerkleRoot returns the BIP141 witness root of b: the merkle root
// of its witness transaction hashes (wtxids), the coinbase's counted as
// zero.
func WitnessMerkleRoot(b *wire.MsgBlock) chainhash.Hash {
	hashes := make([]chainhash.Hash, len(b.Transactions))
	for i, tx := range b.Transactions {
		if i > 0 {
			hashes[i] = tx.WitnessHash()
		}
	}
	root, _ := MerkleRoot(hashes)
	return root
}
