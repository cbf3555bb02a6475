package book

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestGoodMovesToTried(t *testing.T) {
	b := newTestBook(1)
	a := MustParseAddr("1.2.3.4:8333")
	if b.Good(a, t0) {
		t.Fatal("Good of an unknown address moved something")
	}
	mustAdd(t, b, a, srcA)
	b.Attempt(a, true, t0)
	now := t0.Add(time.Minute)
	if !b.Good(a, now) {
		t.Fatal("Good did not move a new address")
	}
	mustCheck(t, b)
	info, _ := b.Lookup(a)
	if !info.Tried || info.NewRefs != 0 || info.Attempts != 0 || info.LastSuccess != now.Unix() || info.LastTry != now.Unix() {
		t.Fatalf("after Good: %+v", info)
	}
	if info.Address.Time != t0.Unix() {
		t.Error("Good changed the last-seen time (would reveal a current peer)")
	}
	if b.Size(0, TableTried) != 1 || b.Size(0, TableNew) != 0 || b.Size(NetIPv4, TableTried) != 1 {
		t.Error("sizes not updated")
	}
	if b.Good(a, now) {
		t.Error("second Good reported a move")
	}
	// A tried address gains no new references.
	if n := b.Add([]Address{seen(a, now.Add(3*time.Hour))}, srcB, 0, now.Add(3*time.Hour)); n != 0 {
		t.Error("tried address re-entered the new table")
	}
	mustCheck(t, b)
}

// collisionBook returns a book where old is tried and newcomer collided
// with it at t0.
func collisionBook(t *testing.T) (b *Book, old, newcomer Addr) {
	t.Helper()
	b = newTestBook(1)
	old, newcomer = sameTriedSlot(t)
	mustAdd(t, b, old, srcA)
	mustAdd(t, b, newcomer, srcB)
	if !b.Good(old, t0.Add(-5*time.Hour)) {
		t.Fatal("first Good did not move")
	}
	if b.Good(newcomer, t0) {
		t.Fatal("colliding Good evicted without a test")
	}
	if got := b.Collisions(); !slices.Equal(got, []Addr{newcomer}) {
		t.Fatalf("Collisions() = %v, want [%v]", got, newcomer)
	}
	mustCheck(t, b)
	return b, old, newcomer
}

func TestTriedCollisionIsRecordedAndExposed(t *testing.T) {
	b, old, newcomer := collisionBook(t)
	if info, ok := b.SelectTriedCollision(); !ok || info.Address.Addr != old {
		t.Fatalf("SelectTriedCollision = %v, %v; want %v", info.Address.Addr, ok, old)
	}
	if info, _ := b.Lookup(newcomer); info.Tried || info.LastSuccess != t0.Unix() {
		t.Errorf("newcomer after colliding Good: %+v", info)
	}
	b.Good(newcomer, t0.Add(time.Second)) // recorded once only
	if len(b.Collisions()) != 1 {
		t.Errorf("collision recorded twice: %v", b.Collisions())
	}
}

func TestResolveCollisionKeepsRecentlyGoodEntry(t *testing.T) {
	b, old, newcomer := collisionBook(t)
	b.Good(old, t0.Add(time.Minute)) // the feeler reached it
	b.ResolveCollisions(t0.Add(2 * time.Minute))
	mustCheck(t, b)
	if len(b.Collisions()) != 0 {
		t.Fatal("collision not resolved")
	}
	if info, _ := b.Lookup(old); !info.Tried {
		t.Error("reachable old entry evicted")
	}
	if info, _ := b.Lookup(newcomer); info.Tried {
		t.Error("newcomer moved in")
	}
}

func TestResolveCollisionEvictsUnreachableEntry(t *testing.T) {
	b, old, newcomer := collisionBook(t)
	b.Attempt(old, true, t0.Add(time.Minute)) // the feeler failed
	b.ResolveCollisions(t0.Add(90 * time.Second))
	if len(b.Collisions()) != 1 {
		t.Fatal("resolved before the feeler's minute was up")
	}
	b.ResolveCollisions(t0.Add(3 * time.Minute))
	mustCheck(t, b)
	if len(b.Collisions()) != 0 {
		t.Fatal("collision not resolved after the feeler failed")
	}
	if info, _ := b.Lookup(newcomer); !info.Tried {
		t.Error("newcomer not moved in")
	}
	if info, ok := b.Lookup(old); !ok || info.Tried || info.NewRefs != 1 {
		t.Errorf("evicted entry should be back in new: %+v %v", info, ok)
	}
}

func TestResolveCollisionTimesOut(t *testing.T) {
	b, _, newcomer := collisionBook(t)
	b.ResolveCollisions(t0.Add(39 * time.Minute))
	if len(b.Collisions()) != 1 {
		t.Fatal("resolved inside the test window with no feeler result")
	}
	b.ResolveCollisions(t0.Add(41 * time.Minute))
	mustCheck(t, b)
	if info, _ := b.Lookup(newcomer); !info.Tried || len(b.Collisions()) != 0 {
		t.Error("collision not resolved by eviction after 40 minutes")
	}
}

func TestCollisionsAreBounded(t *testing.T) {
	b := newTestBook(1)
	// Fill tried with many addresses, then Good many more new ones; every
	// collision beyond 10 is dropped.
	now := t0
	for i := range 3000 {
		a := ipv4(0x0b000000 + uint32(i)*977)
		if !IsRoutable(a) {
			continue
		}
		b.Add([]Address{seen(a, now)}, srcA, 0, now)
		b.Good(a, now)
	}
	mustCheck(t, b)
	if n := len(b.Collisions()); n != maxCollisions {
		t.Fatalf("%d collisions pending, want exactly %d", n, maxCollisions)
	}
}

func TestResolveCollisionMovesInWhenSlotFreed(t *testing.T) {
	// A restored book may name a collision whose tried slot is empty: the
	// newcomer then moves in at once.
	a := MustParseAddr("1.2.3.4:8333")
	k := testKey()
	g := GroupOf(a)
	src := GroupOf(srcA)
	bucket := newBucket(&k, g, src)
	s := Snapshot{Key: k, LastGood: 1, Records: []Record{{
		Address: seen(a, t0), Source: srcA, LastSuccess: t0.Unix(), NewBuckets: []uint16{uint16(bucket)},
	}}, Collisions: []int{0}}
	b, err := Restore(s, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, b)
	if _, ok := b.SelectTriedCollision(); ok {
		t.Error("SelectTriedCollision named an empty slot's holder")
	}
	b.ResolveCollisions(t0.Add(time.Minute))
	mustCheck(t, b)
	if info, _ := b.Lookup(a); !info.Tried || len(b.Collisions()) != 0 {
		t.Fatalf("collision with an empty slot not resolved: %+v", info)
	}
}
