package book

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestSelectEmpty(t *testing.T) {
	b := newTestBook(1)
	if _, ok := b.Select(false, nil, t0); ok {
		t.Fatal("selected from an empty book")
	}
	a := MustParseAddr("1.2.3.4:8333")
	mustAdd(t, b, a, srcA)
	b.Good(a, t0)
	if _, ok := b.Select(true, nil, t0); ok {
		t.Fatal("newOnly selected a tried address")
	}
	if info, ok := b.Select(false, nil, t0); !ok || info.Address.Addr != a {
		t.Fatalf("Select = %v %v", info.Address.Addr, ok)
	}
	if _, ok := b.Select(false, []NetworkID{NetTorV3}, t0); ok {
		t.Fatal("selected an ipv4 address for an onion-only filter")
	}
}

func TestSelectNetworkFilter(t *testing.T) {
	b := newTestBook(1)
	r := rand.New(rand.NewPCG(1, 1))
	for range 200 {
		mustAddMaybe(b, routableIPv4(r))
	}
	onion := MustParseAddr(torProjectOnion + ":8333")
	mustAdd(t, b, onion, srcA)
	for range 50 {
		info, ok := b.Select(false, []NetworkID{NetTorV3, NetI2P}, t0)
		if !ok || info.Address.Addr != onion {
			t.Fatalf("filtered Select = %v, %v", info.Address.Addr, ok)
		}
	}
}

// mustAddMaybe adds a from srcA at t0, ignoring a refused slot.
func mustAddMaybe(b *Book, a Addr) { b.Add([]Address{seen(a, t0)}, srcA, 0, t0) }

func TestSelectWeighsByChance(t *testing.T) {
	b := newTestBook(2)
	good := MustParseAddr("1.2.3.4:8333")
	bad := MustParseAddr("20.30.40.50:8333")
	mustAdd(t, b, good, srcA)
	mustAdd(t, b, bad, srcA)
	for i := range 8 {
		b.Good(MustParseAddr("99.99.99.99:1"), t0) // unknown, but counts as a Good
		b.Attempt(bad, true, t0.Add(time.Duration(i)*time.Second))
	}
	now := t0.Add(time.Minute) // bad tried a minute ago, 8 failures
	counts := map[Addr]int{}
	for range 2000 {
		info, ok := b.Select(false, nil, now)
		if !ok {
			t.Fatal("Select failed")
		}
		counts[info.Address.Addr]++
	}
	// bad's chance is 0.01 * 0.66^8 ~ 0.04% of good's: it wins only when
	// the factor has grown a lot.
	if counts[bad] > 100 || counts[good] < 1900 {
		t.Errorf("selection counts good %d, bad %d", counts[good], counts[bad])
	}
}

func TestSelectBothTables(t *testing.T) {
	b := newTestBook(3)
	r := rand.New(rand.NewPCG(2, 2))
	var triedAddrs []Addr
	for range 400 {
		a := routableIPv4(r)
		if b.Add([]Address{seen(a, t0)}, routableIPv4(r), 0, t0) == 1 && len(triedAddrs) < 200 {
			if b.Good(a, t0.Add(-time.Hour)) {
				triedAddrs = append(triedAddrs, a)
			}
		}
	}
	mustCheck(t, b)
	tried, fresh := 0, 0
	for range 2000 {
		info, ok := b.Select(false, nil, t0)
		if !ok {
			t.Fatal("Select failed")
		}
		if info.Tried {
			tried++
		} else {
			fresh++
		}
	}
	if tried < 800 || fresh < 800 {
		t.Errorf("tables picked %d tried / %d new times, want about even", tried, fresh)
	}
	for range 200 {
		if info, _ := b.Select(true, nil, t0); info.Tried {
			t.Fatal("newOnly returned a tried address")
		}
	}
}

func TestSelectIsDeterministic(t *testing.T) {
	run := func() []Addr {
		b := newTestBook(9)
		r := rand.New(rand.NewPCG(3, 3))
		for range 300 {
			mustAddMaybe(b, routableIPv4(r))
		}
		var out []Addr
		for range 50 {
			info, _ := b.Select(false, nil, t0)
			out = append(out, info.Address.Addr)
		}
		return out
	}
	a, c := run(), run()
	for i := range a {
		if a[i] != c[i] {
			t.Fatalf("run differs at %d: %v vs %v", i, a[i], c[i])
		}
	}
}

func TestGetAddr(t *testing.T) {
	b := newTestBook(4)
	r := rand.New(rand.NewPCG(4, 4))
	for b.Len() < 100 {
		mustAddMaybe(b, routableIPv4(r))
	}
	onions := 0
	for i := range 10 {
		if b.Add([]Address{seen(NewTorV3([32]byte{byte(i), 1}, 8333), t0)}, srcA, 0, t0) == 1 {
			onions++
		}
	}
	total := b.Len()
	if got := len(b.GetAddr(1000, 23, 0, t0)); got != 23*total/100 {
		t.Errorf("GetAddr(23%%) returned %d of %d", got, total)
	}
	if got := len(b.GetAddr(5, 0, 0, t0)); got != 5 {
		t.Errorf("GetAddr(max 5) returned %d", got)
	}
	got := b.GetAddr(0, 0, NetTorV3, t0)
	if len(got) != onions {
		t.Errorf("onion GetAddr returned %d, want %d", len(got), onions)
	}
	for _, a := range got {
		if a.Net != NetTorV3 {
			t.Fatalf("network filter let %v through", a.Addr)
		}
	}
	seenAddr := map[Addr]bool{}
	for _, a := range b.GetAddr(0, 0, 0, t0) {
		if seenAddr[a.Addr] {
			t.Fatalf("%v returned twice", a.Addr)
		}
		seenAddr[a.Addr] = true
	}
	if len(seenAddr) != total {
		t.Errorf("unlimited GetAddr returned %d of %d", len(seenAddr), total)
	}
	// Forty days later every address is terrible.
	if got := b.GetAddr(0, 0, 0, t0.Add(40*24*time.Hour)); len(got) != 0 {
		t.Errorf("GetAddr returned %d terrible addresses", len(got))
	}
	mustCheck(t, b)
}
