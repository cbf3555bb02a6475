package peerfilter

import (
	"net/netip"
	"testing"
)

// FuzzParse checks that the parser never panics, that every error is a
// *SyntaxError pointing inside (or just past) the input, and that a parsed
// filter's canonical form reparses to a filter that decides the same.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"addr=1.2.3.4", "addr=1.2.3.4:8333", "addr=10.0.0.0/8", "addr=[::1]:8333", "id=7",
		"dir=inbound", "type=block-relay-only", "ua=*Satoshi:27*", `ua="a b\"c"`,
		"not (id=1 or id=2) and all", "id!=3 or none", "((", `"`, "!", "a!=b", "id=7 and",
	} {
		f.Add(s)
	}
	peers := []Peer{
		inboundCore, outboundBtcd, mappedFeeler, {},
		{ID: 1, Addr: netip.MustParseAddrPort("[::1]:8333"), ConnType: ConnTypeManual, UserAgent: `a b"c`},
	}
	f.Fuzz(func(t *testing.T, src string) {
		flt, err := Parse(src)
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("Parse(%q) error %T is not *SyntaxError", src, err)
			}
			if se.Offset < 0 || se.Offset > len(src) {
				t.Fatalf("Parse(%q): offset %d outside the input", src, se.Offset)
			}
			return
		}
		again, err := Parse(flt.String())
		if err != nil {
			t.Fatalf("canonical form %q of %q does not reparse: %v", flt.String(), src, err)
		}
		if again.String() != flt.String() {
			t.Fatalf("canonical form is not stable: %q then %q", flt.String(), again.String())
		}
		for _, p := range peers {
			if flt.Match(p) != again.Match(p) {
				t.Fatalf("%q and its canonical form %q disagree on %+v", src, flt.String(), p)
			}
		}
	})
}
