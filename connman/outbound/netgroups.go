package outbound

import (
	"net/netip"

	"github.com/actornode/actornode/connman/netgroup"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// Conn is an open (or being opened) connection as the netgroup rule sees
// it.
type Conn struct {
	// Addr is the remote IP.
	Addr netip.Addr
	// Network is the peer's network; empty means derived from Addr.
	Network netgroup.Network
	// Type is why the connection exists.
	Type peermanpb.ConnectionType
}

// Grouper maps an address to its network group. netgroup.Of is the rule;
// another Grouper only serves tests that need many groups on one machine.
type Grouper func(netip.Addr) netgroup.Group

// privacy reports whether n is a network whose addresses have no
// meaningful network group.
func privacy(n netgroup.Network) bool {
	return n == netgroup.NetOnion || n == netgroup.NetI2P || n == netgroup.NetCJDNS
}

// persistent reports whether t is a long-lived outbound connection type:
// manual, full-relay or block-relay-only. Inbound connections are free for
// anyone to make and do not count; nor do short-lived feeler and addr-fetch
// connections.
func persistent(t peermanpb.ConnectionType) bool {
	switch t {
	case peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL,
		peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY,
		peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY:
		return true
	}
	return false
}

// GroupsInUse returns the network groups held by persistent outbound
// connections (manual, full-relay and block-relay-only) to IPv4/IPv6 peers,
// grouped by netgroup.Of.
func GroupsInUse(conns []Conn) map[netgroup.Group]bool { return Grouper(netgroup.Of).InUse(conns) }

// Allowed reports whether an automatic outbound connection of type t to
// addr may be opened given the groups in use (by netgroup.Of): feelers may
// go anywhere, everything else needs a group no persistent outbound
// connection uses.
func Allowed(inUse map[netgroup.Group]bool, addr netip.Addr, t peermanpb.ConnectionType) bool {
	return Grouper(netgroup.Of).Allowed(inUse, addr, t)
}

// InUse returns the network groups, by g, held by persistent outbound
// connections to IPv4/IPv6 peers.
func (g Grouper) InUse(conns []Conn) map[netgroup.Group]bool {
	out := map[netgroup.Group]bool{}
	for _, c := range conns {
		if persistent(c.Type) && !privacy(c.Network) {
			out[g(c.Addr)] = true
		}
	}
	return out
}

// Allowed reports whether an automatic outbound connection of type t to
// addr may be opened given the groups in use, grouped by g.
func (g Grouper) Allowed(inUse map[netgroup.Group]bool, addr netip.Addr, t peermanpb.ConnectionType) bool {
	if t == peermanpb.ConnectionType_CONNECTION_TYPE_FEELER {
		return true
	}
	return !inUse[g(addr)]
}

// CountFailures reports whether a failed automatic dial should count
// against the address (addrman's count_failure), as Core decides it: only
// once the node holds persistent outbound connections to at least
// min(maxConnections-1, 2) distinct network groups (privacy-network peers
// each counting as one), so that a node whose own network is down does not
// mark the whole address book as failing.
func (g Grouper) CountFailures(conns []Conn, maxConnections int) bool {
	n := len(g.InUse(conns))
	for _, c := range conns {
		if persistent(c.Type) && privacy(c.Network) {
			n++
		}
	}
	return n >= min(maxConnections-1, 2)
}
