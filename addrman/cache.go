package addrman

import (
	"time"

	"github.com/actornode/actornode/addrman/book"
)

// Core's bounds of one getaddr answer.
const (
	// maxAddrToSend is the most addresses one answer carries.
	maxAddrToSend = 1000
	// maxPctAddrToSend is the largest share of the book one answer holds.
	maxPctAddrToSend = 23
)

// cachedAnswer is the getaddr answer given to every peer that connected
// over one network until it expires.
type cachedAnswer struct {
	addrs   []book.Address
	expires time.Time
}

// addrCache keeps one getaddr answer per requestor network, as Core does,
// so that repeated getaddr requests from one network learn nothing more
// than the first did and cannot be used to map the whole book or to spot
// which addresses changed recently.
type addrCache struct {
	byNet map[book.NetworkID]*cachedAnswer
}

// newAddrCache returns an empty cache.
func newAddrCache() *addrCache { return &addrCache{byNet: make(map[book.NetworkID]*cachedAnswer)} }

// answer returns the cached answer for network, drawing a new one from b
// (at most 23% of the book, at most 1000, any network, no terrible
// entries) when there is none or it expired. A new answer lives lifetime
// plus a random duration below jitter.
func (c *addrCache) answer(network book.NetworkID, b *book.Book, now time.Time, lifetime, jitter time.Duration, rng book.Random) []book.Address {
	if !network.Valid() {
		network = 0 // one shared answer for anything unexpected
	}
	e, ok := c.byNet[network]
	if !ok || !now.Before(e.expires) {
		e = &cachedAnswer{
			addrs:   b.GetAddr(maxAddrToSend, maxPctAddrToSend, 0, now),
			expires: now.Add(lifetime + randDuration(rng, jitter)),
		}
		c.byNet[network] = e
	}
	return e.addrs
}
