package book

import (
	"crypto/sha3"
	"encoding/base32"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/btcsuite/btcd/wire/v2"
)

// Addr identifies a peer: its network, address bytes and port. The first
// Net.Size() bytes of Host hold the address; the rest are zero, so Addr is
// comparable and usable as a map key. IPv4 addresses are always NetIPv4,
// never IPv4-mapped IPv6.
type Addr struct {
	// Net is the BIP155 network.
	Net NetworkID
	// Host holds the address bytes, zero-padded to 32 bytes.
	Host [32]byte
	// Port is the TCP port (0 for I2P, as Core uses SAM 3.1).
	Port uint16
}

// Address is an advertised address as carried in addr and addrv2 messages:
// the peer, the services it claims and the time it was last seen.
type Address struct {
	Addr
	// Services are the service bits the address advertises.
	Services wire.ServiceFlag
	// Time is when the address was last seen, in Unix seconds.
	Time int64
}

// cjdnsPrefix is the first byte of every CJDNS address.
const cjdnsPrefix = 0xfc

// i2pSuffix and onionSuffix end the host names of I2P and Tor v3 addresses.
const (
	i2pSuffix   = ".b32.i2p"
	onionSuffix = ".onion"
)

// torV3Version is the version byte of a Tor v3 onion name.
const torV3Version = 3

// lowerBase32 is RFC 4648 base32 without padding, as onion and I2P names
// use it (lower case is applied on output). Read-only after init.
var lowerBase32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// AddrFromAddrPort returns the Addr of an IP address and port: NetIPv4 for
// IPv4 and IPv4-mapped IPv6, NetIPv6 otherwise. Any zone is dropped.
func AddrFromAddrPort(ap netip.AddrPort) Addr {
	ip := ap.Addr().Unmap().WithZone("")
	a := Addr{Port: ap.Port()}
	if ip.Is4() {
		a.Net = NetIPv4
		b := ip.As4()
		copy(a.Host[:], b[:])
		return a
	}
	a.Net = NetIPv6
	b := ip.As16()
	copy(a.Host[:], b[:])
	return a
}

// NewTorV3 returns the Addr of the Tor v3 onion service with public key pub.
func NewTorV3(pub [32]byte, port uint16) Addr {
	return Addr{Net: NetTorV3, Host: pub, Port: port}
}

// NewI2P returns the Addr of the I2P destination whose SHA-256 is dest.
func NewI2P(dest [32]byte, port uint16) Addr {
	return Addr{Net: NetI2P, Host: dest, Port: port}
}

// NewCJDNS returns the Addr of a CJDNS address. It fails unless ip lies in
// fc00::/8.
func NewCJDNS(ip [16]byte, port uint16) (Addr, error) {
	if ip[0] != cjdnsPrefix {
		return Addr{}, errors.New("book: cjdns address outside fc00::/8")
	}
	a := Addr{Net: NetCJDNS, Port: port}
	copy(a.Host[:], ip[:])
	return a, nil
}

// FromBytes returns the Addr of network n with address bytes b. It fails
// when b has the wrong length for n, n is unknown, or the bytes cannot be
// an address of n (IPv4-mapped IPv6, CJDNS outside fc00::/8).
func FromBytes(n NetworkID, b []byte, port uint16) (Addr, error) {
	if !n.Valid() {
		return Addr{}, errors.New("book: unknown network " + strconv.Itoa(int(n)))
	}
	if len(b) != n.Size() {
		return Addr{}, errors.New("book: " + n.String() + " address of " + strconv.Itoa(len(b)) + " bytes")
	}
	a := Addr{Net: n, Port: port}
	copy(a.Host[:], b)
	if err := a.check(); err != nil {
		return Addr{}, err
	}
	return a, nil
}

// check reports why a is not a well-formed Addr, if it is not.
func (a Addr) check() error {
	if !a.Net.Valid() {
		return errors.New("book: unknown network " + strconv.Itoa(int(a.Net)))
	}
	for _, c := range a.Host[a.Net.Size():] {
		if c != 0 {
			return errors.New("book: bytes beyond the " + a.Net.String() + " address")
		}
	}
	switch a.Net {
	case NetIPv6:
		if ip, _ := a.IP(); ip.Is4In6() {
			return errors.New("book: IPv4-mapped address as ipv6")
		}
	case NetCJDNS:
		if a.Host[0] != cjdnsPrefix {
			return errors.New("book: cjdns address outside fc00::/8")
		}
	}
	return nil
}

// Valid reports whether a is a well-formed address of a known network.
func (a Addr) Valid() bool { return a.check() == nil }

// Bytes returns the address bytes (Net.Size() of them).
func (a Addr) Bytes() []byte { return append([]byte(nil), a.Host[:a.Net.Size()]...) }

// IP returns a as an IP address, for IPv4, IPv6 and CJDNS addresses.
func (a Addr) IP() (netip.Addr, bool) {
	switch a.Net {
	case NetIPv4:
		return netip.AddrFrom4([4]byte(a.Host[:4])), true
	case NetIPv6, NetCJDNS:
		return netip.AddrFrom16([16]byte(a.Host[:16])), true
	}
	return netip.Addr{}, false
}

// HostString returns the address without its port, as Core prints it:
// dotted or colon notation for IP networks, the base32 name ending in
// .onion for Tor v3 and in .b32.i2p for I2P.
func (a Addr) HostString() string {
	switch a.Net {
	case NetIPv4, NetIPv6, NetCJDNS:
		ip, _ := a.IP()
		return ip.String()
	case NetTorV3:
		var name [35]byte
		copy(name[:32], a.Host[:])
		sum := onionChecksum(a.Host)
		name[32], name[33], name[34] = sum[0], sum[1], torV3Version
		return strings.ToLower(lowerBase32.EncodeToString(name[:])) + onionSuffix
	case NetI2P:
		return strings.ToLower(lowerBase32.EncodeToString(a.Host[:])) + i2pSuffix
	}
	return "invalid"
}

// String returns host:port in Core's form: IPv6 and CJDNS hosts are
// bracketed, IPv4, onion and I2P hosts are not.
func (a Addr) String() string {
	host := a.HostString()
	if a.Net == NetIPv6 || a.Net == NetCJDNS {
		host = "[" + host + "]"
	}
	return host + ":" + strconv.Itoa(int(a.Port))
}

// onionChecksum returns the two checksum bytes of a Tor v3 onion name:
// SHA3-256(".onion checksum" || pubkey || version)[:2].
func onionChecksum(pub [32]byte) [2]byte {
	h := sha3.New256()
	h.Write([]byte(".onion checksum"))
	h.Write(pub[:])
	h.Write([]byte{torV3Version})
	sum := h.Sum(nil)
	return [2]byte{sum[0], sum[1]}
}

// ParseAddr parses host:port where host is an IP literal (bracketed for
// IPv6), a Tor v3 .onion name or an I2P .b32.i2p name. IPv6 addresses in
// fc00::/8 stay NetIPv6: only the caller knows whether CJDNS is reachable
// (use NewCJDNS).
func ParseAddr(s string) (Addr, error) {
	host, portStr, err := net.SplitHostPort(s)
	if err != nil {
		return Addr{}, err
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return Addr{}, errors.New("book: bad port in " + strconv.Quote(s))
	}
	lower := strings.ToLower(host)
	switch {
	case strings.HasSuffix(lower, i2pSuffix):
		b, err := lowerBase32.DecodeString(strings.ToUpper(strings.TrimSuffix(lower, i2pSuffix)))
		if err != nil || len(b) != 32 {
			return Addr{}, errors.New("book: bad i2p name " + strconv.Quote(host))
		}
		return NewI2P([32]byte(b), uint16(port)), nil
	case strings.HasSuffix(lower, onionSuffix):
		b, err := lowerBase32.DecodeString(strings.ToUpper(strings.TrimSuffix(lower, onionSuffix)))
		if err != nil || len(b) != 35 || b[34] != torV3Version {
			return Addr{}, errors.New("book: bad onion name " + strconv.Quote(host))
		}
		pub := [32]byte(b[:32])
		if sum := onionChecksum(pub); sum[0] != b[32] || sum[1] != b[33] {
			return Addr{}, errors.New("book: onion name checksum mismatch " + strconv.Quote(host))
		}
		return NewTorV3(pub, uint16(port)), nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return Addr{}, err
	}
	return AddrFromAddrPort(netip.AddrPortFrom(ip, uint16(port))), nil
}

// MustParseAddr is ParseAddr for constants in tests and tables; it panics
// on error.
func MustParseAddr(s string) Addr {
	a, err := ParseAddr(s)
	if err != nil {
		panic(err)
	}
	return a
}
