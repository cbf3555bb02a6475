// Package chain is the home of actornode's block chain logic: the header
// tree, block integrity checks, the block store and the block-download
// scheduler. It holds no code of its own; each concern lives in a
// subpackage that is pure and actor-free, so a chain actor can glue them to
// the Peer actors without any of them knowing about actors or sockets.
//
// actornode validates the header chain (proof of work, difficulty
// retargets, timestamps, checkpoints, version rules) and each block's
// integrity (merkle root, witness commitment, size limits). It does not
// validate scripts and keeps no UTXO set: it stores blocks and serves them,
// trusting the most-work valid header chain for everything beyond that.
//
// Subpackages:
//
//   - chain/headers: the in-memory header tree and contextual header
//     validation; chooses the most-work tip and reports reorganisations.
//   - chain/blockcheck: context-free block integrity (merkle root and its
//     CVE-2012-2459 mutation, coinbase shape, BIP141 witness commitment,
//     weight and size limits).
//   - chain/blockstore: blk?????.dat files plus an index, crash safe.
//   - chain/download: the pure block-download scheduler.
//
// No package under chain/ touches sockets, peers, actors or the clock: time
// is always passed in by the caller.
package chain
