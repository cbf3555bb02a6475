package download

import (
	"slices"
	"testing"
	"time"
)

const (
	peerA PeerID = 1
	peerB PeerID = 2
	peerC PeerID = 3
)

func TestTwoPeersBothGetSixteen(t *testing.T) {
	sc := newScenario(t, Config{})
	sc.feed(Need{Blocks: refs(1, 1024, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerA, BestHeight: 5000})
	sc.request(peerA, span(1, 16)...)
	sc.feed(PeerUp{Peer: peerB, BestHeight: 5000})
	sc.request(peerB, span(17, 32)...)
	if sc.s.InFlight(peerA) != 16 || sc.s.InFlight(peerB) != 16 || sc.s.InFlightTotal() != 32 {
		t.Fatalf("in flight: A %d, B %d, total %d", sc.s.InFlight(peerA), sc.s.InFlight(peerB), sc.s.InFlightTotal())
	}
	// A freed slot is refilled with the lowest requestable block.
	sc.feed(Received{Peer: peerA, Hash: hashOf(5, 0)})
	sc.request(peerA, 33)
	sc.feed(Tick{}).quiet()
}

func TestPeersJoiningTogetherShareTheLowestBlocks(t *testing.T) {
	sc := newScenario(t, Config{})
	sc.feed(PeerUp{Peer: peerA, BestHeight: 5000}).quiet()
	sc.feed(PeerUp{Peer: peerB, BestHeight: 5000}).quiet()
	sc.feed(Need{Blocks: refs(1, 1024, 0)})
	a := heightsOf(sc.requestN(peerA, 16))
	b := heightsOf(sc.requestN(peerB, 16))
	all := append(slices.Clone(a), b...)
	slices.Sort(all)
	if !slices.Equal(all, span(1, 32)) {
		t.Fatalf("A %v and B %v are not blocks 1..32", a, b)
	}
	if !slices.IsSorted(a) || !slices.IsSorted(b) {
		t.Fatalf("requests not in height order: A %v, B %v", a, b)
	}
}

func TestPeerDownReassignsItsBlocks(t *testing.T) {
	sc := newScenario(t, Config{})
	sc.feed(Need{Blocks: refs(1, 20, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerA, BestHeight: 20})
	sc.request(peerA, span(1, 16)...)
	sc.feed(PeerUp{Peer: peerB, BestHeight: 20})
	sc.request(peerB, 17, 18, 19, 20)
	sc.feed(PeerDown{Peer: peerA})
	sc.request(peerB, span(1, 12)...)
	if sc.s.InFlight(peerA) != 0 || slices.Contains(sc.s.Peers(), peerA) {
		t.Fatalf("departed peer still known: in flight %d, peers %v", sc.s.InFlight(peerA), sc.s.Peers())
	}
	sc.feed(PeerUp{Peer: peerC, BestHeight: 20})
	sc.request(peerC, 13, 14, 15, 16)
	sc.feed(PeerDown{Peer: peerB})
	sc.request(peerC, span(1, 12)...)
	sc.feed(Received{Peer: peerC, Hash: hashOf(13, 0)})
	sc.request(peerC, 17)
}

func TestPeerDownOfUnknownPeerIsHarmless(t *testing.T) {
	sc := newScenario(t, Config{})
	sc.feed(PeerDown{Peer: peerA}).quiet()
	sc.feed(Received{Peer: peerA, Hash: hashOf(1, 0)}).quiet()
	sc.feed(NotFound{Peer: peerA}).quiet()
}

func TestNotFoundIsNotAskedAgainOfThatPeer(t *testing.T) {
	sc := newScenario(t, Config{})
	sc.feed(Need{Blocks: refs(1, 3, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerA, BestHeight: 100})
	sc.request(peerA, 1, 2, 3)
	sc.feed(NotFound{Peer: peerA, Hashes: []chainhashT{hashOf(1, 0), hashOf(3, 0)}}).quiet()
	if sc.s.InFlight(peerA) != 1 {
		t.Fatalf("A has %d in flight, want 1", sc.s.InFlight(peerA))
	}
	sc.feed(Tick{}).quiet()
	sc.feed(PeerUp{Peer: peerB, BestHeight: 100})
	sc.request(peerB, 1, 3)
	sc.feed(NotFound{Peer: peerB, Hashes: []chainhashT{hashOf(3, 0)}}).quiet()
	sc.feed(Received{Peer: peerA, Hash: hashOf(2, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerC, BestHeight: 100})
	sc.request(peerC, 3)
}

func TestLowBestHeightPeerIsNotAskedForHigherBlocks(t *testing.T) {
	sc := newScenario(t, Config{})
	sc.feed(Need{Blocks: refs(1, 40, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerA, BestHeight: 5})
	sc.request(peerA, 1, 2, 3, 4, 5)
	sc.feed(PeerUp{Peer: peerB, BestHeight: 40})
	sc.request(peerB, span(6, 21)...)
	sc.feed(Received{Peer: peerB, Hash: hashOf(6, 0)})
	sc.request(peerB, 22)
	sc.feed(PeerBest{Peer: peerA, Height: 40})
	sc.request(peerA, span(23, 33)...)
	// A peer below the window start gets nothing at all.
	sc.feed(PeerUp{Peer: peerC, BestHeight: 0}).quiet()
}

func TestWindowAdvancesOnlyOnStored(t *testing.T) {
	sc := newScenario(t, Config{Window: 16})
	// Heights 2..9 are stored already: the window is [1, 16].
	need := append(refs(1, 1, 0), refs(10, 24, 0)...)
	sc.feed(PeerUp{Peer: peerA, BestHeight: 100}).quiet()
	sc.feed(Need{Blocks: need})
	got := sc.request(peerA, 1, 10, 11, 12, 13, 14, 15, 16)
	if start, end := sc.s.Window(); start != 1 || end != 16 {
		t.Fatalf("window [%d, %d], want [1, 16]", start, end)
	}
	// Every block arrives and is stored but the first: the window holds.
	for _, b := range got[1:] {
		sc.feed(Received{Peer: peerA, Hash: b.Hash}).quiet()
		sc.feed(Stored{Hash: b.Hash}).quiet()
	}
	// The first arrives: received is not stored, the window still holds.
	sc.feed(Received{Peer: peerA, Hash: hashOf(1, 0)}).quiet()
	if start, _ := sc.s.Window(); start != 1 {
		t.Fatalf("window start %d after Received, want 1", start)
	}
	sc.feed(Stored{Hash: hashOf(1, 0)})
	sc.request(peerA, span(17, 24)...)
	if start, end := sc.s.Window(); start != 17 || end != 32 {
		t.Fatalf("window [%d, %d], want [17, 32]", start, end)
	}
	// A Need that shifts the old one extends the window's blocks.
	sc.feed(Need{Blocks: refs(17, 32, 0)})
	sc.request(peerA, span(25, 32)...)
	if sc.s.InFlight(peerA) != 16 {
		t.Fatalf("A has %d in flight, want 16", sc.s.InFlight(peerA))
	}
}

func TestReorgForgetsStaleBlocksInFlight(t *testing.T) {
	sc := newScenario(t, Config{})
	sc.feed(Need{Blocks: refs(1, 20, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerA, BestHeight: 100})
	sc.request(peerA, span(1, 16)...)
	// The chain forks after 10: 11..16 of the old branch are forgotten and
	// their slots go to the new branch.
	sc.feed(Need{Blocks: append(refs(1, 10, 0), refs(11, 25, 1)...)})
	b := sc.request(peerA, span(11, 16)...)
	for _, r := range b {
		if r.Hash != hashOf(r.Height, 1) {
			t.Fatalf("requested %s, not from the new branch", describeHash(r.Hash))
		}
	}
	if sc.s.InFlight(peerA) != 16 {
		t.Fatalf("A has %d in flight, want 16", sc.s.InFlight(peerA))
	}
	// A late stale block changes nothing; the old branch is never asked for.
	sc.feed(Received{Peer: peerA, Hash: hashOf(12, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerB, BestHeight: 100})
	sc.request(peerB, span(17, 25)...)
	// A Need that shares nothing with the old one forgets everything; both
	// peers share the new blocks.
	sc.feed(Need{Blocks: refs(1, 5, 2)})
	a, b := sc.requestN(peerA, 2), sc.requestN(peerB, 3)
	all := heightsOf(append(a, b...))
	slices.Sort(all)
	if !slices.Equal(all, span(1, 5)) || sc.s.InFlightTotal() != 5 {
		t.Fatalf("requested %v, in flight %d", all, sc.s.InFlightTotal())
	}
	sc.feed(Tick{}).quiet()
}

func TestRejectedDropsThePeerAndReassigns(t *testing.T) {
	sc := newScenario(t, Config{})
	sc.feed(Need{Blocks: refs(1, 16, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerA, BestHeight: 100})
	sc.request(peerA, span(1, 16)...)
	sc.feed(PeerUp{Peer: peerB, BestHeight: 100}).quiet()
	sc.feed(Rejected{Peer: peerA, Hash: hashOf(3, 0)})
	sc.request(peerB, span(1, 16)...)
	if snap := sc.s.Snapshot(); !snap.Peers[0].Leaving || snap.Peers[0].InFlight != 0 {
		t.Fatalf("rejected peer not leaving: %+v", snap.Peers[0])
	}
	// A late block from the leaving peer still counts, freeing B's slot.
	sc.feed(Received{Peer: peerA, Hash: hashOf(5, 0)}).quiet()
	if sc.s.InFlight(peerB) != 15 {
		t.Fatalf("B has %d in flight, want 15", sc.s.InFlight(peerB))
	}
	sc.feed(PeerBest{Peer: peerA, Height: 200}).quiet()
	sc.feed(PeerDown{Peer: peerA}).quiet()
}

func TestBlockTimeout(t *testing.T) {
	sc := newScenario(t, Config{})
	sc.feed(Need{Blocks: refs(1, 40, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerA, BestHeight: 100})
	sc.request(peerA, span(1, 16)...)
	// A non-oldest block does not restart the wait; the oldest does.
	sc.at(2 * time.Minute).feed(Received{Peer: peerA, Hash: hashOf(5, 0)})
	sc.request(peerA, 17)
	sc.at(9 * time.Minute).feed(Received{Peer: peerA, Hash: hashOf(1, 0)})
	sc.request(peerA, 18)
	sc.at(10*time.Minute + time.Nanosecond).quiet()
	// Alone, the timeout is 10 minutes: exactly at the deadline A survives.
	sc.at(19 * time.Minute).quiet()
	sc.at(19*time.Minute + time.Nanosecond)
	sc.timedOut(peerA, hashOf(2, 0))
	if sc.s.InFlight(peerA) != 0 || sc.s.InFlightTotal() != 0 {
		t.Fatalf("timed out peer keeps blocks: %d", sc.s.InFlight(peerA))
	}
	// Its blocks go to the next peer at once.
	sc.feed(PeerUp{Peer: peerB, BestHeight: 100})
	sc.request(peerB, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18)
}

func TestBlockTimeoutGrowsWithPeersDownloading(t *testing.T) {
	sc := newScenario(t, Config{BlockTimeoutBase: time.Minute, BlockTimeoutPerPeer: 30 * time.Second})
	sc.feed(Need{Blocks: refs(1, 100, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerA, BestHeight: 100})
	sc.request(peerA, span(1, 16)...)
	sc.feed(PeerUp{Peer: peerB, BestHeight: 100})
	sc.request(peerB, span(17, 32)...)
	sc.feed(PeerUp{Peer: peerC, BestHeight: 100})
	sc.request(peerC, span(33, 48)...)
	// Three peers downloading: 1 min + 2 x 30 s.
	sc.at(2 * time.Minute).quiet()
	sc.at(2*time.Minute + time.Nanosecond)
	sc.timedOut(peerA, hashOf(1, 0))
	sc.timedOut(peerB, hashOf(17, 0))
	sc.timedOut(peerC, hashOf(33, 0))
}

// stallSetup brings the window (16 blocks) to a stall: A holds 1..8, B has
// received 9..16 and sits idle. It returns at the moment B went idle.
func stallSetup(t *testing.T, cfg Config) *scenario {
	cfg.Window = 16
	cfg.MaxInFlightPerPeer = 8
	sc := newScenario(t, cfg)
	sc.feed(Need{Blocks: refs(1, 16, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerA, BestHeight: 1000})
	sc.request(peerA, span(1, 8)...)
	sc.feed(PeerUp{Peer: peerB, BestHeight: 1000})
	blocks := sc.request(peerB, span(9, 16)...)
	sc.receiveAll(peerB, blocks)
	return sc
}

func TestStallDetectionTiming(t *testing.T) {
	sc := stallSetup(t, Config{})
	// B went idle at t0: A is stalling the window from then on.
	if since := sc.s.Snapshot().Peers[0].StallingSince; !since.Equal(t0) {
		t.Fatalf("A stalling since %v, want %v", since, t0)
	}
	sc.at(2 * time.Second).quiet()
	sc.at(2*time.Second + time.Nanosecond)
	sc.stalling(peerA, hashOf(1, 0), 2*time.Second)
	sc.request(peerB, span(1, 8)...)
	if got := sc.s.StallTimeout(); got != 4*time.Second {
		t.Fatalf("stall timeout %v after a stall, want 4s", got)
	}
	sc.feed(PeerDown{Peer: peerA}).quiet()
	// C joins idle: B now stalls the window, against the doubled timeout.
	sc.at(10 * time.Second).feed(PeerUp{Peer: peerC, BestHeight: 1000}).quiet()
	sc.at(14 * time.Second).quiet()
	sc.at(14*time.Second + time.Nanosecond)
	sc.stalling(peerB, hashOf(1, 0), 4*time.Second)
	sc.request(peerC, span(1, 8)...)
	if got := sc.s.StallTimeout(); got != 8*time.Second {
		t.Fatalf("stall timeout %v after two stalls, want 8s", got)
	}
	// Each stored block shrinks it to 85 %, in whole seconds, down to 2 s.
	want := []time.Duration{6, 5, 4, 3, 2, 2}
	for i, h := range span(9, 14) {
		sc.feed(Stored{Hash: hashOf(h, 0)}).quiet()
		if got := sc.s.StallTimeout(); got != want[i]*time.Second {
			t.Fatalf("after %d stored: stall timeout %v, want %v", i+1, got, want[i]*time.Second)
		}
	}
}

func TestStallTimerRestartsWhenTheStallerDelivers(t *testing.T) {
	sc := stallSetup(t, Config{})
	// A delivers a block that is not the first: the timer restarts.
	sc.at(1500 * time.Millisecond).feed(Received{Peer: peerA, Hash: hashOf(2, 0)}).quiet()
	sc.at(3 * time.Second).quiet()
	sc.at(3500 * time.Millisecond).quiet()
	sc.at(3500*time.Millisecond + time.Nanosecond)
	sc.stalling(peerA, hashOf(1, 0), 2*time.Second)
	sc.request(peerB, 1, 3, 4, 5, 6, 7, 8)
}

func TestStallNeedsTheConditionToLast(t *testing.T) {
	sc := stallSetup(t, Config{})
	// B, the idle peer, leaves: nobody waits for the window any more.
	sc.at(time.Second).feed(PeerDown{Peer: peerB}).quiet()
	sc.at(time.Minute).quiet()
	if since := sc.s.Snapshot().Peers[0].StallingSince; !since.IsZero() {
		t.Fatalf("A still stalling since %v", since)
	}
	// Nor is a peer stalling when the idle peer's chain ends in the window.
	sc.feed(PeerUp{Peer: peerC, BestHeight: 16}).quiet()
	sc.at(2 * time.Minute).quiet()
}

func TestStallTimeoutCapsAt64Seconds(t *testing.T) {
	sc := stallSetup(t, Config{})
	holder := peerA
	next := PeerID(10)
	elapsed := time.Duration(0)
	for _, timeout := range []time.Duration{2, 4, 8, 16, 32, 64, 64, 64} {
		timeout *= time.Second
		elapsed += timeout
		sc.at(elapsed).quiet()
		elapsed += time.Nanosecond
		idle := sc.s.Peers()[len(sc.s.Peers())-1]
		sc.at(elapsed)
		sc.stalling(holder, hashOf(1, 0), timeout)
		sc.request(idle, span(1, 8)...)
		sc.feed(PeerDown{Peer: holder}).quiet()
		holder = idle
		sc.feed(PeerUp{Peer: next, BestHeight: 1000}).quiet()
		next++
	}
	if got := sc.s.StallTimeout(); got != 64*time.Second {
		t.Fatalf("stall timeout %v, want the 64 s cap", got)
	}
}

func TestReceivedWhileInFlightElsewhereIsNotRequestedAgain(t *testing.T) {
	sc := newScenario(t, Config{})
	sc.feed(Need{Blocks: refs(1, 4, 0)}).quiet()
	sc.feed(PeerUp{Peer: peerA, BestHeight: 100})
	sc.request(peerA, 1, 2, 3, 4)
	// The block comes from B (unsolicited): A's slot is freed, nobody is
	// asked for it again.
	sc.feed(PeerUp{Peer: peerB, BestHeight: 100}).quiet()
	sc.feed(Received{Peer: peerB, Hash: hashOf(2, 0)}).quiet()
	if sc.s.InFlight(peerA) != 3 || sc.s.InFlightTotal() != 3 {
		t.Fatalf("in flight: A %d, total %d", sc.s.InFlight(peerA), sc.s.InFlightTotal())
	}
	snap := sc.s.Snapshot()
	if snap.Needed != 4 || snap.Received != 1 || snap.InFlight != 3 || snap.Requestable != 0 {
		t.Fatalf("snapshot %+v", snap)
	}
}

func TestZeroStateIsUsable(t *testing.T) {
	var s State
	s, out := Step(s, PeerUp{Peer: peerA, BestHeight: 10}, t0)
	if len(out) != 0 {
		t.Fatalf("outputs %s", describe(out))
	}
	s, out = Step(s, Need{Blocks: refs(1, 2, 0)}, t0)
	if len(out) != 1 || s.InFlight(peerA) != 2 {
		t.Fatalf("outputs %s, in flight %d", describe(out), s.InFlight(peerA))
	}
	if cfg := s.Config(); cfg.Window != DefaultWindow || cfg.MaxInFlightPerPeer != DefaultMaxInFlightPerPeer {
		t.Fatalf("config %+v", cfg)
	}
}

func TestNeedIgnoresDisorderAndExcess(t *testing.T) {
	sc := newScenario(t, Config{Window: 4})
	bad := []BlockRef{{hashOf(1, 0), 1}, {hashOf(3, 0), 3}, {hashOf(2, 0), 2}, {hashOf(4, 0), 4}, {hashOf(5, 0), 5}, {hashOf(6, 0), 6}}
	sc.feed(PeerUp{Peer: peerA, BestHeight: 100}).quiet()
	sc.feed(Need{Blocks: bad})
	// Capped at 4 entries (1, 3, 2, 4), of which 2 is out of order.
	sc.request(peerA, 1, 3, 4)
}
