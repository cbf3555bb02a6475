// Package blockcheck owns context-free block integrity: whether a block's
// transactions are the ones its header commits to and whether that set has
// the shape every valid block has. It checks the merkle root and its
// CVE-2012-2459 duplicate-subtree mutation, the coinbase position, the
// BIP141 witness commitment (or the absence of witness data without one),
// the weight and stripped-size limits and the context-free transaction
// rules (non-empty inputs and outputs, output amounts, duplicate inputs,
// coinbase script length, null previous outputs).
//
// It never touches the header chain (proof of work and difficulty belong to
// chain/headers), scripts, signatures, the UTXO set, the block store or
// peers. It is pure: no goroutines, no I/O, no clock.
//
// The witness commitment is checked whenever the coinbase carries one, as
// for every block after segwit's activation; blocks older than that never
// carry one on mainnet.
package blockcheck
