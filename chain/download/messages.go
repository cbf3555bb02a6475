package download

import (
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/btcsuite/btcd/chainhash/v2"
)

// PeerID identifies the Peer session blocks are requested from.
type PeerID = actors.PeerID

// BlockRef names one block of the best header chain.
type BlockRef struct {
	// Hash is the block's hash.
	Hash chainhash.Hash
	// Height is the block's height in the best chain.
	Height int32
}

// Input is one event fed to Step: PeerUp, PeerBest, PeerDown, Need,
// Received, Rejected, NotFound, Stored or Tick.
type Input interface{ isInput() }

// PeerUp reports a peer that can serve blocks (NODE_NETWORK and
// NODE_WITNESS) and is ready for requests. BestHeight is the height up to
// which it is known, from its headers, to have the best chain. A PeerUp for
// a known peer only updates its BestHeight.
type PeerUp struct {
	Peer       PeerID
	BestHeight int32
}

// PeerBest reports that a known peer has the best chain up to Height (it
// replaces the previous height, also when lower, after a reorg). Unknown
// peers are ignored.
type PeerBest struct {
	Peer   PeerID
	Height int32
}

// PeerDown reports a peer gone: its blocks in flight return to the pool at
// once and the peer is forgotten.
type PeerDown struct {
	Peer PeerID
}

// Need lists the blocks of the best chain that are not stored yet, in
// height order, starting with the first one, at most Config.Window of them.
// It replaces the previous Need. The blocks must all be of one chain.
// The actor sends one whenever the best header chain changes and when the
// window has room past the last block it listed; Stored alone removes a
// stored block, so a Need per stored block is allowed but not required. A
// Need costs O(len(Blocks)) (about a thousand hash comparisons when it is
// the previous one shifted), so an actor syncing millions of blocks may
// batch: send one when the best chain changes, when the window's end
// (State.Window) has moved some 64 heights past the highest height last
// listed, and when nothing is in flight (State.InFlightTotal). The
// scheduler does not keep Blocks.
type Need struct {
	Blocks []BlockRef
}

// Received reports a valid block that arrived from Peer. It frees the
// block's slot (whichever peer it was asked of) and marks it received: it
// is not requested again, and it holds the window until Stored.
type Received struct {
	Peer PeerID
	Hash chainhash.Hash
}

// Rejected reports a bad block from Peer. The actor disconnects the peer;
// the scheduler stops using it at once, and the block, and every other
// block in flight from the peer, goes back to the pool for other peers.
type Rejected struct {
	Peer PeerID
	Hash chainhash.Hash
}

// NotFound reports blocks the peer answered notfound for: those in flight
// from it return to the pool, and none of them is asked of that peer again
// while it stays in the need (a block that leaves the need, by a reorg or
// by being stored, loses this memory). Blocks not in the need are ignored.
type NotFound struct {
	Peer   PeerID
	Hashes []chainhash.Hash
}

// Stored reports a block durably stored (or connected). It advances the
// window when the block is its first, and shrinks the stall timeout.
type Stored struct {
	Hash chainhash.Hash
}

// Tick only lets the timers be evaluated at now.
type Tick struct{}

func (PeerUp) isInput()   {}
func (PeerBest) isInput() {}
func (PeerDown) isInput() {}
func (Need) isInput()     {}
func (Received) isInput() {}
func (Rejected) isInput() {}
func (NotFound) isInput() {}
func (Stored) isInput()   {}
func (Tick) isInput()     {}

// Output is one thing the actor must do: Request, Stalling or TimedOut.
type Output interface{ isOutput() }

// Request asks the actor to send Peer one getdata for Blocks (as witness
// blocks), in the given order, lowest height first. Blocks is owned by the
// receiver.
type Request struct {
	Peer   PeerID
	Blocks []BlockRef
}

// Stalling asks the actor to disconnect Peer: it held Hash, the lowest
// block in flight, while another peer sat idle for lack of blocks in the
// window, for longer than Timeout. Its blocks have already been handed
// back to the pool (and usually to other peers in the same Step).
type Stalling struct {
	Peer    PeerID
	Hash    chainhash.Hash
	Timeout time.Duration
}

// TimedOut asks the actor to disconnect Peer: Hash, the oldest block in
// flight from it, was waited for longer than the block timeout. Its blocks
// have already been handed back to the pool.
type TimedOut struct {
	Peer PeerID
	Hash chainhash.Hash
}

func (Request) isOutput()  {}
func (Stalling) isOutput() {}
func (TimedOut) isOutput() {}
