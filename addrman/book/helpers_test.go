package book

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// t0 is the tests' fixed "now".
var t0 = time.Unix(1_700_000_000, 0)

// testKey is a fixed secret key for reproducible buckets.
func testKey() Key {
	var k Key
	for i := range k {
		k[i] = byte(i*7 + 1)
	}
	return k
}

// newTestBook returns an empty book with the test key and a seeded source.
func newTestBook(seed uint64) *Book {
	return New(testKey(), rand.New(rand.NewPCG(seed, 42)))
}

// ipv4 returns the IPv4 Addr of the 32-bit value v on port 8333.
func ipv4(v uint32) Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return AddrFromAddrPort(netip.AddrPortFrom(netip.AddrFrom4(b), 8333))
}

// routableIPv4 returns a routable IPv4 Addr drawn from r.
func routableIPv4(r *rand.Rand) Addr {
	for {
		if a := ipv4(r.Uint32()); IsRoutable(a) {
			return a
		}
	}
}

// seen returns a as an Address last seen at t with NODE_NETWORK.
func seen(a Addr, t time.Time) Address {
	return Address{Addr: a, Services: wire.SFNodeNetwork, Time: t.Unix()}
}

// mustCheck fails the test when b is inconsistent.
func mustCheck(t testing.TB, b *Book) {
	t.Helper()
	if err := b.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}

// mustAdd adds a from source at t0 and fails unless it took a slot.
func mustAdd(t testing.TB, b *Book, a, source Addr) {
	t.Helper()
	if b.Add([]Address{seen(a, t0)}, source, 0, t0) != 1 {
		t.Fatalf("Add(%v from %v) took no slot", a, source)
	}
}

// sameNewSlot finds two addresses that a single source puts into the same
// new slot under the test key.
func sameNewSlot(t testing.TB, source Addr) (Addr, Addr) {
	t.Helper()
	k := testKey()
	seenSlots := map[[2]int]Addr{}
	r := rand.New(rand.NewPCG(7, 7))
	src := GroupOf(source)
	for range 200000 {
		a := routableIPv4(r)
		bucket := newBucket(&k, GroupOf(a), src)
		pos := [2]int{bucket, slotOf(&k, true, bucket, &a)}
		if prev, ok := seenSlots[pos]; ok && prev != a {
			return prev, a
		}
		seenSlots[pos] = a
	}
	t.Fatal("no new-slot collision found")
	return Addr{}, Addr{}
}

// sameTriedSlot finds two addresses with the same tried slot under the
// test key.
func sameTriedSlot(t testing.TB) (Addr, Addr) {
	t.Helper()
	k := testKey()
	seenSlots := map[[2]int]Addr{}
	r := rand.New(rand.NewPCG(9, 9))
	for range 200000 {
		a := routableIPv4(r)
		bucket := triedBucket(&k, &a, GroupOf(a))
		pos := [2]int{bucket, slotOf(&k, false, bucket, &a)}
		if prev, ok := seenSlots[pos]; ok && prev != a {
			return prev, a
		}
		seenSlots[pos] = a
	}
	t.Fatal("no tried-slot collision found")
	return Addr{}, Addr{}
}
