package book

import "time"

// Select's bounds.
const (
	// chanceGrowth multiplies the acceptance factor after every refusal.
	chanceGrowth = 1.2
	// chanceBits is the resolution of the acceptance draw.
	chanceBits = 30
	// maxSelectRounds bounds Select's loop; with consistent tables it ends
	// long before (it is a guard, not a rule).
	maxSelectRounds = 1 << 22
)

// Select picks an address to connect to, Core's way: the tried or the new
// table at even odds (only new with newOnly, or whichever is non-empty),
// then random buckets and a random start slot until it finds an entry,
// accepted with chance factor*chance, where chance is 1, divided by 100
// when tried in the last 10 minutes, times 0.66 per failure (at most 8),
// and factor starts at 1 and grows 1.2 times per refusal. With networks,
// only addresses of those networks count. It reports false when no address
// qualifies.
func (b *Book) Select(newOnly bool, networks []NetworkID, now time.Time) (Info, bool) {
	if len(b.random) == 0 {
		return Info{}, false
	}
	var want [maxNetworkID]bool
	filter := len(networks) > 0
	newCount, triedCount := b.nNew, b.nTried
	if filter {
		newCount, triedCount = 0, 0
		for _, n := range networks {
			if int(n) < maxNetworkID && !want[n] {
				want[n] = true
				newCount += b.perNet[n].newN
				triedCount += b.perNet[n].tried
			}
		}
	}
	if newOnly && newCount == 0 || newCount+triedCount == 0 {
		return Info{}, false
	}
	var searchTried bool
	switch {
	case newOnly || triedCount == 0:
		searchTried = false
	case newCount == 0:
		searchTried = true
	default:
		searchTried = randBool(b.rng)
	}

	nowU := unix(now)
	factor := 1.0
	for range maxSelectRounds {
		var bucket int
		var row *[BucketSize]entryID
		var fill uint8
		if searchTried {
			bucket = int(randBits(b.rng, triedBucketBits))
			row, fill = &b.triedTable[bucket], b.triedFill[bucket]
		} else {
			bucket = int(randBits(b.rng, newBucketBits))
			row, fill = &b.newTable[bucket], b.newFill[bucket]
		}
		start := int(randBits(b.rng, bucketSizeBits))
		if fill == 0 {
			continue
		}
		found := emptySlot
		for i := range BucketSize {
			id := row[(start+i)%BucketSize]
			if id != emptySlot && (!filter || want[b.entries[id].addr.Net]) {
				found = id
				break
			}
		}
		if found == emptySlot {
			continue
		}
		e := &b.entries[found]
		if float64(randBits(b.rng, chanceBits)) < factor*chance(e, nowU)*(1<<chanceBits) {
			return e.info(), true
		}
		factor *= chanceGrowth
	}
	return Info{}, false
}

// GetAddr returns a random sample of the book for a getaddr answer or
// getnodeaddresses: at most maxPct percent of all addresses (0: no limit)
// and at most maxAddresses (0: no limit), of network (0: any), leaving out
// terrible ones. It reshuffles the book's random order as it goes, as Core
// does.
func (b *Book) GetAddr(maxAddresses, maxPct int, network NetworkID, now time.Time) []Address {
	n := len(b.random)
	if maxPct > 0 {
		n = min(maxPct, 100) * n / 100
	}
	if maxAddresses > 0 {
		n = min(n, maxAddresses)
	}
	nowU := unix(now)
	out := make([]Address, 0, n)
	for i := 0; i < len(b.random) && len(out) < n; i++ {
		j := i + int(randRange(b.rng, uint64(len(b.random)-i)))
		b.swapRandom(i, j)
		e := &b.entries[b.random[i]]
		if network != 0 && e.addr.Net != network || isTerrible(e, nowU) {
			continue
		}
		out = append(out, e.addr)
	}
	return out
}
