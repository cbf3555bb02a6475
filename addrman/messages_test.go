package addrman_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/actornode/actornode/addrman"
	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/addrman/book"
)

// key identifies a NetAddr regardless of time and services.
func key(na *addrmanpb.NetAddr) string {
	a, err := addrman.FromNetAddr(na)
	if err != nil {
		return "invalid"
	}
	return a.String()
}

// keys returns the keys of a list, in order.
func keys(list []*addrmanpb.NetAddr) []string {
	out := make([]string, len(list))
	for i, na := range list {
		out[i] = key(na)
	}
	return out
}

func TestAddAddressesConvertsSanitisesAndCounts(t *testing.T) {
	e := newEnv(t)
	e.start()
	onion := book.MustParseAddr("pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion:8333")
	good := &addrmanpb.NetAddr{Network: 1, Addr: []byte{8, 8, 4, 4}, Port: 8333, Services: 1033, Time: t0.Add(-time.Hour).Unix()}
	future := &addrmanpb.NetAddr{Network: 2, Addr: []byte{0x2a, 1, 4, 0xf8, 15: 1}, Port: 8333, Time: t0.Add(time.Hour).Unix()}
	zero := &addrmanpb.NetAddr{Network: 4, Addr: onion.Bytes(), Port: 8333, Time: 0}
	malformed := []*addrmanpb.NetAddr{
		{Network: 1, Addr: []byte{1, 2, 3}, Port: 8333},      // short
		{Network: 1, Addr: []byte{9, 9, 9, 9}, Port: 70000},  // port
		{Network: 3, Addr: make([]byte, 10), Port: 8333},     // tor v2
		{Network: 1, Addr: []byte{10, 0, 0, 1}, Port: 8333},  // unroutable
		{Network: 300, Addr: []byte{8, 8, 8, 8}, Port: 8333}, // network
		{Network: 6, Addr: []byte{0xfd, 15: 1}, Port: 8333},  // cjdns outside fc00::/8
	}
	e.offer(append([]*addrmanpb.NetAddr{good, future, zero}, malformed...), "not an address")

	got := e.nodeAddresses(0, "")
	if len(got) != 3 {
		t.Fatalf("book holds %v, want the 3 well-formed routable addresses", keys(got))
	}
	byKey := map[string]*addrmanpb.NetAddr{}
	for _, na := range got {
		byKey[key(na)] = na
	}
	if na := byKey["8.8.4.4:8333"]; na == nil || na.GetServices() != 1033 || na.GetTime() != good.GetTime() {
		t.Fatalf("ipv4 entry = %v, want services 1033 and its announced time", na)
	}
	fiveDaysAgo := t0.Add(-5 * 24 * time.Hour).Unix()
	if na := byKey["[2a01:4f8::1]:8333"]; na == nil || na.GetTime() != fiveDaysAgo {
		t.Fatalf("future-dated entry = %v, want its time replaced by five days ago (%d)", na, fiveDaysAgo)
	}
	if na := byKey[onion.String()]; na == nil || na.GetTime() != fiveDaysAgo || na.GetNetwork() != 4 {
		t.Fatalf("zero-time onion entry = %v, want five days ago", na)
	}
	info := e.info()
	for net, want := range map[string]counts{"ipv4": {1, 0, 1}, "ipv6": {1, 0, 1}, "onion": {1, 0, 1},
		"i2p": {}, "cjdns": {}, addrman.AllNetworks: {3, 0, 3}} {
		if info[net] != want {
			t.Errorf("info[%s] = %+v, want %+v", net, info[net], want)
		}
	}
}

func TestTimePenaltyAppliesToRelayedAddresses(t *testing.T) {
	e := newEnv(t)
	e.start()
	seen := t0.Add(-time.Hour).Unix()
	relayed := &addrmanpb.NetAddr{Network: 1, Addr: []byte{8, 8, 4, 4}, Port: 8333, Time: seen}
	self := &addrmanpb.NetAddr{Network: 1, Addr: []byte{9, 9, 9, 9}, Port: 8333, Time: seen}
	e.send(&addrmanpb.AddAddresses{Addrs: []*addrmanpb.NetAddr{relayed, self}, Source: "9.9.9.9:8333", TimePenaltySeconds: 7200})
	times := map[string]int64{}
	for _, na := range e.nodeAddresses(0, "") {
		times[key(na)] = na.GetTime()
	}
	if times["8.8.4.4:8333"] != seen-7200 {
		t.Fatalf("relayed time %d, want %d (two hours penalty)", times["8.8.4.4:8333"], seen-7200)
	}
	if times["9.9.9.9:8333"] != seen {
		t.Fatalf("self-announcement time %d, want %d (no penalty)", times["9.9.9.9:8333"], seen)
	}
}

func TestConnmanReportsMoveAndRefreshEntries(t *testing.T) {
	e := newEnv(t)
	e.start()
	old := t0.Add(-3 * time.Hour)
	e.offer([]*addrmanpb.NetAddr{{Network: 1, Addr: []byte{8, 8, 4, 4}, Port: 8333, Services: 1, Time: old.Unix()}}, "9.9.9.9:8333")

	sel := ask[*addrmanpb.Selected](e, &addrmanpb.Select{})
	if !sel.GetOk() || sel.GetAddress() != "8.8.4.4:8333" || sel.GetTried() || key(sel.GetAddr()) != "8.8.4.4:8333" {
		t.Fatalf("Select = %v, want the one new address", sel)
	}
	if sel := ask[*addrmanpb.Selected](e, &addrmanpb.Select{Networks: []uint32{2}}); sel.GetOk() {
		t.Fatalf("Select ipv6 = %v, want nothing", sel)
	}
	if sel := ask[*addrmanpb.Selected](e, &addrmanpb.Select{Networks: []uint32{1 << 20}}); sel.GetOk() {
		t.Fatalf("Select of an impossible network = %v, want nothing", sel)
	}

	e.send(&addrmanpb.Attempt{Address: "8.8.4.4:8333", CountFailure: true})
	e.send(&addrmanpb.Good{Address: "8.8.4.4:8333"})
	e.send(&addrmanpb.Good{Address: "garbage"})
	if got := e.all(); got != (counts{0, 1, 1}) {
		t.Fatalf("after Good: %+v, want one tried", got)
	}
	if sel := ask[*addrmanpb.Selected](e, &addrmanpb.Select{NewOnly: true}); sel.GetOk() {
		t.Fatalf("Select new-only = %v, want nothing", sel)
	}
	if sel := ask[*addrmanpb.Selected](e, &addrmanpb.Select{}); !sel.GetOk() || !sel.GetTried() {
		t.Fatalf("Select = %v, want the tried address", sel)
	}

	// Good leaves the last-seen time alone (it would reveal a current
	// peer); Connected, sent at disconnect, refreshes it.
	if got := e.nodeAddresses(0, "")[0].GetTime(); got != old.Unix() {
		t.Fatalf("time after Good = %d, want unchanged %d", got, old.Unix())
	}
	e.clock.Advance(time.Hour)
	e.send(&addrmanpb.SetServices{Address: "8.8.4.4:8333", Services: 1033})
	e.send(&addrmanpb.Connected{Address: "8.8.4.4:8333"})
	na := e.nodeAddresses(0, "")[0]
	if na.GetTime() != t0.Add(time.Hour).Unix() || na.GetServices() != 1033 {
		t.Fatalf("after Connected and SetServices: %v, want time now and services 1033", na)
	}

	if sel := ask[*addrmanpb.Selected](e, &addrmanpb.SelectTriedCollision{}); sel.GetOk() {
		t.Fatalf("SelectTriedCollision = %v, want nothing pending", sel)
	}
	e.send(&addrmanpb.ResolveCollisions{})
	if got := e.all(); got != (counts{0, 1, 1}) {
		t.Fatalf("after ResolveCollisions: %+v", got)
	}
}

func TestCollisionIsOfferedForAFeeler(t *testing.T) {
	e := newEnv(t)
	e.start()
	// Addresses of one /16 share 8 tried buckets; moving enough of them
	// to tried makes one collide with another's slot.
	var colliding string
	for i := 0; i < 250 && colliding == ""; i++ {
		res := ask[*addrmanpb.AddPeerAddressResult](e, &addrmanpb.AddPeerAddress{
			Address: "20.7." + strconv.Itoa(i) + ".1", Port: 8333, Tried: true})
		if res.GetError() == addrman.ErrAddPeerTried {
			colliding = "20.7." + strconv.Itoa(i) + ".1:8333"
		}
	}
	if colliding == "" {
		t.Fatal("no tried collision in 250 addresses of one /16")
	}
	sel := ask[*addrmanpb.Selected](e, &addrmanpb.SelectTriedCollision{})
	if !sel.GetOk() || !sel.GetTried() || sel.GetAddress() == colliding {
		t.Fatalf("SelectTriedCollision = %v, want the tried entry in %s's slot", sel, colliding)
	}
	// A feeler that reached the old entry keeps it; the newcomer gives up.
	e.send(&addrmanpb.Good{Address: sel.GetAddress()})
	e.send(&addrmanpb.ResolveCollisions{})
	if sel := ask[*addrmanpb.Selected](e, &addrmanpb.SelectTriedCollision{}); sel.GetOk() {
		t.Fatalf("collision still pending after resolution: %v", sel)
	}
}

func TestGetNodeAddressesCountAndNetwork(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.offer(routableAddrs(50, 5, t0), "203.0.113.1:8333")
	e.offer([]*addrmanpb.NetAddr{{Network: 2, Addr: []byte{0x2a, 1, 4, 0xf8, 15: 9}, Port: 8333, Time: t0.Unix()}}, "203.0.113.1:8333")
	total := int(e.all().total)

	if got := len(e.nodeAddresses(0, "")); got != total {
		t.Fatalf("count 0 gave %d, want all %d", got, total)
	}
	if got := len(e.nodeAddresses(7, "")); got != 7 {
		t.Fatalf("count 7 gave %d", got)
	}
	ipv6 := e.nodeAddresses(0, "IPv6")
	if len(ipv6) != 1 || key(ipv6[0]) != "[2a01:4f8::9]:8333" {
		t.Fatalf("ipv6 filter gave %v", keys(ipv6))
	}
	for _, na := range e.nodeAddresses(0, "ipv4") {
		if na.GetNetwork() != 1 {
			t.Fatalf("ipv4 filter gave %v", na)
		}
	}
	if got := e.nodeAddresses(0, "bogus"); len(got) != 0 {
		t.Fatalf("unknown network gave %v", keys(got))
	}
	// Terrible entries (not seen for over 30 days) are left out.
	e.clock.Advance(31 * 24 * time.Hour)
	if got := e.nodeAddresses(0, ""); len(got) != 0 {
		t.Fatalf("after 31 days %d addresses, want none", len(got))
	}
}

func TestGetAddrCacheIsStableUntilItExpires(t *testing.T) {
	e := newEnv(t)
	e.start()
	e.offer(routableAddrs(2000, 8, t0), "203.0.113.1:8333")
	total := e.all().total

	first := keys(ask[*addrmanpb.AddrList](e, &addrmanpb.GetAddrCache{RequestorNetwork: 1}).GetAddrs())
	if max := int(total) * 23 / 100; len(first) == 0 || len(first) > max || len(first) > 1000 {
		t.Fatalf("answer of %d addresses from %d, want 1..%d", len(first), total, max)
	}
	// More addresses and most of the lifetime later, the same answer.
	e.offer(routableAddrs(500, 9, t0), "203.0.113.2:8333")
	e.clock.Advance(21*time.Hour - time.Second)
	again := keys(ask[*addrmanpb.AddrList](e, &addrmanpb.GetAddrCache{RequestorNetwork: 1}).GetAddrs())
	if !slices.Equal(first, again) {
		t.Fatalf("answer changed within the cache lifetime")
	}
	// Another network has its own answer, drawn now.
	other := keys(ask[*addrmanpb.AddrList](e, &addrmanpb.GetAddrCache{RequestorNetwork: 4}).GetAddrs())
	if slices.Equal(first, other) {
		t.Fatalf("two networks share one answer")
	}
	// Past lifetime plus the largest jitter, a new answer.
	e.clock.Advance(6*time.Hour + time.Second)
	fresh := keys(ask[*addrmanpb.AddrList](e, &addrmanpb.GetAddrCache{RequestorNetwork: 1}).GetAddrs())
	if slices.Equal(first, fresh) {
		t.Fatalf("answer not renewed after 27 hours")
	}
	if max := int(e.all().total) * 23 / 100; len(fresh) > max {
		t.Fatalf("renewed answer of %d, want at most %d", len(fresh), max)
	}
}

func TestGetAddrCacheCapsAtThousand(t *testing.T) {
	e := newEnv(t)
	e.start()
	// Addresses from one source group fill at most 64 buckets, so the
	// offers come from many sources.
	all := routableAddrs(12000, 10, t0)
	for i := 0; i < len(all); i += 200 {
		e.offer(all[i:i+200], strconv.Itoa(20+i/200)+".1.1.1:8333")
	}
	if total := e.all().total; total*23/100 <= 1000 {
		t.Fatalf("book of %d too small for the test", total)
	}
	if got := len(ask[*addrmanpb.AddrList](e, &addrmanpb.GetAddrCache{RequestorNetwork: 2}).GetAddrs()); got != 1000 {
		t.Fatalf("answer of %d addresses, want 1000", got)
	}
}

func TestAddPeerAddress(t *testing.T) {
	e := newEnv(t)
	e.start()
	add := func(address string, port uint32, tried bool) *addrmanpb.AddPeerAddressResult {
		return ask[*addrmanpb.AddPeerAddressResult](e, &addrmanpb.AddPeerAddress{Address: address, Port: port, Tried: tried})
	}
	if r := add("1.0.0.0", 8333, false); !r.GetSuccess() || r.GetError() != "" {
		t.Fatalf("new = %v", r)
	}
	for _, tried := range []bool{false, true} {
		if r := add("1.0.0.0", 8333, tried); r.GetSuccess() || r.GetError() != addrman.ErrAddPeerNew {
			t.Fatalf("known again (tried=%v) = %v", tried, r)
		}
	}
	if r := add("[1233:3432:2434:2343:3234:2345:6546:4534]", 8333, true); !r.GetSuccess() {
		t.Fatalf("bracketed ipv6 tried = %v", r)
	}
	if r := add("pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion", 8333, false); !r.GetSuccess() {
		t.Fatalf("onion = %v", r)
	}
	for _, bad := range []string{"", "example.com", "1.2.3.4:8333", "[]"} {
		if r := add(bad, 8333, false); r.GetSuccess() || r.GetError() != addrman.ErrAddPeerInvalid {
			t.Fatalf("%q = %v, want %q", bad, r, addrman.ErrAddPeerInvalid)
		}
	}
	if r := add("10.0.0.1", 8333, false); r.GetSuccess() || r.GetError() != addrman.ErrAddPeerNew {
		t.Fatalf("unroutable = %v", r)
	}
	info := e.info()
	if info["ipv4"] != (counts{1, 0, 1}) || info["ipv6"] != (counts{0, 1, 1}) || info["onion"] != (counts{1, 0, 1}) {
		t.Fatalf("info = %+v", info)
	}
	for _, na := range e.nodeAddresses(0, "") {
		if na.GetServices() != 9 || na.GetTime() != t0.Unix() {
			t.Fatalf("added entry %v, want services 9 and time now", na)
		}
	}
}
