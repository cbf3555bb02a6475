package book

import (
	"fmt"
	"slices"
)

// Record is the complete persistent state of one address.
type Record struct {
	// Address is the address with its services and last-seen time.
	Address Address
	// Source is the peer that first told us about it (zero when unknown).
	Source Addr
	// LastSuccess, LastTry and LastCountAttempt are Unix seconds (0: never).
	LastSuccess, LastTry, LastCountAttempt int64
	// Attempts counts failures since the last success.
	Attempts int32
	// Tried reports whether the address is in the tried table; its slot
	// follows from the key.
	Tried bool
	// NewBuckets lists, ascending, the new buckets that hold a new address
	// (empty when tried); each slot follows from the key.
	NewBuckets []uint16
}

// Snapshot is the whole persistent state of a Book: restoring it with the
// same Random state gives a book that answers every call the same way.
type Snapshot struct {
	// Key is the secret bucket key.
	Key Key
	// LastGood is the time of the last Good, Unix seconds.
	LastGood int64
	// Records holds every address in the book's random order.
	Records []Record
	// Collisions are indices into Records of the pending tried
	// collisions, in the order they happened.
	Collisions []int
}

// Snapshot returns a copy of the book's persistent state.
func (b *Book) Snapshot() Snapshot {
	s := Snapshot{Key: b.key, LastGood: b.lastGood, Records: make([]Record, len(b.random))}
	total := 0
	for _, id := range b.random {
		total += int(b.entries[id].refCount)
	}
	buckets := make([]uint16, 0, total)
	for i, id := range b.random {
		e := &b.entries[id]
		start := len(buckets)
		buckets = append(buckets, e.newBuckets[:e.refCount]...)
		own := buckets[start:len(buckets):len(buckets)]
		slices.Sort(own)
		if len(own) == 0 {
			own = nil
		}
		s.Records[i] = Record{
			Address:          e.addr,
			Source:           e.source,
			LastSuccess:      e.lastSuccess,
			LastTry:          e.lastTry,
			LastCountAttempt: e.lastCountAttempt,
			Attempts:         e.attempts,
			Tried:            e.inTried,
			NewBuckets:       own,
		}
	}
	for _, id := range b.collisions {
		s.Collisions = append(s.Collisions, int(b.entries[id].randomPos))
	}
	return s
}

// RestoreError says which record of a Snapshot is inconsistent and why.
type RestoreError struct {
	// Record is the index of the offending record, or -1 for the
	// collision list.
	Record int
	// Reason describes the inconsistency.
	Reason string
}

// Error implements error.
func (e *RestoreError) Error() string {
	if e.Record < 0 {
		return "book: restore: collisions: " + e.Reason
	}
	return fmt.Sprintf("book: restore: record %d: %s", e.Record, e.Reason)
}

// Restore rebuilds the book a Snapshot describes, drawing future randomness
// from rng. It refuses, with a *RestoreError, any snapshot no Book could
// have produced: malformed or repeated addresses, negative attempts, bucket
// numbers out of range or repeated, more than 8 new references, an entry in
// neither or both tables, two entries claiming one slot, bad collisions.
func Restore(s Snapshot, rng Random) (*Book, error) {
	b := New(s.Key, rng)
	b.lastGood = s.LastGood
	b.entries = make([]entry, len(s.Records))
	b.random = make([]entryID, len(s.Records))
	b.byAddr = make(map[Addr]entryID, len(s.Records))
	for i := range s.Records {
		if err := b.restoreOne(i, &s.Records[i]); err != nil {
			return nil, &RestoreError{Record: i, Reason: err.Error()}
		}
	}
	if len(s.Collisions) > maxCollisions {
		return nil, &RestoreError{Record: -1, Reason: fmt.Sprintf("%d pending, at most %d", len(s.Collisions), maxCollisions)}
	}
	for _, c := range s.Collisions {
		if c < 0 || c >= len(s.Records) || containsID(b.collisions, entryID(c)) {
			return nil, &RestoreError{Record: -1, Reason: fmt.Sprintf("bad or repeated record index %d", c)}
		}
		b.collisions = append(b.collisions, entryID(c))
	}
	return b, nil
}

// restoreOne places record r as entry i.
func (b *Book) restoreOne(i int, r *Record) error {
	a := r.Address.Addr
	if err := a.check(); err != nil {
		return err
	}
	if r.Source != (Addr{}) {
		if err := r.Source.check(); err != nil {
			return fmt.Errorf("source: %w", err)
		}
	}
	if _, dup := b.byAddr[a]; dup {
		return fmt.Errorf("%v appears twice", a)
	}
	if r.Attempts < 0 {
		return fmt.Errorf("negative attempts %d", r.Attempts)
	}
	id := entryID(i)
	b.entries[id] = entry{
		addr:             r.Address,
		source:           r.Source,
		group:            GroupOf(a),
		srcGroup:         GroupOf(r.Source),
		lastSuccess:      r.LastSuccess,
		lastTry:          r.LastTry,
		lastCountAttempt: r.LastCountAttempt,
		attempts:         r.Attempts,
		live:             true,
		randomPos:        int32(i),
	}
	b.byAddr[a] = id
	b.random[i] = id
	e := &b.entries[id]
	if r.Tried {
		if len(r.NewBuckets) != 0 {
			return fmt.Errorf("tried %v also lists %d new buckets", a, len(r.NewBuckets))
		}
		bucket, slot := b.triedPos(e)
		if other := b.triedTable[bucket][slot]; other != emptySlot {
			return fmt.Errorf("tried slot %d/%d of %v already holds record %d", bucket, slot, a, other)
		}
		b.placeTried(id, bucket, slot)
		return nil
	}
	if len(r.NewBuckets) == 0 || len(r.NewBuckets) > MaxNewRefs {
		return fmt.Errorf("new %v lists %d buckets, want 1 to %d", a, len(r.NewBuckets), MaxNewRefs)
	}
	b.nNew++
	b.perNet[a.Net].newN++
	for _, nb := range r.NewBuckets {
		bucket := int(nb)
		if bucket >= NewBucketCount || e.hasBucket(bucket) {
			return fmt.Errorf("new bucket %d out of range or repeated", bucket)
		}
		slot := slotOf(&b.key, true, bucket, &a)
		if other := b.newTable[bucket][slot]; other != emptySlot {
			return fmt.Errorf("new slot %d/%d of %v already holds record %d", bucket, slot, a, other)
		}
		b.placeNew(id, bucket, slot)
	}
	return nil
}
