package node_test

import (
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/internal/wiretest"
)

// Every test here pins outbound connections to a closed loopback port with
// p2p.connect: the addresses they feed the node are public ones, and a
// test must never dial anything but loopback.
const noOutbound = "127.0.0.1:1"

// routableAddrs returns n distinct routable IPv4 addresses, each in its own
// /16 as often as possible, announced now with full-node services.
func routableAddrs(n int, seed uint64) []*wire.NetAddress {
	r := rand.New(rand.NewPCG(seed, seed))
	seen := map[string]bool{}
	var out []*wire.NetAddress
	for len(out) < n {
		ip := net.IPv4(byte(11+r.IntN(180)), byte(r.IntN(256)), byte(r.IntN(256)), byte(1+r.IntN(250)))
		if seen[ip.String()] {
			continue
		}
		seen[ip.String()] = true
		na := wire.NewNetAddressIPPort(ip, 8333, wire.SFNodeNetwork|wire.SFNodeWitness)
		na.Timestamp = time.Unix(time.Now().Unix()-60, 0)
		out = append(out, na)
	}
	return out
}

type addrmanNetInfo struct {
	New   uint64 `json:"new"`
	Tried uint64 `json:"tried"`
	Total uint64 `json:"total"`
}

func (n *testNode) addrmanTotal() uint64 {
	n.t.Helper()
	var info map[string]addrmanNetInfo
	if err := n.rpc(&info, "getaddrmaninfo"); err != nil {
		n.t.Fatalf("getaddrmaninfo: %v", err)
	}
	return info["all_networks"].Total
}

type addrPeerInfo struct {
	Addr            string `json:"addr"`
	Inbound         bool   `json:"inbound"`
	AddrProcessed   uint64 `json:"addr_processed"`
	AddrRateLimited uint64 `json:"addr_rate_limited"`
}

func (n *testNode) addrPeers() []addrPeerInfo {
	n.t.Helper()
	var out []addrPeerInfo
	if err := n.rpc(&out, "getpeerinfo"); err != nil {
		n.t.Fatalf("getpeerinfo: %v", err)
	}
	return out
}

// TestAddrmanKeepsTheAnswerToOurGetaddr: the node dials a peer, sends it
// getaddr, and keeps the 1,000 routable addresses of the answer (all of
// them processed, none rate-limited), minus bucket collisions; a restart
// finds the same count in the file.
func TestAddrmanKeepsTheAnswerToOurGetaddr(t *testing.T) {
	peer, err := wiretest.Listen(wire.TestNet)
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	datadir := t.TempDir()
	n := startNode(t, "--datadir", datadir, "--p2p.connect", peer.Addr())
	c, err := peer.Accept(20 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Expect("getaddr", 20*time.Second); err != nil {
		t.Fatalf("the node did not ask for addresses: %v", err)
	}
	sent := routableAddrs(1000, 1)
	msg := wire.NewMsgAddr()
	msg.AddrList = sent
	if err := c.WriteMessage(msg); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "addr_processed 1000", func() bool {
		for _, p := range n.addrPeers() {
			if p.Addr == peer.Addr() {
				return p.AddrProcessed == 1000 && p.AddrRateLimited == 0
			}
		}
		return false
	})
	// All 1000 come from one source, whose group maps to 64 of the 1024 new
	// buckets (Core's design): 4096 slots, so about 4096*(1-e^(-1000/4096))
	// = 887 distinct slots are hit and the rest collide with an entry that
	// is not terrible and are dropped.
	var total uint64
	eventually(t, 20*time.Second, "the addresses in addrman", func() bool {
		total = n.addrmanTotal()
		return total >= 800
	})
	if total > 1000 {
		t.Fatalf("addrman holds %d addresses, more than the 1000 sent", total)
	}
	t.Logf("kept %d of 1000 (the rest collided in their buckets)", total)

	// Every address getnodeaddresses returns is one we sent.
	var nodes []struct {
		Address string `json:"address"`
		Port    int    `json:"port"`
	}
	if err := n.rpc(&nodes, "getnodeaddresses", 0); err != nil {
		t.Fatal(err)
	}
	sentSet := map[string]bool{}
	for _, a := range sent {
		sentSet[a.IP.String()] = true
	}
	if uint64(len(nodes)) != total {
		t.Errorf("getnodeaddresses returned %d, getaddrmaninfo says %d", len(nodes), total)
	}
	for _, a := range nodes {
		if !sentSet[a.Address] || a.Port != 8333 {
			t.Fatalf("getnodeaddresses returned %s:%d, which was never sent", a.Address, a.Port)
		}
	}

	// A restart keeps the same count.
	n.stop()
	again := startNode(t, "--datadir", datadir, "--p2p.connect", noOutbound)
	if got := again.addrmanTotal(); got != total {
		t.Fatalf("after restart addrman holds %d, before %d", got, total)
	}
}

// TestAddrmanRateLimitsAnUnsolicitedBurst: a new inbound peer that sends
// 1,000 addresses nobody asked for gets one through and 999 counted as
// rate-limited.
func TestAddrmanRateLimitsAnUnsolicitedBurst(t *testing.T) {
	n := startNode(t, "--p2p.connect", noOutbound)
	c, err := wiretest.Dial(n.p2p, wire.TestNet)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatal(err)
	}
	msg := wire.NewMsgAddr()
	msg.AddrList = routableAddrs(1000, 2)
	if err := c.WriteMessage(msg); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "the burst counted", func() bool {
		for _, p := range n.addrPeers() {
			if p.Inbound {
				return p.AddrProcessed+p.AddrRateLimited == 1000
			}
		}
		return false
	})
	for _, p := range n.addrPeers() {
		if p.Inbound && (p.AddrProcessed != 1 || p.AddrRateLimited != 999) {
			t.Fatalf("processed %d, rate-limited %d; want 1 and 999", p.AddrProcessed, p.AddrRateLimited)
		}
	}
	if got := n.addrmanTotal(); got > 1 {
		t.Fatalf("addrman holds %d addresses from a rate-limited burst, want at most 1", got)
	}
}

// TestAddrmanTruncatedFileDoesNotStopTheNode: a truncated address file is
// reported with its path, moved aside, and the node starts with an empty
// book.
func TestAddrmanTruncatedFileDoesNotStopTheNode(t *testing.T) {
	datadir := t.TempDir()
	n := startNode(t, "--datadir", datadir, "--p2p.connect", noOutbound)
	if err := n.rpc(nil, "addpeeraddress", "12.34.56.78", 8333); err != nil {
		t.Fatal(err)
	}
	n.stop()
	file := filepath.Join(datadir, "regtest", "addrman.dat")
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("no address file after a clean stop: %v", err)
	}
	if err := os.WriteFile(file, raw[:len(raw)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	again := startNode(t, "--datadir", datadir, "--p2p.connect", noOutbound)
	if got := again.addrmanTotal(); got != 0 {
		t.Fatalf("addrman holds %d after a truncated file, want an empty book", got)
	}
	if !strings.Contains(again.logs.String(), file) {
		t.Errorf("the log does not name %s", file)
	}
	aside, _ := filepath.Glob(file + ".corrupt-*")
	if len(aside) != 1 {
		t.Fatalf("truncated file not moved aside: %v", aside)
	}
	if kept, _ := os.ReadFile(aside[0]); len(kept) != len(raw)/2 {
		t.Errorf("the moved file has %d bytes, want the %d that were there", len(kept), len(raw)/2)
	}
}
