package book

import (
	"errors"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// ErrNotInWire is returned when an address cannot be expressed in the wire
// form asked for: btcd's NetAddressV2 carries no I2P or CJDNS address, and
// the legacy NetAddress carries only IP addresses.
var ErrNotInWire = errors.New("book: address not representable in this wire form")

// btcd's addrv2 network identifiers as its net.Addr Network() reports them
// (the BIP155 id as a one-byte string).
const (
	wireNetIPv4  = "\x01"
	wireNetIPv6  = "\x02"
	wireNetTorV3 = "\x04"
)

// FromNetAddress converts a legacy addr-message entry. IPv4-mapped IPv6
// becomes IPv4. Tor v2 (OnionCat) addresses are refused: that network no
// longer exists.
func FromNetAddress(na *wire.NetAddress) (Address, error) {
	if na == nil {
		return Address{}, errors.New("book: nil NetAddress")
	}
	ip, ok := netip.AddrFromSlice(na.IP)
	if !ok {
		return Address{}, errors.New("book: NetAddress IP of " + strconv.Itoa(len(na.IP)) + " bytes")
	}
	if isOnionCat(ip) {
		return Address{}, errors.New("book: tor v2 address refused")
	}
	return Address{
		Addr:     AddrFromAddrPort(netip.AddrPortFrom(ip, na.Port)),
		Services: na.Services,
		Time:     unixOf(na.Timestamp),
	}, nil
}

// FromNetAddressV2 converts an addrv2-message entry (IPv4, IPv6 or Tor v3;
// btcd decodes no other network). Tor v2 addresses are refused.
func FromNetAddressV2(na *wire.NetAddressV2) (Address, error) {
	if na == nil || na.Addr == nil {
		return Address{}, errors.New("book: empty NetAddressV2")
	}
	out := Address{Services: na.Services, Time: unixOf(na.Timestamp)}
	switch na.Addr.Network() {
	case wireNetIPv4, wireNetIPv6:
		ip, err := netip.ParseAddr(na.Addr.String())
		if err != nil {
			return Address{}, err
		}
		if isOnionCat(ip) {
			return Address{}, errors.New("book: tor v2 address refused")
		}
		out.Addr = AddrFromAddrPort(netip.AddrPortFrom(ip, na.Port))
	case wireNetTorV3:
		a, err := ParseAddr(net.JoinHostPort(na.Addr.String(), strconv.Itoa(int(na.Port))))
		if err != nil {
			return Address{}, err
		}
		out.Addr = a
	default:
		return Address{}, errors.New("book: unsupported addrv2 network " + strconv.Itoa(int(firstByte(na.Addr.Network()))))
	}
	return out, nil
}

// NetAddressV2 returns a as btcd's addrv2 entry. I2P and CJDNS addresses
// give ErrNotInWire.
func (a Address) NetAddressV2() (*wire.NetAddressV2, error) {
	switch a.Net {
	case NetIPv4, NetTorV3:
	case NetIPv6:
		if ip, _ := a.IP(); isOnionCat(ip) || ip.Is4In6() {
			return nil, ErrNotInWire
		}
	default:
		return nil, ErrNotInWire
	}
	return wire.NetAddressV2FromBytes(time.Unix(a.Time, 0), a.Services, a.Bytes(), a.Port), nil
}

// NetAddress returns a as a legacy addr entry; only IPv4 and IPv6 addresses
// have one.
func (a Address) NetAddress() (*wire.NetAddress, error) {
	ip, ok := a.IP()
	if !ok || a.Net == NetCJDNS {
		return nil, ErrNotInWire
	}
	return &wire.NetAddress{
		Timestamp: time.Unix(a.Time, 0),
		Services:  a.Services,
		IP:        net.IP(ip.AsSlice()),
		Port:      a.Port,
	}, nil
}

// onionCat is the IPv6 prefix under which Tor v2 addresses were carried;
// a constant in all but syntax.
var onionCat = netip.MustParsePrefix("fd87:d87e:eb43::/48")

// isOnionCat reports whether ip is an OnionCat-encoded Tor v2 address.
func isOnionCat(ip netip.Addr) bool { return ip.Is6() && onionCat.Contains(ip) }

// unixOf returns t in Unix seconds, 0 for the zero time.
func unixOf(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// firstByte returns the first byte of s, 0 when s is empty.
func firstByte(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}
