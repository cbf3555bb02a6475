package banlist

import (
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"
)

// Entry is one ban.
type Entry struct {
	// Subnet is the banned address range.
	Subnet netip.Prefix
	// Created is when the ban was made.
	Created time.Time
	// Until is when the ban ends.
	Until time.Time
}

// Active reports whether the ban is still in force at now.
func (e Entry) Active(now time.Time) bool { return now.Before(e.Until) }

// List is a set of bans keyed by subnet. It is not safe for concurrent use;
// its owner (the connman actor) is its only user.
type List struct {
	bans map[netip.Prefix]Entry
}

// New returns an empty List.
func New() *List { return &List{bans: map[netip.Prefix]Entry{}} }

// ErrInvalidSubnet reports an address or subnet that cannot be parsed.
var ErrInvalidSubnet = errors.New("invalid IP/Subnet")

// ParseSubnet parses an IP address (a /32 or /128 ban) or a CIDR subnet.
// IPv4-mapped IPv6 addresses are stored as IPv4; host bits are masked.
func ParseSubnet(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("%w: %q", ErrInvalidSubnet, s)
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%w: %q", ErrInvalidSubnet, s)
	}
	if p.Addr().Is4In6() {
		bits := p.Bits() - 96
		if bits < 0 {
			return netip.Prefix{}, fmt.Errorf("%w: %q", ErrInvalidSubnet, s)
		}
		p = netip.PrefixFrom(p.Addr().Unmap(), bits)
	}
	return p.Masked(), nil
}

// Add records e unless an active ban already covers it: for a single
// address, any active ban containing it; for a wider subnet, an active ban
// of exactly that subnet. It reports whether e was added.
func (l *List) Add(e Entry, now time.Time) bool {
	e.Subnet = e.Subnet.Masked()
	if e.Subnet.IsSingleIP() {
		if l.Banned(e.Subnet.Addr(), now) {
			return false
		}
	} else if old, ok := l.bans[e.Subnet]; ok && old.Active(now) {
		return false
	}
	l.bans[e.Subnet] = e
	return true
}

// Remove deletes the ban of exactly subnet and reports whether there was
// one.
func (l *List) Remove(subnet netip.Prefix) bool {
	subnet = subnet.Masked()
	_, ok := l.bans[subnet]
	delete(l.bans, subnet)
	return ok
}

// Banned reports whether an active ban covers a.
func (l *List) Banned(a netip.Addr, now time.Time) bool {
	a = a.Unmap()
	for p, e := range l.bans {
		if p.Contains(a) && e.Active(now) {
			return true
		}
	}
	return false
}

// Prune removes expired bans and returns how many it removed.
func (l *List) Prune(now time.Time) int {
	n := 0
	for p, e := range l.bans {
		if !e.Active(now) {
			delete(l.bans, p)
			n++
		}
	}
	return n
}

// Clear removes every ban.
func (l *List) Clear() { clear(l.bans) }

// Len returns the number of bans, expired ones included until pruned.
func (l *List) Len() int { return len(l.bans) }

// Entries returns every ban, ordered by subnet.
func (l *List) Entries() []Entry {
	out := make([]Entry, 0, len(l.bans))
	for _, e := range l.bans {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Subnet, out[j].Subnet
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c < 0
		}
		return a.Bits() < b.Bits()
	})
	return out
}
