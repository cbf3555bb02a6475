package blockstore

import (
	"bytes"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// blockIntact reports whether raw decodes as a block using every byte and
// its transactions hash to the header's merkle root. Only a rebuild uses
// it, to tell a block that was written whole from bytes a crash left
// behind; consensus checks belong to chain/blockcheck.
func blockIntact(raw []byte) bool {
	var blk wire.MsgBlock
	r := bytes.NewReader(raw)
	if err := blk.Deserialize(r); err != nil || r.Len() != 0 || len(blk.Transactions) == 0 {
		return false
	}
	ids := make([]chainhash.Hash, len(blk.Transactions))
	for i, tx := range blk.Transactions {
		ids[i] = tx.TxHash()
	}
	return merkleRoot(ids) == blk.Header.MerkleRoot
}

// merkleRoot folds txids pairwise with double-SHA256, pairing the last
// hash of an odd level with itself, down to one hash.
func merkleRoot(level []chainhash.Hash) chainhash.Hash {
	if len(level) == 0 {
		return chainhash.Hash{}
	}
	var pair [2 * chainhash.HashSize]byte
	for len(level) > 1 {
		next := make([]chainhash.Hash, 0, (len(level)+1)/2)
		for i := 0; i < len(level); i += 2 {
			j := i + 1
			if j == len(level) {
				j = i
			}
			copy(pair[:chainhash.HashSize], level[i][:])
			copy(pair[chainhash.HashSize:], level[j][:])
			next = append(next, chainhash.DoubleHashH(pair[:]))
		}
		level = next
	}
	return level[0]
}
