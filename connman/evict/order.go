package evict

import (
	"sort"

	"github.com/actornode/actornode/connman/netgroup"
)

// before orders candidates so that the ones to protect come last.
type before func(a, b cand) bool

// byKeyedNetgroup puts higher keyed netgroups last.
func byKeyedNetgroup(a, b cand) bool { return a.keyed < b.keyed }

// byMinPing puts the lowest minimum ping last.
func byMinPing(a, b cand) bool { return a.minPing > b.minPing }

// byUptime puts the longest-connected last (youngest first).
func byUptime(a, b cand) bool { return a.connected > b.connected }

// byTxTime puts the most recent novel transaction last, then peers that
// relay transactions, then peers without a bloom filter, then the oldest.
func byTxTime(a, b cand) bool {
	if a.lastTx != b.lastTx {
		return a.lastTx < b.lastTx
	}
	if a.relayTxs != b.relayTxs {
		return b.relayTxs
	}
	if a.bloom != b.bloom {
		return a.bloom
	}
	return a.connected > b.connected
}

// byBlockTime puts the most recent novel block last, then peers with the
// relevant services, then the oldest.
func byBlockTime(a, b cand) bool {
	if a.lastBlock != b.lastBlock {
		return a.lastBlock < b.lastBlock
	}
	if a.relevant != b.relevant {
		return b.relevant
	}
	return a.connected > b.connected
}

// byBlockRelayOnlyTime puts peers that do not relay transactions last, and
// among them the most recent novel block, relevant services, then the
// oldest.
func byBlockRelayOnlyTime(a, b cand) bool {
	if a.relayTxs != b.relayTxs {
		return a.relayTxs
	}
	return byBlockTime(a, b)
}

// byNetworkThenUptime puts peers of the network (or, when local is set,
// local peers) last, and among equals the oldest.
func byNetworkThenUptime(local bool, n netgroup.Network) before {
	return func(a, b cand) bool {
		if local && a.isLocal != b.isLocal {
			return b.isLocal
		}
		if (a.network == n) != (b.network == n) {
			return b.network == n
		}
		return a.connected > b.connected
	}
}

// sortBy sorts cs by less, breaking ties by ConnID so the result does not
// depend on the input order.
func sortBy(cs []cand, less before) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if less(a, b) {
			return true
		}
		if less(b, a) {
			return false
		}
		return a.id < b.id
	})
}

// protectLast sorts cs by less and removes, from its last k elements, those
// for which keep is true (all of them when keep is nil). It returns what is
// left, still sorted.
func protectLast(cs []cand, less before, k int, keep func(cand) bool) []cand {
	sortBy(cs, less)
	k = max(0, min(k, len(cs)))
	cut := len(cs) - k
	out := cs[:cut]
	for _, c := range cs[cut:] {
		if keep != nil && !keep(c) {
			out = append(out, c)
		}
	}
	return out
}
