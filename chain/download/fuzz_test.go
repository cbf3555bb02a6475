package download

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// fuzzProgram turns fuzz bytes into a sequence of inputs.
type fuzzProgram struct{ data []byte }

func (p *fuzzProgram) byte() byte {
	if len(p.data) == 0 {
		return 0
	}
	b := p.data[0]
	p.data = p.data[1:]
	return b
}

// fuzzChain is the block universe: a main chain (fork 0) and forks 1..3,
// each leaving the main chain after its own height.
type fuzzChain struct {
	fork   byte  // the fork the best chain follows
	branch int32 // the last main-chain height of the best chain
}

func (c fuzzChain) ref(h int32) BlockRef {
	if c.fork == 0 || h <= c.branch {
		return BlockRef{Hash: hashOf(h, 0), Height: h}
	}
	return BlockRef{Hash: hashOf(h, c.fork), Height: h}
}

// fuzzModel is what the test knows from the inputs and outputs alone.
type fuzzModel struct {
	t        *testing.T
	cfg      Config
	chain    fuzzChain
	stored   map[chainhash.Hash]bool
	need     map[chainhash.Hash]BlockRef
	needList []BlockRef
	best     map[PeerID]int32
	leaving  map[PeerID]bool
	notFound map[PeerID]map[chainhash.Hash]bool
	// outstanding: blocks requested and not answered, forgotten or
	// reassigned by dropping their peer.
	outstanding map[chainhash.Hash]PeerID
}

// nextNeed builds a Need of the current best chain from the first block
// not stored, leaving out stored blocks, at most n blocks.
func (m *fuzzModel) nextNeed(start int32, n int) []BlockRef {
	var out []BlockRef
	for h := start; len(out) < n && h < start+int32(2*m.cfg.Window); h++ {
		r := m.chain.ref(h)
		if !m.stored[r.Hash] {
			out = append(out, r)
		}
	}
	return out
}

// firstUnstored is the height of the lowest block of the best chain not
// stored, from 1.
func (m *fuzzModel) firstUnstored() int32 {
	h := int32(1)
	for m.stored[m.chain.ref(h).Hash] {
		h++
	}
	return h
}

func (m *fuzzModel) dropPeer(p PeerID) {
	for h, owner := range m.outstanding {
		if owner == p {
			delete(m.outstanding, h)
		}
	}
}

// input applies what an input tells the model, before the Step.
func (m *fuzzModel) input(in Input) {
	switch in := in.(type) {
	case PeerUp:
		if _, ok := m.best[in.Peer]; ok || !m.leaving[in.Peer] {
			m.best[in.Peer] = in.BestHeight
		}
	case PeerBest:
		if _, ok := m.best[in.Peer]; ok {
			m.best[in.Peer] = in.Height
		}
	case PeerDown:
		m.dropPeer(in.Peer)
		delete(m.best, in.Peer)
		delete(m.leaving, in.Peer)
	case Need:
		m.need = make(map[chainhash.Hash]BlockRef)
		m.needList = in.Blocks
		for _, b := range in.Blocks {
			m.need[b.Hash] = b
		}
		for h := range m.outstanding {
			if _, ok := m.need[h]; !ok {
				delete(m.outstanding, h)
			}
		}
		for _, hs := range m.notFound {
			for h := range hs {
				if _, ok := m.need[h]; !ok {
					delete(hs, h)
				}
			}
		}
	case Received:
		delete(m.outstanding, in.Hash)
	case Rejected:
		m.dropPeer(in.Peer)
		if _, ok := m.best[in.Peer]; ok {
			m.leaving[in.Peer] = true
		}
	case NotFound:
		for _, h := range in.Hashes {
			if _, needed := m.need[h]; !needed || m.stored[h] {
				continue
			}
			if m.notFound[in.Peer] == nil {
				m.notFound[in.Peer] = make(map[chainhash.Hash]bool)
			}
			m.notFound[in.Peer][h] = true
			if m.outstanding[h] == in.Peer {
				delete(m.outstanding, h)
			}
		}
	case Stored:
		m.stored[in.Hash] = true
		delete(m.outstanding, in.Hash)
	}
}

// outputs checks the outputs of a Step against the model and applies them.
func (m *fuzzModel) outputs(s State, out []Output) {
	t := m.t
	_, wEnd := s.Window()
	requested := map[PeerID]bool{}
	for _, o := range out {
		switch o := o.(type) {
		case Stalling:
			if m.outstanding[o.Hash] != o.Peer || m.leaving[o.Peer] {
				t.Fatalf("stalling %d on %s, which is not outstanding from it", o.Peer, describeHash(o.Hash))
			}
			m.dropPeer(o.Peer)
			m.leaving[o.Peer] = true
		case TimedOut:
			if m.outstanding[o.Hash] != o.Peer || m.leaving[o.Peer] {
				t.Fatalf("timed out %d on %s, which is not outstanding from it", o.Peer, describeHash(o.Hash))
			}
			m.dropPeer(o.Peer)
			m.leaving[o.Peer] = true
		case Request:
			if requested[o.Peer] || len(o.Blocks) == 0 {
				t.Fatalf("two or empty requests to %d in one Step", o.Peer)
			}
			requested[o.Peer] = true
			best, known := m.best[o.Peer]
			if !known || m.leaving[o.Peer] {
				t.Fatalf("request to unknown or leaving peer %d", o.Peer)
			}
			for _, b := range o.Blocks {
				if _, ok := m.need[b.Hash]; !ok || m.stored[b.Hash] {
					t.Fatalf("request for %s, not needed", describeHash(b.Hash))
				}
				if b.Height > best || b.Height > wEnd {
					t.Fatalf("request to %d (best %d) for height %d, window end %d", o.Peer, best, b.Height, wEnd)
				}
				if m.notFound[o.Peer][b.Hash] {
					t.Fatalf("request to %d for %s, which it did not find", o.Peer, describeHash(b.Hash))
				}
				if owner, ok := m.outstanding[b.Hash]; ok {
					t.Fatalf("request to %d for %s, already in flight from %d", o.Peer, describeHash(b.Hash), owner)
				}
				m.outstanding[b.Hash] = o.Peer
			}
		}
	}
	// The scheduler's view agrees with what its outputs said.
	for p := range m.best {
		var want []chainhash.Hash
		for h, owner := range m.outstanding {
			if owner == p {
				want = append(want, h)
			}
		}
		got := s.InFlightBlocks(p)
		slices.SortFunc(want, compareHash)
		slices.SortFunc(got, compareHash)
		if !slices.Equal(got, want) {
			t.Fatalf("peer %d: in flight %d blocks, outputs say %d", p, len(got), len(want))
		}
		if len(got) > m.cfg.MaxInFlightPerPeer {
			t.Fatalf("peer %d: %d in flight", p, len(got))
		}
	}
	if s.InFlightTotal() != len(m.outstanding) {
		t.Fatalf("in flight total %d, outputs say %d", s.InFlightTotal(), len(m.outstanding))
	}
	ids := s.Peers()
	for _, id := range ids {
		if _, ok := m.best[id]; !ok {
			t.Fatalf("peer %d known after PeerDown", id)
		}
	}
	if len(ids) != len(m.best) {
		t.Fatalf("peers %v, model has %d", ids, len(m.best))
	}
}

// fuzzDurations are the clock advances the fuzzer picks from: around the
// stall timeouts and the block timeout.
var fuzzDurations = []time.Duration{
	0, time.Nanosecond, 500 * time.Millisecond, 2 * time.Second, 2*time.Second + time.Nanosecond,
	4 * time.Second, 10 * time.Second, 70 * time.Second, 10 * time.Minute, 20 * time.Minute,
}

func FuzzStep(f *testing.F) {
	f.Add([]byte{0, 0, 1, 200, 0, 2, 200, 3, 0, 20, 8, 4, 8, 4, 4, 1, 0, 7, 0, 8, 9})
	f.Add([]byte{1, 0, 1, 100, 3, 2, 16, 0, 2, 150, 4, 2, 0, 4, 2, 1, 8, 3, 8, 4, 8, 4, 2, 1, 9, 0, 20})
	f.Add([]byte{2, 3, 1, 30, 0, 1, 255, 0, 2, 255, 6, 1, 0, 6, 1, 1, 5, 2, 1, 8, 9, 8, 7, 3, 3, 60, 1, 8, 8})
	f.Add([]byte{3, 0, 3, 255, 0, 4, 255, 0, 5, 255, 9, 0, 30, 4, 0, 0, 7, 0, 7, 1, 9, 0, 40, 3, 1, 12, 8, 8})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := &fuzzProgram{data: data}
		mode := p.byte()
		cfg := Config{Window: 8 + int(mode%4)*8, MaxInFlightPerPeer: 1 + int(mode/4%8)}
		s := New(cfg)
		m := &fuzzModel{
			t: t, cfg: s.Config(),
			stored:      map[chainhash.Hash]bool{},
			need:        map[chainhash.Hash]BlockRef{},
			best:        map[PeerID]int32{},
			leaving:     map[PeerID]bool{},
			notFound:    map[PeerID]map[chainhash.Hash]bool{},
			outstanding: map[chainhash.Hash]PeerID{},
		}
		now := t0
		pick := func() chainhash.Hash {
			if b := p.byte(); b%2 == 0 && len(m.outstanding) > 0 {
				hs := make([]chainhash.Hash, 0, len(m.outstanding))
				for h := range m.outstanding {
					hs = append(hs, h)
				}
				slices.SortFunc(hs, compareHash)
				return hs[int(b/2)%len(hs)]
			} else if len(m.needList) > 0 && b%4 == 1 {
				return m.needList[int(b/4)%len(m.needList)].Hash
			} else {
				return hashOf(int32(b%64), b/64)
			}
		}
		for steps := 0; len(p.data) > 0 && steps < 300; steps++ {
			var in Input
			peerID := func() PeerID { return PeerID(p.byte()%6 + 1) }
			switch p.byte() % 10 {
			case 0:
				in = PeerUp{Peer: peerID(), BestHeight: int32(p.byte())}
			case 1:
				in = PeerBest{Peer: peerID(), Height: int32(p.byte())}
			case 2:
				in = PeerDown{Peer: peerID()}
			case 3:
				b := p.byte()
				m.chain = fuzzChain{fork: b % 4, branch: int32(p.byte() % 64)}
				start := m.firstUnstored()
				if b&0x80 != 0 {
					start += int32(p.byte() % 8)
				}
				in = Need{Blocks: m.nextNeed(start, int(p.byte())%(cfg.Window+1))}
			case 4:
				in = Received{Peer: peerID(), Hash: pick()}
			case 5:
				in = Rejected{Peer: peerID(), Hash: pick()}
			case 6:
				in = NotFound{Peer: peerID(), Hashes: []chainhash.Hash{pick(), pick()}[:1+p.byte()%2]}
			case 7:
				in = Stored{Hash: pick()}
			case 8:
				now = now.Add(fuzzDurations[int(p.byte())%len(fuzzDurations)])
				in = Tick{}
			case 9:
				// The realistic Need: the current chain from the first block
				// not stored, a full window.
				in = Need{Blocks: m.nextNeed(m.firstUnstored(), cfg.Window)}
			}
			if need, ok := in.(Need); ok {
				checkShiftMatchesRebuild(t, s, need.Blocks, now)
			}
			m.input(in)
			var out []Output
			s, out = Step(s, in, now)
			checkInvariants(t, s)
			m.outputs(s, out)
			if down, ok := in.(PeerDown); ok && s.InFlight(down.Peer) != 0 {
				t.Fatalf("peer %d keeps blocks after PeerDown", down.Peer)
			}
		}
	})
}

// checkShiftMatchesRebuild applies blocks to two copies of s, one through
// setNeed (which takes the one-pass path when it can) and one through a
// full rebuild, and requires the same need and the same queues.
func checkShiftMatchesRebuild(t *testing.T, s State, blocks []BlockRef, now time.Time) {
	t.Helper()
	a, b := s.Clone(), s.Clone()
	a.d.setNeed(blocks, now)
	b.d.rebuild(b.d.sanitize(blocks), now)
	checkInvariants(t, a)
	checkInvariants(t, b)
	type view struct {
		ref   BlockRef
		st    status
		peer  PeerID
		noAsk []PeerID
	}
	live := func(d *data) []view {
		var out []view
		for _, e := range d.ents[d.head:] {
			if e.st != statusStored {
				out = append(out, view{e.ref, e.st, e.peer, e.noAsk})
			}
		}
		return out
	}
	va, vb := live(a.d), live(b.d)
	if !slices.EqualFunc(va, vb, func(x, y view) bool {
		return x.ref == y.ref && x.st == y.st && x.peer == y.peer && slices.Equal(x.noAsk, y.noAsk)
	}) {
		t.Fatalf("one-pass need %v differs from rebuilt %v", va, vb)
	}
	for i, p := range a.d.peers {
		if !slices.Equal(p.inflight, b.d.peers[i].inflight) {
			t.Fatalf("peer %d queue %d vs %d", p.id, len(p.inflight), len(b.d.peers[i].inflight))
		}
	}
	if a.d.windowStart != b.d.windowStart && len(va) > 0 {
		t.Fatalf("window start %d vs %d", a.d.windowStart, b.d.windowStart)
	}
}

// compareHash orders hashes bytewise.
func compareHash(a, b chainhash.Hash) int { return bytes.Compare(a[:], b[:]) }
