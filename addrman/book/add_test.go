package book

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

var (
	srcA = MustParseAddr("5.6.7.8:8333")
	srcB = MustParseAddr("9.10.11.12:8333")
)

func TestAddNewAddress(t *testing.T) {
	b := newTestBook(1)
	a := MustParseAddr("1.2.3.4:8333")
	if n := b.Add([]Address{seen(a, t0)}, srcA, 2*time.Hour, t0); n != 1 {
		t.Fatalf("Add = %d, want 1", n)
	}
	mustCheck(t, b)
	info, ok := b.Lookup(a)
	if !ok || info.Tried || info.NewRefs != 1 || info.Source != srcA {
		t.Fatalf("Lookup = %+v, %v", info, ok)
	}
	if want := t0.Add(-2 * time.Hour).Unix(); info.Address.Time != want {
		t.Errorf("penalised time %d, want %d", info.Address.Time, want)
	}
	if b.Size(0, TableNew) != 1 || b.Size(NetIPv4, TableNew) != 1 || b.Size(NetIPv6, TableAll) != 0 || b.Size(0, TableTried) != 0 {
		t.Errorf("sizes wrong: %d %d", b.Size(0, TableNew), b.Size(NetIPv4, TableNew))
	}
}

func TestAddIgnoresUnroutable(t *testing.T) {
	b := newTestBook(1)
	addrs := []Address{
		seen(MustParseAddr("10.0.0.1:8333"), t0),
		seen(MustParseAddr("127.0.0.1:8333"), t0),
		seen(Addr{}, t0),
	}
	if n := b.Add(addrs, srcA, 0, t0); n != 0 || b.Len() != 0 {
		t.Fatalf("Add of unroutable = %d, book holds %d", n, b.Len())
	}
	mustCheck(t, b)
}

func TestAddSelfAnnouncementHasNoPenalty(t *testing.T) {
	b := newTestBook(1)
	self := MustParseAddr("5.6.7.8:18333") // same host as srcA, other port
	b.Add([]Address{seen(self, t0)}, srcA, 2*time.Hour, t0)
	info, _ := b.Lookup(self)
	if info.Address.Time != t0.Unix() {
		t.Errorf("self-announcement time %d, want %d", info.Address.Time, t0.Unix())
	}
}

func TestAddKnownAddressRefreshAndServices(t *testing.T) {
	b := newTestBook(1)
	a := MustParseAddr("1.2.3.4:8333")
	b.Add([]Address{seen(a, t0)}, srcA, 0, t0)

	// Half an hour newer, online: below the 1 h refresh interval. Services
	// merge all the same.
	later := Address{Addr: a, Services: wire.SFNodeWitness, Time: t0.Add(30 * time.Minute).Unix()}
	b.Add([]Address{later}, srcA, 0, t0.Add(30*time.Minute))
	info, _ := b.Lookup(a)
	if info.Address.Time != t0.Unix() {
		t.Errorf("time refreshed within the interval: %d", info.Address.Time)
	}
	if info.Address.Services != wire.SFNodeNetwork|wire.SFNodeWitness {
		t.Errorf("services %v not merged", info.Address.Services)
	}

	// Two hours newer: refreshed, minus the penalty.
	now := t0.Add(2 * time.Hour)
	b.Add([]Address{seen(a, now)}, srcB, 10*time.Minute, now)
	info, _ = b.Lookup(a)
	if want := now.Add(-10 * time.Minute).Unix(); info.Address.Time != want {
		t.Errorf("time %d, want %d", info.Address.Time, want)
	}

	// An old address (not online) refreshes only daily.
	now = t0.Add(10 * 24 * time.Hour)
	b.Add([]Address{seen(a, t0.Add(20*time.Hour))}, srcA, 0, now)
	if info2, _ := b.Lookup(a); info2.Address.Time != info.Address.Time {
		t.Errorf("idle address refreshed within a day: %d", info2.Address.Time)
	}
	b.Add([]Address{seen(a, t0.Add(30*time.Hour))}, srcA, 0, now)
	if info2, _ := b.Lookup(a); info2.Address.Time != t0.Add(30*time.Hour).Unix() {
		t.Errorf("idle address not refreshed after a day: %d", info2.Address.Time)
	}
	mustCheck(t, b)
}

func TestAddWithoutNewInformationAddsNoReference(t *testing.T) {
	b := newTestBook(1)
	a := MustParseAddr("1.2.3.4:8333")
	b.Add([]Address{seen(a, t0)}, srcA, 0, t0)
	r := rand.New(rand.NewPCG(3, 3))
	for range 100 {
		if n := b.Add([]Address{seen(a, t0)}, routableIPv4(r), 0, t0); n != 0 {
			t.Fatal("same timestamp added a reference")
		}
	}
	if info, _ := b.Lookup(a); info.NewRefs != 1 {
		t.Fatalf("refs = %d, want 1", info.NewRefs)
	}
}

func TestAddReferencesGrowStochasticallyUpToEight(t *testing.T) {
	b := newTestBook(1)
	a := MustParseAddr("1.2.3.4:8333")
	r := rand.New(rand.NewPCG(4, 4))
	maxRefs := 0
	for i := range 5000 {
		now := t0.Add(time.Duration(i) * 2 * time.Hour)
		// Relayed addresses carry a 2 h penalty, so each announcement is
		// newer than the penalised time stored: new information.
		b.Add([]Address{seen(a, now)}, routableIPv4(r), 2*time.Hour, now)
		info, _ := b.Lookup(a)
		if info.NewRefs > MaxNewRefs {
			t.Fatalf("refs %d above %d", info.NewRefs, MaxNewRefs)
		}
		maxRefs = max(maxRefs, info.NewRefs)
		if i%100 == 0 {
			mustCheck(t, b)
		}
	}
	if maxRefs < 4 {
		t.Errorf("refs reached only %d after 5000 fresh announcements from new sources", maxRefs)
	}
}

func TestAddCollisionKeepsGoodEntry(t *testing.T) {
	b := newTestBook(1)
	first, second := sameNewSlot(t, srcA)
	mustAdd(t, b, first, srcA)
	if n := b.Add([]Address{seen(second, t0)}, srcA, 0, t0); n != 0 {
		t.Fatal("newcomer evicted a healthy entry")
	}
	if _, ok := b.Lookup(second); ok {
		t.Error("refused newcomer kept without a slot")
	}
	if _, ok := b.Lookup(first); !ok {
		t.Error("healthy entry lost")
	}
	mustCheck(t, b)
}

func TestAddCollisionReplacesTerribleEntry(t *testing.T) {
	b := newTestBook(1)
	first, second := sameNewSlot(t, srcA)
	old := t0.Add(-31 * 24 * time.Hour) // beyond the 30-day horizon
	b.Add([]Address{seen(first, old)}, srcA, 0, t0)
	if n := b.Add([]Address{seen(second, t0)}, srcA, 0, t0); n != 1 {
		t.Fatal("newcomer did not replace a terrible entry")
	}
	if _, ok := b.Lookup(first); ok {
		t.Error("terrible entry still in the book with no slot")
	}
	mustCheck(t, b)
}

func TestIsTerrible(t *testing.T) {
	now := t0.Unix()
	day := int64(24 * 3600)
	at := time.Unix(now, 0)
	cases := []struct {
		name string
		info Info
		want bool
	}{
		{"fresh", Info{Address: Address{Time: now}}, false},
		{"too old", Info{Address: Address{Time: now - 31*day}}, true},
		{"too old but just tried", Info{Address: Address{Time: now - 31*day}, LastTry: now - 30}, false},
		{"from the future", Info{Address: Address{Time: now + 11*60}}, true},
		{"slightly ahead", Info{Address: Address{Time: now + 9*60}}, false},
		{"3 failures never success", Info{Address: Address{Time: now}, Attempts: 3}, true},
		{"2 failures never success", Info{Address: Address{Time: now}, Attempts: 2}, false},
		{"10 failures, success 8 days ago", Info{Address: Address{Time: now}, Attempts: 10, LastSuccess: now - 8*day}, true},
		{"10 failures, success 6 days ago", Info{Address: Address{Time: now}, Attempts: 10, LastSuccess: now - 6*day}, false},
		{"9 failures, success 8 days ago", Info{Address: Address{Time: now}, Attempts: 9, LastSuccess: now - 8*day}, false},
	}
	for _, c := range cases {
		if got := c.info.IsTerrible(at); got != c.want {
			t.Errorf("%s: IsTerrible = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestAttemptCountsOneFailurePerGood(t *testing.T) {
	b := newTestBook(1)
	a := MustParseAddr("1.2.3.4:8333")
	other := MustParseAddr("20.30.40.50:8333")
	mustAdd(t, b, a, srcA)
	mustAdd(t, b, other, srcA)

	b.Attempt(a, true, t0.Add(time.Minute))
	b.Attempt(a, true, t0.Add(2*time.Minute)) // no Good since: not counted
	info, _ := b.Lookup(a)
	if info.Attempts != 1 || info.LastTry != t0.Add(2*time.Minute).Unix() {
		t.Fatalf("after two failures: attempts %d last try %d", info.Attempts, info.LastTry)
	}
	b.Good(other, t0.Add(3*time.Minute))
	b.Attempt(a, true, t0.Add(4*time.Minute))
	b.Attempt(a, false, t0.Add(5*time.Minute))
	info, _ = b.Lookup(a)
	if info.Attempts != 2 || info.LastTry != t0.Add(5*time.Minute).Unix() {
		t.Fatalf("after Good and another failure: attempts %d last try %d", info.Attempts, info.LastTry)
	}
	b.Attempt(MustParseAddr("99.1.1.1:1"), true, t0) // unknown: no effect, no panic
	mustCheck(t, b)
}

func TestConnectedRefreshesEveryTwentyMinutes(t *testing.T) {
	b := newTestBook(1)
	a := MustParseAddr("1.2.3.4:8333")
	mustAdd(t, b, a, srcA)
	b.Connected(a, t0.Add(19*time.Minute))
	if info, _ := b.Lookup(a); info.Address.Time != t0.Unix() {
		t.Errorf("refreshed after 19 minutes")
	}
	b.Connected(a, t0.Add(21*time.Minute))
	if info, _ := b.Lookup(a); info.Address.Time != t0.Add(21*time.Minute).Unix() {
		t.Errorf("not refreshed after 21 minutes")
	}
	b.SetServices(a, wire.SFNodeNetworkLimited)
	if info, _ := b.Lookup(a); info.Address.Services != wire.SFNodeNetworkLimited {
		t.Errorf("SetServices did not replace services: %v", info.Address.Services)
	}
}

func TestGroupsSpreadOverFewBuckets(t *testing.T) {
	k := testKey()
	r := rand.New(rand.NewPCG(5, 5))
	// One /16 spreads over at most 8 tried buckets.
	tried := map[int]bool{}
	for i := range 2000 {
		a := ipv4(0x01020000 | uint32(i))
		tried[triedBucket(&k, &a, GroupOf(a))] = true
	}
	if len(tried) > triedBucketsPerGroup || len(tried) < 4 {
		t.Errorf("one group in %d tried buckets, want at most %d (and not collapsed)", len(tried), triedBucketsPerGroup)
	}
	// One source group fills at most 64 new buckets.
	newB := map[int]bool{}
	src := GroupOf(srcA)
	for range 5000 {
		a := routableIPv4(r)
		newB[newBucket(&k, GroupOf(a), src)] = true
	}
	if len(newB) > newBucketsPerSourceGroup || len(newB) < 48 {
		t.Errorf("one source group in %d new buckets, want at most %d", len(newB), newBucketsPerSourceGroup)
	}
	// Another key places the same address elsewhere.
	other := Key{1}
	a := MustParseAddr("1.2.3.4:8333")
	moved := false
	for i := range 16 {
		other[1] = byte(i)
		if triedBucket(&k, &a, GroupOf(a)) != triedBucket(&other, &a, GroupOf(a)) {
			moved = true
		}
	}
	if !moved {
		t.Error("bucket does not depend on the key")
	}
}
