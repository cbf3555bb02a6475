package download

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// This file is a small scenario language for the scheduler: a test feeds
// inputs at a manual time and takes the outputs in order; every output
// must be expected before the next input, so nothing goes unnoticed.

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// hashOf is the hash of the block at height on fork (0 is the main chain).
func hashOf(height int32, fork byte) chainhash.Hash {
	var h chainhash.Hash
	binary.LittleEndian.PutUint32(h[:], uint32(height))
	h[4] = fork
	h[31] = 0xb1
	return h
}

// refs returns the blocks from..to (inclusive) of fork.
func refs(from, to int32, fork byte) []BlockRef {
	var out []BlockRef
	for h := from; h <= to; h++ {
		out = append(out, BlockRef{Hash: hashOf(h, fork), Height: h})
	}
	return out
}

// heightsOf returns the heights of blocks.
func heightsOf(blocks []BlockRef) []int32 {
	out := make([]int32, len(blocks))
	for i, b := range blocks {
		out[i] = b.Height
	}
	return out
}

// span returns from..to inclusive.
func span(from, to int32) []int32 {
	var out []int32
	for h := from; h <= to; h++ {
		out = append(out, h)
	}
	return out
}

// scenario is a running conversation with the scheduler.
type scenario struct {
	t       *testing.T
	s       State
	now     time.Time
	pending []Output
}

func newScenario(t *testing.T, cfg Config) *scenario {
	t.Helper()
	sc := &scenario{t: t, s: New(cfg), now: t0}
	t.Cleanup(func() {
		if len(sc.pending) > 0 && !t.Failed() {
			t.Errorf("unexpected outputs left at the end: %s", describe(sc.pending))
		}
	})
	return sc
}

// feed steps the scheduler; the previous outputs must all have been taken.
func (sc *scenario) feed(in Input) *scenario {
	sc.t.Helper()
	if len(sc.pending) > 0 {
		sc.t.Fatalf("before %T: unexpected outputs %s", in, describe(sc.pending))
	}
	sc.s, sc.pending = Step(sc.s, in, sc.now)
	checkInvariants(sc.t, sc.s)
	return sc
}

// at moves the clock to t0+d and ticks.
func (sc *scenario) at(d time.Duration) *scenario {
	sc.t.Helper()
	sc.now = t0.Add(d)
	return sc.feed(Tick{})
}

// quiet expects no outputs.
func (sc *scenario) quiet() *scenario {
	sc.t.Helper()
	if len(sc.pending) > 0 {
		sc.t.Fatalf("expected no outputs, got %s", describe(sc.pending))
	}
	return sc
}

// pop takes the next output.
func (sc *scenario) pop() Output {
	sc.t.Helper()
	if len(sc.pending) == 0 {
		sc.t.Fatalf("expected an output, got none")
	}
	o := sc.pending[0]
	sc.pending = sc.pending[1:]
	return o
}

// request expects a Request to peer for exactly the given heights, in order,
// and returns its blocks.
func (sc *scenario) request(peer PeerID, heights ...int32) []BlockRef {
	sc.t.Helper()
	o := sc.pop()
	r, ok := o.(Request)
	if !ok || r.Peer != peer || !slices.Equal(heightsOf(r.Blocks), heights) {
		sc.t.Fatalf("expected request to %d for %v, got %s", peer, heights, describe([]Output{o}))
	}
	return r.Blocks
}

// requestN expects a Request to peer for n blocks and returns its blocks.
func (sc *scenario) requestN(peer PeerID, n int) []BlockRef {
	sc.t.Helper()
	o := sc.pop()
	r, ok := o.(Request)
	if !ok || r.Peer != peer || len(r.Blocks) != n {
		sc.t.Fatalf("expected request to %d for %d blocks, got %s", peer, n, describe([]Output{o}))
	}
	return r.Blocks
}

// stalling expects a Stalling output.
func (sc *scenario) stalling(peer PeerID, hash chainhash.Hash, timeout time.Duration) {
	sc.t.Helper()
	o := sc.pop()
	want := Stalling{Peer: peer, Hash: hash, Timeout: timeout}
	if o != Output(want) {
		sc.t.Fatalf("expected %s, got %s", describe([]Output{want}), describe([]Output{o}))
	}
}

// timedOut expects a TimedOut output.
func (sc *scenario) timedOut(peer PeerID, hash chainhash.Hash) {
	sc.t.Helper()
	o := sc.pop()
	want := TimedOut{Peer: peer, Hash: hash}
	if o != Output(want) {
		sc.t.Fatalf("expected %s, got %s", describe([]Output{want}), describe([]Output{o}))
	}
}

// receiveAll feeds Received from peer for every block.
func (sc *scenario) receiveAll(peer PeerID, blocks []BlockRef) {
	sc.t.Helper()
	for _, b := range blocks {
		sc.feed(Received{Peer: peer, Hash: b.Hash})
		sc.quiet()
	}
}

// describeHash names a test hash by height and fork.
func describeHash(h chainhash.Hash) string {
	if h[31] != 0xb1 {
		return h.String()
	}
	return fmt.Sprintf("%d/%d", binary.LittleEndian.Uint32(h[:]), h[4])
}

func describe(outs []Output) string {
	var parts []string
	for _, o := range outs {
		switch o := o.(type) {
		case Request:
			parts = append(parts, fmt.Sprintf("request %d %v", o.Peer, heightsOf(o.Blocks)))
		case Stalling:
			parts = append(parts, fmt.Sprintf("stalling %d %s %s", o.Peer, describeHash(o.Hash), o.Timeout))
		case TimedOut:
			parts = append(parts, fmt.Sprintf("timed out %d %s", o.Peer, describeHash(o.Hash)))
		default:
			parts = append(parts, fmt.Sprintf("%T", o))
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// checkInvariants verifies the internal consistency of s: the index, the
// ordering, the hint, and the agreement between entries and peer queues.
func checkInvariants(t testing.TB, s State) {
	t.Helper()
	d := s.d
	if d == nil {
		return
	}
	live := 0
	prev := int32(-1 << 31)
	first := true
	for seq := d.first(); seq < d.end(); seq++ {
		e := d.at(seq)
		if got, ok := d.idx[e.ref.Hash]; !ok || got != seq {
			t.Fatalf("entry %s at seq %d indexed as %d (%v)", describeHash(e.ref.Hash), seq, got, ok)
		}
		if !first && e.ref.Height <= prev {
			t.Fatalf("heights out of order at seq %d: %d after %d", seq, e.ref.Height, prev)
		}
		if first && e.st == statusStored {
			t.Fatalf("stored entry at the window start")
		}
		first = false
		prev = e.ref.Height
		live++
		if seq < d.hint && e.st == statusFree {
			t.Fatalf("free entry %d below hint %d", seq, d.hint)
		}
		if e.st == statusInFlight {
			p, ok := d.byID[e.peer]
			if !ok || p.doomed || !slices.Contains(p.inflight, e.ref.Hash) {
				t.Fatalf("entry %s in flight from %d, which does not list it", describeHash(e.ref.Hash), e.peer)
			}
		}
	}
	if live != len(d.idx) {
		t.Fatalf("%d live entries, %d indexed", live, len(d.idx))
	}
	if d.head < len(d.ents) && d.windowStart != d.ents[d.head].ref.Height {
		t.Fatalf("window start %d, first entry at %d", d.windowStart, d.ents[d.head].ref.Height)
	}
	total := 0
	for i, p := range d.peers {
		if i > 0 && d.peers[i-1].id >= p.id {
			t.Fatalf("peers out of order")
		}
		if d.byID[p.id] != p {
			t.Fatalf("peer %d not indexed", p.id)
		}
		if len(p.inflight) > d.cfg.MaxInFlightPerPeer {
			t.Fatalf("peer %d has %d in flight, limit %d", p.id, len(p.inflight), d.cfg.MaxInFlightPerPeer)
		}
		if p.doomed && len(p.inflight) > 0 {
			t.Fatalf("leaving peer %d still has blocks in flight", p.id)
		}
		if len(p.pending) > 0 {
			t.Fatalf("peer %d has pending requests after Step", p.id)
		}
		for _, h := range p.inflight {
			_, e, ok := d.lookup(h)
			if !ok || e.st != statusInFlight || e.peer != p.id {
				t.Fatalf("peer %d lists %s, which is not in flight from it", p.id, describeHash(h))
			}
		}
		total += len(p.inflight)
	}
	if len(d.byID) != len(d.peers) {
		t.Fatalf("%d peers indexed, %d listed", len(d.byID), len(d.peers))
	}
	if total != d.inFlight {
		t.Fatalf("in flight total %d, peers hold %d", d.inFlight, total)
	}
}

// chainhashT shortens the hash type in test literals.
type chainhashT = chainhash.Hash
