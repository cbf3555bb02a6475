package outbound

import (
	"net/netip"
	"testing"

	"github.com/actornode/actornode/connman/netgroup"
	"github.com/actornode/actornode/peerman/peermanpb"
)

func TestSlots(t *testing.T) {
	core := Limits{MaxConnections: 125, FullRelay: 8, BlockRelayOnly: 2, Feelers: 1}
	if core.Outbound() != 11 || core.Inbound() != 114 {
		t.Fatalf("Core defaults: outbound %d inbound %d", core.Outbound(), core.Inbound())
	}
	small := Limits{MaxConnections: 9, FullRelay: 8, BlockRelayOnly: 2, Feelers: 1}
	if e := small.Effective(); e.FullRelay != 8 || e.BlockRelayOnly != 1 || small.Inbound() != 0 {
		t.Fatalf("max 9: %+v inbound %d", e, small.Inbound())
	}
	if z := (Limits{MaxConnections: 0, FullRelay: 8, BlockRelayOnly: 2, Feelers: 1}); z.Inbound() != 0 || z.Effective().FullRelay != 0 {
		t.Fatalf("max 0: %+v inbound %d", z.Effective(), z.Inbound())
	}
	if n := (Limits{MaxConnections: -5}); n.Inbound() != 0 {
		t.Fatal("negative max gives inbound slots")
	}
}

func TestNextFillsFullRelayThenBlockRelayThenFeeler(t *testing.T) {
	l := Limits{MaxConnections: 125, FullRelay: 8, BlockRelayOnly: 2, Feelers: 1}
	steps := []struct {
		c     Counts
		due   bool
		want  peermanpb.ConnectionType
		wantB bool
	}{
		{Counts{}, true, peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY, true},
		{Counts{FullRelay: 7, BlockRelayOnly: 2}, false, peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY, true},
		{Counts{FullRelay: 8, BlockRelayOnly: 1}, true, peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY, true},
		{Counts{FullRelay: 8, BlockRelayOnly: 2}, false, peermanpb.ConnectionType_CONNECTION_TYPE_UNSPECIFIED, false},
		{Counts{FullRelay: 8, BlockRelayOnly: 2}, true, peermanpb.ConnectionType_CONNECTION_TYPE_FEELER, true},
		{Counts{FullRelay: 8, BlockRelayOnly: 2, Feelers: 1}, true, peermanpb.ConnectionType_CONNECTION_TYPE_UNSPECIFIED, false},
	}
	for i, s := range steps {
		got, ok := Next(l, s.c, s.due)
		if got != s.want || ok != s.wantB {
			t.Errorf("step %d: Next(%+v, due=%v) = %v,%v want %v,%v", i, s.c, s.due, got, ok, s.want, s.wantB)
		}
	}
}

func TestOneOutboundPerNetgroup(t *testing.T) {
	a := netip.MustParseAddr
	conns := []Conn{
		{Addr: a("1.2.3.4"), Type: peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY},
		{Addr: a("5.6.7.8"), Type: peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL},
		{Addr: a("9.9.9.9"), Type: peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND},
		{Addr: a("8.8.8.8"), Type: peermanpb.ConnectionType_CONNECTION_TYPE_FEELER},
		{Addr: a("2a01:4f8::1"), Type: peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY},
		{Addr: a("127.0.0.1"), Network: netgroup.NetOnion, Type: peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY},
	}
	inUse := GroupsInUse(conns)
	full := peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY
	for addr, want := range map[string]bool{
		"1.2.99.99":        false, // same /16 as a full-relay peer
		"5.6.0.1":          false, // manual peers count
		"9.9.1.1":          true,  // inbound peers do not
		"8.8.1.1":          true,  // feelers do not
		"2a01:4f8:ffff::2": false,
		"127.0.0.2":        true, // the onion peer's proxy address holds no group
		"1.3.0.1":          true,
	} {
		if got := Allowed(inUse, a(addr), full); got != want {
			t.Errorf("Allowed(%s) = %v want %v", addr, got, want)
		}
	}
	if !Allowed(inUse, a("1.2.99.99"), peermanpb.ConnectionType_CONNECTION_TYPE_FEELER) {
		t.Error("feeler refused by the netgroup rule")
	}
}

func TestCountFailuresNeedsTwoOutboundGroups(t *testing.T) {
	a := netip.MustParseAddr
	g := Grouper(netgroup.Of)
	full := peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY
	one := []Conn{{Addr: a("1.2.3.4"), Type: full}}
	if g.CountFailures(one, 125) {
		t.Fatal("one outbound group counts failures")
	}
	sameGroup := append(one, Conn{Addr: a("1.2.9.9"), Type: full},
		Conn{Addr: a("7.7.7.7"), Type: peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND},
		Conn{Addr: a("8.8.8.8"), Type: peermanpb.ConnectionType_CONNECTION_TYPE_FEELER})
	if g.CountFailures(sameGroup, 125) {
		t.Fatal("one group (plus inbound and feeler) counts failures")
	}
	if !g.CountFailures(append(one, Conn{Addr: a("5.6.7.8"), Type: peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL}), 125) {
		t.Fatal("two groups do not count failures")
	}
	if !g.CountFailures(append(one, Conn{Addr: a("127.0.0.1"), Network: netgroup.NetOnion, Type: full}), 125) {
		t.Fatal("an onion peer does not count as a group")
	}
	if !g.CountFailures(one, 2) || !g.CountFailures(nil, 1) {
		t.Fatal("a tiny maxconnections lowers the bar as Core does")
	}
}

func TestGrouperDecidesTheGroups(t *testing.T) {
	a := netip.MustParseAddr
	full := peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY
	// Under netgroup.Of every loopback address shares the local group.
	inUse := GroupsInUse([]Conn{{Addr: a("127.1.0.1"), Type: full}})
	if Allowed(inUse, a("127.2.0.1"), full) {
		t.Fatal("two loopback addresses in distinct groups under netgroup.Of")
	}
	bySlash8 := Grouper(func(x netip.Addr) netgroup.Group { return netgroup.Group(x.AsSlice()[:2]) })
	inUse = bySlash8.InUse([]Conn{{Addr: a("127.1.0.1"), Type: full}})
	if !bySlash8.Allowed(inUse, a("127.2.0.1"), full) || bySlash8.Allowed(inUse, a("127.1.9.9"), full) {
		t.Fatal("a custom Grouper is not used")
	}
}
