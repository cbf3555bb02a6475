package evict

import (
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/connman/netgroup"
)

// How many candidates each protection step removes from eviction (Core's
// figures).
const (
	// ProtectByNetgroup peers with the highest keyed netgroups are protected.
	ProtectByNetgroup = 4
	// ProtectByPing peers with the lowest minimum ping are protected.
	ProtectByPing = 8
	// ProtectByTx peers that most recently sent a novel transaction are
	// protected.
	ProtectByTx = 4
	// ProtectBlockRelayOnly is the most peers not relaying transactions,
	// with relevant services, protected by their most recent novel block.
	ProtectBlockRelayOnly = 8
	// ProtectByBlock peers that most recently sent a novel block are
	// protected.
	ProtectByBlock = 4
	// uptimeShareDivisor: 1/2 of the remaining candidates are protected by
	// uptime (up to half of that for disadvantaged networks).
	uptimeShareDivisor = 2
)

// Select returns the connection to evict among cands, or false when every
// candidate is protected (or there is none). now bounds connection times
// (a candidate that claims to have connected in the future counts as
// connected now); key makes the netgroup protection unpredictable.
func Select(cands []Candidate, now time.Time, key netgroup.Key) (actors.ConnID, bool) {
	cs := make([]cand, 0, len(cands))
	for _, c := range cands {
		if c.Inbound && !c.NoBan {
			cs = append(cs, prepare(c, now, key))
		}
	}
	cs = protectLast(cs, byKeyedNetgroup, ProtectByNetgroup, nil)
	cs = protectLast(cs, byMinPing, ProtectByPing, nil)
	cs = protectLast(cs, byTxTime, ProtectByTx, nil)
	cs = protectLast(cs, byBlockRelayOnlyTime, ProtectBlockRelayOnly, func(c cand) bool { return !c.relayTxs && c.relevant })
	cs = protectLast(cs, byBlockTime, ProtectByBlock, nil)
	cs = protectByRatio(cs)
	if len(cs) == 0 {
		return 0, false
	}
	if anyPreferEvict(cs) {
		kept := cs[:0]
		for _, c := range cs {
			if c.preferEvict {
				kept = append(kept, c)
			}
		}
		cs = kept
	}
	return youngestOfBiggestGroup(cs), true
}

// anyPreferEvict reports whether some candidate is marked PreferEvict.
func anyPreferEvict(cs []cand) bool {
	for _, c := range cs {
		if c.preferEvict {
			return true
		}
	}
	return false
}

// youngestOfBiggestGroup returns the youngest candidate of the keyed
// netgroup with the most candidates; between groups of equal size, the one
// whose youngest member connected most recently. cs is sorted youngest
// first.
func youngestOfBiggestGroup(cs []cand) actors.ConnID {
	type group struct {
		youngest cand
		size     int
	}
	groups := map[uint64]*group{}
	var best *group
	for _, c := range cs {
		g := groups[c.keyed]
		if g == nil {
			g = &group{youngest: c}
			groups[c.keyed] = g
		}
		g.size++
		if best == nil || g.size > best.size || (g.size == best.size && g.youngest.connected > best.youngest.connected) {
			best = g
		}
	}
	return best.youngest.id
}
