package addrman

import (
	"errors"
	"math"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/addrman/book"
)

// Sanitising announced times, as Core's net_processing does before its
// addrman sees them.
const (
	// minPlausibleTime: an announced time at or before this (1973) is
	// replaced.
	minPlausibleTime = 100_000_000
	// futureSlack: an announced time further ahead than this is replaced.
	futureSlack = 10 * time.Minute
	// implausibleAge: a replaced time is set this far in the past.
	implausibleAge = 5 * 24 * time.Hour
)

// FromNetAddr converts a boundary address into the book's form. It fails
// for an unknown network, address bytes of the wrong length for the
// network, or a port above 65535.
func FromNetAddr(na *addrmanpb.NetAddr) (book.Address, error) {
	if na == nil {
		return book.Address{}, errors.New("addrman: nil NetAddr")
	}
	if na.GetPort() > math.MaxUint16 {
		return book.Address{}, errors.New("addrman: port " + strconv.FormatUint(uint64(na.GetPort()), 10) + " out of range")
	}
	if na.GetNetwork() > math.MaxUint8 {
		return book.Address{}, errors.New("addrman: unknown network " + strconv.FormatUint(uint64(na.GetNetwork()), 10))
	}
	a, err := book.FromBytes(book.NetworkID(na.GetNetwork()), na.GetAddr(), uint16(na.GetPort()))
	if err != nil {
		return book.Address{}, err
	}
	return book.Address{Addr: a, Services: wire.ServiceFlag(na.GetServices()), Time: na.GetTime()}, nil
}

// ToNetAddr returns a fresh boundary message for a.
func ToNetAddr(a book.Address) *addrmanpb.NetAddr {
	return &addrmanpb.NetAddr{
		Network:  uint32(a.Net),
		Addr:     a.Bytes(),
		Port:     uint32(a.Port),
		Services: uint64(a.Services),
		Time:     a.Time,
	}
}

// ParseHost parses a host without port the way Core's addpeeraddress reads
// it: an IP literal (an IPv6 one optionally in brackets), a Tor v3 .onion
// name or an I2P .b32.i2p name; no name lookup.
func ParseHost(host string, port uint16) (book.Addr, error) {
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if host == "" || strings.ContainsAny(host, "[]") {
		return book.Addr{}, errors.New("addrman: invalid host " + strconv.Quote(host))
	}
	return book.ParseAddr(net.JoinHostPort(host, strconv.Itoa(int(port))))
}

// sanitizeTime replaces an implausible announced time (before 1973 or more
// than 10 minutes ahead of now) with five days ago, as Core does.
func sanitizeTime(t int64, now time.Time) int64 {
	if t <= minPlausibleTime || t > now.Add(futureSlack).Unix() {
		return now.Add(-implausibleAge).Unix()
	}
	return t
}
