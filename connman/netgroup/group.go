package netgroup

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"net"
	"net/netip"
	"strconv"
)

// Group is an opaque network group: two addresses are in the same group
// exactly when their Groups are equal. It is comparable and usable as a map
// key.
type Group string

// Group classes, the first byte of every Group.
const (
	classLocal      byte = 1
	classUnroutable byte = 2
	classIPv4       byte = 3
	classIPv6       byte = 4
)

// Of returns the network group of a: one group for all local addresses, one
// for all unroutable ones, the /16 of an IPv4 address (or of the IPv4
// address embedded in an IPv6 one), the /36 of Hurricane Electric's
// 2001:470::/32 and the /32 of any other IPv6 address.
func Of(a netip.Addr) Group {
	a = a.Unmap()
	switch {
	case IsLocal(a):
		return Group([]byte{classLocal})
	case !IsRoutable(a):
		return Group([]byte{classUnroutable})
	}
	if v4, ok := linkedIPv4(a); ok {
		b := v4.As4()
		return Group([]byte{classIPv4, b[0], b[1]})
	}
	b := a.As16()
	if henet.Contains(a) {
		return Group([]byte{classIPv6, b[0], b[1], b[2], b[3], b[4] | 0x0f})
	}
	return Group([]byte{classIPv6, b[0], b[1], b[2], b[3]})
}

// String returns a readable form of the group for logs.
func (g Group) String() string {
	if len(g) == 0 {
		return "invalid"
	}
	switch g[0] {
	case classLocal:
		return "local"
	case classUnroutable:
		return "unroutable"
	case classIPv4:
		return strconv.Itoa(int(g[1])) + "." + strconv.Itoa(int(g[2])) + ".0.0/16"
	}
	ip := make(net.IP, net.IPv6len)
	copy(ip, g[1:])
	bits := "/32"
	if len(g) > 5 {
		bits = "/36"
	}
	return ip.String() + bits
}

// Key is the secret of keyed netgroups. Each node picks one at random so
// that nobody can predict the ordering of groups it produces.
type Key [32]byte

// NewKey returns a random Key.
func NewKey() Key {
	var k Key
	_, _ = rand.Read(k[:]) // crypto/rand.Read never fails (it panics instead)
	return k
}

// KeyFrom derives a Key from arbitrary bytes (a configured or test key).
func KeyFrom(b []byte) Key { return Key(sha256.Sum256(b)) }

// Keyed returns the keyed netgroup of g: a 64-bit keyed hash of the group.
func (k Key) Keyed(g Group) uint64 {
	m := hmac.New(sha256.New, k[:])
	_, _ = m.Write([]byte(g))
	return binary.BigEndian.Uint64(m.Sum(nil))
}

// ParseHostPort returns the IP address of a host:port string, unmapped, and
// false when the host is not an IP literal.
func ParseHostPort(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	host, _, err := net.SplitHostPort(s)
	if err != nil {
		host = s
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}
