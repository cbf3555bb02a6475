package download

import (
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// markStall re-evaluates the stall condition after a fill: if a usable
// peer with nothing in flight could use blocks beyond the window's end, the
// owner of the lowest block in flight is stalling the window and its timer
// runs; every other peer's timer is cleared.
func (d *data) markStall(now time.Time) {
	var staller *peer
	if d.starved() {
		wEnd := d.windowEnd()
		for seq := d.first(); seq < d.end(); seq++ {
			e := d.at(seq)
			if int64(e.ref.Height) > wEnd {
				break
			}
			if e.st == statusInFlight {
				staller = d.byID[e.peer]
				break
			}
		}
	}
	for _, p := range d.peers {
		switch {
		case p != staller:
			p.stallingSince = time.Time{}
		case p.stallingSince.IsZero():
			p.stallingSince = now
		}
	}
}

// starved reports whether a peer that is not being dropped has nothing in
// flight although it has blocks beyond the window's end.
func (d *data) starved() bool {
	if d.head == len(d.ents) {
		return false
	}
	wEnd := d.windowEnd()
	for _, p := range d.peers {
		if !p.doomed && len(p.inflight) == 0 && int64(p.best) > wEnd {
			return true
		}
	}
	return false
}

// expire drops the peers whose stall timer or block timeout ran out,
// appending Stalling and TimedOut outputs, and reports whether it dropped
// any.
func (d *data) expire(now time.Time, out *[]Output) bool {
	downloading := 0
	for _, p := range d.peers {
		if !p.doomed && len(p.inflight) > 0 {
			downloading++
		}
	}
	blockTimeout := d.cfg.BlockTimeoutBase + time.Duration(max(downloading-1, 0))*d.cfg.BlockTimeoutPerPeer
	dropped := false
	for _, p := range d.peers {
		if p.doomed {
			continue
		}
		if !p.stallingSince.IsZero() && now.Sub(p.stallingSince) > d.stallTimeout {
			*out = append(*out, Stalling{Peer: p.id, Hash: d.lowestInFlight(p), Timeout: d.stallTimeout})
			d.stallTimeout = min(2*d.stallTimeout, d.cfg.StallTimeoutMax)
			d.doom(p)
			dropped = true
			continue
		}
		if len(p.inflight) > 0 && now.Sub(p.downloadingSince) > blockTimeout {
			*out = append(*out, TimedOut{Peer: p.id, Hash: p.inflight[0]})
			d.doom(p)
			dropped = true
		}
	}
	return dropped
}

// lowestInFlight returns the lowest block in flight from p.
func (d *data) lowestInFlight(p *peer) chainhash.Hash {
	var best chainhash.Hash
	bestHeight := int32(-1)
	for _, h := range p.inflight {
		if _, e, ok := d.lookup(h); ok && (bestHeight < 0 || e.ref.Height < bestHeight) {
			best, bestHeight = h, e.ref.Height
		}
	}
	return best
}

// decayStallTimeout shrinks the stall timeout after a stored block: 85 %,
// in whole seconds, never below the base.
func (d *data) decayStallTimeout() {
	if d.stallTimeout <= d.cfg.StallTimeoutBase {
		return
	}
	next := time.Duration(float64(d.stallTimeout) * stallDecay).Truncate(time.Second)
	d.stallTimeout = max(next, d.cfg.StallTimeoutBase)
}
