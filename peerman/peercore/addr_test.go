package peercore

import (
	"net"
	"testing"
	"time"

	"github.com/actornode/actornode/addrman/book"
	"github.com/btcsuite/btcd/wire/v2"
)

// routableIP returns the i-th of a range of distinct public IPv4 addresses.
func routableIP(i int) net.IP { return net.IPv4(23, byte(i>>16), byte(i>>8), byte(i)) }

// addrMsg is an addr message of n distinct routable full-node addresses,
// all stamped ts.
func addrMsg(n int, ts time.Time) *wire.MsgAddr {
	m := &wire.MsgAddr{}
	for i := range n {
		m.AddrList = append(m.AddrList, &wire.NetAddress{
			Timestamp: ts, Services: fullServices, IP: routableIP(i), Port: 8333,
		})
	}
	return m
}

// addrV2Msg is addrMsg as addrv2.
func addrV2Msg(n int, ts time.Time) *wire.MsgAddrV2 {
	m := &wire.MsgAddrV2{}
	for i := range n {
		m.AddrList = append(m.AddrList, wire.NetAddressV2FromBytes(ts, fullServices, routableIP(i).To4(), 8333))
	}
	return m
}

// oneAddr is an addr message with a single entry.
func oneAddr(ip string, services wire.ServiceFlag, ts time.Time) *wire.MsgAddr {
	return &wire.MsgAddr{AddrList: []*wire.NetAddress{{
		Timestamp: ts, Services: services, IP: net.ParseIP(ip), Port: 8333,
	}}}
}

// popAddrReceived pops the next output, which must be AddrReceived.
func popAddrReceived(sc *scenario) AddrReceived {
	sc.t.Helper()
	o := sc.pop()
	got, ok := o.(AddrReceived)
	if !ok {
		sc.fatalf("expected addresses received, got %s", describe([]Output{o}))
	}
	return got
}

// expectAddrReceived expects AddrReceived with n addresses.
func expectAddrReceived(n int, solicited bool) step {
	return func(sc *scenario) {
		sc.t.Helper()
		got := popAddrReceived(sc)
		if len(got.Addrs) != n || got.Solicited != solicited {
			sc.fatalf("addresses received: %d solicited=%v, want %d solicited=%v",
				len(got.Addrs), got.Solicited, n, solicited)
		}
	}
}

// expectAddrReceivedWith expects AddrReceived and checks its addresses.
func expectAddrReceivedWith(check func(t *testing.T, addrs []book.Address)) step {
	return func(sc *scenario) {
		sc.t.Helper()
		check(sc.t, popAddrReceived(sc).Addrs)
	}
}

// expectRelay expects RelayAddrs with n addresses.
func expectRelay(n int) step {
	return func(sc *scenario) {
		sc.t.Helper()
		o := sc.pop()
		if got, ok := o.(RelayAddrs); !ok || len(got.Addrs) != n {
			sc.fatalf("expected relay of %d addresses, got %s", n, describe([]Output{o}))
		}
	}
}

// expectGetAddrRequest expects GetAddrRequest.
func expectGetAddrRequest() step {
	return func(sc *scenario) {
		sc.t.Helper()
		if o := sc.pop(); o != (GetAddrRequest{}) {
			sc.fatalf("expected getaddr request, got %s", describe([]Output{o}))
		}
	}
}

// addrCounts checks the address counters and relay flag.
func addrCounts(enabled bool, processed, limited uint64) step {
	return peer(func(t *testing.T, p PeerInfo) {
		t.Helper()
		if p.AddrRelayEnabled != enabled || p.AddrProcessed != processed || p.AddrRateLimited != limited {
			t.Fatalf("addr relay %v processed %d rate limited %d, want %v %d %d",
				p.AddrRelayEnabled, p.AddrProcessed, p.AddrRateLimited, enabled, processed, limited)
		}
	})
}

func TestUnsolicitedBurstIsRateLimited(t *testing.T) {
	run(t, testConfig(ConnInbound),
		inboundHandshake(),
		addrCounts(false, 0, 0),
		theySend(addrMsg(1000, t0)),
		// One token: one address gets through, and a message this big is
		// no announcement, so nothing is relayed.
		expectAddrReceived(1, false),
		addrCounts(true, 1, 999),
		// The bucket is empty: the next address is dropped.
		theySend(oneAddr("45.1.2.3", fullServices, t0)),
		addrCounts(true, 1, 1000),
	)
}

func TestGetAddrAnswerIsAccepted(t *testing.T) {
	run(t, testConfig(ConnOutboundFullRelay),
		outboundHandshake(),
		// Our getaddr enabled address relay and made room for an answer.
		addrCounts(true, 0, 0),
		elapse(3*time.Second),
		theySend(addrV2Msg(1000, t0)),
		expectAddrReceived(1000, true),
		addrCounts(true, 1000, 0),
		// One token is left (a bucket above 1000 does not refill): another
		// full message is almost entirely dropped. It still counts as
		// solicited, since a full answer may be followed by more (Core).
		theySend(addrV2Msg(1000, t0)),
		expectAddrReceived(1, true),
		addrCounts(true, 1001, 999),
		// A short message ends the getaddr exchange...
		elapse(20*time.Second),
		theySend(addrMsg(2, t0)),
		expectAddrReceived(2, true),
		// ...so the next small one is an announcement, relayed.
		elapse(20*time.Second),
		theySend(addrMsg(2, t0)),
		expectAddrReceived(2, false),
		expectRelay(2),
	)
}

// idle lets total pass a minute at a time with ticks, the peer answering
// our pings, so that the connection stays up. Only pings may be sent.
func idle(total time.Duration) step {
	return func(sc *scenario) {
		sc.t.Helper()
		for d := time.Duration(0); d < total; d += time.Minute {
			sc.now = sc.now.Add(time.Minute)
			sc.feed(Tick{})
			for _, o := range sc.pending {
				switch o := o.(type) {
				case Changed:
				case Send:
					if _, ok := o.Msg.(*wire.MsgPing); !ok {
						sc.fatalf("unexpected send %s while idle", o.Msg.Command())
					}
				default:
					sc.fatalf("unexpected output while idle")
				}
			}
			sc.pending = nil
			if nonce := sc.s.pingNonce; nonce != 0 {
				theySend(wire.NewMsgPong(nonce))(sc)
				sc.pending = nil
			}
		}
	}
}

func TestAddrTokensRefillWithTheClock(t *testing.T) {
	fresh := func(sc *scenario) { theySend(oneAddr("45.1.2.3", fullServices, sc.now.Add(-time.Minute)))(sc) }
	run(t, testConfig(ConnInbound),
		inboundHandshake(),
		fresh,
		expectAddrReceived(1, false),
		expectRelay(1),
		// 9.9 s earn 0.99 tokens: not enough.
		elapse(9900*time.Millisecond),
		fresh,
		addrCounts(true, 1, 1),
		// 0.1 s more completes the token (the 9.9 s were kept).
		elapse(100*time.Millisecond),
		fresh,
		expectAddrReceived(1, false),
		expectRelay(1),
		addrCounts(true, 2, 1),
		// Three hours would earn 1080 tokens; the bucket stops at 1000.
		idle(3*time.Hour),
		theySend(addrMsg(1000, t0)),
		expectAddrReceived(1000, false),
		theySend(addrMsg(1, t0)),
		addrCounts(true, 1002, 2),
	)
}

func TestTokensRefillFromConnectionTime(t *testing.T) {
	run(t, testConfig(ConnInbound),
		elapse(30*time.Second), // 3 tokens earned before any message
		inboundHandshake(),
		theySend(addrMsg(10, t0)),
		expectAddrReceived(4, false),
		expectRelay(4),
		addrCounts(true, 4, 6),
	)
}

func TestAddressTimesAndFilters(t *testing.T) {
	var now time.Time
	entry := func(ts time.Time, services wire.ServiceFlag, ip string) *wire.NetAddress {
		return &wire.NetAddress{Timestamp: ts, Services: services, IP: net.ParseIP(ip), Port: 8333}
	}
	run(t, testConfig(ConnInbound),
		elapse(50*time.Second), // 5 tokens before the handshake...
		inboundHandshake(),
		elapse(20*time.Second), // ...and 2 after: 8 in all
		func(sc *scenario) {
			now = sc.now
			theySend(&wire.MsgAddr{AddrList: []*wire.NetAddress{
				entry(time.Unix(0, 0), fullServices, "45.0.0.1"),
				entry(time.Unix(100_000_000, 0), fullServices, "45.0.0.2"),
				entry(now.Add(11*time.Minute), fullServices, "45.0.0.3"),
				entry(now.Add(9*time.Minute), fullServices, "45.0.0.4"),
				entry(now, wire.SFNodeNetworkLimited, "45.0.0.5"),
				entry(now, wire.SFNodeWitness, "45.0.0.6"),
				entry(now, fullServices, "10.1.2.3"),
				entry(now.Add(-time.Hour), fullServices, "2a01:4f8::1"),
			}})(sc)
		},
		expectAddrReceivedWith(func(t *testing.T, addrs []book.Address) {
			fiveDaysAgo := now.Add(-AddrFallbackAge).Unix()
			got := map[string]int64{}
			for _, a := range addrs {
				got[a.HostString()] = a.Time
			}
			want := map[string]int64{
				"45.0.0.1":    fiveDaysAgo,
				"45.0.0.2":    fiveDaysAgo,
				"45.0.0.3":    fiveDaysAgo,
				"45.0.0.4":    now.Add(9 * time.Minute).Unix(),
				"45.0.0.5":    now.Unix(),
				"2a01:4f8::1": now.Add(-time.Hour).Unix(),
			}
			if len(got) != len(want) {
				t.Fatalf("forwarded %v, want %v", got, want)
			}
			for h, ts := range want {
				if got[h] != ts {
					t.Errorf("%s: time %d, want %d", h, got[h], ts)
				}
			}
		}),
		// Only the recent routable ones are relayed: .4 and .5.
		expectRelay(2),
		// The witness-only address is skipped, not processed; the private
		// one is processed but goes nowhere.
		addrCounts(true, 7, 0),
	)
}

func TestUnroutableAnnouncementGoesNowhere(t *testing.T) {
	run(t, testConfig(ConnInbound),
		inboundHandshake(),
		theySend(oneAddr("192.168.1.1", fullServices, t0)),
		addrCounts(true, 1, 0),
	)
}

func TestBlockRelayOnlyTakesNoPartInAddrRelay(t *testing.T) {
	run(t, testConfig(ConnBlockRelayOnly),
		expectSend("version"),
		theySend(version()),
		expectSend("wtxidrelay", "sendaddrv2", "verack"),
		theySend(&wire.MsgSendAddrV2{}),
		theySend(&wire.MsgVerAck{}),
		expectSend("sendcmpct"),
		expectHandshakeDone(),
		expectSend("ping"),
		theySend(addrMsg(1, t0)),
		expectIgnored("addr", IgnoreAddrRelayDisabled),
		theySend(addrV2Msg(1, t0)),
		expectIgnored("addrv2", IgnoreAddrRelayDisabled),
		theySend(&wire.MsgGetAddr{}),
		expectIgnored("getaddr", IgnoreAddrRelayDisabled),
		// Nothing is ever sent to it either.
		input(SendAddrs{Addrs: []book.Address{testAddress(t, "45.0.0.1:8333")}}),
		addrCounts(false, 0, 0),
	)
}

// testAddress is a routable full-node address stamped t0.
func testAddress(t *testing.T, s string) book.Address {
	t.Helper()
	a, err := book.ParseAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return book.Address{Addr: a, Services: fullServices, Time: t0.Unix()}
}

func TestGetAddrIsAnsweredOnce(t *testing.T) {
	onion := "pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion:8333"
	addrs := func(t *testing.T) []book.Address {
		return []book.Address{testAddress(t, "45.0.0.1:8333"), testAddress(t, "[2a01:4f8::1]:8333"), testAddress(t, onion)}
	}
	// A peer that sent sendaddrv2 gets addrv2, onion included.
	run(t, testConfig(ConnInbound),
		inboundHandshake(),
		// Before any getaddr or addr, nothing is sent to the peer.
		func(sc *scenario) { input(SendAddrs{Addrs: addrs(t)})(sc) },
		addrCounts(false, 0, 0),
		theySend(&wire.MsgGetAddr{}),
		expectGetAddrRequest(),
		addrCounts(true, 0, 0),
		theySend(&wire.MsgGetAddr{}),
		expectIgnored("getaddr", IgnoreRepeatedGetAddr),
		func(sc *scenario) { input(SendAddrs{Addrs: addrs(t)})(sc) },
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			m, ok := msg.(*wire.MsgAddrV2)
			if !ok || len(m.AddrList) != 3 || !m.AddrList[2].IsTorV3() {
				t.Fatalf("want addrv2 with 3 entries, got %T %+v", msg, msg)
			}
		}),
	)
	// A legacy peer gets addr, without the onion address.
	run(t, testConfig(ConnInbound),
		theySend(version()),
		expectSend("version", "wtxidrelay", "sendaddrv2", "verack"),
		theySend(&wire.MsgVerAck{}),
		expectSend("sendcmpct"),
		expectHandshakeDone(),
		expectSend("ping", "feefilter"),
		theySend(&wire.MsgGetAddr{}),
		expectGetAddrRequest(),
		func(sc *scenario) { input(SendAddrs{Addrs: addrs(t)})(sc) },
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			m, ok := msg.(*wire.MsgAddr)
			if !ok || len(m.AddrList) != 2 || m.AddrList[0].Port != 8333 {
				t.Fatalf("want addr with 2 entries, got %T %+v", msg, msg)
			}
		}),
	)
}

func TestSendAddrsCapsAtMaxAddrPerMsg(t *testing.T) {
	many := make([]book.Address, 0, 1200)
	for i := range 1200 {
		a, _ := book.FromNetAddress(&wire.NetAddress{Timestamp: t0, Services: fullServices, IP: routableIP(i), Port: 8333})
		many = append(many, a)
	}
	run(t, testConfig(ConnInbound),
		inboundHandshake(),
		theySend(&wire.MsgGetAddr{}),
		expectGetAddrRequest(),
		input(SendAddrs{Addrs: many}),
		expectSendMsg(func(t *testing.T, msg wire.Message) {
			if m := msg.(*wire.MsgAddrV2); len(m.AddrList) != MaxAddrPerMsg {
				t.Fatalf("%d entries, want %d", len(m.AddrList), MaxAddrPerMsg)
			}
		}),
		// Addresses the peer cannot take send nothing at all.
		input(SendAddrs{}),
	)
}

func TestAddrFetchEndsAfterAddresses(t *testing.T) {
	handshake := []step{
		expectSend("version"),
		theySend(version()),
		expectSend("wtxidrelay", "sendaddrv2", "verack", "getaddr"),
		theySend(&wire.MsgVerAck{}),
		expectSend("sendcmpct"),
		expectHandshakeDone(),
		expectSend("ping", "feefilter"),
	}
	// A self-announcement does not end it...
	run(t, testConfig(ConnAddrFetch), append(handshake,
		theySend(addrMsg(1, t0)),
		expectAddrReceived(1, true),
	)...)
	// ...more than one address does.
	run(t, testConfig(ConnAddrFetch), append(handshake,
		theySend(addrMsg(5, t0)),
		expectAddrReceived(5, true),
		expectDisconnect(ReasonAddrFetchDone),
	)...)
}

func TestRateLimitPicksAtRandom(t *testing.T) {
	// Which address passes depends on the nonce source, not on the
	// position in the message: over a few seeds, different ones pass.
	seen := map[string]bool{}
	for seed := range uint64(8) {
		cfg := testConfig(ConnInbound)
		cfg.Nonces = &countingNonces{n: seed * 1000}
		run(t, cfg,
			inboundHandshake(),
			theySend(addrMsg(50, t0)),
			expectAddrReceivedWith(func(t *testing.T, addrs []book.Address) {
				if len(addrs) != 1 {
					t.Fatalf("%d addresses passed, want 1", len(addrs))
				}
				seen[addrs[0].HostString()] = true
			}),
		)
	}
	if len(seen) < 2 {
		t.Fatalf("the same address passed for every seed: %v", seen)
	}
}
