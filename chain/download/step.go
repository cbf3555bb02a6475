package download

import (
	"slices"
	"time"
)

// Step feeds one input at time now and returns the state (the same handle,
// updated) and the outputs, disconnections first, then at most one Request
// per peer in PeerID order. Step never blocks, never reads a clock and
// never keeps the input's slices.
func Step(s State, in Input, now time.Time) (State, []Output) {
	d := s.data()
	switch in := in.(type) {
	case PeerUp:
		d.peerUp(in.Peer, in.BestHeight)
	case PeerBest:
		if p, ok := d.byID[in.Peer]; ok {
			p.best = in.Height
		}
	case PeerDown:
		d.peerDown(in.Peer)
	case Need:
		d.setNeed(in.Blocks, now)
	case Received:
		d.received(in, now)
	case Rejected:
		d.rejected(in)
	case NotFound:
		d.notFound(in, now)
	case Stored:
		d.stored(in, now)
	case Tick:
	}

	var out []Output
	d.fill(now)
	d.markStall(now)
	if d.expire(now, &out) {
		d.fill(now)
		d.markStall(now)
	}
	d.rr++
	for _, p := range d.peers {
		if len(p.pending) > 0 {
			out = append(out, Request{Peer: p.id, Blocks: p.pending})
			p.pending = nil
		}
	}
	return State{d: d}, out
}

// peerUp adds a peer or updates its best height.
func (d *data) peerUp(id PeerID, best int32) {
	if p, ok := d.byID[id]; ok {
		p.best = best
		return
	}
	p := &peer{id: id, best: best}
	i, _ := d.peerIndex(id)
	d.peers = slices.Insert(d.peers, i, p)
	d.byID[id] = p
}

// peerDown forgets a peer and returns its blocks to the pool.
func (d *data) peerDown(id PeerID) {
	p, ok := d.byID[id]
	if !ok {
		return
	}
	d.release(p)
	i, _ := d.peerIndex(id)
	d.peers = slices.Delete(d.peers, i, i+1)
	delete(d.byID, id)
}

// received marks a block arrived, freeing the slot of whichever peer it was
// asked of.
func (d *data) received(in Received, now time.Time) {
	_, e, ok := d.lookup(in.Hash)
	if !ok {
		return
	}
	switch e.st {
	case statusInFlight:
		if owner, ok := d.byID[e.peer]; ok {
			d.unassign(owner, in.Hash, now)
		}
		e.st, e.peer = statusReceived, 0
	case statusFree:
		e.st = statusReceived
	}
}

// rejected drops the peer and returns its blocks, the bad one included, to
// the pool.
func (d *data) rejected(in Rejected) {
	if p, ok := d.byID[in.Peer]; ok && !p.doomed {
		d.doom(p)
	}
}

// notFound returns the blocks to the pool and bars the peer from them.
func (d *data) notFound(in NotFound, now time.Time) {
	p := d.byID[in.Peer]
	for _, h := range in.Hashes {
		seq, e, ok := d.lookup(h)
		if !ok || e.st == statusStored {
			continue
		}
		if !slices.Contains(e.noAsk, in.Peer) {
			e.noAsk = append(e.noAsk, in.Peer)
		}
		if e.st == statusInFlight && e.peer == in.Peer {
			if p != nil {
				d.unassign(p, h, now)
			}
			d.markFree(seq)
		}
	}
}

// stored marks a block stored, moves the window and shrinks the stall
// timeout.
func (d *data) stored(in Stored, now time.Time) {
	d.decayStallTimeout()
	_, e, ok := d.lookup(in.Hash)
	if !ok {
		return
	}
	if e.st == statusInFlight {
		if owner, ok := d.byID[e.peer]; ok {
			d.unassign(owner, in.Hash, now)
		}
	}
	e.st, e.peer, e.noAsk = statusStored, 0, nil
	d.popStored()
}
