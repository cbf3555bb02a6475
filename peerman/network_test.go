package peerman

import "testing"

func TestNetworkName(t *testing.T) {
	cases := map[string]string{
		"8.8.8.8:8333":                NetworkIPv4,
		"1.2.3.4":                     NetworkIPv4,
		"[2a01:4f8::1]:8333":          NetworkIPv6,
		"[::ffff:8.8.8.8]:8333":       NetworkIPv4, // IPv4-mapped
		"[2002:808:808::1]:8333":      NetworkIPv4, // 6to4
		"[2001:0:4136:e378::1]:8333":  NetworkIPv4, // Teredo
		"[64:ff9b::808:808]:8333":     NetworkIPv4, // RFC 6052
		"127.0.0.1:8333":              NetworkUnroutable,
		"[::1]:8333":                  NetworkUnroutable,
		"10.1.2.3:8333":               NetworkUnroutable,
		"172.20.0.1:8333":             NetworkUnroutable,
		"172.32.0.1:8333":             NetworkIPv4, // just outside RFC 1918
		"192.168.1.1:8333":            NetworkUnroutable,
		"100.64.0.1:8333":             NetworkUnroutable,
		"169.254.1.1:8333":            NetworkUnroutable,
		"198.18.0.1:8333":             NetworkUnroutable,
		"203.0.113.9:8333":            NetworkUnroutable,
		"0.0.0.0:8333":                NetworkUnroutable,
		"255.255.255.255:8333":        NetworkUnroutable,
		"[fe80::1%eth0]:8333":         NetworkUnroutable,
		"[fc00::1]:8333":              NetworkUnroutable,
		"[2001:db8::1]:8333":          NetworkUnroutable,
		"[2001:10::1]:8333":           NetworkUnroutable,
		"[fd6b:88c0:8724::1]:8333":    NetworkInternal,
		"abcdefghijklmnop.onion:8333": NetworkOnion,
		"ABCDEF.ONION:8333":           NetworkOnion,
		"ukeu3k5oycgaauneqgtnvselmt4yemvoilkln7jpvamvfx7dnkdq.b32.i2p:0": NetworkI2P,
		"":               NetworkUnroutable,
		"not an address": NetworkUnroutable,
	}
	for addr, want := range cases {
		if got := NetworkName(addr); got != want {
			t.Errorf("NetworkName(%q) = %q, want %q", addr, got, want)
		}
	}
}
