package bookfile

import (
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/actornode/actornode/addrman/book"
	"github.com/btcsuite/btcd/wire/v2"
)

// t0 is the tests' fixed "now".
var t0 = time.Unix(1_700_000_000, 0)

// switchRand is a Random whose source a test can replace, so an encoded
// book and its decoded twin can continue from identical random states.
type switchRand struct{ r book.Random }

// Uint64 implements book.Random.
func (s *switchRand) Uint64() uint64 { return s.r.Uint64() }

// pcg returns a seeded source.
func pcg(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 77)) }

// testKey is a fixed secret.
func testKey() book.Key {
	var k book.Key
	for i := range k {
		k[i] = byte(0xa0 ^ i)
	}
	return k
}

// routable returns a routable IPv4 Addr drawn from r.
func routable(r *rand.Rand) book.Addr {
	for {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], r.Uint32())
		a := book.AddrFromAddrPort(netip.AddrPortFrom(netip.AddrFrom4(b), 8333))
		if book.IsRoutable(a) {
			return a
		}
	}
}

// buildBook makes a book with offers addresses from many sources, every
// goodEvery-th moved to tried, some failures, extras each of onion, I2P and
// CJDNS addresses, and (when large enough) pending collisions. Its
// randomness is rnd.
func buildBook(offers, goodEvery, extras int, rnd book.Random) *book.Book {
	b := book.New(testKey(), rnd)
	r := pcg(3)
	sources := make([]book.Addr, 256)
	for i := range sources {
		sources[i] = routable(r)
	}
	for i := range offers {
		a := routable(r)
		at := t0.Add(-time.Duration(r.IntN(96)) * time.Hour)
		b.Add([]book.Address{{Addr: a, Services: wire.SFNodeNetwork, Time: at.Unix()}}, sources[i%len(sources)], 2*time.Hour, t0)
		switch {
		case i%goodEvery == 0:
			b.Good(a, t0)
		case i%7 == 0:
			b.Attempt(a, true, t0)
		}
	}
	for i := range extras {
		cj, _ := book.NewCJDNS([16]byte{0xfc, byte(i)}, 8333)
		others := []book.Addr{book.NewTorV3([32]byte{byte(i * 13)}, 8333), book.NewI2P([32]byte{byte(i * 17)}, 0), cj}
		for _, a := range others {
			b.Add([]book.Address{{Addr: a, Time: t0.Unix()}}, book.Addr{}, 0, t0)
		}
	}
	return b
}

// reseal recomputes the checksum of a file whose content a test edited.
func reseal(data []byte) []byte {
	n := len(data) - checksumSize
	binary.LittleEndian.PutUint32(data[n:], crc32.Checksum(data[:n], castagnoli))
	return data
}

// mustCheck fails the test when b is inconsistent.
func mustCheck(t testing.TB, b *book.Book) {
	t.Helper()
	if err := b.CheckInvariants(); err != nil {
		t.Fatal(err)
	}
}
