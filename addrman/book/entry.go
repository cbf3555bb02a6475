package book

import (
	"math"
	"time"
)

// Core's quality rules, in seconds.
const (
	// horizon: an address not seen for this long is terrible.
	horizon = 30 * 24 * 3600
	// retries: this many failures with no success ever is terrible.
	retries = 3
	// maxFailures in minFail: this many failures and no success for a week
	// is terrible.
	maxFailures = 10
	minFail     = 7 * 24 * 3600
	// futureSlack: a last-seen time further ahead of now is terrible.
	futureSlack = 10 * 60
	// recentTry: an address tried this recently is never terrible.
	recentTry = 60
	// chanceRecentTry: an address tried this recently is rarely selected.
	chanceRecentTry = 10 * 60
	// maxChanceAttempts caps the attempts that lower the selection chance.
	maxChanceAttempts = 8
)

// entryID indexes Book.entries; emptySlot marks a free table slot.
type entryID = int32

// emptySlot is the table value of a slot that holds no entry.
const emptySlot entryID = -1

// entry is everything the book knows about one address.
type entry struct {
	addr   Address
	source Addr
	// group and srcGroup cache GroupOf(addr) and GroupOf(source).
	group, srcGroup Group

	lastSuccess      int64 // last successful connection, Unix seconds
	lastTry          int64 // last connection attempt, Unix seconds
	lastCountAttempt int64 // last attempt that counted as a failure
	attempts         int32 // failures since the last success

	// newBuckets[:refCount] are the new buckets that hold the entry.
	newBuckets [MaxNewRefs]uint16
	refCount   int8
	inTried    bool
	live       bool
	randomPos  int32 // index in Book.random
}

// isTerrible reports whether e is not worth keeping or handing out, by
// Core's rules.
func isTerrible(e *entry, now int64) bool {
	switch {
	case now-e.lastTry <= recentTry:
		return false // never drop what we tried a minute ago
	case e.addr.Time > now+futureSlack:
		return true // seen in the future
	case now-e.addr.Time > horizon:
		return true // not seen in recent history
	case e.lastSuccess == 0 && e.attempts >= retries:
		return true // tried several times, never succeeded
	case now-e.lastSuccess > minFail && e.attempts >= maxFailures:
		return true // many failures and no success for a week
	}
	return false
}

// chance returns e's relative chance of being selected: 1, divided by 100
// when tried in the last 10 minutes, times 0.66 per failed attempt (at
// most 8).
func chance(e *entry, now int64) float64 {
	c := 1.0
	if now-e.lastTry < chanceRecentTry {
		c *= 0.01
	}
	return c * math.Pow(0.66, float64(min(e.attempts, maxChanceAttempts)))
}

// removeBucket drops bucket from e's new-bucket list.
func (e *entry) removeBucket(bucket int) {
	for i := int8(0); i < e.refCount; i++ {
		if int(e.newBuckets[i]) == bucket {
			e.refCount--
			e.newBuckets[i] = e.newBuckets[e.refCount]
			e.newBuckets[e.refCount] = 0
			return
		}
	}
}

// Info is a copy of what the book knows about one address.
type Info struct {
	// Address is the address with its services and last-seen time.
	Address Address
	// Source is the peer that first told us about the address.
	Source Addr
	// LastSuccess is our last successful connection, Unix seconds (0: never).
	LastSuccess int64
	// LastTry is our last connection attempt, Unix seconds (0: never).
	LastTry int64
	// Attempts counts failed attempts since the last success.
	Attempts int
	// Tried reports whether the address is in the tried table.
	Tried bool
	// NewRefs is how many new buckets hold the address (0 when tried).
	NewRefs int
}

// IsTerrible reports whether the address is not worth keeping or handing
// out at now, by Core's rules: never when tried in the last minute;
// otherwise when last seen more than 10 minutes in the future or more than
// 30 days ago, after 3 failures with no success ever, or after 10 failures
// with no success in the last 7 days.
func (i Info) IsTerrible(now time.Time) bool {
	e := entry{addr: i.Address, lastSuccess: i.LastSuccess, lastTry: i.LastTry, attempts: int32(i.Attempts)}
	return isTerrible(&e, unix(now))
}

// info returns the public view of e.
func (e *entry) info() Info {
	return Info{
		Address:     e.addr,
		Source:      e.source,
		LastSuccess: e.lastSuccess,
		LastTry:     e.lastTry,
		Attempts:    int(e.attempts),
		Tried:       e.inTried,
		NewRefs:     int(e.refCount),
	}
}
