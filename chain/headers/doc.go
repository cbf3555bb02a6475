// Package headers owns the header tree: every block header actornode has
// accepted, linked to its parent, with cumulative chain work, and the best
// (most-work valid) chain derived from it.
//
// It validates each header in the context of its parent the way Bitcoin
// Core does for the header chain: proof of work against the header's own
// target and the network's limit, the required difficulty (2016-block
// retargets with a 4x clamp, the testnet 20-minute minimum-difficulty rule,
// no retargeting on regtest, testnet4's BIP94 rules), median-time-past,
// the two-hour future limit, checkpoints and the BIP34/65/66 minimum
// versions. It also answers the questions a node serving headers needs:
// block locators, the fork point of a peer's locator, the best chain by
// height, and last common ancestors for reorganisations.
//
// The package is pure and deterministic: no goroutines, no locks, no clock
// reads (the caller passes now), no I/O. A Tree is not safe for concurrent
// use; its owner (the chain actor) serialises access. Nodes handed out are
// shared with the tree and must be treated as read-only.
//
// It never touches block bodies, the block store, peers or sockets.
package headers
