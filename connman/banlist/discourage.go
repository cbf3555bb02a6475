package banlist

import (
	"net/netip"
	"time"
)

// Core's discouragement filter: about 50,000 addresses, each forgotten
// after a day.
const (
	// DefaultDiscourageMax is how many addresses Discouraged holds.
	DefaultDiscourageMax = 50000
	// DefaultDiscourageTTL is how long an address stays discouraged.
	DefaultDiscourageTTL = 24 * time.Hour
)

// Discouraged is a bounded set of discouraged addresses with expiry. When
// full, the oldest entry makes room. It is not safe for concurrent use.
type Discouraged struct {
	max   int
	ttl   time.Duration
	at    map[netip.Addr]time.Time
	order []stamped // insertion order; may hold superseded entries
}

// stamped is one insertion.
type stamped struct {
	addr netip.Addr
	at   time.Time
}

// NewDiscouraged returns an empty set holding at most max addresses for ttl
// each; zero values select Core's figures.
func NewDiscouraged(max int, ttl time.Duration) *Discouraged {
	if max <= 0 {
		max = DefaultDiscourageMax
	}
	if ttl <= 0 {
		ttl = DefaultDiscourageTTL
	}
	return &Discouraged{max: max, ttl: ttl, at: map[netip.Addr]time.Time{}}
}

// Add discourages a from now on.
func (d *Discouraged) Add(a netip.Addr, now time.Time) {
	a = a.Unmap()
	if old, ok := d.at[a]; ok && old.Equal(now) {
		return
	}
	d.at[a] = now
	d.order = append(d.order, stamped{a, now})
	for len(d.at) > d.max {
		d.popOldest()
	}
	if len(d.order) > 2*d.max {
		d.compact()
	}
}

// Has reports whether a is discouraged at now.
func (d *Discouraged) Has(a netip.Addr, now time.Time) bool {
	at, ok := d.at[a.Unmap()]
	return ok && now.Sub(at) < d.ttl
}

// Len returns how many addresses are held, expired ones included until
// they are pushed out.
func (d *Discouraged) Len() int { return len(d.at) }

// popOldest forgets the oldest current entry.
func (d *Discouraged) popOldest() {
	for len(d.order) > 0 {
		s := d.order[0]
		d.order = d.order[1:]
		if at, ok := d.at[s.addr]; ok && at.Equal(s.at) {
			delete(d.at, s.addr)
			return
		}
	}
}

// compact drops superseded insertions from the order.
func (d *Discouraged) compact() {
	kept := make([]stamped, 0, len(d.at))
	seen := make(map[netip.Addr]bool, len(d.at))
	for _, s := range d.order {
		if at, ok := d.at[s.addr]; ok && at.Equal(s.at) && !seen[s.addr] {
			seen[s.addr] = true
			kept = append(kept, s)
		}
	}
	d.order = kept
}
