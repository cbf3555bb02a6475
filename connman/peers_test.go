package connman

import (
	"net/netip"
	"testing"

	"github.com/actornode/actornode/peerman/peermanpb"
)

func TestDisconnectPeerClosesTheRightConnection(t *testing.T) {
	h := newHarness(t, options{})
	a, attA := h.accepted()
	b, _ := h.accepted()
	_, peerID := h.peerman.peer(attA.GetConnId())
	h.sys.Root.Send(h.connmanPID(), &peermanpb.DisconnectPeer{ConnId: attA.GetConnId(), PeerId: peerID,
		Reason: peermanpb.DisconnectReason_DISCONNECT_REASON_PING_TIMEOUT, Detail: "no pong within 20m0s", Misbehaving: true})
	closed(t, a)
	stillOpen(t, b)
	eventually(t, "sockman's Closed with the detail", func() bool {
		return len(h.logs.lines("connection closed", "reason=CLOSE_REASON_REQUESTED", `detail="ping_timeout: no pong within 20m0s"`)) == 1
	})
	if n := h.counts(); n.GetTotal() != 1 {
		t.Fatalf("counts %v", n)
	}
	// Loopback peers are only disconnected, never discouraged (as Core):
	// the same address is accepted again.
	if len(h.logs.lines("discouraging address")) != 0 {
		t.Fatal("a local peer was discouraged")
	}
	c, _ := h.accepted()
	stillOpen(t, c)
}

func TestDisconnectPeerNamingAnotherPeerIsIgnored(t *testing.T) {
	h := newHarness(t, options{})
	a, att := h.accepted()
	_, peerID := h.peerman.peer(att.GetConnId())
	// The stand-in peerman sent PeerStarted before AttachPeer was
	// recorded, so connman knows the peer id by now.
	h.sys.Root.Send(h.connmanPID(), &peermanpb.DisconnectPeer{ConnId: att.GetConnId(), PeerId: peerID + 100,
		Reason: peermanpb.DisconnectReason_DISCONNECT_REASON_INACTIVITY})
	stillOpen(t, a)
}

func TestPeerActorTerminationClosesItsConnection(t *testing.T) {
	h := newHarness(t, options{})
	a, attA := h.accepted()
	b, _ := h.accepted()
	peer, _ := h.peerman.peer(attA.GetConnId())
	if err := h.sys.Root.StopFuture(peer).Wait(); err != nil {
		t.Fatal(err)
	}
	closed(t, a)
	stillOpen(t, b)
	eventually(t, "the close logged with its reason", func() bool {
		return len(h.logs.lines("connection closed", `detail="peer_actor_failed: peer actor stopped"`)) == 1
	})
}

func TestPunishable(t *testing.T) {
	mustAddr := netip.MustParseAddr
	for _, tc := range []struct {
		name string
		r    record
		want bool
	}{
		{"routable inbound", record{connType: peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND, addr: mustAddr("1.2.3.4")}, true},
		{"noban", record{connType: peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND, addr: mustAddr("1.2.3.4"), noban: true}, false},
		{"manual", record{connType: peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL, addr: mustAddr("1.2.3.4")}, false},
		{"local", record{connType: peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND, addr: mustAddr("127.0.0.1")}, false},
		{"no ip", record{connType: peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY}, false},
	} {
		if got := punishable(&tc.r); got != tc.want {
			t.Errorf("%s: punishable %v want %v", tc.name, got, tc.want)
		}
	}
}
