package download

import (
	"encoding/binary"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// setNeed replaces the need with blocks: in one pass when it is the old
// one shifted, else by rebuilding it.
func (d *data) setNeed(blocks []BlockRef, now time.Time) {
	blocks = d.sanitize(blocks)
	if !d.shift(blocks, now) {
		d.rebuild(blocks, now)
	}
}

// sanitize drops entries whose height is not above the previous entry's
// and keeps at most Window entries. It copies only when it must drop
// something in the middle.
func (d *data) sanitize(blocks []BlockRef) []BlockRef {
	blocks = blocks[:min(len(blocks), d.cfg.Window)]
	for i := 1; i < len(blocks); i++ {
		if blocks[i].Height > blocks[i-1].Height {
			continue
		}
		kept := append([]BlockRef(nil), blocks[:i]...)
		for _, b := range blocks[i:] {
			if b.Height > kept[len(kept)-1].Height {
				kept = append(kept, b)
			}
		}
		return kept
	}
	return blocks
}

// shift applies blocks if they are the live entries from some seq on, with
// stored entries possibly left out and new blocks appended; otherwise it
// changes nothing and reports false.
func (d *data) shift(blocks []BlockRef, now time.Time) bool {
	if len(blocks) == 0 {
		return false
	}
	s0, ok := d.idx[blocks[0].Hash]
	if !ok {
		return false
	}
	// Check, changing nothing.
	p, k := s0, 0
	revived := false
	for k < len(blocks) && p < d.end() {
		e := d.at(p)
		switch {
		case e.ref.Height == blocks[k].Height && sameHash(&e.ref.Hash, &blocks[k].Hash):
			revived = revived || e.st == statusStored
			p++
			k++
		case e.st == statusStored:
			p++
		default:
			return false
		}
	}
	if k < len(blocks) && blocks[k].Height <= d.at(d.end()-1).ref.Height {
		return false
	}
	for _, b := range blocks[k:] {
		if _, dup := d.idx[b.Hash]; dup {
			return false
		}
	}
	// Apply: forget what precedes s0 and what follows the last match,
	// unless that is only stored entries (which still tell where the
	// window starts once everything before them is stored).
	stop := p
	for stop < d.end() && d.at(stop).st == statusStored {
		stop++
	}
	if stop < d.end() {
		stop = p
	}
	for seq := d.first(); seq < s0; seq++ {
		d.forget(seq, now)
	}
	for seq := stop; seq < d.end(); seq++ {
		d.forget(seq, now)
	}
	clear(d.ents[stop-d.base:])
	d.ents = d.ents[:stop-d.base]
	d.head = int(s0 - d.base)
	if revived {
		// Matched stored entries are needed again.
		for p, j := s0, 0; j < k && p < stop; p++ {
			if e := d.at(p); e.ref.Hash == blocks[j].Hash {
				if e.st == statusStored {
					d.markFree(p)
				}
				j++
			}
		}
	}
	d.hint = min(d.hint, d.end())
	for _, b := range blocks[k:] {
		d.idx[b.Hash] = d.end()
		d.ents = append(d.ents, entry{ref: b})
	}
	d.popStored()
	return true
}

// forget drops entry seq from the need: its slot, if in flight, is freed.
func (d *data) forget(seq int64, now time.Time) {
	e := d.at(seq)
	if e.st == statusInFlight {
		if owner, ok := d.byID[e.peer]; ok {
			d.unassign(owner, e.ref.Hash, now)
		}
	}
	delete(d.idx, e.ref.Hash)
	*e = entry{}
}

// rebuild replaces the need with blocks, carrying over what is known of
// blocks in both.
func (d *data) rebuild(blocks []BlockRef, now time.Time) {
	ents := make([]entry, 0, len(blocks))
	idx := make(map[chainhash.Hash]int64, len(blocks))
	for _, b := range blocks {
		if _, dup := idx[b.Hash]; dup {
			continue
		}
		e := entry{ref: b}
		if _, old, ok := d.lookup(b.Hash); ok && old.st != statusStored {
			e.st, e.peer, e.noAsk = old.st, old.peer, old.noAsk
		}
		idx[b.Hash] = int64(len(ents))
		ents = append(ents, e)
	}
	for seq := d.first(); seq < d.end(); seq++ {
		if e := d.at(seq); e.st == statusInFlight {
			if _, kept := idx[e.ref.Hash]; !kept {
				d.forget(seq, now)
			}
		}
	}
	d.ents, d.idx, d.base, d.head, d.hint = ents, idx, 0, 0, 0
	d.popStored()
}

// sameHash compares two hashes eight bytes at a time, which is several
// times faster than the generic comparison the one-pass Need does a
// thousand times per call.
func sameHash(a, b *chainhash.Hash) bool {
	le := binary.LittleEndian
	return le.Uint64(a[24:]) == le.Uint64(b[24:]) &&
		le.Uint64(a[0:]) == le.Uint64(b[0:]) &&
		le.Uint64(a[8:]) == le.Uint64(b[8:]) &&
		le.Uint64(a[16:]) == le.Uint64(b[16:])
}
