package book

import (
	"github.com/actornode/actornode/connman/netgroup"
)

// Group is an opaque network group: addresses in the same group are likely
// run by the same operator, so the book spreads a group over few buckets.
// Two addresses share a group exactly when their Groups are equal.
type Group string

// Group classes for the networks connman/netgroup does not know. Its own
// classes (local, unroutable, IPv4, IPv6) are 1 to 4.
const (
	classTor     byte = 5
	classI2P     byte = 6
	classCJDNS   byte = 7
	classUnknown byte = 0
)

// GroupOf returns the group of a the way Core's GetGroup forms it: IPv4 by
// /16 (also when embedded in IPv6), IPv6 by /32 (/36 for Hurricane
// Electric), one group for local and one for other unroutable addresses,
// Tor and I2P by the first 4 bits of the key, CJDNS by the 4 bits after its
// constant fc prefix.
func GroupOf(a Addr) Group {
	switch a.Net {
	case NetIPv4, NetIPv6:
		ip, _ := a.IP()
		return Group(netgroup.Of(ip))
	case NetTorV3:
		return Group([]byte{classTor, a.Host[0] | 0x0f})
	case NetI2P:
		return Group([]byte{classI2P, a.Host[0] | 0x0f})
	case NetCJDNS:
		return Group([]byte{classCJDNS, a.Host[0], a.Host[1] | 0x0f})
	}
	return Group([]byte{classUnknown})
}

// IsRoutable reports whether a is a publicly routable address worth keeping:
// a well-formed address that, for IPv4 and IPv6, is outside every local,
// private, reserved and documentation range (connman/netgroup's rules).
// Tor v3, I2P and CJDNS addresses are routable within their networks.
func IsRoutable(a Addr) bool {
	if !a.Valid() {
		return false
	}
	switch a.Net {
	case NetIPv4, NetIPv6:
		ip, _ := a.IP()
		return netgroup.IsRoutable(ip)
	}
	return true
}
