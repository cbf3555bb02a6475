package config

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
)

func TestNetworks(t *testing.T) {
	cases := []struct {
		network, p2p, rpc string
		params            *chaincfg.Params
	}{
		{"mainnet", "8333", "8332", &chaincfg.MainNetParams},
		{"testnet3", "18333", "18332", &chaincfg.TestNet3Params},
		{"testnet4", "48333", "48332", &chaincfg.TestNet4Params},
		{"signet", "38333", "38332", &chaincfg.SigNetParams},
		{"regtest", "18444", "18443", &chaincfg.RegressionNetParams},
	}
	for _, tc := range cases {
		t.Run(tc.network, func(t *testing.T) {
			c, err := Load([]string{"--network", tc.network, "--datadir=/data"}, testEnv())
			if err != nil {
				t.Fatal(err)
			}
			if c.ChainParams() != tc.params {
				t.Fatalf("ChainParams = %v, want %v", c.ChainParams().Name, tc.params.Name)
			}
			if DefaultP2PPort(tc.network) != tc.p2p || DefaultRPCPort(tc.network) != tc.rpc {
				t.Fatalf("ports %s/%s, want %s/%s", DefaultP2PPort(tc.network), DefaultRPCPort(tc.network), tc.p2p, tc.rpc)
			}
			if want := filepath.Join("/data", tc.network); c.NetDir() != want {
				t.Fatalf("NetDir = %q, want %q", c.NetDir(), want)
			}
			if want := filepath.Join("/data", tc.network, ".cookie"); c.CookiePath() != want {
				t.Fatalf("CookiePath = %q, want %q", c.CookiePath(), want)
			}
			if got, want := c.P2PListenAddrs(), []string{"0.0.0.0:" + tc.p2p}; !slices.Equal(got, want) {
				t.Fatalf("P2PListenAddrs = %q, want %q", got, want)
			}
			if got, want := c.RPCListenAddrs(), []string{"127.0.0.1:" + tc.rpc}; !slices.Equal(got, want) {
				t.Fatalf("RPCListenAddrs = %q, want %q", got, want)
			}
		})
	}
	if DefaultP2PPort("simnet") != "" || DefaultRPCPort("simnet") != "" || (Config{Network: "simnet"}).ChainParams() != nil {
		t.Fatal("an unknown network has ports or parameters")
	}
}

func TestAddressesGetDefaultPorts(t *testing.T) {
	c, err := Load([]string{"--network=regtest",
		"--p2p.listen=::", "--p2p.listen=127.0.0.1:0", "--p2p.listen=:9000", "--p2p.listen=[::1]",
		"--p2p.connect=peer.example.org", "--p2p.connect=[2001:db8::1]:1234",
		"--p2p.addnode=192.0.2.5",
		"--rpc.listen=localhost", "--rpc.listen=[::1]:9999",
	}, testEnv())
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	check("P2PListenAddrs", c.P2PListenAddrs(), []string{"[::]:18444", "127.0.0.1:0", ":9000", "[::1]:18444"})
	check("P2PConnectAddrs", c.P2PConnectAddrs(), []string{"peer.example.org:18444", "[2001:db8::1]:1234"})
	check("P2PAddNodeAddrs", c.P2PAddNodeAddrs(), []string{"192.0.2.5:18444"})
	check("RPCListenAddrs", c.RPCListenAddrs(), []string{"localhost:18443", "[::1]:9999"})
}

func TestSplitAddr(t *testing.T) {
	cases := []struct {
		in         string
		policy     addrPolicy
		host, port string
		ok         bool
	}{
		{"1.2.3.4", addrPeer, "1.2.3.4", "", true},
		{"1.2.3.4:8333", addrPeer, "1.2.3.4", "8333", true},
		{"[::1]:8333", addrPeer, "::1", "8333", true},
		{"[::1]", addrPeer, "::1", "", true},
		{"fe80::1", addrPeer, "fe80::1", "", true},
		{"seed.example.com", addrPeer, "seed.example.com", "", true},
		{":8333", addrListen, "", "8333", true},
		{"0.0.0.0:0", addrListen, "0.0.0.0", "0", true},
		{":8333", addrPeer, "", "", false},
		{"1.2.3.4:0", addrPeer, "", "", false},
		{"1.2.3.4:65536", addrListen, "", "", false},
		{"1.2.3.4:http", addrListen, "", "", false},
		{"[1.2.3.4]", addrListen, "", "", false},
		{"[::1", addrListen, "", "", false},
		{"-bad.example", addrPeer, "", "", false},
		{"host/path", addrPeer, "", "", false},
		{"", addrListen, "", "", false},
	}
	for _, tc := range cases {
		host, port, err := splitAddr(tc.in, tc.policy)
		if (err == nil) != tc.ok || host != tc.host || port != tc.port {
			t.Errorf("splitAddr(%q) = %q, %q, %v; want %q, %q, ok=%v", tc.in, host, port, err, tc.host, tc.port, tc.ok)
		}
	}
}
