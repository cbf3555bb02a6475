package btcdtest

import (
	"slices"
	"testing"
	"time"
)

// peerTimeout is how long the tests wait for btcd nodes to see each other.
const peerTimeout = 60 * time.Second

func TestGenerateBlocks(t *testing.T) {
	n := Start(t, Options{})
	hashes, err := n.Generate(5)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if len(hashes) != 5 {
		t.Fatalf("generate returned %d hashes, want 5", len(hashes))
	}
	height, err := n.GetBlockCount()
	if err != nil {
		t.Fatalf("getblockcount: %v", err)
	}
	if height != 5 {
		t.Fatalf("getblockcount = %d, want 5", height)
	}
	best, err := n.GetBestBlockHash()
	if err != nil {
		t.Fatalf("getbestblockhash: %v", err)
	}
	if best != hashes[4] {
		t.Fatalf("best block %s, want last generated %s", best, hashes[4])
	}
}

func TestRPCErrorIsTyped(t *testing.T) {
	n := Start(t, Options{})
	_, err := n.RPC("nosuchmethod")
	rpcErr, ok := err.(*RPCError)
	if !ok {
		t.Fatalf("error %v (%T), want *RPCError", err, err)
	}
	if rpcErr.Code == 0 || rpcErr.Message == "" {
		t.Fatalf("empty RPC error %+v", rpcErr)
	}
}

func TestCtlGenerates(t *testing.T) {
	n := Start(t, Options{})
	if n.bins.Btcctl == "" {
		t.Skip("btcctl not installed next to btcd")
	}
	if _, err := n.Ctl("generate", "2"); err != nil {
		t.Fatalf("btcctl: %v", err)
	}
	out, err := n.Ctl("getblockcount")
	if err != nil {
		t.Fatalf("btcctl: %v", err)
	}
	if out != "2" {
		t.Fatalf("btcctl getblockcount = %q, want 2", out)
	}
}

// hasPeer reports whether n's getpeerinfo lists a peer matching match.
func hasPeer(t *testing.T, n *Node, match func(PeerInfo) bool) bool {
	peers, err := n.GetPeerInfo()
	if err != nil {
		t.Logf("getpeerinfo: %v", err)
		return false
	}
	return slices.ContainsFunc(peers, match)
}

func TestTwoNodesConnect(t *testing.T) {
	a := Start(t, Options{})
	b := Start(t, Options{AddPeer: []string{a.P2PAddr()}})
	Eventually(t, peerTimeout, func() bool {
		return hasPeer(t, b, func(p PeerInfo) bool { return p.Addr == a.P2PAddr() && !p.Inbound })
	}, "b lists a (%s) as outbound peer", a.P2PAddr())
	Eventually(t, peerTimeout, func() bool {
		return hasPeer(t, a, func(p PeerInfo) bool { return p.Inbound && p.SubVer != "" })
	}, "a lists b as inbound peer")
}

func TestAddNodeAndBlockRelay(t *testing.T) {
	a := Start(t, Options{})
	b := Start(t, Options{})
	if err := b.AddNode(a.P2PAddr(), AddNodeAdd); err != nil {
		t.Fatalf("addnode: %v", err)
	}
	Eventually(t, peerTimeout, func() bool {
		return hasPeer(t, a, func(p PeerInfo) bool { return p.Inbound })
	}, "a lists b after addnode")
	hashes, err := a.Generate(3)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	Eventually(t, peerTimeout, func() bool {
		best, err := b.GetBestBlockHash()
		return err == nil && best == hashes[2]
	}, "b syncs a's 3 blocks")
	if err := b.AddNode(a.P2PAddr(), AddNodeRemove); err != nil {
		t.Fatalf("addnode remove: %v", err)
	}
	Eventually(t, peerTimeout, func() bool {
		return !hasPeer(t, a, func(p PeerInfo) bool { return p.Inbound })
	}, "a drops b after addnode remove")
}

func TestRestartKeepsAddressAndPeerReconnects(t *testing.T) {
	a := Start(t, Options{})
	b := Start(t, Options{})
	if err := b.AddNode(a.P2PAddr(), AddNodeAdd); err != nil {
		t.Fatalf("addnode: %v", err)
	}
	if _, err := a.Generate(2); err != nil {
		t.Fatalf("generate: %v", err)
	}
	addr := a.P2PAddr()
	if err := a.Restart(); err != nil {
		t.Fatalf("restart: %v", err)
	}
	if a.P2PAddr() != addr {
		t.Fatalf("restart moved P2P address from %s to %s", addr, a.P2PAddr())
	}
	// btcd wipes its regtest block database at every start.
	height, err := a.GetBlockCount()
	if err != nil || height != 0 {
		t.Fatalf("after restart getblockcount = %d, %v; want 0 (fresh regtest chain)", height, err)
	}
	Eventually(t, 2*peerTimeout, func() bool {
		return hasPeer(t, a, func(p PeerInfo) bool { return p.Inbound })
	}, "b reconnects to restarted a")
}

func TestStopIsIdempotentAndFreesPort(t *testing.T) {
	n := Start(t, Options{})
	if err := n.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if err := n.Stop(); err != nil {
		t.Fatalf("second stop: %v", err)
	}
	if _, err := n.GetBlockCount(); err == nil {
		t.Fatal("RPC still answers after Stop")
	}
}

func TestMiningAddressIsStable(t *testing.T) {
	a, err := MiningAddress()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := MiningAddress()
	if a != b || a == "" {
		t.Fatalf("mining address %q then %q", a, b)
	}
}
