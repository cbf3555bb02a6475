package book

import "time"

// Table names one of the book's tables, or both.
type Table uint8

// The tables.
const (
	// TableAll counts both tables.
	TableAll Table = iota
	// TableNew is the table of addresses we heard of but never reached.
	TableNew
	// TableTried is the table of addresses we connected to at least once.
	TableTried
)

// maxCollisions is how many tried-table collisions wait for a feeler.
const maxCollisions = 10

// netCounts are the sizes of both tables for one network.
type netCounts struct{ newN, tried int }

// Book is Core's address manager state: every known address, the new and
// tried tables, and the pending tried-table collisions. Its zero value is
// not usable; call New or Restore.
type Book struct {
	key Key
	rng Random

	entries []entry // by entryID; dead entries are on free
	free    []entryID
	byAddr  map[Addr]entryID
	random  []entryID // every live entry, in the order GetAddr shuffles

	newTable   [NewBucketCount][BucketSize]entryID
	triedTable [TriedBucketCount][BucketSize]entryID
	newFill    [NewBucketCount]uint8
	triedFill  [TriedBucketCount]uint8

	nNew, nTried int
	perNet       [maxNetworkID]netCounts

	collisions []entryID // insertion order, unique, at most maxCollisions
	lastGood   int64     // time of the last Good, Unix seconds
}

// New returns an empty book with secret key and randomness rng.
func New(key Key, rng Random) *Book {
	b := &Book{key: key, rng: rng, byAddr: make(map[Addr]entryID), lastGood: 1}
	for i := range b.newTable {
		for j := range b.newTable[i] {
			b.newTable[i][j] = emptySlot
		}
	}
	for i := range b.triedTable {
		for j := range b.triedTable[i] {
			b.triedTable[i][j] = emptySlot
		}
	}
	return b
}

// Key returns the book's secret bucket key.
func (b *Book) Key() Key { return b.key }

// Len returns how many addresses the book holds.
func (b *Book) Len() int { return len(b.random) }

// Size returns how many addresses of network net (0: every network) the
// book holds in table t.
func (b *Book) Size(net NetworkID, t Table) int {
	n, tr := b.nNew, b.nTried
	if net != 0 {
		if int(net) >= maxNetworkID {
			return 0
		}
		n, tr = b.perNet[net].newN, b.perNet[net].tried
	}
	switch t {
	case TableNew:
		return n
	case TableTried:
		return tr
	}
	return n + tr
}

// Lookup returns what the book knows about a.
func (b *Book) Lookup(a Addr) (Info, bool) {
	id, ok := b.byAddr[a]
	if !ok {
		return Info{}, false
	}
	return b.entries[id].info(), true
}

// Collisions returns the new addresses waiting to enter the tried table, in
// the order they collided.
func (b *Book) Collisions() []Addr {
	out := make([]Addr, len(b.collisions))
	for i, id := range b.collisions {
		out[i] = b.entries[id].addr.Addr
	}
	return out
}

// create adds an entry for a, learned from source, to no table yet; it
// counts as new until it is placed or deleted.
func (b *Book) create(a Address, source Addr) entryID {
	var id entryID
	if n := len(b.free); n > 0 {
		id = b.free[n-1]
		b.free = b.free[:n-1]
	} else {
		id = entryID(len(b.entries))
		b.entries = append(b.entries, entry{})
	}
	b.entries[id] = entry{
		addr:      a,
		source:    source,
		group:     GroupOf(a.Addr),
		srcGroup:  GroupOf(source),
		live:      true,
		randomPos: int32(len(b.random)),
	}
	b.byAddr[a.Addr] = id
	b.random = append(b.random, id)
	b.nNew++
	b.perNet[a.Net].newN++
	return id
}

// delete removes a new entry that no bucket references any more.
func (b *Book) delete(id entryID) {
	e := &b.entries[id]
	last := len(b.random) - 1
	b.swapRandom(int(e.randomPos), last)
	b.random = b.random[:last]
	delete(b.byAddr, e.addr.Addr)
	b.nNew--
	b.perNet[e.addr.Net].newN--
	b.dropCollision(id)
	*e = entry{}
	b.free = append(b.free, id)
}

// swapRandom swaps positions i and j of the random order.
func (b *Book) swapRandom(i, j int) {
	if i == j {
		return
	}
	a, c := b.random[i], b.random[j]
	b.entries[a].randomPos = int32(j)
	b.entries[c].randomPos = int32(i)
	b.random[i], b.random[j] = c, a
}

// clearNew empties a new-table slot, deleting its entry when that was its
// last reference.
func (b *Book) clearNew(bucket, slot int) {
	id := b.newTable[bucket][slot]
	if id == emptySlot {
		return
	}
	e := &b.entries[id]
	e.removeBucket(bucket)
	b.newTable[bucket][slot] = emptySlot
	b.newFill[bucket]--
	if e.refCount == 0 {
		b.delete(id)
	}
}

// placeNew puts id into a free new-table slot.
func (b *Book) placeNew(id entryID, bucket, slot int) {
	e := &b.entries[id]
	e.newBuckets[e.refCount] = uint16(bucket)
	e.refCount++
	b.newTable[bucket][slot] = id
	b.newFill[bucket]++
}

// placeTried puts id into a free tried-table slot.
func (b *Book) placeTried(id entryID, bucket, slot int) {
	e := &b.entries[id]
	e.inTried = true
	b.triedTable[bucket][slot] = id
	b.triedFill[bucket]++
	b.nTried++
	b.perNet[e.addr.Net].tried++
}

// triedPos returns the tried bucket and slot of e.
func (b *Book) triedPos(e *entry) (int, int) {
	bucket := triedBucket(&b.key, &e.addr.Addr, e.group)
	return bucket, slotOf(&b.key, false, bucket, &e.addr.Addr)
}

// unix returns t in Unix seconds.
func unix(t time.Time) int64 { return t.Unix() }
