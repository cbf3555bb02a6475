package download

import (
	"slices"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// PeerSnapshot is one peer's part of a Snapshot.
type PeerSnapshot struct {
	// Peer is the peer's id.
	Peer PeerID
	// BestHeight is the height up to which it has the best chain.
	BestHeight int32
	// InFlight is the number of blocks in flight from it.
	InFlight int
	// Leaving reports a peer dropped (Stalling, TimedOut, Rejected) whose
	// PeerDown has not come yet.
	Leaving bool
	// DownloadingSince is when its oldest block in flight started to be
	// waited for; zero when nothing is in flight.
	DownloadingSince time.Time
	// StallingSince is when it started stalling the window; zero when it
	// is not.
	StallingSince time.Time
}

// Snapshot is a read-only view of the scheduler for RPC and logs.
type Snapshot struct {
	// WindowStart is the height of the first block not stored yet (0
	// before the first Need).
	WindowStart int32
	// WindowEnd is the highest height that may be requested.
	WindowEnd int32
	// Needed counts the blocks of the need not stored yet; of them,
	// Requestable are free to request, InFlight are in flight and Received
	// wait to be stored.
	Needed, Requestable, InFlight, Received int
	// StallTimeout is the current stall timeout.
	StallTimeout time.Duration
	// Peers holds every known peer, by ascending id.
	Peers []PeerSnapshot
}

// InFlight returns the number of blocks in flight from peer.
func (s State) InFlight(peer PeerID) int {
	if p, ok := s.data().byID[peer]; ok {
		return len(p.inflight)
	}
	return 0
}

// InFlightBlocks returns the blocks in flight from peer, in request order.
func (s State) InFlightBlocks(peer PeerID) []chainhash.Hash {
	if p, ok := s.data().byID[peer]; ok {
		return slices.Clone(p.inflight)
	}
	return nil
}

// InFlightTotal returns the number of blocks in flight from all peers.
func (s State) InFlightTotal() int { return s.data().inFlight }

// Peers returns the known peers (joined and not down), by ascending id,
// leaving ones included.
func (s State) Peers() []PeerID {
	d := s.data()
	ids := make([]PeerID, len(d.peers))
	for i, p := range d.peers {
		ids[i] = p.id
	}
	return ids
}

// Window returns the heights of the first block not stored yet and of the
// highest block that may be requested. An actor that batches its Needs
// sends a new one when end passes the last height it listed.
func (s State) Window() (start, end int32) {
	d := s.data()
	return d.windowStart, int32(min(d.windowEnd(), int64(^uint32(0)>>1)))
}

// StallTimeout returns the current stall timeout.
func (s State) StallTimeout() time.Duration { return s.data().stallTimeout }

// Config returns the configuration in force, defaults applied.
func (s State) Config() Config { return s.data().cfg }

// Snapshot returns a view of the scheduler. It costs O(Window).
func (s State) Snapshot() Snapshot {
	d := s.data()
	start, end := s.Window()
	snap := Snapshot{
		WindowStart:  start,
		WindowEnd:    end,
		StallTimeout: d.stallTimeout,
		Peers:        make([]PeerSnapshot, 0, len(d.peers)),
	}
	for _, e := range d.ents[d.head:] {
		switch e.st {
		case statusFree:
			snap.Requestable++
		case statusInFlight:
			snap.InFlight++
		case statusReceived:
			snap.Received++
		default:
			continue
		}
		snap.Needed++
	}
	for _, p := range d.peers {
		ps := PeerSnapshot{
			Peer:          p.id,
			BestHeight:    p.best,
			InFlight:      len(p.inflight),
			Leaving:       p.doomed,
			StallingSince: p.stallingSince,
		}
		if len(p.inflight) > 0 {
			ps.DownloadingSince = p.downloadingSince
		}
		snap.Peers = append(snap.Peers, ps)
	}
	return snap
}
