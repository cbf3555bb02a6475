package download

import (
	"slices"
	"testing"
)

func TestNeedShiftKeepsWorkAcrossGaps(t *testing.T) {
	sc := newScenario(t, Config{})
	sc.feed(Need{Blocks: refs(1, 100, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerA, BestHeight: 1000})
	sc.request(peerA, span(1, 16)...)
	sc.feed(Received{Peer: peerA, Hash: hashOf(5, 0)})
	sc.request(peerA, 17)
	sc.feed(Stored{Hash: hashOf(5, 0)}).quiet()
	before := sc.s.InFlightBlocks(peerA)
	// The actor's next Need leaves the stored block out and reaches further.
	sc.feed(Need{Blocks: append(refs(1, 4, 0), refs(6, 110, 0)...)}).quiet()
	if got := sc.s.InFlightBlocks(peerA); !slices.Equal(got, before) {
		t.Fatalf("in flight changed across a shifted Need: %d blocks, was %d", len(got), len(before))
	}
	// A stored block the actor lists again (pruned, say) is needed again.
	sc.feed(Need{Blocks: refs(1, 110, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerB, BestHeight: 1000})
	sc.request(peerB, append([]int32{5}, span(18, 32)...)...)
}

// TestLongSync runs a whole download of 5000 blocks from three peers that
// deliver out of order, the actor storing each block on arrival and sending
// a Need every seventh block (or when nothing is in flight), checking the invariants after every Step.
func TestLongSync(t *testing.T) {
	const blocks = 5000
	chain := refs(1, blocks, 0)
	s := New(Config{Window: 256})
	queue := map[PeerID][]BlockRef{}
	var out []Output
	step := func(in Input) {
		s, out = Step(s, in, t0)
		checkInvariants(t, s)
		for _, o := range out {
			r, ok := o.(Request)
			if !ok {
				t.Fatalf("unexpected %s", describe([]Output{o}))
			}
			queue[r.Peer] = append(queue[r.Peer], r.Blocks...)
		}
	}
	for p := PeerID(1); p <= 3; p++ {
		step(PeerUp{Peer: p, BestHeight: blocks})
	}
	step(Need{Blocks: chain[:256]})
	stored := 0
	done := map[chainhashT]bool{}
	for round := 0; stored < blocks; round++ {
		// Each round one peer delivers the newest block it was asked for,
		// so blocks arrive out of order.
		p := PeerID(round%3 + 1)
		q := queue[p]
		if len(q) == 0 {
			step(Tick{})
			if round > 10*blocks {
				t.Fatalf("stuck at %d stored", stored)
			}
			continue
		}
		b := q[len(q)-1]
		queue[p] = q[:len(q)-1]
		step(Received{Peer: p, Hash: b.Hash})
		step(Stored{Hash: b.Hash})
		done[b.Hash] = true
		stored++
		// The actor batches its Needs, but never leaves the peers idle.
		if stored%7 == 0 || s.InFlightTotal() == 0 {
			start, _ := s.Window()
			var need []BlockRef
			for _, r := range chain[start-1 : min(int(start)-1+256, blocks)] {
				if !done[r.Hash] {
					need = append(need, r)
				}
			}
			step(Need{Blocks: need})
		}
	}
	if s.InFlightTotal() != 0 {
		t.Fatalf("%d blocks still in flight", s.InFlightTotal())
	}
	if start, _ := s.Window(); start != blocks+1 {
		t.Fatalf("window start %d, want %d", start, blocks+1)
	}
}
