package book

import "time"

// Collision resolution windows, in seconds.
const (
	// replacement: a tried entry that succeeded or was tried this recently
	// is not evicted by a collision.
	replacement = 4 * 3600
	// feelerGrace: how long a feeler to the old entry may take.
	feelerGrace = 60
	// testWindow: a collision unresolved this long evicts the old entry.
	testWindow = 40 * 60
)

// Good records a successful connection to a at now: the attempts reset and
// the address moves from the new to the tried table. When its tried slot is
// taken by another address the move waits: the collision is recorded (at
// most 10 at a time) for a feeler to test the old address, and
// ResolveCollisions settles it later. Good reports whether a moved now. It
// does not touch a's last-seen time, which would reveal current peers.
func (b *Book) Good(a Addr, now time.Time) bool { return b.good(a, true, unix(now)) }

// good is Good; testBeforeEvict false evicts the slot's holder at once.
func (b *Book) good(a Addr, testBeforeEvict bool, now int64) bool {
	b.lastGood = now
	id, ok := b.byAddr[a]
	if !ok {
		return false
	}
	e := &b.entries[id]
	e.lastSuccess = now
	e.lastTry = now
	e.attempts = 0
	if e.inTried || e.refCount == 0 {
		return false
	}
	bucket, slot := b.triedPos(e)
	if testBeforeEvict && b.triedTable[bucket][slot] != emptySlot {
		if len(b.collisions) < maxCollisions && !containsID(b.collisions, id) {
			b.collisions = append(b.collisions, id)
		}
		return false
	}
	b.makeTried(id)
	return true
}

// makeTried moves a new entry to its tried slot. A previous holder of the
// slot goes back to the new table, into the bucket its own source gives it.
func (b *Book) makeTried(id entryID) {
	e := &b.entries[id]
	for i := int8(0); i < e.refCount; i++ {
		bucket := int(e.newBuckets[i])
		slot := slotOf(&b.key, true, bucket, &e.addr.Addr)
		b.newTable[bucket][slot] = emptySlot
		b.newFill[bucket]--
		e.newBuckets[i] = 0
	}
	e.refCount = 0
	b.nNew--
	b.perNet[e.addr.Net].newN--

	bucket, slot := b.triedPos(e)
	if oldID := b.triedTable[bucket][slot]; oldID != emptySlot {
		old := &b.entries[oldID]
		old.inTried = false
		b.triedTable[bucket][slot] = emptySlot
		b.triedFill[bucket]--
		b.nTried--
		b.perNet[old.addr.Net].tried--

		nb := newBucket(&b.key, old.group, old.srcGroup)
		ns := slotOf(&b.key, true, nb, &old.addr.Addr)
		b.clearNew(nb, ns)
		b.nNew++
		b.perNet[old.addr.Net].newN++
		b.placeNew(oldID, nb, ns)
	}
	b.placeTried(id, bucket, slot)
}

// ResolveCollisions settles the pending tried-table collisions at now. A
// collision whose slot emptied meanwhile moves in. When the old holder
// succeeded within 4 hours the newcomer gives up; when the old holder was
// tried (the feeler) more than a minute but less than 4 hours ago without
// success, or when the collision is older than 40 minutes and the old holder
// was not tried recently, the newcomer evicts it. Others keep waiting.
func (b *Book) ResolveCollisions(now time.Time) {
	nowU := unix(now)
	for _, id := range append([]entryID(nil), b.collisions...) {
		e := &b.entries[id]
		if !e.live || !containsID(b.collisions, id) {
			continue // deleted while resolving an earlier collision
		}
		if e.inTried {
			b.dropCollision(id) // reached tried another way
			continue
		}
		resolved := false
		bucket, slot := b.triedPos(e)
		if oldID := b.triedTable[bucket][slot]; oldID == emptySlot {
			b.good(e.addr.Addr, false, nowU)
			resolved = true
		} else {
			old := &b.entries[oldID]
			switch {
			case nowU-old.lastSuccess < replacement:
				resolved = true
			case nowU-old.lastTry < replacement:
				if nowU-old.lastTry > feelerGrace {
					b.good(e.addr.Addr, false, nowU)
					resolved = true
				}
			case nowU-e.lastSuccess > testWindow:
				b.good(e.addr.Addr, false, nowU)
				resolved = true
			}
		}
		if resolved {
			b.dropCollision(id)
		}
	}
}

// SelectTriedCollision picks a pending collision at random and returns the
// tried address it would evict: the one a feeler should test. It reports
// false when nothing waits.
func (b *Book) SelectTriedCollision() (Info, bool) {
	if len(b.collisions) == 0 {
		return Info{}, false
	}
	id := b.collisions[randRange(b.rng, uint64(len(b.collisions)))]
	bucket, slot := b.triedPos(&b.entries[id])
	oldID := b.triedTable[bucket][slot]
	if oldID == emptySlot {
		return Info{}, false
	}
	return b.entries[oldID].info(), true
}

// dropCollision forgets the collision of id, if any.
func (b *Book) dropCollision(id entryID) {
	for i, c := range b.collisions {
		if c == id {
			b.collisions = append(b.collisions[:i], b.collisions[i+1:]...)
			return
		}
	}
}

// containsID reports whether ids holds id.
func containsID(ids []entryID, id entryID) bool {
	for _, c := range ids {
		if c == id {
			return true
		}
	}
	return false
}
