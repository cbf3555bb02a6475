package evict

import (
	"math"
	"net/netip"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/connman/netgroup"
)

// Candidate is what eviction knows about one connection.
type Candidate struct {
	// ID is the connection.
	ID actors.ConnID
	// Addr is the remote IP; its network group feeds the keyed netgroup.
	Addr netip.Addr
	// Network is the peer's network; empty means derived from Addr.
	Network netgroup.Network
	// IsLocal marks a peer connected from a local address (Core protects
	// these like onion peers, which reach us through a local proxy).
	IsLocal bool
	// Inbound is false for connections we opened; they are never evicted.
	Inbound bool
	// NoBan peers are never evicted.
	NoBan bool
	// Connected is when the connection opened.
	Connected time.Time
	// MinPing is the lowest ping seen; zero or negative means none yet.
	MinPing time.Duration
	// LastBlock is when the peer last sent us a novel block; zero if never.
	LastBlock time.Time
	// LastTx is when the peer last sent us a novel transaction; zero if never.
	LastTx time.Time
	// RelevantServices says the peer offers the services we want from a
	// block source.
	RelevantServices bool
	// RelayTxs says the peer asked us to relay transactions to it.
	RelayTxs bool
	// BloomFilter says the peer loaded a BIP37 bloom filter.
	BloomFilter bool
	// PreferEvict marks peers to evict first (discouraged addresses).
	PreferEvict bool
}

// cand is a Candidate prepared for comparison.
type cand struct {
	id          actors.ConnID
	keyed       uint64
	connected   int64 // unix nanoseconds, never after now
	minPing     int64 // nanoseconds, MaxInt64 when unknown
	lastBlock   int64 // unix nanoseconds, 0 when never
	lastTx      int64
	relevant    bool
	relayTxs    bool
	bloom       bool
	preferEvict bool
	isLocal     bool
	network     netgroup.Network
}

// prepare converts c for comparison at now with key.
func prepare(c Candidate, now time.Time, key netgroup.Key) cand {
	connected := c.Connected
	if connected.After(now) {
		connected = now
	}
	out := cand{
		id:          c.ID,
		keyed:       key.Keyed(netgroup.Of(c.Addr)),
		connected:   connected.UnixNano(),
		minPing:     math.MaxInt64,
		lastBlock:   unixOrZero(c.LastBlock),
		lastTx:      unixOrZero(c.LastTx),
		relevant:    c.RelevantServices,
		relayTxs:    c.RelayTxs,
		bloom:       c.BloomFilter,
		preferEvict: c.PreferEvict,
		isLocal:     c.IsLocal,
		network:     c.Network,
	}
	if c.MinPing > 0 {
		out.minPing = int64(c.MinPing)
	}
	if out.network == "" {
		out.network = netgroup.NetworkOf(c.Addr)
	}
	return out
}

// unixOrZero returns t in unix nanoseconds, or 0 for the zero time.
func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}
