package book

import "time"

// Intervals of Add's last-seen refresh, in seconds.
const (
	onlineWindow         = 24 * 3600 // an address seen this recently is online
	onlineUpdateInterval = 3600      // refresh an online address hourly
	idleUpdateInterval   = 24 * 3600 // and an idle one daily
)

// Add records addrs, all learned from source, in the new table and returns
// how many took a new slot. Each address's last-seen time is set back by
// timePenalty (not for a source announcing itself), so relayed addresses
// look older than first-hand ones.
//
// Core's rules apply: unroutable addresses are ignored; a known address has
// its services merged and its last-seen time refreshed when the announced
// one is newer by more than an hour (a day when it is not online); it gains
// another new-bucket reference only with new information, when not tried,
// below 8 references and with chance 1/2^refs. A slot held by another entry
// is taken over only when that entry is terrible, or when it has several
// references and the newcomer none. Sanitising times that are zero or in
// the future is the caller's job, as it is net_processing's in Core. A
// malformed source counts as unknown (the zero Addr).
func (b *Book) Add(addrs []Address, source Addr, timePenalty time.Duration, now time.Time) int {
	penalty := int64(timePenalty / time.Second)
	nowU := unix(now)
	if !source.Valid() {
		source = Addr{} // unknown source
	}
	added := 0
	for i := range addrs {
		if b.addOne(addrs[i], source, penalty, nowU) {
			added++
		}
	}
	return added
}

// addOne is Add for one address.
func (b *Book) addOne(a Address, source Addr, penalty, now int64) bool {
	if !IsRoutable(a.Addr) {
		return false
	}
	if a.Net == source.Net && a.Host == source.Host {
		penalty = 0 // a source's self-announcement
	}
	id, known := b.byAddr[a.Addr]
	if known {
		e := &b.entries[id]
		interval := int64(idleUpdateInterval)
		if now-a.Time < onlineWindow {
			interval = onlineUpdateInterval
		}
		if e.addr.Time < a.Time-interval-penalty {
			e.addr.Time = max(0, a.Time-penalty)
		}
		e.addr.Services |= a.Services
		switch {
		case a.Time <= e.addr.Time, e.inTried, e.refCount >= MaxNewRefs:
			return false
		case e.refCount > 0 && randRange(b.rng, 1<<uint(e.refCount)) != 0:
			return false
		}
	} else {
		id = b.create(a, source)
		e := &b.entries[id]
		e.addr.Time = max(0, e.addr.Time-penalty)
	}

	e := &b.entries[id]
	bucket := newBucket(&b.key, e.group, GroupOf(source))
	slot := slotOf(&b.key, true, bucket, &e.addr.Addr)
	cur := b.newTable[bucket][slot]
	if cur == id {
		return false
	}
	insert := cur == emptySlot
	if !insert {
		old := &b.entries[cur]
		insert = isTerrible(old, now) || (old.refCount > 1 && e.refCount == 0)
	}
	if !insert {
		if e.refCount == 0 {
			b.delete(id)
		}
		return false
	}
	b.clearNew(bucket, slot)
	b.placeNew(id, bucket, slot)
	return true
}
