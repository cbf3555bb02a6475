package book

import (
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// connectedInterval is how stale a last-seen time must be before Connected
// refreshes it, in seconds.
const connectedInterval = 20 * 60

// Attempt records a connection attempt to a at now. With countFailure the
// attempt counts as a failure, but only once per successful connection to
// anyone (Good) since the last counted one, so that being offline does not
// ruin every address.
func (b *Book) Attempt(a Addr, countFailure bool, now time.Time) {
	id, ok := b.byAddr[a]
	if !ok {
		return
	}
	e := &b.entries[id]
	nowU := unix(now)
	e.lastTry = nowU
	if countFailure && e.lastCountAttempt < b.lastGood {
		e.lastCountAttempt = nowU
		e.attempts++
	}
}

// Connected records that we were connected to a until now, refreshing its
// last-seen time when that is more than 20 minutes old. The caller calls it
// when a connection ends, never while it lasts and never for block-relay-
// only peers: the last-seen times we hand out must not reveal who our peers
// are right now.
func (b *Book) Connected(a Addr, now time.Time) {
	id, ok := b.byAddr[a]
	if !ok {
		return
	}
	e := &b.entries[id]
	if nowU := unix(now); nowU-e.addr.Time > connectedInterval {
		e.addr.Time = nowU
	}
}

// SetServices replaces the services recorded for a with the ones its
// version message announced.
func (b *Book) SetServices(a Addr, services wire.ServiceFlag) {
	id, ok := b.byAddr[a]
	if !ok {
		return
	}
	b.entries[id].addr.Services = services
}
