package peerman_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/sockman"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

// The flood test's sockman limits: a receive budget small enough for the
// flood to fill within a second, and a payload limit (far above anything
// the flooder sends) that the budget can hold.
const (
	floodMaxPayload = 64 << 10
	floodBudget     = 256 << 10
)

// floodWatch is how long the flood is watched once reading has paused.
const floodWatch = 4 * time.Second

// floodHeapSlack bounds how much the live heap may grow during the watch.
// With flow control the flooded Peer's mailbox holds at most the budget's
// frames (about 8,000 pings, under 2 MB of messages); the live heap grew
// by about 1 MB during the watch on a two-core machine under the race
// detector. Without it the mailbox, and the live heap, grew by about 5 MB
// a second there.
const floodHeapSlack = 16 << 20

// liveHeap returns the bytes of live heap objects after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestFloodFillsOnlyTheReceiveBudget checks that a peer writing pings
// faster than its Peer handles them is read only as fast as the Peer
// acknowledges: its unacknowledged bytes never exceed the receive budget
// plus one frame, the heap stops growing, the flood still makes progress,
// and another peer's pings are answered meanwhile.
func TestFloodFillsOnlyTheReceiveBudget(t *testing.T) {
	f := newFixtureWith(t, baseConfig(), sockman.Config{MaxPayload: floodMaxPayload, MaxRecvBuffer: floodBudget})
	c, err := wiretest.Dial(f.addr, testNet)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Handshake(clientOptions("/measured/", 1)); err != nil {
		t.Fatal(err)
	}
	measured := f.peerOf(c.LocalAddr())

	fl := startFlooder(t, f.addr)
	op := waitFor(t, f.ev, "the flooder's Opened", func(o *sockmanpb.Opened) bool {
		return o.GetConnId() != measured.GetConnId()
	})
	const bound = floodBudget + sockman.HeaderSize + floodMaxPayload
	stats := func() *sockmanpb.ConnStats {
		t.Helper()
		res, err := f.sys.Root.RequestFuture(op.GetConn(), &sockmanpb.GetConnStats{}, waitLong).Result()
		if err != nil {
			t.Fatalf("GetConnStats: %v", err)
		}
		s := res.(*sockmanpb.ConnStats)
		if s.GetRecvUnackedBytes() > bound {
			t.Fatalf("the flooded Peer holds %d unacknowledged bytes, budget %d plus one frame", s.GetRecvUnackedBytes(), floodBudget)
		}
		return s
	}
	eventually(t, func() string {
		if stats().GetRecvPauses() == 0 {
			return "reading the flood never paused"
		}
		return ""
	})

	heapPaused := liveHeap()
	first, written := stats(), fl.written.Load()
	var nonce, pauses uint64
	var maxHeap uint64
	for end := time.Now().Add(floodWatch); time.Now().Before(end); {
		nonce++
		if _, err := c.Ping(nonce, waitLong); err != nil {
			t.Fatalf("ping %d of the other peer: %v", nonce, err)
		}
		pauses = stats().GetRecvPauses()
		if nonce%20 == 0 {
			maxHeap = max(maxHeap, liveHeap())
		}
	}
	maxHeap = max(maxHeap, liveHeap())
	last := stats()
	t.Logf("during %v: %d pings answered, flood read %d bytes in %d pauses, client wrote %d; live heap %d MB at the first pause, at most %d MB after",
		floodWatch, nonce, last.GetBytesRecv()-first.GetBytesRecv(), pauses-first.GetRecvPauses(),
		fl.written.Load()-written, heapPaused>>20, maxHeap>>20)
	if last.GetBytesRecv() <= first.GetBytesRecv() {
		t.Fatal("the flood was not read on as the Peer acknowledged it")
	}
	if maxHeap > heapPaused+floodHeapSlack {
		t.Fatalf("live heap grew from %d to %d bytes while the flood was held at the budget", heapPaused, maxHeap)
	}
}

// TestPeerAcknowledgesOnTick checks that a Peer acknowledges the bytes it
// handled below the 64 KiB batch on its next tick, so a quiet peer's
// budget is not left partly spent.
func TestPeerAcknowledgesOnTick(t *testing.T) {
	f := newFixture(t, baseConfig())
	c, err := wiretest.Dial(f.addr, testNet)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Handshake(clientOptions("/quiet/", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(1, waitLong); err != nil {
		t.Fatal(err)
	}
	ps := f.peerOf(c.LocalAddr())
	op := waitFor(t, f.ev, "Opened", func(o *sockmanpb.Opened) bool { return o.GetConnId() == ps.GetConnId() })
	eventually(t, func() string {
		res, err := f.sys.Root.RequestFuture(op.GetConn(), &sockmanpb.GetConnStats{}, waitLong).Result()
		if err != nil {
			return err.Error()
		}
		s := res.(*sockmanpb.ConnStats)
		if s.GetBytesRecv() == 0 || s.GetRecvUnackedBytes() != 0 {
			return fmt.Sprintf("%d bytes received, %d unacknowledged", s.GetBytesRecv(), s.GetRecvUnackedBytes())
		}
		return ""
	})
}
