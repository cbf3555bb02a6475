package book

import (
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// A real Tor v3 name (the Tor Project's); its checksum must verify.
const torProjectOnion = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"

func TestAddrStringCoreForm(t *testing.T) {
	cjdns, err := NewCJDNS([16]byte(netip.MustParseAddr("fc32:17ea:e415:c3bf:9808:149d:b5a2:c9aa").AsSlice()), 8333)
	if err != nil {
		t.Fatal(err)
	}
	var i2pKey [32]byte
	for i := range i2pKey {
		i2pKey[i] = byte(i)
	}
	cases := []struct {
		a    Addr
		want string
	}{
		{MustParseAddr("1.2.3.4:8333"), "1.2.3.4:8333"},
		{MustParseAddr("[::ffff:1.2.3.4]:8333"), "1.2.3.4:8333"},
		{MustParseAddr("[2001:4860::8888]:18333"), "[2001:4860::8888]:18333"},
		{MustParseAddr(torProjectOnion + ":8333"), torProjectOnion + ":8333"},
		{NewI2P(i2pKey, 0), "aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dypq.b32.i2p:0"},
		{cjdns, "[fc32:17ea:e415:c3bf:9808:149d:b5a2:c9aa]:8333"},
	}
	for _, c := range cases {
		if got := c.a.String(); got != c.want {
			t.Errorf("%#v: String() = %q, want %q", c.a, got, c.want)
		}
		if c.a.Net == NetCJDNS {
			continue // parses as IPv6 by design
		}
		back, err := ParseAddr(c.want)
		if err != nil || back != c.a {
			t.Errorf("ParseAddr(%q) = %v, %v; want %v", c.want, back, err, c.a)
		}
	}
	if got := MustParseAddr("[::ffff:1.2.3.4]:1").Net; got != NetIPv4 {
		t.Errorf("mapped IPv4 parsed as %v", got)
	}
}

func TestParseAddrRejects(t *testing.T) {
	bad := []string{
		"1.2.3.4",          // no port
		"1.2.3.4:99999",    // port out of range
		"example.com:8333", // names are not resolved
		"2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wia.onion:1", // bad checksum
		"aaaa.onion:1",   // too short
		"aaaa.b32.i2p:0", // too short
	}
	for _, s := range bad {
		if a, err := ParseAddr(s); err == nil {
			t.Errorf("ParseAddr(%q) = %v, want error", s, a)
		}
	}
	if _, err := NewCJDNS([16]byte{0xfd}, 1); err == nil {
		t.Error("NewCJDNS outside fc00::/8 accepted")
	}
	if _, err := FromBytes(NetIPv6, netip.MustParseAddr("::ffff:1.2.3.4").AsSlice(), 1); err == nil {
		t.Error("FromBytes accepted IPv4-mapped ipv6")
	}
	if _, err := FromBytes(NetTorV3, make([]byte, 16), 1); err == nil {
		t.Error("FromBytes accepted a 16-byte onion")
	}
	if _, err := FromBytes(3, make([]byte, 10), 1); err == nil {
		t.Error("FromBytes accepted tor v2")
	}
}

func TestIsRoutable(t *testing.T) {
	cases := map[string]bool{
		"8.8.8.8:1":             true,
		"10.1.2.3:1":            false,
		"192.168.1.1:1":         false,
		"127.0.0.1:1":           false,
		"100.64.0.1:1":          false,
		"[2001:db8::1]:1":       false,
		"[fe80::1]:1":           false,
		"[2a01:4f8::1]:1":       true,
		"[fd87:d87e:eb43::1]:1": false,
		torProjectOnion + ":1":  true,
	}
	for s, want := range cases {
		if got := IsRoutable(MustParseAddr(s)); got != want {
			t.Errorf("IsRoutable(%s) = %v, want %v", s, got, want)
		}
	}
	cj, _ := NewCJDNS([16]byte{0xfc, 1}, 1)
	if !IsRoutable(cj) {
		t.Error("cjdns not routable")
	}
	if IsRoutable(Addr{}) {
		t.Error("zero Addr routable")
	}
}

func TestGroupOf(t *testing.T) {
	same := [][2]string{
		{"1.2.3.4:1", "1.2.200.200:2"},
		{"[2a01:4f8:1::1]:1", "[2a01:4f8:ffff::2]:1"},
		{"[::ffff:1.2.3.4]:1", "1.2.9.9:1"},
	}
	for _, p := range same {
		if GroupOf(MustParseAddr(p[0])) != GroupOf(MustParseAddr(p[1])) {
			t.Errorf("%s and %s in different groups", p[0], p[1])
		}
	}
	diff := [][2]string{
		{"1.2.3.4:1", "1.3.3.4:1"},
		{"[2a01:4f8::1]:1", "[2a01:4f9::1]:1"},
	}
	for _, p := range diff {
		if GroupOf(MustParseAddr(p[0])) == GroupOf(MustParseAddr(p[1])) {
			t.Errorf("%s and %s in one group", p[0], p[1])
		}
	}
	// Tor and I2P: 16 groups each, by the first 4 bits of the key.
	tor := map[Group]bool{}
	for i := range 256 {
		tor[GroupOf(NewTorV3([32]byte{byte(i)}, 1))] = true
	}
	if len(tor) != 16 {
		t.Errorf("tor keys form %d groups, want 16", len(tor))
	}
	if GroupOf(NewTorV3([32]byte{0x10}, 1)) == GroupOf(NewI2P([32]byte{0x10}, 1)) {
		t.Error("tor and i2p share a group")
	}
	a, _ := NewCJDNS([16]byte{0xfc, 0x10, 1}, 1)
	b, _ := NewCJDNS([16]byte{0xfc, 0x1f, 2}, 1)
	c, _ := NewCJDNS([16]byte{0xfc, 0x20, 1}, 1)
	if GroupOf(a) != GroupOf(b) || GroupOf(a) == GroupOf(c) {
		t.Error("cjdns groups not by the 4 bits after fc")
	}
}

func TestWireConversions(t *testing.T) {
	ts := time.Unix(1_690_000_000, 0)
	legacy := &wire.NetAddress{Timestamp: ts, Services: wire.SFNodeNetwork | wire.SFNodeWitness,
		IP: net.ParseIP("1.2.3.4"), Port: 8333}
	got, err := FromNetAddress(legacy)
	if err != nil {
		t.Fatal(err)
	}
	want := Address{Addr: MustParseAddr("1.2.3.4:8333"), Services: legacy.Services, Time: ts.Unix()}
	if got != want {
		t.Fatalf("FromNetAddress = %+v, want %+v", got, want)
	}
	back, err := got.NetAddress()
	if err != nil || !back.IP.Equal(legacy.IP) || back.Port != 8333 || back.Services != legacy.Services || !back.Timestamp.Equal(ts) {
		t.Fatalf("NetAddress() = %+v, %v", back, err)
	}
	if _, err := FromNetAddress(&wire.NetAddress{IP: net.ParseIP("fd87:d87e:eb43::1"), Port: 1}); err == nil {
		t.Error("tor v2 OnionCat accepted")
	}

	for _, s := range []string{"1.2.3.4:8333", "[2a01:4f8::1]:8333", torProjectOnion + ":9050"} {
		a := Address{Addr: MustParseAddr(s), Services: wire.SFNodeNetwork, Time: ts.Unix()}
		v2, err := a.NetAddressV2()
		if err != nil {
			t.Fatalf("%s: NetAddressV2: %v", s, err)
		}
		round, err := FromNetAddressV2(v2)
		if err != nil || round != a {
			t.Errorf("%s: round trip through addrv2 = %+v, %v", s, round, err)
		}
	}
	i2p := Address{Addr: NewI2P([32]byte{1}, 0)}
	if _, err := i2p.NetAddressV2(); !errors.Is(err, ErrNotInWire) {
		t.Errorf("i2p NetAddressV2 error = %v, want ErrNotInWire", err)
	}
	onion := Address{Addr: MustParseAddr(torProjectOnion + ":1")}
	if _, err := onion.NetAddress(); !errors.Is(err, ErrNotInWire) {
		t.Errorf("onion NetAddress error = %v, want ErrNotInWire", err)
	}
	if _, err := FromNetAddressV2(&wire.NetAddressV2{}); err == nil {
		t.Error("empty NetAddressV2 accepted")
	}
}

func TestNetworkNames(t *testing.T) {
	for _, n := range Networks() {
		back, ok := ParseNetwork(n.String())
		if !ok || back != n {
			t.Errorf("ParseNetwork(%q) = %v, %v", n.String(), back, ok)
		}
	}
	if _, ok := ParseNetwork("torv2"); ok {
		t.Error("unknown network parsed")
	}
}
