package outbound

import (
	"net/netip"

	"github.com/actornode/actornode/connman/netgroup"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// Conn is an open connection as the netgroup rule sees it.
type Conn struct {
	// Addr is the remote IP.
	Addr netip.Addr
	// Network is the peer's network; empty means derived from Addr.
	Network netgroup.Network
	// Type is why the connection exists.
	Type peermanpb.ConnectionType
}

// privacy reports whether n is a network whose addresses have no
// meaningful network group.
func privacy(n netgroup.Network) bool {
	return n == netgroup.NetOnion || n == netgroup.NetI2P || n == netgroup.NetCJDNS
}

// GroupsInUse returns the network groups held by persistent outbound
// connections (manual, full-relay and block-relay-only) to IPv4/IPv6 peers.
// Inbound connections are free for anyone to make and do not count; nor do
// short-lived feeler and addr-fetch connections.
func GroupsInUse(conns []Conn) map[netgroup.Group]bool {
	out := map[netgroup.Group]bool{}
	for _, c := range conns {
		switch c.Type {
		case peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL,
			peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY,
			peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY:
			if !privacy(c.Network) {
				out[netgroup.Of(c.Addr)] = true
			}
		}
	}
	return out
}

// Allowed reports whether an automatic outbound connection of type t to
// addr may be opened given the groups in use: feelers may go anywhere,
// everything else needs a group no persistent outbound connection uses.
func Allowed(inUse map[netgroup.Group]bool, addr netip.Addr, t peermanpb.ConnectionType) bool {
	if t == peermanpb.ConnectionType_CONNECTION_TYPE_FEELER {
		return true
	}
	return !inUse[netgroup.Of(addr)]
}
