package peerman_test

import (
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/addrman/addrmanpb"
	"github.com/actornode/actornode/addrman/book"
	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/peerman"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"
)

// fullNode are the services of the addresses the test peers announce.
const fullNode = wire.SFNodeNetwork | wire.SFNodeWitness

// standInAddrman is a test-only stand-in for addrman: it records every
// AddAddresses and GetAddrCache and answers the latter with a fixed list.
type standInAddrman struct {
	answer *addrmanpb.AddrList

	mu       sync.Mutex
	adds     []*addrmanpb.AddAddresses
	requests []*addrmanpb.GetAddrCache
}

// countRequests (test -> stand-in) asks for the number of GetAddrCache
// requests handled so far; the answer is an int.
type countRequests struct{}

// requestCount asks the stand-in, through its mailbox, how many
// GetAddrCache requests it handled: every request enqueued before this
// call is counted.
func (s *standInAddrman) requestCount(t *testing.T, f *fixture) int {
	t.Helper()
	res, err := f.sys.Root.RequestFuture(f.sys.NewLocalPID("addrman"), countRequests{}, waitLong).Result()
	if err != nil {
		t.Fatalf("asking the stand-in addrman: %v", err)
	}
	return res.(int)
}

// firstRequest returns the first GetAddrCache received, or nil.
func (s *standInAddrman) firstRequest() *addrmanpb.GetAddrCache {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) == 0 {
		return nil
	}
	return s.requests[0]
}

// producer returns the stand-in's actor producer (the stand-in itself).
func (s *standInAddrman) producer() actor.Producer {
	return func() actor.Actor { return s }
}

// Receive handles one message.
func (s *standInAddrman) Receive(ctx actor.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch m := ctx.Message().(type) {
	case *addrmanpb.AddAddresses:
		s.adds = append(s.adds, m)
	case *addrmanpb.GetAddrCache:
		s.requests = append(s.requests, m)
		ctx.Respond(s.answer)
	case countRequests:
		ctx.Respond(len(s.requests))
	}
}

// added returns the AddAddresses received so far and their address total.
func (s *standInAddrman) added() ([]*addrmanpb.AddAddresses, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, a := range s.adds {
		n += len(a.GetAddrs())
	}
	return slices.Clone(s.adds), n
}

// addrConfig is baseConfig with a frozen manual clock (every Step of the
// Peers happens at its reading, so no token refills behind a test's back)
// and a deterministic relay key.
func addrConfig() (peerman.Config, *actors.ManualClock) {
	cfg := baseConfig()
	clock := actors.NewManualClock(time.Now().Add(-time.Minute).Truncate(time.Second))
	cfg.Clock = clock
	cfg.Random = &countingRandom{}
	return cfg, clock
}

// countingRandom is a deterministic randomness source.
type countingRandom struct{ n uint64 }

// Uint64 returns the next number.
func (c *countingRandom) Uint64() uint64 {
	c.n++
	return c.n * 0x9e37_79b9_7f4a_7c15
}

// routable returns the i-th of distinct public IPv4 addresses.
func routable(i int) net.IP { return net.IPv4(23, byte(i>>16), byte(i>>8), byte(i)) }

// addrBurst is an addr message of n routable full-node addresses.
func addrBurst(n int, ts time.Time) *wire.MsgAddr {
	m := &wire.MsgAddr{}
	for i := range n {
		m.AddrList = append(m.AddrList, &wire.NetAddress{Timestamp: ts, Services: fullNode, IP: routable(i), Port: 8333})
	}
	return m
}

// addrV2Burst is addrBurst as addrv2.
func addrV2Burst(n int, ts time.Time) *wire.MsgAddrV2 {
	m := &wire.MsgAddrV2{}
	for i := range n {
		m.AddrList = append(m.AddrList, wire.NetAddressV2FromBytes(ts, fullNode, routable(i).To4(), 8333))
	}
	return m
}

// dialInbound connects a wiretest client to the fixture and completes the
// handshake with opts.
func dialInbound(t *testing.T, f *fixture, opts wiretest.HandshakeOptions) *wiretest.Client {
	t.Helper()
	c, err := wiretest.Dial(f.addr, testNet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if _, err := c.Handshake(opts); err != nil {
		t.Fatal(err)
	}
	return c
}

// waitAddrFigures waits until peer's snapshot shows the address figures.
func (f *fixture) waitAddrFigures(peer uint64, enabled bool, processed, limited uint64) {
	f.t.Helper()
	eventually(f.t, func() string {
		s := f.snapshotOf(peer)
		if s == nil {
			return "peer not listed"
		}
		if s.GetAddrRelayEnabled() != enabled || s.GetAddrProcessed() != processed || s.GetAddrRateLimited() != limited {
			return fmt.Sprintf("addr_relay_enabled %v addr_processed %d addr_rate_limited %d, want %v %d %d",
				s.GetAddrRelayEnabled(), s.GetAddrProcessed(), s.GetAddrRateLimited(), enabled, processed, limited)
		}
		return ""
	})
}

func TestUnsolicitedAddrBurstIsRateLimited(t *testing.T) {
	cfg, clock := addrConfig()
	am := &standInAddrman{answer: &addrmanpb.AddrList{}}
	f := newFixtureFull(t, cfg, sockman.Config{}, am.producer())
	c := dialInbound(t, f, wiretest.DefaultHandshake())
	ps := f.peerOf(c.LocalAddr())
	f.waitAddrFigures(ps.GetPeerId(), false, 0, 0)

	if err := c.WriteMessage(addrBurst(1000, clock.Now())); err != nil {
		t.Fatal(err)
	}
	f.waitAddrFigures(ps.GetPeerId(), true, 1, 999)
	eventually(t, func() string {
		if _, n := am.added(); n != 1 {
			return fmt.Sprintf("addrman got %d addresses, want 1", n)
		}
		return ""
	})
	adds, _ := am.added()
	a := adds[0]
	if len(adds) != 1 || a.GetSource() != c.LocalAddr() || a.GetPeerId() != ps.GetPeerId() ||
		a.GetTimePenaltySeconds() != 7200 {
		t.Fatalf("AddAddresses %v, want one from %s (peer %d) with a 2 h penalty", adds, c.LocalAddr(), ps.GetPeerId())
	}
	na := a.GetAddrs()[0]
	if na.GetNetwork() != 1 || len(na.GetAddr()) != 4 || na.GetPort() != 8333 ||
		na.GetServices() != uint64(fullNode) || na.GetTime() != clock.Now().Unix() {
		t.Fatalf("address %v", na)
	}
}

func TestGetAddrAnswerIsAccepted(t *testing.T) {
	cfg, clock := addrConfig()
	am := &standInAddrman{answer: &addrmanpb.AddrList{}}
	f := newFixtureFull(t, cfg, sockman.Config{}, am.producer())
	ln, err := wiretest.Listen(testNet)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	f.dial(ln.Addr(), peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY)
	c, err := ln.Accept(waitLong)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Expect("getaddr", waitLong); err != nil {
		t.Fatal(err)
	}
	ps := f.onlyPeer()
	if err := c.WriteMessage(addrV2Burst(1000, clock.Now().Add(-time.Hour))); err != nil {
		t.Fatal(err)
	}
	f.waitAddrFigures(ps.GetPeerId(), true, 1000, 0)
	eventually(t, func() string {
		if _, n := am.added(); n != 1000 {
			return fmt.Sprintf("addrman got %d addresses, want 1000", n)
		}
		return ""
	})
	// Every address arrived once.
	adds, _ := am.added()
	seen := map[string]bool{}
	for _, a := range adds {
		for _, na := range a.GetAddrs() {
			seen[net.IP(na.GetAddr()).String()] = true
		}
	}
	if len(seen) != 1000 {
		t.Fatalf("%d distinct addresses reached addrman, want 1000", len(seen))
	}
}

// cacheAnswer is what the stand-in answers getaddr with: an IPv4, an IPv6
// and a Tor v3 address.
func cacheAnswer(t *testing.T, ts time.Time) *addrmanpb.AddrList {
	t.Helper()
	list := &addrmanpb.AddrList{}
	for _, s := range []string{
		"45.0.0.1:8333", "[2a01:4f8::1]:8333",
		"pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion:8333",
	} {
		a, err := book.ParseAddr(s)
		if err != nil {
			t.Fatal(err)
		}
		list.Addrs = append(list.Addrs, &addrmanpb.NetAddr{Network: uint32(a.Net), Addr: a.Bytes(),
			Port: uint32(a.Port), Services: uint64(fullNode), Time: ts.Unix()})
	}
	return list
}

func TestGetAddrIsAnsweredFromAddrmanOnce(t *testing.T) {
	cfg, clock := addrConfig()
	am := &standInAddrman{answer: cacheAnswer(t, clock.Now())}
	f := newFixtureFull(t, cfg, sockman.Config{}, am.producer())

	// A peer that sent sendaddrv2 gets addrv2, with the onion address.
	c := dialInbound(t, f, wiretest.DefaultHandshake())
	if err := c.WriteMessage(&wire.MsgGetAddr{}); err != nil {
		t.Fatal(err)
	}
	msg, err := c.Expect("addrv2", waitLong)
	if err != nil {
		t.Fatal(err)
	}
	if m := msg.(*wire.MsgAddrV2); len(m.AddrList) != 3 || !m.AddrList[2].IsTorV3() ||
		m.AddrList[0].Addr.String() != "45.0.0.1" || m.AddrList[0].Port != 8333 {
		t.Fatalf("addrv2 %+v", m.AddrList)
	}
	// A second getaddr is ignored: addrman is not asked again, and by the
	// time the ping behind it is answered the Peer has handled it.
	if err := c.WriteMessage(&wire.MsgGetAddr{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(99, waitLong); err != nil {
		t.Fatal(err)
	}
	if n := am.requestCount(t, f); n != 1 {
		t.Fatalf("addrman asked %d times, want 1", n)
	}
	for _, r := range c.Others() {
		if r.Command == "addr" || r.Command == "addrv2" {
			t.Fatalf("second getaddr answered with %s", r.Command)
		}
	}
	if got := am.firstRequest().GetRequestorNetwork(); got != 1 {
		t.Fatalf("requestor_network %d, want 1 (ipv4)", got)
	}

	// A legacy peer gets addr, without the onion address.
	opts := wiretest.DefaultHandshake()
	opts.SendAddrV2 = false
	legacy := dialInbound(t, f, opts)
	if err := legacy.WriteMessage(&wire.MsgGetAddr{}); err != nil {
		t.Fatal(err)
	}
	msg, err = legacy.Expect("addr", waitLong)
	if err != nil {
		t.Fatal(err)
	}
	if m := msg.(*wire.MsgAddr); len(m.AddrList) != 2 || !m.AddrList[1].IP.Equal(net.ParseIP("2a01:4f8::1")) {
		t.Fatalf("addr %+v", m.AddrList)
	}
}

func TestSelfAnnouncementIsRelayed(t *testing.T) {
	cfg, clock := addrConfig()
	am := &standInAddrman{answer: &addrmanpb.AddrList{}}
	f := newFixtureFull(t, cfg, sockman.Config{}, am.producer())

	// A legacy peer that asked for addresses takes part in relay; its
	// getaddr answer is empty, so nothing is sent to it yet.
	opts := wiretest.DefaultHandshake()
	opts.SendAddrV2 = false
	listener := dialInbound(t, f, opts)
	if err := listener.WriteMessage(&wire.MsgGetAddr{}); err != nil {
		t.Fatal(err)
	}
	f.waitAddrFigures(f.peerOf(listener.LocalAddr()).GetPeerId(), true, 0, 0)
	// A peer that has not taken part in address relay gets nothing.
	bystander := dialInbound(t, f, wiretest.DefaultHandshake())

	// Another peer announces itself (a routable address, now).
	announcer := dialInbound(t, f, wiretest.DefaultHandshake())
	self := &wire.NetAddress{Timestamp: clock.Now(), Services: fullNode, IP: net.ParseIP("45.6.7.8"), Port: 8333}
	if err := announcer.WriteMessage(&wire.MsgAddr{AddrList: []*wire.NetAddress{self}}); err != nil {
		t.Fatal(err)
	}
	msg, err := listener.Expect("addr", waitLong)
	if err != nil {
		t.Fatal(err)
	}
	m := msg.(*wire.MsgAddr)
	if len(m.AddrList) != 1 || !m.AddrList[0].IP.Equal(self.IP) || m.AddrList[0].Port != 8333 ||
		m.AddrList[0].Timestamp.Unix() != self.Timestamp.Unix() {
		t.Fatalf("relayed addr %+v, want %+v", m.AddrList, self)
	}
	// The announcement reached addrman too.
	eventually(t, func() string {
		if _, n := am.added(); n != 1 {
			return fmt.Sprintf("addrman got %d addresses, want 1", n)
		}
		return ""
	})
	// Neither the announcer nor the bystander heard it: a ping round trip
	// on each orders any relay before the pong.
	for name, c := range map[string]*wiretest.Client{"announcer": announcer, "bystander": bystander} {
		if _, err := c.Ping(7, waitLong); err != nil {
			t.Fatal(err)
		}
		for _, r := range c.Others() {
			if r.Command == "addr" || r.Command == "addrv2" {
				t.Fatalf("the %s was sent %s", name, r.Command)
			}
		}
	}
}

func TestWithoutAddrmanAddressesAreDropped(t *testing.T) {
	cfg, clock := addrConfig()
	f := newFixture(t, cfg)
	c := dialInbound(t, f, wiretest.DefaultHandshake())
	ps := f.peerOf(c.LocalAddr())
	if err := c.WriteMessage(addrBurst(3, clock.Now())); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteMessage(&wire.MsgGetAddr{}); err != nil {
		t.Fatal(err)
	}
	// The getaddr gets no answer: by the pong it would have been sent.
	if _, err := c.Ping(5, waitLong); err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Others() {
		if r.Command == "addr" || r.Command == "addrv2" {
			t.Fatalf("getaddr answered with %s without an addrman", r.Command)
		}
	}
	f.waitAddrFigures(ps.GetPeerId(), true, 1, 2)
}
