package download

import (
	"slices"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// State is the scheduler's state. It is a handle to mutable data (see the
// package documentation): Step updates it in place and returns it, Clone
// copies it. The zero State behaves as New(Config{}).
type State struct {
	d *data
}

// status is where one needed block stands.
type status uint8

const (
	// statusFree: requestable (from peers that may be asked for it).
	statusFree status = iota
	// statusInFlight: requested from entry.peer, not answered yet.
	statusInFlight
	// statusReceived: arrived, waiting to be stored; holds the window.
	statusReceived
	// statusStored: stored; a tombstone until the window start passes it.
	statusStored
)

// entry is one block of the need.
type entry struct {
	ref   BlockRef
	st    status
	peer  PeerID   // the owner while statusInFlight
	noAsk []PeerID // peers that answered notfound for it
}

// peer is one peer's download state.
type peer struct {
	id     PeerID
	best   int32
	doomed bool // being dropped: no requests, nothing in flight
	// inflight holds the blocks in flight from the peer, in request order.
	inflight []chainhash.Hash
	// downloadingSince is when its oldest block in flight started to be
	// waited for (Core's m_downloading_since).
	downloadingSince time.Time
	// stallingSince is when it was first seen stalling the window; zero
	// when it is not (Core's m_stalling_since).
	stallingSince time.Time
	// pending collects the blocks requested in the current Step.
	pending []BlockRef
}

// data is what State refers to. Entries live in ents[head:], in height
// order; an entry's sequence number (seq) is base plus its index in ents
// and never changes while it lives, so idx maps hashes to seqs.
type data struct {
	cfg Config

	ents []entry
	head int
	base int64
	idx  map[chainhash.Hash]int64
	// hint: every entry with a seq below it is not free.
	hint int64
	// windowStart is the height of the first block not stored.
	windowStart int32

	peers    []*peer // by ascending id
	byID     map[PeerID]*peer
	inFlight int
	rr       int // rotates which peer is served first in a fill

	stallTimeout time.Duration
}

// New returns an empty scheduler: no peers, nothing needed.
func New(cfg Config) State {
	cfg = cfg.withDefaults()
	return State{d: &data{
		cfg:          cfg,
		idx:          make(map[chainhash.Hash]int64),
		byID:         make(map[PeerID]*peer),
		stallTimeout: cfg.StallTimeoutBase,
	}}
}

// Clone returns an independent copy of s.
func (s State) Clone() State {
	if s.d == nil {
		return State{}
	}
	d := *s.d
	d.ents = make([]entry, len(s.d.ents))
	for i, e := range s.d.ents {
		e.noAsk = slices.Clone(e.noAsk)
		d.ents[i] = e
	}
	d.idx = make(map[chainhash.Hash]int64, len(s.d.idx))
	for h, seq := range s.d.idx {
		d.idx[h] = seq
	}
	d.peers = make([]*peer, len(s.d.peers))
	d.byID = make(map[PeerID]*peer, len(s.d.peers))
	for i, p := range s.d.peers {
		c := *p
		c.inflight = slices.Clone(p.inflight)
		c.pending = slices.Clone(p.pending)
		d.peers[i] = &c
		d.byID[c.id] = &c
	}
	return State{d: &d}
}

// data returns the state's data, creating a default one for a zero State.
func (s State) data() *data {
	if s.d == nil {
		return New(Config{}).d
	}
	return s.d
}

// first is the seq of the window start entry; end is one past the last.
func (d *data) first() int64 { return d.base + int64(d.head) }
func (d *data) end() int64   { return d.base + int64(len(d.ents)) }

// at returns the entry with sequence number seq.
func (d *data) at(seq int64) *entry { return &d.ents[seq-d.base] }

// lookup returns the live entry for h.
func (d *data) lookup(h chainhash.Hash) (int64, *entry, bool) {
	seq, ok := d.idx[h]
	if !ok {
		return 0, nil, false
	}
	return seq, d.at(seq), true
}

// windowEnd is the highest height that may be requested.
func (d *data) windowEnd() int64 {
	return int64(d.windowStart) + int64(d.cfg.Window) - 1
}

// markFree returns the entry seq to the pool.
func (d *data) markFree(seq int64) {
	e := d.at(seq)
	e.st = statusFree
	e.peer = 0
	d.hint = min(d.hint, seq)
}

// popStored moves the window start past stored entries and compacts the
// entry slice when half of it is dead.
func (d *data) popStored() {
	for d.head < len(d.ents) && d.ents[d.head].st == statusStored {
		e := &d.ents[d.head]
		delete(d.idx, e.ref.Hash)
		d.windowStart = e.ref.Height + 1
		*e = entry{}
		d.head++
	}
	if d.head < len(d.ents) {
		d.windowStart = d.ents[d.head].ref.Height
	}
	if d.head >= 64 && d.head >= len(d.ents)/2 {
		n := copy(d.ents, d.ents[d.head:])
		clear(d.ents[n:])
		d.ents = d.ents[:n]
		d.base += int64(d.head)
		d.head = 0
	}
	d.hint = max(d.hint, d.first())
}

// peerIndex returns where id is or would be in d.peers.
func (d *data) peerIndex(id PeerID) (int, bool) {
	return slices.BinarySearchFunc(d.peers, id, func(p *peer, id PeerID) int {
		switch {
		case p.id < id:
			return -1
		case p.id > id:
			return 1
		}
		return 0
	})
}

// assign puts entry seq in flight from p.
func (d *data) assign(p *peer, seq int64, now time.Time) {
	e := d.at(seq)
	e.st = statusInFlight
	e.peer = p.id
	if len(p.inflight) == 0 {
		p.downloadingSince = now
	}
	p.inflight = append(p.inflight, e.ref.Hash)
	p.pending = append(p.pending, e.ref)
	d.inFlight++
}

// unassign removes h from p's queue: the wait for its oldest block restarts
// when that one goes, and its stall timer is cleared. The entry's status is
// the caller's business.
func (d *data) unassign(p *peer, h chainhash.Hash, now time.Time) {
	i := slices.Index(p.inflight, h)
	if i < 0 {
		return
	}
	p.inflight = slices.Delete(p.inflight, i, i+1)
	if i == 0 && now.After(p.downloadingSince) {
		p.downloadingSince = now
	}
	p.stallingSince = time.Time{}
	d.inFlight--
}

// release returns every block in flight from p to the pool.
func (d *data) release(p *peer) {
	for _, h := range p.inflight {
		if seq, _, ok := d.lookup(h); ok {
			d.markFree(seq)
		}
	}
	d.inFlight -= len(p.inflight)
	p.inflight = p.inflight[:0]
	p.stallingSince = time.Time{}
}

// doom stops using p: its blocks return to the pool and requests of the
// current Step not handed out yet are dropped.
func (d *data) doom(p *peer) {
	d.release(p)
	p.doomed = true
	p.pending = nil
}
