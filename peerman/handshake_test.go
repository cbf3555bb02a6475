package peerman_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/peerman"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/btcsuite/btcd/wire/v2"
)

// clientOptions are the handshake options of the wiretest peers.
func clientOptions(ua string, height int32) wiretest.HandshakeOptions {
	o := wiretest.DefaultHandshake()
	o.UserAgent = ua
	o.StartHeight = height
	return o
}

// onlyPeer waits for the first PeerStarted of a fixture with one connection.
func (f *fixture) onlyPeer() *peermanpb.PeerStarted {
	f.t.Helper()
	return waitFor[*peermanpb.PeerStarted](f.t, f.ev, "PeerStarted", nil)
}

// waitOrder waits until the tally's command order starts with want.
func waitOrder(t *testing.T, tl *tally, want []string) {
	t.Helper()
	eventually(t, func() string {
		_, _, order := tl.get()
		if len(order) >= len(want) && slices.Equal(order[:len(want)], want) {
			return ""
		}
		return fmt.Sprintf("commands %v, want them to start with %v", order, want)
	})
}

// countsMatch compares a snapshot's byte figures with what the proxy saw
// the client write (toNode) and read (fromNode): per-command maps and
// totals in both directions.
func countsMatch(s *peermanpb.PeerSnapshot, toNode, fromNode *tally) string {
	if s == nil {
		return "peer not listed"
	}
	upTotal, upCmd, _ := toNode.get()
	downTotal, downCmd, _ := fromNode.get()
	switch {
	case !maps.Equal(s.GetBytesrecvPerMsg(), upCmd):
		return fmt.Sprintf("bytesrecv_per_msg %v, client wrote %v", s.GetBytesrecvPerMsg(), upCmd)
	case !maps.Equal(s.GetBytessentPerMsg(), downCmd):
		return fmt.Sprintf("bytessent_per_msg %v, client read %v", s.GetBytessentPerMsg(), downCmd)
	case s.GetBytesrecv() != upTotal:
		return fmt.Sprintf("bytesrecv %d, client wrote %d", s.GetBytesrecv(), upTotal)
	case s.GetBytessent() != downTotal:
		return fmt.Sprintf("bytessent %d, client read %d", s.GetBytessent(), downTotal)
	}
	return ""
}

func TestInboundHandshake(t *testing.T) {
	f := newFixture(t, baseConfig())
	px := newProxy(t, f.addr)
	c, err := wiretest.Dial(px.addr(), testNet)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ours, err := c.Handshake(clientOptions("/inbound-client:1.2/", 777))
	if err != nil {
		t.Fatal(err)
	}
	if ours.UserAgent != testUserAgent || ours.LastBlock != testStartHeight || ours.ProtocolVersion != 70016 ||
		ours.Services != wire.SFNodeNetwork|wire.SFNodeWitness || ours.DisableRelayTx {
		t.Errorf("our version: ua %q height %d version %d services %v no-relay %v",
			ours.UserAgent, ours.LastBlock, ours.ProtocolVersion, ours.Services, ours.DisableRelayTx)
	}
	if feats := c.Features(); !feats.WtxidRelay || !feats.SendAddrV2 {
		t.Errorf("negotiation before verack: %+v", feats)
	}
	// Core's order: our version answers theirs, then the negotiation,
	// verack; after their verack sendcmpct, the first ping, feefilter.
	waitOrder(t, px.down, []string{"version", "wtxidrelay", "sendaddrv2", "verack", "sendcmpct", "ping", "feefilter"})

	// A ping round trip of the client's own (which also answers ours).
	if _, err := c.Ping(42, waitLong); err != nil {
		t.Fatal(err)
	}
	ps := f.onlyPeer()
	if ps.GetPeerId() != 1 {
		t.Errorf("first peer id %d, want 1", ps.GetPeerId())
	}
	var s *peermanpb.PeerSnapshot
	eventually(t, func() string {
		s = f.snapshotOf(ps.GetPeerId())
		if s.GetPingtimeUs() < 0 {
			// The client's pong to our ping may still be on its way
			// through the relay: the counts can agree before it arrives.
			return "our ping not answered yet"
		}
		return countsMatch(s, px.up, px.down)
	})
	opts := wiretest.DefaultHandshake()
	switch {
	case s.GetSubver() != "/inbound-client:1.2/":
		t.Errorf("subver %q", s.GetSubver())
	case s.GetVersion() != int32(wiretest.ProtocolVersion):
		t.Errorf("version %d", s.GetVersion())
	case s.GetServices() != uint64(opts.Services):
		t.Errorf("services %#x, want %#x", s.GetServices(), uint64(opts.Services))
	case s.GetStartingheight() != 777:
		t.Errorf("startingheight %d", s.GetStartingheight())
	case !s.GetInbound() || s.GetConnectionType() != peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND:
		t.Errorf("inbound %v, connection_type %v", s.GetInbound(), s.GetConnectionType())
	case !s.GetHandshakeDone() || !s.GetRelaytxes() || !s.GetWtxidrelay() || !s.GetSendaddrv2():
		t.Errorf("handshake_done %v relaytxes %v wtxidrelay %v sendaddrv2 %v",
			s.GetHandshakeDone(), s.GetRelaytxes(), s.GetWtxidrelay(), s.GetSendaddrv2())
	case s.GetTransportProtocolType() != "v1" || s.GetNetwork() != peerman.NetworkUnroutable:
		t.Errorf("transport %q network %q", s.GetTransportProtocolType(), s.GetNetwork())
	case s.GetConntimeUnix() == 0 || s.GetLastsendUnix() == 0 || s.GetLastrecvUnix() == 0:
		t.Errorf("conntime %d lastsend %d lastrecv %d", s.GetConntimeUnix(), s.GetLastsendUnix(), s.GetLastrecvUnix())
	case s.GetPingtimeUs() < 0 || s.GetMinpingUs() < 0 || s.GetPingwaitUs() != -1:
		t.Errorf("pingtime %d minping %d pingwait %d after our ping was answered",
			s.GetPingtimeUs(), s.GetMinpingUs(), s.GetPingwaitUs())
	case s.GetAddr() == "" || s.GetAddrbind() != f.addr:
		t.Errorf("addr %q addrbind %q (listening on %s)", s.GetAddr(), s.GetAddrbind(), f.addr)
	}
	// connman got a snapshot when the handshake completed.
	waitFor(t, f.ev, "published snapshot with handshake_done", func(p *peermanpb.PeerSnapshot) bool {
		return p.GetPeerId() == ps.GetPeerId() && p.GetHandshakeDone()
	})
}

func TestOutboundHandshake(t *testing.T) {
	f := newFixture(t, baseConfig())
	ln, err := wiretest.Listen(testNet)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	px := newProxy(t, ln.Addr())
	f.dial(px.addr(), peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY)
	c, err := ln.Accept(waitLong)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Handshake(clientOptions("/outbound-target:0.9/", 55)); err != nil {
		t.Fatal(err)
	}
	// We speak first; getaddr follows our verack on an outbound connection.
	// (The proxy accepted our connection: up is what we sent.)
	waitOrder(t, px.up, []string{"version", "wtxidrelay", "sendaddrv2", "verack", "getaddr", "sendcmpct", "ping", "feefilter"})
	if _, err := c.Expect("getaddr", waitLong); err != nil {
		t.Fatal(err)
	}
	ps := f.onlyPeer()
	eventually(t, func() string {
		s := f.snapshotOf(ps.GetPeerId())
		if msg := countsMatch(s, px.down, px.up); msg != "" {
			return msg
		}
		if s.GetInbound() || s.GetConnectionType() != peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY ||
			!s.GetHandshakeDone() || s.GetSubver() != "/outbound-target:0.9/" || s.GetStartingheight() != 55 {
			return fmt.Sprintf("snapshot %v", s)
		}
		return ""
	})
}

func TestOutboundMissingServices(t *testing.T) {
	f := newFixture(t, baseConfig())
	ln, err := wiretest.Listen(testNet)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	f.dial(ln.Addr(), peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY)
	c, err := ln.Accept(waitLong)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	opts := clientOptions("/no-witness/", 1)
	opts.Services = wire.SFNodeNetwork
	_, _ = c.Handshake(opts) // the node hangs up after our version
	ps := f.onlyPeer()
	d := f.disconnectOf(ps.GetPeerId())
	if d.GetReason() != peermanpb.DisconnectReason_DISCONNECT_REASON_MISSING_SERVICES || d.GetMisbehaving() {
		t.Fatalf("DisconnectPeer %v", d)
	}
	if err := c.WaitClosed(waitLong); err != nil {
		t.Fatal(err)
	}
	f.gone(ps.GetPeerId())
}

func TestPing(t *testing.T) {
	f := newFixture(t, baseConfig())
	c, err := wiretest.Dial(f.addr, testNet)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Handshake(clientOptions("/pinger/", 1)); err != nil {
		t.Fatal(err)
	}
	ps := f.peerOf(c.LocalAddr())
	// Our first ping follows the handshake and is not answered yet.
	eventually(t, func() string {
		s := f.snapshotOf(ps.GetPeerId())
		if s == nil || !s.GetHandshakeDone() || s.GetPingwaitUs() < 0 || s.GetPingtimeUs() != -1 || s.GetMinpingUs() != -1 {
			return fmt.Sprintf("want an outstanding ping and no figures yet: %v", s)
		}
		return ""
	})
	// The RPC's ping replaces the outstanding one: the client answers both
	// (the first pong no longer matches and is ignored), and the figures
	// appear.
	res, err := f.sys.Root.RequestFuture(f.peerman, &peermanpb.PingPeers{}, waitLong).Result()
	if err != nil {
		t.Fatal(err)
	}
	if done, ok := res.(*peermanpb.PingPeersDone); !ok || done.GetPeers() != 1 {
		t.Fatalf("PingPeers answered %v", res)
	}
	answered := 0
	eventually(t, func() string {
		n, err := c.AnswerPings(100 * time.Millisecond)
		answered += n
		if err != nil {
			return err.Error()
		}
		s := f.snapshotOf(ps.GetPeerId())
		if s.GetPingtimeUs() < 0 || s.GetMinpingUs() < 0 || s.GetMinpingUs() > s.GetPingtimeUs() || s.GetPingwaitUs() != -1 {
			return fmt.Sprintf("pingtime %d minping %d pingwait %d", s.GetPingtimeUs(), s.GetMinpingUs(), s.GetPingwaitUs())
		}
		if s.GetBytesrecvPerMsg()["pong"] != 2*(wiretest.HeaderSize+8) {
			return fmt.Sprintf("bytesrecv_per_msg %v, want two pongs", s.GetBytesrecvPerMsg())
		}
		return ""
	})
	if answered < 2 {
		t.Errorf("client answered %d pings, want the first and the RPC's", answered)
	}
	// The client's own ping is answered with a pong.
	rtt, err := c.Ping(wiretest.RandomNonce(), waitLong)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("client ping rtt %v", rtt)
	if got := f.snapshotOf(ps.GetPeerId()).GetBytessentPerMsg()["pong"]; got != wiretest.HeaderSize+8 {
		t.Errorf("bytessent_per_msg[pong] = %d, want one pong", got)
	}
}
