package wiretest_test

import (
	"slices"
	"testing"
	"time"

	"github.com/actornode/actornode/internal/btcdtest"
	"github.com/actornode/actornode/internal/wiretest"
	"github.com/btcsuite/btcd/wire/v2"
)

// btcdTimeout is the generous timeout for anything that waits on btcd.
const btcdTimeout = 60 * time.Second

// dialBTCD connects a client to n and closes it at test end.
func dialBTCD(t *testing.T, n *btcdtest.Node, localIP string) *wiretest.Client {
	t.Helper()
	var c *wiretest.Client
	var err error
	if localIP == "" {
		c, err = wiretest.Dial(n.P2PAddr(), wire.TestNet)
	} else {
		c, err = wiretest.DialFrom(localIP, n.P2PAddr(), wire.TestNet)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// listsPeer reports whether n's getpeerinfo has a peer with this address
// and user agent.
func listsPeer(t *testing.T, n *btcdtest.Node, addr, subver string) bool {
	peers, err := n.GetPeerInfo()
	if err != nil {
		t.Logf("getpeerinfo: %v", err)
		return false
	}
	return slices.ContainsFunc(peers, func(p btcdtest.PeerInfo) bool {
		return p.Addr == addr && p.SubVer == subver
	})
}

func TestHandshakeWithBTCD(t *testing.T) {
	n := btcdtest.Start(t, btcdtest.Options{})
	if _, err := n.Generate(3); err != nil {
		t.Fatal(err)
	}
	c := dialBTCD(t, n, "")
	opts := wiretest.DefaultHandshake()
	opts.UserAgent = "/wiretest-handshake:1.0/"
	v, err := c.Handshake(opts)
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	if v.LastBlock != 3 || v.ProtocolVersion < int32(wire.AddrV2Version) {
		t.Fatalf("btcd version: height %d, protocol %d", v.LastBlock, v.ProtocolVersion)
	}
	if !c.Features().SendAddrV2 {
		t.Errorf("btcd did not send sendaddrv2")
	}
	btcdtest.Eventually(t, btcdTimeout, func() bool {
		return listsPeer(t, n, c.LocalAddr(), opts.UserAgent)
	}, "getpeerinfo lists %s with user agent %s", c.LocalAddr(), opts.UserAgent)
}

func TestPingBTCD(t *testing.T) {
	n := btcdtest.Start(t, btcdtest.Options{})
	c := dialBTCD(t, n, "")
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatalf("handshake: %v", err)
	}
	rtt, err := c.Ping(0xfeedface, btcdTimeout)
	if err != nil {
		t.Fatalf("ping: %v", err)
	}
	if rtt <= 0 || rtt > btcdTimeout {
		t.Fatalf("rtt %v out of range", rtt)
	}
}

func TestBTCDDropsWrongMagicBeforeVersion(t *testing.T) {
	n := btcdtest.Start(t, btcdtest.Options{})
	c := dialBTCD(t, n, "")
	if err := c.WriteRaw(wiretest.Frame(wire.MainNet, wire.CmdVersion, []byte{0})); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitClosed(btcdTimeout); err != nil {
		t.Fatalf("btcd kept the connection: %v", err)
	}
}

func TestBTCDDropsWrongMagicAfterHandshake(t *testing.T) {
	n := btcdtest.Start(t, btcdtest.Options{})
	// btcd forgives malformed frames from 127.0.0.1 on regtest; come from
	// another loopback address to be treated like a remote peer.
	c := dialBTCD(t, n, "127.0.0.2")
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatalf("handshake: %v", err)
	}
	if _, err := c.Ping(1, btcdTimeout); err != nil {
		t.Fatalf("ping before the bad frame: %v", err)
	}
	if err := c.WriteRaw(wiretest.Frame(wire.MainNet, wire.CmdPing, make([]byte, 8))); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitClosed(btcdTimeout); err != nil {
		t.Fatalf("btcd kept the connection: %v", err)
	}
}

func TestBTCDDialsListener(t *testing.T) {
	n := btcdtest.Start(t, btcdtest.Options{})
	l, err := wiretest.Listen(wire.TestNet)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := n.AddNode(l.Addr(), btcdtest.AddNodeOneTry); err != nil {
		t.Fatalf("addnode: %v", err)
	}
	c, err := l.Accept(btcdTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	opts := wiretest.DefaultHandshake()
	opts.UserAgent = "/wiretest-listener:1.0/"
	if _, err := c.Handshake(opts); err != nil {
		t.Fatalf("inbound handshake: %v", err)
	}
	btcdtest.Eventually(t, btcdTimeout, func() bool {
		peers, err := n.GetPeerInfo()
		return err == nil && slices.ContainsFunc(peers, func(p btcdtest.PeerInfo) bool {
			return !p.Inbound && p.Addr == l.Addr() && p.SubVer == opts.UserAgent
		})
	}, "btcd lists the listener %s as an outbound peer", l.Addr())
}
