package connman

import (
	"net/netip"
	"testing"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/connman/evict"
	"github.com/actornode/actornode/connman/netgroup"
	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/peerman/peermanpb"
)

func TestInboundFullEvictsThePeerTheCorePicks(t *testing.T) {
	const slots = 24 // 20 are always protected, so a few more than that
	h := newHarness(t, options{cfg: func(c *Config) { c.MaxConnections = 11 + slots }})
	clients := map[uint64]*wiretest.Client{}
	var cands []evict.Candidate
	for i := 0; i < slots; i++ {
		c, a := h.accepted()
		clients[a.GetConnId()] = c
		// Varied figures, as Peer actors would publish them: pings in a
		// scrambled order, transaction relay asked by every other peer, a
		// transaction from every third, a block (and the services of a
		// block source) from every fifth.
		snap := &peermanpb.PeerSnapshot{
			ConnId:    a.GetConnId(),
			Addr:      a.GetRemoteAddr(),
			Inbound:   true,
			MinpingUs: int64((i*7)%slots+1) * 1000,
			Relaytxes: i%2 == 0,
		}
		cand := evict.Candidate{
			ID:        actors.ConnID(a.GetConnId()),
			Addr:      netip.MustParseAddr("127.0.0.1"),
			IsLocal:   true,
			Inbound:   true,
			Connected: h.clock.Now(),
			MinPing:   time.Duration(snap.MinpingUs) * time.Microsecond,
			RelayTxs:  snap.Relaytxes,
		}
		if i%3 == 0 {
			snap.LastTransactionUnix = h.clock.Now().Unix() - int64(i)
			cand.LastTx = time.Unix(snap.LastTransactionUnix, 0)
		}
		if i%5 == 0 {
			snap.Services = serviceNetwork | serviceWitness
			cand.RelevantServices = true
			snap.LastBlockUnix = h.clock.Now().Unix() - int64(i)
			cand.LastBlock = time.Unix(snap.LastBlockUnix, 0)
		}
		h.sys.Root.Send(h.connmanPID(), snap)
		cands = append(cands, cand)
	}
	want, ok := evict.Select(cands, h.clock.Now(), netgroup.KeyFrom(h.cfg.EvictionKey))
	if !ok {
		t.Fatal("the core evicts nobody; the scenario is wrong")
	}

	newcomer := h.dial()
	closed(t, clients[uint64(want)])
	a := h.nextAttach()
	if a.GetRemoteAddr() != newcomer.LocalAddr() {
		t.Fatalf("attached %s, want the newcomer %s", a.GetRemoteAddr(), newcomer.LocalAddr())
	}
	for id, c := range clients {
		if id != uint64(want) {
			stillOpen(t, c)
			break // one is enough to show the others stay; all would take too long
		}
	}
	eventually(t, "the victim's Closed", func() bool {
		n := h.counts()
		return n.GetInbound() == slots && n.GetEvicted() == 1
	})
	if len(h.logs.lines("disconnecting peer", "reason=\"evicted: inbound slots full")) != 1 {
		t.Fatal("no log line for the eviction")
	}
}
