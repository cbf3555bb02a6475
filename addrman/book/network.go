package book

// NetworkID is a BIP155 network identifier. Only the networks a node can use
// today are known: Tor v2 (3) is gone from the network and never accepted.
type NetworkID uint8

// The networks a Book holds, numbered as in BIP155.
const (
	// NetIPv4 is IPv4, 4 bytes.
	NetIPv4 NetworkID = 1
	// NetIPv6 is IPv6, 16 bytes.
	NetIPv6 NetworkID = 2
	// NetTorV3 is a Tor v3 onion service, its 32-byte ed25519 public key.
	NetTorV3 NetworkID = 4
	// NetI2P is an I2P destination, the 32-byte SHA-256 of the destination.
	NetI2P NetworkID = 5
	// NetCJDNS is a CJDNS address, 16 bytes inside fc00::/8.
	NetCJDNS NetworkID = 6
)

// maxNetworkID bounds per-network arrays.
const maxNetworkID = 7

// Networks lists every network a Book holds, in BIP155 order.
func Networks() []NetworkID {
	return []NetworkID{NetIPv4, NetIPv6, NetTorV3, NetI2P, NetCJDNS}
}

// Size returns the length of n's address in bytes, or 0 when n is unknown.
func (n NetworkID) Size() int {
	switch n {
	case NetIPv4:
		return 4
	case NetIPv6, NetCJDNS:
		return 16
	case NetTorV3, NetI2P:
		return 32
	}
	return 0
}

// Valid reports whether n is one of the known networks.
func (n NetworkID) Valid() bool { return n.Size() != 0 }

// String returns the network's name as Core's RPCs spell it.
func (n NetworkID) String() string {
	switch n {
	case NetIPv4:
		return "ipv4"
	case NetIPv6:
		return "ipv6"
	case NetTorV3:
		return "onion"
	case NetI2P:
		return "i2p"
	case NetCJDNS:
		return "cjdns"
	}
	return "unknown"
}

// ParseNetwork returns the network named s (as String spells it).
func ParseNetwork(s string) (NetworkID, bool) {
	for _, n := range Networks() {
		if n.String() == s {
			return n, true
		}
	}
	return 0, false
}
