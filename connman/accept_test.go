package connman

import (
	"testing"

	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/peerman/peermanpb"
)

func TestInboundConnectionIsAttachedToPeerman(t *testing.T) {
	h := newHarness(t, options{})
	c, a := h.accepted()
	if a.GetConnectionType() != peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND || a.GetConn() == nil ||
		a.GetLocalAddr() != h.addr || a.GetOpenedUnixNano() == 0 || a.GetNoban() {
		t.Fatalf("AttachPeer %v", a)
	}
	stillOpen(t, c)
	if n := h.counts(); n.GetTotal() != 1 || n.GetInbound() != 1 {
		t.Fatalf("counts %v", n)
	}
	_ = c.Close()
	eventually(t, "the view to forget the closed connection", func() bool { return h.counts().GetTotal() == 0 })
}

func TestBannedAddressRefusedAtAccept(t *testing.T) {
	h := newHarness(t, options{})
	h.mustOK(&connmanpb.SetBan{Subnet: "127.0.0.1", Command: "add"})
	c := h.dial()
	closed(t, c)
	h.noAttach()
	if n := h.counts(); n.GetRefusedBanned() != 1 || n.GetTotal() != 0 {
		t.Fatalf("counts %v", n)
	}
	if len(h.logs.lines("inbound connection refused", "reason=banned")) != 1 {
		t.Fatal("no log line for the refused connection")
	}
	h.mustOK(&connmanpb.SetBan{Subnet: "127.0.0.1", Command: "remove"})
	c2, _ := h.accepted()
	stillOpen(t, c2)
}

func TestNoBanPeersAreNeverRefused(t *testing.T) {
	h := newHarness(t, options{cfg: func(c *Config) { c.NoBan = []string{"127.0.0.0/8"} }})
	h.mustOK(&connmanpb.SetBan{Subnet: "127.0.0.1", Command: "add"})
	_, a := h.accepted()
	if !a.GetNoban() {
		t.Fatal("AttachPeer without noban")
	}
}

func TestInboundFullAndNobodyEvictableRefusesTheNewcomer(t *testing.T) {
	// 11 automatic outbound slots + 2 inbound.
	h := newHarness(t, options{cfg: func(c *Config) { c.MaxConnections = 13 }})
	c1, _ := h.accepted()
	c2, _ := h.accepted()
	c3 := h.dial()
	closed(t, c3)
	h.noAttach()
	stillOpen(t, c1)
	stillOpen(t, c2)
	if n := h.counts(); n.GetRefusedNoSlot() != 1 || n.GetInbound() != 2 {
		t.Fatalf("counts %v", n)
	}
}

func TestNoInboundSlotsRefusesEveryone(t *testing.T) {
	h := newHarness(t, options{cfg: func(c *Config) { c.MaxConnections = 5 }})
	closed(t, h.dial())
	h.noAttach()
	if n := h.counts(); n.GetRefusedNoSlot() != 1 {
		t.Fatalf("counts %v", n)
	}
}
