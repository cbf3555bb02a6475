// Package download is the pure block-download scheduler of the chain
// subsystem: given the blocks of the best header chain that are not stored
// yet and the peers that can serve them, it decides which blocks to request
// from which peer, and which peers to drop for stalling the download or for
// not delivering in time. It is a state machine
//
//	New(cfg)                -> State
//	Step(state, input, now) -> (State, []Output)
//
// with the clock injected: the same state, input and time always give the
// same result.
//
// # What it owns
//
// The download window (the blocks the actor last said it needs, with each
// one's status: requestable, in flight from one peer, received and waiting to
// be stored), every peer's queue of blocks in flight, the peers each block
// must not be asked of again (they answered notfound), the per-peer stall
// and download timers and the node-wide stall timeout. Its read-only views
// are the queries on State (InFlight, InFlightTotal, InFlightBlocks, Peers,
// Window, StallTimeout) and Snapshot, for RPC and logs.
//
// # What it never touches
//
// Sockets, messages and their encoding (the actor turns a Request into one
// getdata of witness blocks), actors and goroutines, clocks (time is an
// argument; the actor sends a Tick every 100-500 ms), the header chain (the
// actor computes which blocks are needed and sends them as Need), block
// contents and their validation (the actor reports each arrival as
// Received or Rejected), block storage (the actor reports Stored) and the
// disconnection of peers (Stalling and TimedOut ask for it; the actor
// performs it and later reports PeerDown).
//
// # State is a handle
//
// State refers to mutable data so that a Step costs O(1) per block in the
// steady state, even over millions of blocks: Step changes the state it is
// given in place and returns the same handle. Keep only the returned value,
// never step two copies of one State, and never share one between
// goroutines; Clone makes an independent copy.
//
// # Inputs and outputs
//
// Inputs: PeerUp, PeerBest, PeerDown, Need, Received, Rejected, NotFound,
// Stored and Tick. Outputs: Request (one getdata for the peer), Stalling
// and TimedOut (disconnect the peer). In one Step the disconnections come
// first, then the requests, one per peer, in PeerID order. Every Step, after
// its input, runs the same four phases: fill every peer with capacity,
// re-evaluate the stall condition, check the timers, and, if a timer
// dropped a peer, fill and re-evaluate again so that its blocks are
// reassigned at once.
//
// # Rules (Bitcoin Core's net_processing, unless noted)
//
// The window. Need lists, in height order, the blocks of the best chain not
// stored yet, starting with the first one (the window start); each Need
// replaces the previous one. Only blocks with heights in [start, start +
// Window - 1] are requested (Window is 1024 by default, Core's
// BLOCK_DOWNLOAD_WINDOW); entries past the first Window are dropped, as are
// entries whose height is not above the previous entry's. The window moves
// only on Stored: a received block still holds the window until it is
// stored. Stored also removes the block from the need by itself, so the
// actor may batch its Needs; a Need that is the previous one shifted
// (stored blocks gone from the front or the middle, new ones appended) is
// applied in one pass without rebuilding anything. Blocks in flight that a
// new Need no longer lists (a reorg) are forgotten: their peers' slots are
// freed at once and the blocks are not requested again unless a later Need
// lists them.
//
// Requests. A peer is asked for at most MaxInFlightPerPeer blocks at once
// (16, Core's MAX_BLOCKS_IN_TRANSIT_PER_PEER), never for a block above its
// BestHeight, never for a block it answered notfound for (Core may ask
// again; we do not), and never while it is being dropped. Blocks go out
// lowest height first, one per peer per round, round after round, until no
// peer can take more, so that every peer with capacity gets work in every
// Step and all suitable peers download in parallel (btcd uses one). A block
// is in flight from at most one peer: only when a peer is dropped
// (Stalling, TimedOut, Rejected, PeerDown) do its blocks return to the pool
// and go to other peers while the dropped peer may still be sending them.
// A block that arrives from a peer other than the one it was asked of still
// counts (Core removes every request for a block it processes).
//
// Stalling. After the fill, if some peer that is not being dropped has
// nothing in flight, has a best height beyond the window's end and still got
// nothing, the window is what holds it back; the peer that has the lowest
// block in flight is then the staller, and its stall timer starts (Core's
// m_stalling_since). The timer is cleared whenever the staller frees a slot
// (a block received from it, notfound, forgotten) and, unlike Core, also
// when at the end of a Step the condition no longer holds, so that the
// condition must last the whole timeout. A staller whose timer is older than
// the stall timeout (strictly: it survives at exactly the deadline) is
// reported as Stalling with the timeout that expired, and the timeout
// doubles (from StallTimeoutBase, 2 s, up to StallTimeoutMax, 64 s, Core's
// BLOCK_STALLING_TIMEOUT_DEFAULT and _MAX). Every Stored shrinks it to 85 %,
// truncated to whole seconds, never below StallTimeoutBase (Core's
// BlockConnected).
//
// Block timeout. A peer whose oldest block in flight has been waited for
// longer than BlockTimeoutBase + BlockTimeoutPerPeer x (the number of other
// peers we are downloading from) is reported as TimedOut with that block
// (Core: 1 + 0.5 x N block intervals of 10 minutes, so 10 min + 5 min x N by
// default). The wait starts when the peer's queue goes from empty to one
// block and restarts whenever the oldest block of its queue is removed
// (Core's m_downloading_since), again strictly after the deadline.
//
// Dropping. Stalling, TimedOut and Rejected mark the peer as leaving: its
// blocks return to the pool at once and it gets no more requests; PeerDown
// forgets it. A late block from a leaving peer is still welcome (Received).
package download
