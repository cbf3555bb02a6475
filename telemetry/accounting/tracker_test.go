package accounting

import (
	"bytes"
	"testing"
	"time"

	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// t0 is the fake clock's start in every scenario.
var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// newTx returns a distinct transaction; with witness, its wtxid differs
// from its txid.
func newTx(n byte, witness bool) *wire.MsgTx {
	tx := wire.NewMsgTx(2)
	in := wire.NewTxIn(&wire.OutPoint{Hash: chainhash.Hash{n, 1}, Index: uint32(n)}, nil, nil)
	if witness {
		in.Witness = wire.TxWitness{bytes.Repeat([]byte{n}, 8)}
	}
	tx.AddTxIn(in)
	tx.AddTxOut(wire.NewTxOut(int64(n)*1000, []byte{0x51}))
	return tx
}

// getdata builds a getdata message from (type, hash) pairs.
func getdata(entries ...*wire.InvVect) *wire.MsgGetData {
	m := wire.NewMsgGetData()
	for _, e := range entries {
		_ = m.AddInvVect(e)
	}
	return m
}

// TestTxRequestScenario is the conversation of the issue: we ask for four
// transactions at t0; three arrive after 50 ms, 80 ms and 1 s, the fourth
// never does and expires after the two-minute timeout; its late reply and
// a transaction nobody asked for count unsolicited.
func TestTxRequestScenario(t *testing.T) {
	p := NewPeer(PeerConfig{})
	a, b, c, lost := newTx(1, false), newTx(2, true), newTx(3, true), newTx(4, false)

	p.Sent(getdata(
		wire.NewInvVect(wire.InvTypeWitnessTx, ptr(a.TxHash())),
		wire.NewInvVect(wire.InvTypeTx, ptr(b.TxHash())),
		wire.NewInvVect(InvTypeWTx, ptr(c.WitnessHash())), // BIP 339: asked by wtxid
		wire.NewInvVect(wire.InvTypeWitnessTx, ptr(lost.TxHash())),
	), t0)
	if got := p.Requests().Pending(KindTx); got != 4 {
		t.Fatalf("pending after getdata = %d, want 4", got)
	}

	p.Received(a, t0.Add(50*time.Millisecond))
	p.Received(b, t0.Add(80*time.Millisecond))
	p.Received(c, t0.Add(time.Second))
	if n := p.Expire(t0.Add(DefaultTxTimeout - time.Nanosecond)); n != 0 {
		t.Fatalf("expired %d requests before the timeout", n)
	}
	if n := p.Expire(t0.Add(DefaultTxTimeout)); n != 1 {
		t.Fatalf("expired %d requests at the timeout, want 1", n)
	}
	p.Received(lost, t0.Add(3*time.Minute))           // late: we stopped waiting
	p.Received(newTx(9, true), t0.Add(4*time.Minute)) // never asked for

	var s peermanpb.PeerStats
	p.Fill(&s)
	want := &peermanpb.LatencyStats{Count: 3, Lost: 1, Unsolicited: 2,
		MeanUs: (50_000 + 80_000 + 1_000_000) / 3, P50Us: 80_000, P90Us: 1_000_000}
	if got := s.GetTxLatency(); !sameLatency(got, want) {
		t.Fatalf("tx latency %v, want %v", got, want)
	}
	if s.GetTxRequestedFromPeer() != 4 || s.GetTxReceived() != 5 {
		t.Fatalf("requested %d received %d, want 4 and 5", s.GetTxRequestedFromPeer(), s.GetTxReceived())
	}
	if got := s.GetBlockLatency(); !sameLatency(got, &peermanpb.LatencyStats{}) {
		t.Fatalf("block latency %v, want zero", got)
	}
	if p.Requests().Pending(KindTx) != 0 {
		t.Fatalf("requests still pending: %d", p.Requests().Pending(KindTx))
	}
}

// TestBlockRequestAndNotFound: a block request is answered; a transaction
// the peer does not have is neither a sample nor lost.
func TestBlockRequestAndNotFound(t *testing.T) {
	p := NewPeer(PeerConfig{TxTimeout: time.Minute, BlockTimeout: 10 * time.Second})
	blk := wire.NewMsgBlock(wire.NewBlockHeader(1, &chainhash.Hash{7}, &chainhash.Hash{8}, 0x207fffff, 42))
	tx := newTx(5, false)
	p.Sent(getdata(
		wire.NewInvVect(wire.InvTypeWitnessBlock, ptr(blk.BlockHash())),
		wire.NewInvVect(wire.InvTypeTx, ptr(tx.TxHash())),
		wire.NewInvVect(wire.InvTypeFilteredBlock, &chainhash.Hash{9}), // not tracked
	), t0)
	nf := wire.NewMsgNotFound()
	_ = nf.AddInvVect(wire.NewInvVect(wire.InvTypeTx, ptr(tx.TxHash())))
	p.Received(nf, t0.Add(time.Second))
	p.Received(blk, t0.Add(3*time.Second))
	p.Expire(t0.Add(time.Hour))

	var s peermanpb.PeerStats
	p.Fill(&s)
	if want := (&peermanpb.LatencyStats{Count: 1, MeanUs: 3_000_000, P50Us: 3_000_000, P90Us: 3_000_000}); !sameLatency(s.GetBlockLatency(), want) {
		t.Fatalf("block latency %v, want %v", s.GetBlockLatency(), want)
	}
	if want := (&peermanpb.LatencyStats{}); !sameLatency(s.GetTxLatency(), want) {
		t.Fatalf("tx latency %v, want %v", s.GetTxLatency(), want)
	}
	if o := p.Requests().Outcome(KindTx); o.NotFound != 1 || o.Lost != 0 {
		t.Fatalf("tx outcome %+v, want one notfound and nothing lost", o)
	}
	if s.GetBlocksReceived() != 1 || s.GetTxRequestedFromPeer() != 1 {
		t.Fatalf("blocks received %d, tx requested %d", s.GetBlocksReceived(), s.GetTxRequestedFromPeer())
	}
}

// TestBlockTimeoutLost: an unanswered block request is lost after its own
// timeout, independently of the transaction timeout.
func TestBlockTimeoutLost(t *testing.T) {
	tr := NewRequestTracker(time.Hour, 10*time.Second)
	tr.Track(KindBlock, chainhash.Hash{1}, t0)
	tr.Track(KindTx, chainhash.Hash{1}, t0) // same hash, other kind: separate request
	if n := tr.Expire(t0.Add(10 * time.Second)); n != 1 {
		t.Fatalf("expired %d, want the block only", n)
	}
	if tr.Outcome(KindBlock).Lost != 1 || tr.Pending(KindTx) != 1 || tr.Pending(KindBlock) != 0 {
		t.Fatalf("block %+v, pending tx %d block %d", tr.Outcome(KindBlock), tr.Pending(KindTx), tr.Pending(KindBlock))
	}
	// A reply after expiry is unsolicited, and Fulfil expires first.
	tr2 := NewRequestTracker(time.Second, time.Second)
	tr2.Track(KindTx, chainhash.Hash{2}, t0)
	if _, ok := tr2.Fulfil(KindTx, chainhash.Hash{2}, t0.Add(time.Second)); ok {
		t.Fatal("a reply at the timeout was taken as a sample")
	}
	if o := tr2.Outcome(KindTx); o.Lost != 1 || o.Unsolicited != 1 || o.Fulfilled != 0 {
		t.Fatalf("outcome %+v, want lost 1 unsolicited 1", o)
	}
}

// TestDuplicateAndBound: a repeated request keeps the first time; the
// pending bound refuses more and counts them untracked.
func TestDuplicateAndBound(t *testing.T) {
	tr := NewRequestTracker(0, 0)
	tr.maxPending = 3
	h := chainhash.Hash{1}
	if !tr.Track(KindTx, h, t0) || tr.Track(KindTx, h, t0.Add(time.Second)) {
		t.Fatal("a duplicate request was tracked again")
	}
	if d, ok := tr.Fulfil(KindTx, h, t0.Add(2*time.Second)); !ok || d != 2*time.Second {
		t.Fatalf("latency %v %v, want 2s from the first request", d, ok)
	}
	for i := range 5 {
		tr.Track(KindTx, chainhash.Hash{byte(10 + i)}, t0)
	}
	if tr.Pending(KindTx) != 3 || tr.Outcome(KindTx).Untracked != 3 {
		t.Fatalf("pending %d untracked %d, want 3 and 3 (one duplicate, two over the bound)",
			tr.Pending(KindTx), tr.Outcome(KindTx).Untracked)
	}
}

// TestQueueCompacts: a peer that answers everything does not make the
// expiry queue grow with its history.
func TestQueueCompacts(t *testing.T) {
	tr := NewRequestTracker(time.Hour, time.Hour)
	now := t0
	for i := range 10_000 {
		h := chainhash.Hash{byte(i), byte(i >> 8)}
		tr.Track(KindTx, h, now)
		now = now.Add(time.Millisecond)
		if _, ok := tr.Fulfil(KindTx, h, now); !ok {
			t.Fatalf("request %d not fulfilled", i)
		}
	}
	if n := tr.queuedLen(KindTx); n > 128 {
		t.Fatalf("expiry queue holds %d entries with nothing pending", n)
	}
	if tr.Latency(KindTx).Count() != 10_000 || tr.Latency(KindTx).Mean() != time.Millisecond {
		t.Fatalf("count %d mean %v", tr.Latency(KindTx).Count(), tr.Latency(KindTx).Mean())
	}
}

// TestLatencyWindow: percentiles come from the last LatencyWindow samples,
// count and mean from all.
func TestLatencyWindow(t *testing.T) {
	var l Latency
	if got := l.Percentiles(50, 90); got[0] != 0 || got[1] != 0 || l.Mean() != 0 {
		t.Fatalf("empty latency gives %v mean %v", got, l.Mean())
	}
	for range LatencyWindow {
		l.Add(time.Hour) // pushed out below
	}
	for i := 1; i <= LatencyWindow; i++ {
		l.Add(time.Duration(i) * time.Millisecond)
	}
	got := l.Percentiles(50, 90, 100)
	want := []time.Duration{128 * time.Millisecond, 231 * time.Millisecond, 256 * time.Millisecond}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("percentiles %v, want %v", got, want)
		}
	}
	if l.Count() != 2*LatencyWindow {
		t.Fatalf("count %d", l.Count())
	}
	if l.samples() != LatencyWindow {
		t.Fatalf("window holds %d samples", l.samples())
	}
}

func ptr(h chainhash.Hash) *chainhash.Hash { return &h }

func sameLatency(a, b *peermanpb.LatencyStats) bool {
	return a.GetCount() == b.GetCount() && a.GetLost() == b.GetLost() && a.GetUnsolicited() == b.GetUnsolicited() &&
		a.GetMeanUs() == b.GetMeanUs() && a.GetP50Us() == b.GetP50Us() && a.GetP90Us() == b.GetP90Us()
}
