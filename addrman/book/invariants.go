package book

import "fmt"

// CheckInvariants verifies the book's internal consistency and returns the
// first violation found: every tried entry sits in exactly one tried slot,
// the one its hash gives; no address is in two tried slots; every new
// entry's reference count equals the new slots that point to it, each at its
// hashed position; lookup map, random order, fill and per-network counts
// agree with the tables; collisions are unique, live and at most 10. It
// walks everything, so tests call it; production code need not.
func (b *Book) CheckInvariants() error {
	live := 0
	for id := range b.entries {
		if b.entries[id].live {
			live++
		}
	}
	if live+len(b.free) != len(b.entries) {
		return fmt.Errorf("%d live + %d free entries != %d", live, len(b.free), len(b.entries))
	}
	for _, id := range b.free {
		if b.entries[id].live {
			return fmt.Errorf("free entry %d is live", id)
		}
	}
	if len(b.byAddr) != live || len(b.random) != live {
		return fmt.Errorf("%d live entries, %d in lookup, %d in random order", live, len(b.byAddr), len(b.random))
	}
	for a, id := range b.byAddr {
		if !b.entries[id].live || b.entries[id].addr.Addr != a {
			return fmt.Errorf("lookup of %v points to entry %d holding %v", a, id, b.entries[id].addr.Addr)
		}
	}
	for i, id := range b.random {
		if !b.entries[id].live || int(b.entries[id].randomPos) != i {
			return fmt.Errorf("random position %d holds entry %d with position %d", i, id, b.entries[id].randomPos)
		}
	}

	newRefs := make([]int, len(b.entries))
	triedRefs := make([]int, len(b.entries))
	for bucket := range b.newTable {
		fill := 0
		for slot, id := range &b.newTable[bucket] {
			if id == emptySlot {
				continue
			}
			fill++
			e := &b.entries[id]
			if !e.live || e.inTried {
				return fmt.Errorf("new slot %d/%d holds entry %d (live %v, tried %v)", bucket, slot, id, e.live, e.inTried)
			}
			if want := slotOf(&b.key, true, bucket, &e.addr.Addr); want != slot {
				return fmt.Errorf("%v sits in new slot %d/%d, its slot there is %d", e.addr.Addr, bucket, slot, want)
			}
			if !e.hasBucket(bucket) {
				return fmt.Errorf("%v sits in new bucket %d it does not list", e.addr.Addr, bucket)
			}
			newRefs[id]++
		}
		if fill != int(b.newFill[bucket]) {
			return fmt.Errorf("new bucket %d holds %d entries, fill says %d", bucket, fill, b.newFill[bucket])
		}
	}
	for bucket := range b.triedTable {
		fill := 0
		for slot, id := range &b.triedTable[bucket] {
			if id == emptySlot {
				continue
			}
			fill++
			e := &b.entries[id]
			if !e.live || !e.inTried {
				return fmt.Errorf("tried slot %d/%d holds entry %d (live %v, tried %v)", bucket, slot, id, e.live, e.inTried)
			}
			if wb, ws := b.triedPos(e); wb != bucket || ws != slot {
				return fmt.Errorf("%v sits in tried slot %d/%d, its slot is %d/%d", e.addr.Addr, bucket, slot, wb, ws)
			}
			triedRefs[id]++
		}
		if fill != int(b.triedFill[bucket]) {
			return fmt.Errorf("tried bucket %d holds %d entries, fill says %d", bucket, fill, b.triedFill[bucket])
		}
	}

	var perNet [maxNetworkID]netCounts
	nNew, nTried := 0, 0
	for id := range b.entries {
		e := &b.entries[id]
		if !e.live {
			continue
		}
		if e.group != GroupOf(e.addr.Addr) || e.srcGroup != GroupOf(e.source) {
			return fmt.Errorf("%v has stale cached groups", e.addr.Addr)
		}
		if e.inTried {
			if triedRefs[id] != 1 || e.refCount != 0 {
				return fmt.Errorf("tried %v in %d tried slots with %d new references", e.addr.Addr, triedRefs[id], e.refCount)
			}
			nTried++
			perNet[e.addr.Net].tried++
			continue
		}
		if e.refCount < 1 || e.refCount > MaxNewRefs || newRefs[id] != int(e.refCount) {
			return fmt.Errorf("new %v has reference count %d but %d new slots", e.addr.Addr, e.refCount, newRefs[id])
		}
		nNew++
		perNet[e.addr.Net].newN++
	}
	if nNew != b.nNew || nTried != b.nTried || perNet != b.perNet {
		return fmt.Errorf("counts new %d tried %d per network %v, recorded new %d tried %d per network %v",
			nNew, nTried, perNet, b.nNew, b.nTried, b.perNet)
	}

	if len(b.collisions) > maxCollisions {
		return fmt.Errorf("%d collisions pending, at most %d allowed", len(b.collisions), maxCollisions)
	}
	for i, id := range b.collisions {
		if !b.entries[id].live || containsID(b.collisions[:i], id) {
			return fmt.Errorf("collision %d (entry %d) is dead or repeated", i, id)
		}
	}
	return nil
}

// hasBucket reports whether bucket is among e's new buckets.
func (e *entry) hasBucket(bucket int) bool {
	for _, nb := range e.newBuckets[:e.refCount] {
		if int(nb) == bucket {
			return true
		}
	}
	return false
}
