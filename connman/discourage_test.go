package connman

import (
	"net"
	"strings"
	"testing"

	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// nonLocalIPv4 returns an IPv4 address of this machine outside 127/8, or
// skips the test.
func nonLocalIPv4(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skipf("no interface addresses: %v", err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() {
			return n.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address to connect from")
	return ""
}

func TestMisbehavingPeerIsDiscouraged(t *testing.T) {
	ip := nonLocalIPv4(t)
	// Three inbound slots, listening on every interface.
	h := newHarness(t, options{cfg: func(c *Config) { c.MaxConnections = 11 + 3; c.Listen = []string{"0.0.0.0:0"} }})
	_, port, _ := net.SplitHostPort(h.addr)
	target := net.JoinHostPort(ip, port)
	fromIP := func() *wiretest.Client {
		c, err := wiretest.DialFrom(ip, target, testNet)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Close() })
		return c
	}

	bad := fromIP()
	att := h.nextAttach()
	if !strings.HasPrefix(att.GetRemoteAddr(), ip+":") {
		t.Fatalf("attached %s, want a peer from %s", att.GetRemoteAddr(), ip)
	}
	h.sys.Root.Send(h.connmanPID(), &peermanpb.DisconnectPeer{ConnId: att.GetConnId(),
		Reason: peermanpb.DisconnectReason_DISCONNECT_REASON_MALFORMED_MESSAGE, Detail: "bad tx", Misbehaving: true})
	closed(t, bad)
	eventually(t, "the discouragement logged", func() bool {
		return len(h.logs.lines("discouraging address", "remote="+att.GetRemoteAddr())) == 1
	})

	// A free slot: the discouraged address is accepted (and would be
	// evicted first).
	again := fromIP()
	h.nextAttach()
	// Slots almost full (2 of 3 used): it is refused.
	h.accepted()
	refused := fromIP()
	closed(t, refused)
	h.noAttach()
	stillOpen(t, again)
	if n := h.counts(); n.GetRefusedDiscouraged() != 1 || n.GetInbound() != 2 {
		t.Fatalf("counts %v", n)
	}
}
