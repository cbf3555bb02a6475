package outbound

import "github.com/actornode/actornode/peerman/peermanpb"

// Core's defaults.
const (
	// DefaultMaxConnections is Core's -maxconnections default.
	DefaultMaxConnections = 125
	// DefaultFullRelay is Core's MAX_OUTBOUND_FULL_RELAY_CONNECTIONS.
	DefaultFullRelay = 8
	// DefaultBlockRelayOnly is Core's MAX_BLOCK_RELAY_ONLY_CONNECTIONS.
	DefaultBlockRelayOnly = 2
	// DefaultFeelers is Core's MAX_FEELER_CONNECTIONS.
	DefaultFeelers = 1
)

// Limits are the configured connection limits.
type Limits struct {
	// MaxConnections bounds inbound plus automatic outbound connections.
	MaxConnections int
	// FullRelay is the number of automatic full-relay outbound slots.
	FullRelay int
	// BlockRelayOnly is the number of automatic block-relay-only slots.
	BlockRelayOnly int
	// Feelers is the number of feeler slots.
	Feelers int
}

// Effective returns l with the outbound slots trimmed as Core does: no more
// full-relay slots than MaxConnections, no more block-relay-only slots than
// what is left, and no negative figure.
func (l Limits) Effective() Limits {
	l.MaxConnections = max(l.MaxConnections, 0)
	l.FullRelay = min(max(l.FullRelay, 0), l.MaxConnections)
	l.BlockRelayOnly = min(max(l.BlockRelayOnly, 0), l.MaxConnections-l.FullRelay)
	l.Feelers = max(l.Feelers, 0)
	return l
}

// Outbound returns the number of automatic outbound slots (full-relay,
// block-relay-only and feelers).
func (l Limits) Outbound() int {
	e := l.Effective()
	return e.FullRelay + e.BlockRelayOnly + e.Feelers
}

// Inbound returns the number of inbound slots: MaxConnections minus the
// automatic outbound slots, never below zero. Manual connections use no
// slot.
func (l Limits) Inbound() int { return max(0, l.Effective().MaxConnections-l.Outbound()) }

// Counts are the automatic outbound connections open now.
type Counts struct {
	// FullRelay counts automatic full-relay outbound connections.
	FullRelay int
	// BlockRelayOnly counts block-relay-only connections.
	BlockRelayOnly int
	// Feelers counts feeler connections.
	Feelers int
}

// Next returns the type of the next automatic outbound connection to open,
// and false when none is needed: full-relay slots are filled first, then
// block-relay-only ones, then a feeler when one is due and a feeler slot is
// free.
func Next(l Limits, c Counts, feelerDue bool) (peermanpb.ConnectionType, bool) {
	e := l.Effective()
	switch {
	case c.FullRelay < e.FullRelay:
		return peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY, true
	case c.BlockRelayOnly < e.BlockRelayOnly:
		return peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY, true
	case feelerDue && c.Feelers < e.Feelers:
		return peermanpb.ConnectionType_CONNECTION_TYPE_FEELER, true
	}
	return peermanpb.ConnectionType_CONNECTION_TYPE_UNSPECIFIED, false
}
