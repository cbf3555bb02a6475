package download

import (
	"slices"
	"time"
)

// fill hands out requestable blocks, lowest height first, one per peer per
// round, until no peer can take more. The blocks go to the peers' pending
// lists, which Step turns into Requests.
func (d *data) fill(now time.Time) {
	n := len(d.peers)
	if n == 0 || d.head == len(d.ents) {
		return
	}
	start := d.rr % n
	for progress := true; progress; {
		progress = false
		for i := range n {
			p := d.peers[(start+i)%n]
			if !d.canTake(p) {
				continue
			}
			if seq, ok := d.findFor(p); ok {
				d.assign(p, seq, now)
				progress = true
			}
		}
	}
}

// canTake reports whether p may be given another block.
func (d *data) canTake(p *peer) bool {
	return !p.doomed && len(p.inflight) < d.cfg.MaxInFlightPerPeer && p.best >= d.windowStart
}

// findFor returns the lowest free entry p may be asked for. While it scans
// over entries that are not free from the hint on, it moves the hint past
// them.
func (d *data) findFor(p *peer) (int64, bool) {
	limit := min(d.windowEnd(), int64(p.best))
	moveHint := true
	for seq := d.hint; seq < d.end(); seq++ {
		e := d.at(seq)
		if int64(e.ref.Height) > limit {
			break
		}
		if e.st != statusFree {
			if moveHint {
				d.hint = seq + 1
			}
			continue
		}
		if slices.Contains(e.noAsk, p.id) {
			moveHint = false
			continue
		}
		return seq, true
	}
	return 0, false
}
