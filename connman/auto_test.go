package connman

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// handshake sends connman the snapshot a Peer publishes when its
// handshake is done.
func (h *harness) handshake(att *peermanpb.AttachPeer, services uint64) {
	h.t.Helper()
	peerID := uint64(0)
	eventually(h.t, "the stand-in Peer", func() bool { _, peerID = h.peerman.peer(att.GetConnId()); return peerID != 0 })
	h.sys.Root.Send(h.connmanPID(), &peermanpb.PeerSnapshot{PeerId: peerID, ConnId: att.GetConnId(), Addr: att.GetRemoteAddr(),
		Services: services, HandshakeDone: true, ConnectionType: att.GetConnectionType(), Network: "not_publicly_routable"})
}

// attachFor waits for the AttachPeer of a connection to addr, skipping
// others.
func (h *harness) attachFor(addr string) *peermanpb.AttachPeer {
	h.t.Helper()
	deadline := time.After(waitLong)
	for {
		select {
		case m := <-h.peerman.attached:
			if m.GetRemoteAddr() == addr {
				return m
			}
		case <-deadline:
			h.t.Fatalf("no AttachPeer for %s", addr)
		}
	}
}

func TestAutomaticOutboundFillsSlotsOnePerNetgroup(t *testing.T) {
	// Eleven network groups, two peers in each.
	var pool []string
	remotes := map[string]*remote{}
	for g := 1; g <= 11; g++ {
		for i := 1; i <= 2; i++ {
			r := listenRemote(t, fmt.Sprintf("127.%d.0.%d", g, i))
			remotes[r.addr] = r
			pool = append(pool, r.addr)
		}
	}
	f := &fakeAddrman{}
	f.setPool(pool...)
	h := newHarness(t, autoOptions(f, func(c *Config) { c.MaxFeelers = -1 }))

	var atts []*peermanpb.AttachPeer
	h.advanceUntil("ten automatic connections", autoInterval, func() bool {
		for {
			select {
			case m := <-h.peerman.attached:
				atts = append(atts, m)
				continue
			default:
			}
			return len(atts) >= 10
		}
	})
	// More rounds change nothing: every slot is taken.
	for range 10 {
		h.clock.Advance(autoInterval)
	}
	h.noAttach()

	types := map[peermanpb.ConnectionType]int{}
	groups := map[string]string{}
	for _, a := range atts {
		types[a.GetConnectionType()]++
		ap := netip.MustParseAddrPort(a.GetRemoteAddr())
		g := loopbackGroups(ap.Addr()).String()
		if other, ok := groups[g]; ok {
			t.Fatalf("two outbound peers in group %s: %s and %s", g, other, a.GetRemoteAddr())
		}
		groups[g] = a.GetRemoteAddr()
		if remotes[a.GetRemoteAddr()] == nil {
			t.Fatalf("connected to %s, which addrman never offered", a.GetRemoteAddr())
		}
	}
	if types[peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY] != 8 ||
		types[peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY] != 2 || len(atts) != 10 {
		t.Fatalf("connection types %v", types)
	}
	dialled := 0
	for _, r := range remotes {
		dialled += r.accepted()
	}
	if dialled != 10 {
		t.Fatalf("%d remotes were dialled, want 10", dialled)
	}
	if c := h.counts(); c.GetOutbound() != 10 || c.GetInbound() != 0 {
		t.Fatalf("counts %v", c)
	}
	// Addrman heard nothing: none of these peers finished a handshake.
	if r := h.addrmanReports(); len(r) != 0 {
		t.Fatalf("reports %v", r)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.resolves == 0 {
		t.Fatal("no ResolveCollisions sent")
	}
	for _, s := range f.selects {
		if s.GetNewOnly() || fmt.Sprint(s.GetNetworks()) != "[1 2]" {
			t.Fatalf("Select %v for a persistent connection", s)
		}
	}
}

func TestAutomaticOutboundReportsToAddrman(t *testing.T) {
	f := &fakeAddrman{}
	dead := closedAddr(t, "127.9.0.1")
	f.setPool(dead)
	h := newHarness(t, autoOptions(f, func(c *Config) { c.MaxFeelers = -1 }))

	// A failed dial is an attempt; with no outbound peer yet it does not
	// count as the address's failure.
	eventually(t, "the failed dial's Attempt", func() bool { return len(h.reportsAbout(dead)) > 0 })
	if got := h.reportsAbout(dead)[0]; got != "Attempt "+dead+" count_failure=false" {
		t.Fatalf("report %q", got)
	}

	// A peer that completes its handshake: SetServices and Good, and
	// Connected only when the connection ends.
	good := listenRemote(t, "127.1.0.1")
	f.setPool(good.addr)
	var att *peermanpb.AttachPeer
	h.advanceUntil("the connection to "+good.addr, autoInterval, func() bool {
		select {
		case att = <-h.peerman.attached:
			return true
		default:
			return false
		}
	})
	if att.GetRemoteAddr() != good.addr || att.GetConnectionType() != peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY {
		t.Fatalf("AttachPeer %v", att)
	}
	h.handshake(att, 0x409)
	h.waitReports(good.addr, "SetServices "+good.addr+" 0x409", "Good "+good.addr)
	// A second snapshot reports nothing more.
	h.handshake(att, 0x409)
	h.counts()
	if got := h.reportsAbout(good.addr); len(got) != 2 {
		t.Fatalf("reports %q", got)
	}

	// An inbound peer is never reported, handshake or not.
	in, inAtt := h.accepted()
	h.handshake(inAtt, 0x409)
	_ = in.Close()
	eventually(t, "the inbound close", func() bool { return h.counts().GetInbound() == 0 })
	if got := h.reportsAbout(inAtt.GetRemoteAddr()); len(got) != 0 {
		t.Fatalf("inbound peer reported: %q", got)
	}

	// A peer that closes before its handshake is a failed attempt; it
	// counts as the address's failure now that the node has outbound
	// peers in two network groups.
	early := listenRemote(t, "127.2.0.1")
	other := listenRemote(t, "127.3.0.1")
	f.setPool(other.addr)
	h.advanceUntil("the connection to "+other.addr, autoInterval, func() bool { return other.accepted() == 1 })
	h.attachFor(other.addr)
	f.setPool(early.addr)
	h.advanceUntil("the connection to "+early.addr, autoInterval, func() bool { return early.accepted() == 1 })
	f.setPool()
	h.attachFor(early.addr)
	early.drop(t, 1)
	h.waitReports(early.addr, "Attempt "+early.addr+" count_failure=true")

	// The handshaken peer goes away: now, and only now, Connected.
	good.drop(t, 1)
	h.waitReports(good.addr, "SetServices "+good.addr+" 0x409", "Good "+good.addr, "Connected "+good.addr)
}

func TestBlockRelayOnlyPeerIsNeverReportedConnected(t *testing.T) {
	f := &fakeAddrman{}
	r := listenRemote(t, "127.4.0.1")
	f.setPool(r.addr)
	h := newHarness(t, autoOptions(f, func(c *Config) { c.MaxOutboundFullRelay = -1; c.MaxFeelers = -1 }))
	att := h.attachFor(r.addr)
	if att.GetConnectionType() != peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY {
		t.Fatalf("AttachPeer %v", att)
	}
	f.setPool()
	h.handshake(att, fullNode)
	h.waitReports(r.addr, fmt.Sprintf("SetServices %s %#x", r.addr, fullNode), "Good "+r.addr)
	r.drop(t, 1)
	eventually(t, "the close", func() bool { return h.counts().GetTotal() == 0 })
	// connman has handled the Closed: anything it told addrman is there.
	if got := h.reportsAbout(r.addr); len(got) != 2 {
		t.Fatalf("block-relay-only close reported: %q", got)
	}
}

func TestFeelersFollowTheClock(t *testing.T) {
	f := &fakeAddrman{}
	first := listenRemote(t, "127.5.0.1")
	old := listenRemote(t, "127.6.0.1")
	f.setPool(first.addr)
	// No persistent slots: only feelers are ever due.
	h := newHarness(t, autoOptions(f, func(c *Config) { c.MaxOutboundFullRelay = -1; c.MaxBlockRelayOnly = -1 }))

	h.clock.Advance(feelerInterval - time.Second)
	h.noAttach()
	if first.accepted() != 0 {
		t.Fatal("a feeler before its time")
	}
	h.clock.Advance(time.Second)
	att := h.attachFor(first.addr)
	if att.GetConnectionType() != peermanpb.ConnectionType_CONNECTION_TYPE_FEELER {
		t.Fatalf("AttachPeer %v", att)
	}
	// The Peer ends a feeler once the version exchange is done: the
	// address is Good, and the close reports nothing more.
	_, peerID := h.peerman.peer(att.GetConnId())
	h.sys.Root.Send(h.connmanPID(), &peermanpb.DisconnectPeer{ConnId: att.GetConnId(), PeerId: peerID,
		Reason: peermanpb.DisconnectReason_DISCONNECT_REASON_FEELER_DONE, Detail: "feeler connection completed"})
	eventually(t, "the feeler closed", func() bool { return h.counts().GetTotal() == 0 })
	if got := h.reportsAbout(first.addr); fmt.Sprint(got) != fmt.Sprint([]string{"Good " + first.addr}) {
		t.Fatalf("feeler reports %q", got)
	}

	// The next feeler tests the tried entry of a pending collision.
	f.setCollision(old.addr)
	h.clock.Advance(feelerInterval - time.Second)
	h.noAttach()
	h.clock.Advance(time.Second)
	att = h.attachFor(old.addr)
	if att.GetConnectionType() != peermanpb.ConnectionType_CONNECTION_TYPE_FEELER {
		t.Fatalf("AttachPeer %v", att)
	}
	// A feeler that never completes is a failed attempt.
	old.drop(t, 1)
	h.waitReports(old.addr, "Attempt "+old.addr+" count_failure=false")

	f.mu.Lock()
	defer f.mu.Unlock()
	if f.tcQueries != 2 || len(f.selects) != 1 || !f.selects[0].GetNewOnly() {
		t.Fatalf("feelers asked SelectTriedCollision %d times and Select %v", f.tcQueries, f.selects)
	}
	if first.accepted() != 1 || old.accepted() != 1 {
		t.Fatalf("accepted %d and %d", first.accepted(), old.accepted())
	}
}

func TestConnectDisablesAutomaticOutbound(t *testing.T) {
	f := &fakeAddrman{}
	manual := listenRemote(t, "127.7.0.1")
	offered := listenRemote(t, "127.8.0.1")
	f.setPool(offered.addr)
	h := newHarness(t, autoOptions(f, func(c *Config) { c.Connect = []string{manual.addr} }))
	att := h.attachFor(manual.addr)
	if att.GetConnectionType() != peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL {
		t.Fatalf("AttachPeer %v", att)
	}
	// Manual peers are reported as Core does.
	h.handshake(att, fullNode)
	added := fmt.Sprintf("AddAddresses [%s/%#x] from %s", manual.addr, fullNode, manual.addr)
	h.waitReports(manual.addr, added, fmt.Sprintf("SetServices %s %#x", manual.addr, fullNode), "Good "+manual.addr)
	for range 10 {
		h.clock.Advance(autoInterval)
	}
	h.clock.Advance(2 * feelerInterval)
	h.noAttach()
	f.mu.Lock()
	asked := len(f.selects) + f.tcQueries + f.resolves
	f.mu.Unlock()
	if asked != 0 || offered.accepted() != 0 {
		t.Fatalf("addrman asked %d times, offered peer dialled %d times", asked, offered.accepted())
	}
	manual.drop(t, 1)
	h.waitReports(manual.addr, added, fmt.Sprintf("SetServices %s %#x", manual.addr, fullNode), "Good "+manual.addr, "Connected "+manual.addr)
	if !strings.Contains(strings.Join(h.logs.lines("connman started"), ""), "automatic_outbound=false") {
		t.Fatal("start line does not say automatic outbound is off")
	}
}

func TestAutomaticOutboundSkipsUnsuitableAddresses(t *testing.T) {
	f := &fakeAddrman{}
	banned := listenRemote(t, "127.10.0.1")
	added := listenRemote(t, "127.11.0.1")
	sameGroup := listenRemote(t, "127.12.0.2")
	ok := listenRemote(t, "127.12.0.1")
	h := newHarness(t, autoOptions(f, func(c *Config) { c.MaxFeelers = -1; c.AddNode = []string{added.addr} }))
	h.attachFor(added.addr)
	h.mustOK(&connmanpb.SetBan{Subnet: "127.10.0.1", Command: "add"})
	f.setPool(banned.addr, added.addr, ok.addr, sameGroup.addr)
	h.advanceUntil("the connection to "+ok.addr, autoInterval, func() bool { return ok.accepted() == 1 })
	h.attachFor(ok.addr)
	for range 10 {
		h.clock.Advance(autoInterval)
	}
	h.noAttach()
	if banned.accepted() != 0 || added.accepted() != 1 || sameGroup.accepted() != 0 {
		t.Fatalf("banned dialled %d times, manual peer %d, same group %d", banned.accepted(), added.accepted(), sameGroup.accepted())
	}
}

func TestSelectedAddressesNeedServices(t *testing.T) {
	full := peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY
	feeler := peermanpb.ConnectionType_CONNECTION_TYPE_FEELER
	withServices := func(s uint64) *addrmanpb.Selected {
		sel := selected("127.1.0.1:8333")
		sel.Addr.Services = s
		return sel
	}
	c := newConnman(Config{groupOf: loopbackGroups}.withDefaults(), newLifetime([32]byte{}))
	for _, tc := range []struct {
		sel  *addrmanpb.Selected
		t    peermanpb.ConnectionType
		want skipReason
	}{
		{withServices(fullNode), full, skipNone},
		{withServices(serviceNetwork), full, skipServices},
		{withServices(serviceNetworkLimited | serviceWitness), full, skipServices},
		{withServices(serviceNetworkLimited), feeler, skipNone},
		{withServices(0), feeler, skipServices},
		{&addrmanpb.Selected{Ok: true, Address: "seed.example:8333"}, full, skipInvalid},
	} {
		if got := c.unsuitable(tc.sel, tc.t); got != tc.want {
			t.Errorf("%v for %v: %q want %q", tc.sel, tc.t, got, tc.want)
		}
	}
}
