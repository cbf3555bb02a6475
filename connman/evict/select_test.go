package evict

import (
	"net/netip"
	"testing"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/connman/netgroup"
)

// expectVictim runs Select and checks its answer.
func expectVictim(t *testing.T, cs []Candidate, want int) {
	t.Helper()
	got, ok := Select(cs, now, testKey)
	if want == 0 {
		if ok {
			t.Fatalf("Select evicted %d, want nobody", got)
		}
		return
	}
	if !ok || got != actors.ConnID(want) {
		t.Fatalf("Select = %d,%v want %d", got, ok, want)
	}
}

func TestNobodyToEvict(t *testing.T) {
	expectVictim(t, nil, 0)
	cs := loopbackPeers(40)
	for i := range cs {
		if i%2 == 0 {
			cs[i].Inbound = false
		} else {
			cs[i].NoBan = true
		}
	}
	expectVictim(t, cs, 0)
}

func TestTwentyIdenticalPeersAreAllProtected(t *testing.T) {
	// 4 by netgroup (tie: highest ids), 8 by ping (tie: highest ids),
	// 4 by tx time (tie: oldest), 4 by block time (tie: oldest).
	expectVictim(t, loopbackPeers(20), 0)
}

func TestTwentyFirstPeerIsEvicted(t *testing.T) {
	// 18-21 netgroup, 10-17 ping, 1-4 tx, 5-8 blocks: 9 is left.
	expectVictim(t, loopbackPeers(21), 9)
}

func TestOutboundAndNoBanDoNotCountAsCandidates(t *testing.T) {
	cs := loopbackPeers(21)
	byID(cs, 9).Inbound = false
	expectVictim(t, cs, 0)
	cs = loopbackPeers(21)
	byID(cs, 9).NoBan = true
	expectVictim(t, cs, 0)
}

func TestLowestPingsAreProtected(t *testing.T) {
	cs := loopbackPeers(21)
	for id := 1; id <= 8; id++ {
		byID(cs, id).MinPing = time.Duration(id) * time.Millisecond
	}
	// 18-21 netgroup, 1-8 ping, 9-12 tx (oldest), 13-16 blocks: 17 is left.
	expectVictim(t, cs, 17)
}

func TestRecentTransactionsAndBlocksAreProtected(t *testing.T) {
	cs := loopbackPeers(21)
	// Give the naturally evicted peer 9 a novel transaction: it is
	// protected and the tx step protects only three of the oldest.
	byID(cs, 9).LastTx = t0.Add(time.Hour)
	// 18-21 netgroup, 10-17 ping, 9,1,2,3 tx, 4-7 blocks: 8 is left.
	expectVictim(t, cs, 8)

	cs = loopbackPeers(21)
	byID(cs, 9).LastBlock = t0.Add(time.Hour)
	// 18-21, 10-17, 1-4 tx, then 9,5,6,7 by blocks: 8 is left.
	expectVictim(t, cs, 8)
}

func TestTxRelayBreaksTransactionTies(t *testing.T) {
	cs := loopbackPeers(21)
	byID(cs, 9).RelayTxs = true
	// Among peers with no transaction, one that relays them sorts later.
	// 18-21, 10-17, then 9,1,2,3 tx, 4-7 blocks: 8.
	expectVictim(t, cs, 8)
}

func TestBlockRelayOnlyPeersAreProtected(t *testing.T) {
	cs := loopbackPeers(30)
	// Peers 9-16 relay no transactions, have relevant services and sent
	// blocks: all eight are protected by the block-relay-only step.
	for id := 9; id <= 16; id++ {
		c := byID(cs, id)
		c.RelevantServices = true
		c.LastBlock = t0.Add(time.Duration(id) * time.Minute)
	}
	for i := range cs {
		if id := int(cs[i].ID); id < 9 || id > 16 {
			cs[i].RelayTxs = true
		}
	}
	victims := evictAll(cs)
	for id := 9; id <= 16; id++ {
		if victims[actors.ConnID(id)] {
			t.Fatalf("block-relay-only peer %d evicted; victims %v", id, victims)
		}
	}
}

func TestPreferEvictWins(t *testing.T) {
	// 24 peers: 21-24 netgroup, 13-20 ping, 1-4 tx, 5-8 blocks, then of
	// 9-12 uptime protects 9 and 10; 12 is the youngest left.
	cs := loopbackPeers(24)
	expectVictim(t, cs, 12)
	byID(cs, 11).PreferEvict = true
	expectVictim(t, cs, 11)
	// A protected peer marked PreferEvict stays protected.
	cs = loopbackPeers(24)
	byID(cs, 9).PreferEvict = true
	expectVictim(t, cs, 12)
}

func TestFutureConnectionTimeCountsAsNow(t *testing.T) {
	cs := loopbackPeers(24)
	byID(cs, 9).Connected = now.Add(time.Hour) // claims to be the youngest
	// 9 is now the youngest: uptime protects 10 and 11; 9 goes.
	expectVictim(t, cs, 9)
}

func TestBiggestNetgroupLosesItsYoungest(t *testing.T) {
	c := func(id int, group uint64, connected int64) cand {
		return cand{id: actors.ConnID(id), keyed: group, connected: connected}
	}
	// Sorted youngest first, as Select leaves them.
	cs := []cand{c(1, 7, 90), c(2, 8, 80), c(3, 8, 70), c(4, 7, 60), c(5, 8, 50)}
	if got := youngestOfBiggestGroup(cs); got != 2 {
		t.Fatalf("got %d, want 2 (youngest of group 8, three members)", got)
	}
	// Equal sizes: the group whose youngest is younger loses.
	cs = []cand{c(1, 7, 90), c(2, 8, 80), c(3, 8, 70), c(4, 7, 60)}
	if got := youngestOfBiggestGroup(cs); got != 1 {
		t.Fatalf("got %d, want 1", got)
	}
}

func TestBiggestNetgroupEndToEnd(t *testing.T) {
	// 28 loopback peers, except 13, 14 and 15 which share a routable /16.
	// With a key that ranks that /16 below the loopback group: 25-28
	// netgroup, 17-24 ping, 1-4 tx, 5-8 blocks, 9-12 uptime. Left: 13, 14,
	// 15 in one group and 16 alone: the biggest group's youngest, 15, goes
	// although 16 is younger.
	cs := loopbackPeers(28)
	for id := 13; id <= 15; id++ {
		byID(cs, id).Addr = netip.MustParseAddr("1.2.3." + string(rune('0'+id-10)))
	}
	routable, local := netgroup.Of(netip.MustParseAddr("1.2.3.4")), netgroup.Of(netip.MustParseAddr("127.0.0.1"))
	var key netgroup.Key
	for i := 0; ; i++ {
		key = netgroup.KeyFrom([]byte{byte(i)})
		if key.Keyed(routable) < key.Keyed(local) {
			break
		}
	}
	got, ok := Select(cs, now, key)
	if !ok || got != 15 {
		t.Fatalf("Select = %d,%v want 15", got, ok)
	}
}

func TestDisadvantagedNetworksShareTheUptimeProtection(t *testing.T) {
	mk := func(id int, n netgroup.Network, local bool) cand {
		return cand{id: actors.ConnID(id), connected: int64(id), network: n, isLocal: local}
	}
	// 16 candidates, ids 1..16, id 1 the oldest; 13-16 are onion (the
	// youngest). Half (8) is protected: up to 4 onion first, then the 4
	// oldest of the rest.
	var cs []cand
	for id := 1; id <= 12; id++ {
		cs = append(cs, mk(id, netgroup.NetIPv4, false))
	}
	for id := 13; id <= 16; id++ {
		cs = append(cs, mk(id, netgroup.NetOnion, false))
	}
	left := ids(protectByRatio(cs))
	if want := []int{12, 11, 10, 9, 8, 7, 6, 5}; !equal(left, want) {
		t.Fatalf("left %v want %v", left, want)
	}

	// Two local and two onion peers: two of each protected.
	cs = nil
	for id := 1; id <= 12; id++ {
		cs = append(cs, mk(id, netgroup.NetIPv4, false))
	}
	cs = append(cs, mk(13, netgroup.NetUnroutable, true), mk(14, netgroup.NetUnroutable, true),
		mk(15, netgroup.NetOnion, false), mk(16, netgroup.NetOnion, false))
	left = ids(protectByRatio(cs))
	if want := []int{12, 11, 10, 9, 8, 7, 6, 5}; !equal(left, want) {
		t.Fatalf("left %v want %v", left, want)
	}

	// One I2P peer: it is protected, the other seven slots go by uptime.
	cs = nil
	for id := 1; id <= 15; id++ {
		cs = append(cs, mk(id, netgroup.NetIPv4, false))
	}
	cs = append(cs, mk(16, netgroup.NetI2P, false))
	left = ids(protectByRatio(cs))
	if want := []int{15, 14, 13, 12, 11, 10, 9, 8}; !equal(left, want) {
		t.Fatalf("left %v want %v", left, want)
	}
}

func ids(cs []cand) []int {
	out := make([]int, len(cs))
	for i, c := range cs {
		out[i] = int(c.id)
	}
	return out
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// evictAll evicts repeatedly until nobody is evictable and returns the
// victims.
func evictAll(cs []Candidate) map[actors.ConnID]bool {
	victims := map[actors.ConnID]bool{}
	left := append([]Candidate(nil), cs...)
	for {
		id, ok := Select(left, now, testKey)
		if !ok {
			return victims
		}
		victims[id] = true
		kept := left[:0]
		for _, c := range left {
			if c.ID != id {
				kept = append(kept, c)
			}
		}
		left = kept
	}
}
