package peerman

import (
	"net"
	"net/netip"
	"strings"
)

// Network names as getpeerinfo reports them (Core's GetNetworkName).
const (
	NetworkIPv4       = "ipv4"
	NetworkIPv6       = "ipv6"
	NetworkOnion      = "onion"
	NetworkI2P        = "i2p"
	NetworkInternal   = "internal"
	NetworkUnroutable = "not_publicly_routable"
)

// Host name suffixes of overlay networks, and Core's range for internal
// (name-derived) addresses.
const (
	onionSuffix          = ".onion"
	i2pSuffix            = ".b32.i2p"
	internalPrefixString = "fd6b:88c0:8724::/48"
)

// Address ranges that are not publicly routable (Core's CNetAddr::IsRoutable
// and IsValid), and IPv6 ranges that embed an IPv4 address (HasLinkedIPv4).
var (
	unroutable = prefixes(
		"0.0.0.0/8", "127.0.0.0/8", // unspecified, loopback (IsLocal)
		"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", // RFC 1918
		"198.18.0.0/15",                                     // RFC 2544
		"169.254.0.0/16",                                    // RFC 3927
		"100.64.0.0/10",                                     // RFC 6598
		"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", // RFC 5737
		"255.255.255.255/32", // INADDR_NONE
		"::/128", "::1/128",  // unspecified, loopback
		"fc00::/7",      // RFC 4193
		"2001:10::/28",  // RFC 4843
		"2001:20::/28",  // RFC 7343
		"fe80::/64",     // RFC 4862
		"2001:db8::/32", // RFC 3849
	)
	linkedIPv4 = prefixes(
		"2002::/16",       // RFC 3964 (6to4)
		"2001::/32",       // RFC 4380 (Teredo)
		"64:ff9b::/96",    // RFC 6052
		"::ffff:0:0:0/96", // RFC 6145
	)
	internalRange = netip.MustParsePrefix(internalPrefixString)
)

// prefixes parses a list of CIDR prefixes.
func prefixes(cidrs ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(cidrs))
	for i, c := range cidrs {
		out[i] = netip.MustParsePrefix(c)
	}
	return out
}

// NetworkName classifies a remote address ("host:port" or a bare host) the
// way getpeerinfo's "network" field does (Core's GetNetClass and
// GetNetworkName): "onion" and "i2p" for those host names, "internal" for
// Core's internal range, "not_publicly_routable" for anything invalid,
// local or private (RFC 1918, 2544, 3927, 6598, 5737, 4193, 4843, 7343,
// 4862, 3849), "ipv4" for IPv4 and for IPv6 forms that embed an IPv4
// address (IPv4-mapped, 6to4, Teredo, RFC 6052/6145), "ipv6" otherwise.
// CJDNS addresses cannot be told from private IPv6 by the address alone
// (Core knows them from configuration), so they are reported as
// not_publicly_routable.
func NetworkName(addr string) string {
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	lower := strings.ToLower(host)
	switch {
	case strings.HasSuffix(lower, onionSuffix):
		return NetworkOnion
	case strings.HasSuffix(lower, i2pSuffix):
		return NetworkI2P
	}
	if i := strings.IndexByte(host, '%'); i >= 0 {
		host = host[:i] // zone of a link-local address
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return NetworkUnroutable
	}
	if internalRange.Contains(ip) {
		return NetworkInternal
	}
	ip4 := ip.Unmap()
	for _, p := range unroutable {
		if p.Contains(ip4) {
			return NetworkUnroutable
		}
	}
	if ip4.Is4() {
		return NetworkIPv4
	}
	for _, p := range linkedIPv4 {
		if p.Contains(ip) {
			return NetworkIPv4
		}
	}
	return NetworkIPv6
}
