package evict

import (
	"sort"

	"github.com/actornode/actornode/connman/netgroup"
)

// disadvantaged is a class of peers that connect with longer latency and
// would lose every ping comparison: part of the uptime protection is kept
// for them.
type disadvantaged struct {
	local   bool
	network netgroup.Network
	count   int
}

// is reports whether c belongs to the class.
func (d *disadvantaged) is(c cand) bool {
	if d.local {
		return c.isLocal
	}
	return c.network == d.network
}

// protectByRatio protects half of cs by uptime. Up to half of that (a
// quarter of cs) goes first to onion, I2P, CJDNS and localhost peers, spread
// over those classes from the least to the most represented, the longest
// connected first within each class; what is left of the half goes to the
// longest-connected of all. The result is sorted youngest first.
func protectByRatio(cs []cand) []cand {
	total := len(cs) / uptimeShareDivisor
	classes := []*disadvantaged{
		{network: netgroup.NetCJDNS},
		{network: netgroup.NetI2P},
		{local: true},
		{network: netgroup.NetOnion},
	}
	for _, d := range classes {
		for _, c := range cs {
			if d.is(c) {
				d.count++
			}
		}
	}
	sort.SliceStable(classes, func(i, j int) bool { return classes[i].count < classes[j].count })
	maxByClass := total / 2
	protected := 0
	for protected < maxByClass {
		present := 0
		for _, d := range classes {
			if d.count > 0 {
				present++
			}
		}
		if present == 0 {
			break
		}
		each := max((maxByClass-protected)/present, 1)
		progress := false
		for _, d := range classes {
			if d.count == 0 {
				continue
			}
			before := len(cs)
			cs = protectLast(cs, byNetworkThenUptime(d.local, d.network), each, d.is)
			if n := before - len(cs); n > 0 {
				progress = true
				protected += n
				if protected >= maxByClass {
					break
				}
				d.count -= n
			}
		}
		if !progress {
			break
		}
	}
	return protectLast(cs, byUptime, total-protected, nil)
}
