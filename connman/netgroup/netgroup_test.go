package netgroup

import (
	"net/netip"
	"testing"
)

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func TestGroupScenarios(t *testing.T) {
	tests := []struct {
		name   string
		a, b   string
		same   bool
		expect string
	}{
		{"loopback is local", "127.0.0.1", "::1", true, "local"},
		{"zero net is local", "0.1.2.3", "127.0.0.1", true, "local"},
		{"private is unroutable", "10.0.0.1", "192.168.1.1", true, "unroutable"},
		{"documentation is unroutable", "203.0.113.9", "fe80::1", true, "unroutable"},
		{"ipv4 same /16", "1.2.3.4", "1.2.200.1", true, "1.2.0.0/16"},
		{"ipv4 other /16", "1.2.3.4", "1.3.3.4", false, "1.2.0.0/16"},
		{"mapped ipv4", "::ffff:1.2.3.4", "1.2.9.9", true, "1.2.0.0/16"},
		{"siit ipv4", "::ffff:0:102:304", "1.2.9.9", true, "1.2.0.0/16"},
		{"nat64 ipv4", "64:ff9b::102:304", "1.2.9.9", true, "1.2.0.0/16"},
		{"6to4 ipv4", "2002:102:304:9999:9999:9999:9999:9999", "1.2.9.9", true, "1.2.0.0/16"},
		{"teredo ipv4", "2001:0:9999:9999:9999:9999:fefd:fcfb", "1.2.9.9", true, "1.2.0.0/16"},
		{"ipv6 same /32", "2a01:4f8:1:2::1", "2a01:4f8:ffff::1", true, "2a01:4f8::/32"},
		{"ipv6 other /32", "2a01:4f8::1", "2a01:4f9::1", false, "2a01:4f8::/32"},
		{"he.net /36 same", "2001:470:abcd::1", "2001:470:afff::1", true, "2001:470:af00::/36"},
		{"he.net /36 other", "2001:470:abcd::1", "2001:470:bbcd::1", false, "2001:470:af00::/36"},
		{"ipv4 and ipv6 differ", "1.2.3.4", "102:304::", false, "1.2.0.0/16"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ga, gb := Of(addr(tc.a)), Of(addr(tc.b))
			if (ga == gb) != tc.same {
				t.Fatalf("Of(%s)=%q Of(%s)=%q, same=%v want %v", tc.a, ga, tc.b, gb, ga == gb, tc.same)
			}
			if ga.String() != tc.expect {
				t.Fatalf("Of(%s).String()=%q want %q", tc.a, ga.String(), tc.expect)
			}
		})
	}
}

func TestRoutability(t *testing.T) {
	for _, s := range []string{"127.0.0.1", "10.1.1.1", "172.16.5.5", "192.168.0.1", "100.64.1.1",
		"169.254.1.1", "198.18.0.1", "192.0.2.1", "0.0.0.0", "255.255.255.255", "::", "::1",
		"fe80::1", "fc00::1", "2001:db8::1", "2001:10::1", "2001:20::1"} {
		if IsRoutable(addr(s)) {
			t.Errorf("%s routable, want not", s)
		}
		if NetworkOf(addr(s)) != NetUnroutable {
			t.Errorf("NetworkOf(%s)=%s", s, NetworkOf(addr(s)))
		}
	}
	for s, n := range map[string]Network{"1.1.1.1": NetIPv4, "8.8.4.4": NetIPv4, "::ffff:8.8.8.8": NetIPv4, "2a00:1450::1": NetIPv6} {
		if !IsRoutable(addr(s)) || NetworkOf(addr(s)) != n {
			t.Errorf("%s: routable %v network %s, want routable %s", s, IsRoutable(addr(s)), NetworkOf(addr(s)), n)
		}
	}
	if !IsLocal(addr("::1")) || !IsLocal(addr("127.8.8.8")) || IsLocal(addr("10.0.0.1")) {
		t.Fatal("IsLocal misclassifies")
	}
}

func TestKeyedDependsOnKeyAndGroup(t *testing.T) {
	k1, k2 := KeyFrom([]byte("one")), KeyFrom([]byte("two"))
	g1, g2 := Of(addr("1.2.3.4")), Of(addr("5.6.7.8"))
	if k1.Keyed(g1) != k1.Keyed(Of(addr("1.2.99.99"))) {
		t.Fatal("same group, same key: keyed values differ")
	}
	if k1.Keyed(g1) == k1.Keyed(g2) {
		t.Fatal("different groups collide")
	}
	if k1.Keyed(g1) == k2.Keyed(g1) {
		t.Fatal("keyed value does not depend on the key")
	}
	if NewKey() == NewKey() {
		t.Fatal("two random keys are equal")
	}
}

func TestParseHostPort(t *testing.T) {
	for in, want := range map[string]string{
		"1.2.3.4:8333": "1.2.3.4", "[::ffff:1.2.3.4]:1": "1.2.3.4", "[2001:db8::1]:8333": "2001:db8::1",
		"5.6.7.8": "5.6.7.8", "[fe80::1%eth0]:8333": "fe80::1",
	} {
		a, ok := ParseHostPort(in)
		if !ok || a.String() != want {
			t.Errorf("ParseHostPort(%q)=%v,%v want %s", in, a, ok, want)
		}
	}
	if _, ok := ParseHostPort("seed.example.org:8333"); ok {
		t.Error("a host name parsed as an IP")
	}
}
