package book

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// opPool is a fixed set of addresses the random operations draw from: many
// IPv4 groups, IPv6, onion, I2P and CJDNS addresses, and pairs that share a
// new slot or a tried slot, so collisions happen often.
func opPool(t testing.TB) []Addr {
	r := rand.New(rand.NewPCG(11, 11))
	var pool []Addr
	for g := range 24 {
		base := routableIPv4(r)
		for i := range 8 {
			a := base
			a.Host[3] = byte(i * 31)
			a.Port = uint16(8333 + g%3)
			pool = append(pool, a)
		}
	}
	for i := range 16 {
		pool = append(pool, AddrFromAddrPort(netip.AddrPortFrom(
			netip.AddrFrom16([16]byte{0x2a, 0x01, byte(i % 4), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, byte(i)}), 8333)))
	}
	for i := range 12 {
		pool = append(pool, NewTorV3([32]byte{byte(i * 23), byte(i)}, 8333))
		pool = append(pool, NewI2P([32]byte{byte(i * 37), byte(i)}, 0))
		cj, _ := NewCJDNS([16]byte{0xfc, byte(i * 41), byte(i)}, 8333)
		pool = append(pool, cj)
	}
	a, b := sameTriedSlot(t)
	c, d := sameNewSlot(t, pool[0])
	return append(pool, a, b, c, d)
}

// opRunner interprets bytes as a sequence of book operations.
type opRunner struct {
	t    testing.TB
	b    *Book
	pool []Addr
	now  time.Time
	data []byte
	pos  int
}

// next returns the next input byte (0 once the input is used up).
func (r *opRunner) next() byte {
	if r.pos >= len(r.data) {
		return 0
	}
	c := r.data[r.pos]
	r.pos++
	return c
}

// addr returns a pool address chosen by the next byte.
func (r *opRunner) addr() Addr { return r.pool[int(r.next())%len(r.pool)] }

// source returns a source: a pool address, the zero Addr or a local one.
func (r *opRunner) source() Addr {
	switch c := r.next(); {
	case c < 8:
		return Addr{}
	case c < 16:
		return MustParseAddr("127.0.0.1:8333")
	default:
		return r.pool[int(c)%len(r.pool)]
	}
}

// run executes every operation, checking the invariants after each, and
// returns how many it ran.
func (r *opRunner) run() int {
	step := 0
	for ; r.pos < len(r.data); step++ {
		op := r.next() % 11
		r.step(op)
		if err := r.b.CheckInvariants(); err != nil {
			r.t.Fatalf("step %d (op %d): %v", step, op, err)
		}
	}
	return step
}

// step executes one operation and checks what it returned.
func (r *opRunner) step(op byte) {
	b := r.b
	switch op {
	case 0: // Add a batch
		n := int(r.next()%8) + 1
		batch := make([]Address, n)
		for i := range batch {
			ago := time.Duration(r.next()) * 3 * time.Hour
			batch[i] = Address{Addr: r.addr(), Services: wire.ServiceFlag(r.next()), Time: r.now.Add(-ago).Unix()}
		}
		penalty := time.Duration(r.next()%3) * time.Hour
		before := b.Len()
		added := b.Add(batch, r.source(), penalty, r.now)
		if added > n || b.Len() > before+n {
			r.t.Fatalf("Add of %d reported %d and grew the book by %d", n, added, b.Len()-before)
		}
	case 1:
		a := r.addr()
		before, _ := b.Lookup(a)
		if moved := b.Good(a, r.now); moved {
			if info, _ := b.Lookup(a); !info.Tried || before.Tried {
				r.t.Fatalf("Good of %v reported a move but tried %v -> %v", a, before.Tried, info.Tried)
			}
		}
	case 2:
		b.Attempt(r.addr(), r.next()%2 == 0, r.now)
	case 3:
		b.Connected(r.addr(), r.now)
	case 4:
		var nets []NetworkID
		if c := r.next(); c%2 == 1 {
			nets = []NetworkID{Networks()[int(c/2)%len(Networks())]}
		}
		newOnly := r.next()%2 == 0
		info, ok := b.Select(newOnly, nets, r.now)
		if ok {
			stored, found := b.Lookup(info.Address.Addr)
			if !found || stored != info || newOnly && info.Tried || len(nets) > 0 && info.Address.Net != nets[0] {
				r.t.Fatalf("Select(newOnly %v, %v) returned %+v", newOnly, nets, info)
			}
		} else if !newOnly && len(nets) == 0 && b.Len() > 0 {
			r.t.Fatal("Select found nothing in a non-empty book")
		}
	case 5:
		got := b.GetAddr(int(r.next()), int(r.next()%101), 0, r.now)
		seen := map[Addr]bool{}
		for _, a := range got {
			info, ok := b.Lookup(a.Addr)
			if !ok || seen[a.Addr] || info.IsTerrible(r.now) {
				r.t.Fatalf("GetAddr returned %v (known %v, repeated %v)", a.Addr, ok, seen[a.Addr])
			}
			seen[a.Addr] = true
		}
	case 6:
		b.ResolveCollisions(r.now)
	case 7:
		if info, ok := b.SelectTriedCollision(); ok && !info.Tried {
			r.t.Fatalf("SelectTriedCollision returned untried %v", info.Address.Addr)
		}
	case 8:
		r.now = r.now.Add(time.Duration(r.next()) * time.Duration(r.next()) * time.Second * 7)
	case 9:
		b.SetServices(r.addr(), wire.ServiceFlag(r.next()))
	case 10:
		if r.next() < 16 { // a round trip now and then
			roundTripEqual(r.t, b)
		}
	}
}

// roundTripEqual checks that Snapshot and Restore give a book that
// behaves the same, and continues with the restored book's twin sources.
func roundTripEqual(t testing.TB, b *Book) {
	t.Helper()
	s := b.Snapshot()
	c, err := Restore(s, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatalf("Restore of a Snapshot: %v", err)
	}
	if err := c.CheckInvariants(); err != nil {
		t.Fatalf("restored book: %v", err)
	}
	if fmt.Sprint(c.Snapshot()) != fmt.Sprint(s) {
		t.Fatal("Snapshot of the restored book differs")
	}
}

func TestRandomOperationsKeepInvariants(t *testing.T) {
	pool := opPool(t)
	ops := 0
	for seed := range uint64(3) {
		r := rand.New(rand.NewPCG(seed, 100))
		data := make([]byte, 6000)
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		runner := &opRunner{t: t, b: newTestBook(seed), pool: pool, now: t0, data: data}
		ops += runner.run()
		if runner.b.Len() == 0 || runner.b.Size(0, TableTried) == 0 {
			t.Errorf("seed %d: run ended with %d addresses, %d tried: operations too weak",
				seed, runner.b.Len(), runner.b.Size(0, TableTried))
		}
	}
	t.Logf("%d operations, invariants checked after each", ops)
}

func TestManyAddressesFewSources(t *testing.T) {
	// Bucket pressure: 20,000 addresses from 3 source groups fill at most
	// 3*64 new buckets, so most slots collide.
	b := newTestBook(5)
	r := rand.New(rand.NewPCG(5, 5))
	sources := []Addr{srcA, srcB, MustParseAddr("77.1.2.3:8333")}
	now := t0
	for i := range 20000 {
		a := routableIPv4(r)
		b.Add([]Address{seen(a, now.Add(-time.Duration(r.IntN(40*24))*time.Hour))}, sources[i%3], 0, now)
		if i%7 == 0 {
			b.Good(a, now)
		}
		if i%5 == 0 {
			b.Attempt(a, true, now)
		}
		if i%1000 == 0 {
			mustCheck(t, b)
			b.ResolveCollisions(now)
			now = now.Add(30 * time.Minute)
		}
	}
	mustCheck(t, b)
	if n := b.Size(0, TableNew); n > 3*newBucketsPerSourceGroup*BucketSize {
		t.Errorf("new table holds %d, more than 3 source groups can fill", n)
	}
	roundTripEqual(t, b)
}
