package peerfilter

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

var (
	inboundCore = Peer{ID: 7, Addr: netip.MustParseAddrPort("10.1.2.3:50000"), Inbound: true,
		ConnType: ConnTypeInbound, UserAgent: "/Satoshi:27.1.0/"}
	outboundBtcd = Peer{ID: 12, Addr: netip.MustParseAddrPort("[2001:db8::5]:8333"), Inbound: false,
		ConnType: ConnTypeOutboundFullRelay, UserAgent: "/btcd:0.24.2/"}
	mappedFeeler = Peer{ID: 3, Addr: netip.MustParseAddrPort("[::ffff:192.168.1.5]:8333"),
		ConnType: ConnTypeFeeler}
)

func TestMatch(t *testing.T) {
	cases := []struct {
		filter string
		peer   Peer
		want   bool
	}{
		{"addr=10.1.2.3", inboundCore, true},
		{"addr=10.1.2.4", inboundCore, false},
		{"addr=10.1.2.3:50000", inboundCore, true},
		{"addr=10.1.2.3:8333", inboundCore, false},
		{"addr=10.0.0.0/8", inboundCore, true},
		{"addr=11.0.0.0/8", inboundCore, false},
		{"addr=2001:db8::5", outboundBtcd, true},
		{"addr=[2001:db8::5]:8333", outboundBtcd, true},
		{"addr=[2001:db8::5]:8334", outboundBtcd, false},
		{"addr=2001:db8::/32", outboundBtcd, true},
		{"addr=10.0.0.0/8", outboundBtcd, false},
		// IPv4-mapped peers match plain IPv4 terms, and mapped terms match IPv4 peers.
		{"addr=192.168.1.5", mappedFeeler, true},
		{"addr=192.168.0.0/16", mappedFeeler, true},
		{"addr=192.168.1.5:8333", mappedFeeler, true},
		{"addr=::ffff:10.0.0.0/104", inboundCore, true},
		{"addr=10.1.2.3", Peer{ID: 1}, false}, // unknown address
		{"id=7", inboundCore, true},
		{"id=8", inboundCore, false},
		{"id=7", Peer{}, false},
		{"dir=inbound", inboundCore, true},
		{"dir=inbound", outboundBtcd, false},
		{"dir=outbound", outboundBtcd, true},
		{"DIR=OUT", outboundBtcd, true},
		{"type=inbound", inboundCore, true},
		{"type=outbound-full-relay", outboundBtcd, true},
		{"type=feeler", outboundBtcd, false},
		{"ua=*Satoshi:27*", inboundCore, true},
		{"ua=*satoshi:27*", inboundCore, true},
		{"ua=*Satoshi:26*", inboundCore, false},
		{"ua=/btcd:?.24.?/", outboundBtcd, true},
		{"ua=*", Peer{}, true},
		{"ua=?*", Peer{}, false},
		{`ua=""`, Peer{}, true},
		{`ua="/My Client (x)/"`, Peer{UserAgent: "/My Client (x)/"}, true},
		{`ua="say \"hi\""`, Peer{UserAgent: `say "hi"`}, true},
		{"id!=7", inboundCore, false},
		{"id!=7", outboundBtcd, true},
		{"dir=inbound and ua=*Satoshi*", inboundCore, true},
		{"dir=inbound and ua=*Satoshi*", outboundBtcd, false},
		{"dir=inbound or id=12", outboundBtcd, true},
		{"not dir=inbound", inboundCore, false},
		{"not not dir=inbound", inboundCore, true},
		// and binds tighter than or.
		{"id=1 and id=2 or id=7", inboundCore, true},
		{"id=7 or id=1 and id=2", inboundCore, true},
		{"(id=7 or id=1) and id=2", inboundCore, false},
		{"all", Peer{}, true},
		{"none", inboundCore, false},
		{"not none AND (type=manual OR addr=10.0.0.0/8)", inboundCore, true},
		{"addr = 10.1.2.3 and dir = in", inboundCore, true},
	}
	for _, c := range cases {
		f, err := Parse(c.filter)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.filter, err)
			continue
		}
		if got := f.Match(c.peer); got != c.want {
			t.Errorf("Parse(%q).Match(%+v) = %v, want %v", c.filter, c.peer, got, c.want)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct {
		filter string
		column int
		want   string // a fragment of the message
	}{
		{"", 1, "expected a term"},
		{"   ", 4, "found end of filter"},
		{"addr", 5, `expected "=" or "!=" after addr, found end of filter`},
		{"addr=", 6, "expected a value for addr"},
		{"addr=foo.example", 6, "expected an IP address, IP:port ([IPv6]:port) or CIDR prefix"},
		{"addr=10.0.0.0/33", 6, "expected a CIDR prefix"},
		{"id=seven", 4, "expected a peer id"},
		{"id=0", 4, "expected a peer id"},
		{"dir=sideways", 5, "expected inbound or outbound"},
		{"type=outbound", 6, "expected a connection type: manual, inbound, outbound-full-relay, block-relay-only, feeler, addr-fetch"},
		{"port=8333", 1, "expected a key: addr, id, dir, type or ua"},
		{"id=7 id=8", 6, `expected "and", "or" or end of filter, found "id"`},
		{"(id=7", 6, `expected "and", "or" or ")", found end of filter`},
		{"id=7)", 5, `expected "and", "or" or end of filter, found ")"`},
		{"id=7 and", 9, "expected a term"},
		{"id=7 and or id=8", 10, `found "or"`},
		{"not", 4, "expected a term"},
		{`ua="open`, 4, `expected a closing '"'`},
		{"=7", 1, `expected a term (addr=, id=, dir=, type=, ua=), "not", "all", "none" or "(", found "="`},
	}
	for _, c := range cases {
		_, err := Parse(c.filter)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a *SyntaxError", c.filter, err)
			continue
		}
		if se.Offset+1 != c.column {
			t.Errorf("Parse(%q): column %d, want %d (%v)", c.filter, se.Offset+1, c.column, err)
		}
		if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "peer filter: column ") {
			t.Errorf("Parse(%q) = %q, want it to contain %q", c.filter, err, c.want)
		}
	}
}

func TestStringIsCanonicalAndReparses(t *testing.T) {
	cases := map[string]string{
		"ADDR=10.0.0.1 AND (Dir=In OR id=3)":    "addr=10.0.0.1 and (dir=inbound or id=3)",
		"(id=1 and id=2) or id=3":               "id=1 and id=2 or id=3",
		"not (id=1 or id=2)":                    "not (id=1 or id=2)",
		"id!=4":                                 "not id=4",
		`ua="/A B/" or ua=and`:                  `ua="/A B/" or ua="and"`,
		"addr=[::ffff:1.2.3.4]:8333":            "addr=1.2.3.4:8333",
		"addr=10.1.2.3/8":                       "addr=10.0.0.0/8",
		"type=Block-Relay-Only and not none":    "type=block-relay-only and not none",
		`ua="q\"uote"`:                          `ua="q\"uote"`,
		"((id=1))":                              "id=1",
		"id=1 and (id=2 and id=3)":              "id=1 and id=2 and id=3",
		"addr=2001:db8::/32 or addr=2001:db8::": "addr=2001:db8::/32 or addr=2001:db8::",
	}
	for in, want := range cases {
		f, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if got := f.String(); got != want {
			t.Errorf("Parse(%q).String() = %q, want %q", in, got, want)
		}
		if _, err := Parse(f.String()); err != nil {
			t.Errorf("canonical form %q does not reparse: %v", f.String(), err)
		}
		if f.Source() != in {
			t.Errorf("Source() = %q, want %q", f.Source(), in)
		}
	}
}

func TestNilFilterMatchesNothing(t *testing.T) {
	var f *Filter
	if f.Match(inboundCore) || f.String() != "" {
		t.Fatal("a nil filter must match nothing and print empty")
	}
}

func TestMatchDoesNotAllocate(t *testing.T) {
	f := MustParse(`(addr=10.0.0.0/8 or addr=[2001:db8::5]:8333 or id=99) and not ua="*btcd*" and (dir=inbound or type=feeler)`)
	allocs := testing.AllocsPerRun(1000, func() {
		f.Match(inboundCore)
		f.Match(outboundBtcd)
	})
	if allocs != 0 {
		t.Fatalf("Match allocates %v times per run, want 0", allocs)
	}
}

func TestGlob(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"*a*a*a*a*a*a*b", strings.Repeat("a", 60), false},
		{"?", "", false},
		{"?", "x", true},
		{"*/", "/Satoshi:27.0.0/", true},
		{"/SATOSHI*", "/Satoshi:27.0.0/", true},
	}
	for _, c := range cases {
		if got := globMatch(c.pattern, c.s); got != c.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	f := MustParse(`(addr=10.0.0.0/8 or id=99) and not ua="*btcd*" and dir=inbound`)
	b.ReportAllocs()
	for b.Loop() {
		f.Match(inboundCore)
	}
}
