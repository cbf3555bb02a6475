package netgroup

import "net/netip"

// Network names the network an address belongs to, with getpeerinfo's
// names.
type Network string

// The networks. Addresses parsed from host:port strings are only ever IPv4,
// IPv6 or unroutable; onion, i2p and cjdns come from peers' snapshots.
const (
	// NetIPv4 is a publicly routable IPv4 address.
	NetIPv4 Network = "ipv4"
	// NetIPv6 is a publicly routable IPv6 address.
	NetIPv6 Network = "ipv6"
	// NetOnion is a Tor onion service.
	NetOnion Network = "onion"
	// NetI2P is an I2P destination.
	NetI2P Network = "i2p"
	// NetCJDNS is a CJDNS address.
	NetCJDNS Network = "cjdns"
	// NetUnroutable is any address that is not publicly routable,
	// local addresses included.
	NetUnroutable Network = "not_publicly_routable"
)

// prefixes used by the classification, parsed once; they are constants in
// all but syntax and never modified.
var (
	rfc1918a = netip.MustParsePrefix("10.0.0.0/8")
	rfc1918b = netip.MustParsePrefix("192.168.0.0/16")
	rfc1918c = netip.MustParsePrefix("172.16.0.0/12")
	rfc2544  = netip.MustParsePrefix("198.18.0.0/15")
	rfc3927  = netip.MustParsePrefix("169.254.0.0/16")
	rfc6598  = netip.MustParsePrefix("100.64.0.0/10")
	rfc5737a = netip.MustParsePrefix("192.0.2.0/24")
	rfc5737b = netip.MustParsePrefix("198.51.100.0/24")
	rfc5737c = netip.MustParsePrefix("203.0.113.0/24")
	zeroNet  = netip.MustParsePrefix("0.0.0.0/8")
	loop4    = netip.MustParsePrefix("127.0.0.0/8")
	rfc3849  = netip.MustParsePrefix("2001:db8::/32")
	rfc4862  = netip.MustParsePrefix("fe80::/64")
	rfc4193  = netip.MustParsePrefix("fc00::/7")
	rfc4843  = netip.MustParsePrefix("2001:10::/28")
	rfc7343  = netip.MustParsePrefix("2001:20::/28")
	rfc6052  = netip.MustParsePrefix("64:ff9b::/96")
	rfc6145  = netip.MustParsePrefix("::ffff:0:0:0/96")
	rfc3964  = netip.MustParsePrefix("2002::/16")
	rfc4380  = netip.MustParsePrefix("2001::/32")
	henet    = netip.MustParsePrefix("2001:470::/32")
)

// IsLocal reports whether a is a local address: IPv4 0.0.0.0/8 or
// 127.0.0.0/8, or IPv6 ::1.
func IsLocal(a netip.Addr) bool {
	a = a.Unmap()
	if a.Is4() {
		return zeroNet.Contains(a) || loop4.Contains(a)
	}
	return a == netip.IPv6Loopback()
}

// isValid reports whether a can be a peer address at all.
func isValid(a netip.Addr) bool {
	a = a.Unmap()
	switch {
	case !a.IsValid(), a.IsUnspecified():
		return false
	case a.Is4():
		return a != netip.AddrFrom4([4]byte{255, 255, 255, 255})
	default:
		return !rfc3849.Contains(a)
	}
}

// IsRoutable reports whether a is a publicly routable address: valid, not
// local and outside every private, reserved, documentation and link-local
// range Core excludes.
func IsRoutable(a netip.Addr) bool {
	a = a.Unmap()
	if !isValid(a) || IsLocal(a) {
		return false
	}
	for _, p := range []netip.Prefix{rfc1918a, rfc1918b, rfc1918c, rfc2544, rfc3927, rfc6598,
		rfc5737a, rfc5737b, rfc5737c, rfc4862, rfc4193, rfc4843, rfc7343} {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// NetworkOf returns the network of a: NetUnroutable when it is not publicly
// routable, else NetIPv4 or NetIPv6.
func NetworkOf(a netip.Addr) Network {
	a = a.Unmap()
	switch {
	case !IsRoutable(a):
		return NetUnroutable
	case a.Is4():
		return NetIPv4
	default:
		return NetIPv6
	}
}

// linkedIPv4 returns the IPv4 address embedded in a (a itself, IPv4-mapped,
// SIIT, NAT64, 6to4 or Teredo), if there is one.
func linkedIPv4(a netip.Addr) (netip.Addr, bool) {
	if a.Is4() || a.Is4In6() {
		return a.Unmap(), true
	}
	b := a.As16()
	switch {
	case rfc6145.Contains(a), rfc6052.Contains(a):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	case rfc3964.Contains(a):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	case rfc4380.Contains(a):
		return netip.AddrFrom4([4]byte{^b[12], ^b[13], ^b[14], ^b[15]}), true
	}
	return netip.Addr{}, false
}
