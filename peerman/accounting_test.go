package peerman_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/actornode/actornode/internal/wiretest"
	"github.com/actornode/actornode/peerman"
	"github.com/actornode/actornode/peerman/peercore"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/telemetry/accounting"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// statsConfig is baseConfig with the periodic ping pushed out of every
// test's reach, so that the only ping we send is the first one, right
// after the handshake.
func statsConfig() peerman.Config {
	cfg := baseConfig()
	cfg.PingInterval = time.Hour
	return cfg
}

// peerStats asks peerman for GetPeerStats with filter.
func (f *fixture) peerStats(filter string) *peermanpb.PeerStatsList {
	f.t.Helper()
	res, err := f.sys.Root.RequestFuture(f.peerman, &peermanpb.GetPeerStats{Filter: filter}, waitLong).Result()
	if err != nil {
		f.t.Fatalf("GetPeerStats: %v", err)
	}
	list, ok := res.(*peermanpb.PeerStatsList)
	if !ok {
		f.t.Fatalf("GetPeerStats answered %T", res)
	}
	return list
}

// netMsgStats asks peerman for GetNetMsgStats.
func (f *fixture) netMsgStats() []*peermanpb.NetMsgStatsEntry {
	f.t.Helper()
	res, err := f.sys.Root.RequestFuture(f.peerman, &peermanpb.GetNetMsgStats{}, waitLong).Result()
	if err != nil {
		f.t.Fatalf("GetNetMsgStats: %v", err)
	}
	s, ok := res.(*peermanpb.NetMsgStats)
	if !ok {
		f.t.Fatalf("GetNetMsgStats answered %T", res)
	}
	return s.GetEntries()
}

// wireSize is the frame size of msg as the client writes it.
func wireSize(t *testing.T, msg wire.Message) uint64 {
	t.Helper()
	b, err := wiretest.MessageFrame(testNet, msg)
	if err != nil {
		t.Fatal(err)
	}
	return uint64(len(b))
}

// byType returns the MsgTypeStats of msgtype, or an empty one.
func byType(s *peermanpb.PeerStats, msgtype string) *peermanpb.MsgTypeStats {
	for _, m := range s.GetByType() {
		if m.GetMsgtype() == msgtype {
			return m
		}
	}
	return &peermanpb.MsgTypeStats{Msgtype: msgtype}
}

// sums returns the bytes of by_type in both directions.
func sums(s *peermanpb.PeerStats) (sent, recv uint64) {
	for _, m := range s.GetByType() {
		sent += m.GetBytesSent()
		recv += m.GetBytesRecv()
	}
	return sent, recv
}

// onlyPeer returns the single PeerStats of a list, failing otherwise.
func onlyPeer(t *testing.T, l *peermanpb.PeerStatsList, id uint64) *peermanpb.PeerStats {
	t.Helper()
	if l.GetError() != "" || len(l.GetPeers()) != 1 || l.GetPeers()[0].GetPeer().GetPeerId() != id {
		t.Fatalf("want exactly peer %d, got error %q and %d peers", id, l.GetError(), len(l.GetPeers()))
	}
	return l.GetPeers()[0]
}

// exchange is what the test client sends after its handshake, with the
// frame sizes it wrote, per command.
type exchange struct {
	pings                     int
	pingBytes                 uint64
	invBytes, getdataBytes    uint64
	unknownBytes, txBytes     uint64
	headersBytes, cmpctBytes  uint64
	txInv, getdataTx, headers uint64
}

// talk sends the test's known messages: three pings (answered with
// pongs), an inv of three transactions and a block, a getdata of one
// transaction and one block, an unknown command, an unsolicited tx, a
// headers message with two headers and a sendcmpct; then waits for the
// three pongs. It never answers our pings, so the only pongs exchanged are
// ours.
func talk(t *testing.T, c *wiretest.Client) exchange {
	t.Helper()
	var x exchange
	write := func(m wire.Message) uint64 {
		t.Helper()
		if err := c.WriteMessage(m); err != nil {
			t.Fatal(err)
		}
		return wireSize(t, m)
	}
	nonces := map[uint64]bool{}
	for i := range 3 {
		n := uint64(1000 + i)
		nonces[n] = true
		x.pingBytes += write(wire.NewMsgPing(n))
		x.pings++
	}
	inv := wire.NewMsgInv()
	for i := range 3 {
		_ = inv.AddInvVect(wire.NewInvVect(accounting.InvTypeWTx, &chainhash.Hash{byte(i + 1)}))
	}
	_ = inv.AddInvVect(wire.NewInvVect(wire.InvTypeBlock, &chainhash.Hash{9}))
	x.invBytes, x.txInv = write(inv), 3
	gd := wire.NewMsgGetData()
	_ = gd.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessTx, &chainhash.Hash{7}))
	_ = gd.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessBlock, &chainhash.Hash{8}))
	x.getdataBytes, x.getdataTx = write(gd), 1
	x.unknownBytes = write(&wiretest.Unknown{Cmd: "xyzzy", Payload: []byte("hello")})
	tx := wire.NewMsgTx(2)
	tx.AddTxIn(wire.NewTxIn(&wire.OutPoint{Hash: chainhash.Hash{3}}, nil, nil))
	tx.AddTxOut(wire.NewTxOut(5000, []byte{0x51}))
	x.txBytes = write(tx)
	hdrs := wire.NewMsgHeaders()
	for i := range 2 {
		_ = hdrs.AddBlockHeader(wire.NewBlockHeader(1, &chainhash.Hash{byte(i)}, &chainhash.Hash{}, 0x207fffff, 0))
	}
	x.headersBytes, x.headers = write(hdrs), 2
	x.cmpctBytes = write(&peercore.MsgSendCmpct{Announce: false, Version: 2})

	deadline := time.Now().Add(waitLong)
	for len(nonces) > 0 {
		msg, _, err := c.ReadMessage(time.Until(deadline))
		if err != nil {
			t.Fatalf("waiting for pongs (%d missing): %v", len(nonces), err)
		}
		if p, ok := msg.(*wire.MsgPong); ok {
			delete(nonces, p.Nonce)
		}
	}
	return x
}

// TestPeerStatsOverSockets: a client exchanges known messages with an
// inbound Peer over loopback; GetPeerStats shows exact per-type counts
// and bytes, whose sums equal sockman's byte counts, the inventory
// counters, handler costs and memory; the filter selects it or not; when
// it leaves, PeerFinal (final) reaches the stats sink and GetNetMsgStats
// still counts its messages, added to a live peer's.
func TestPeerStatsOverSockets(t *testing.T) {
	f := newFixture(t, statsConfig())
	c, ps := dialPeer(t, f)
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatal(err)
	}
	x := talk(t, c)
	id := ps.GetPeerId()

	var s *peermanpb.PeerStats
	eventually(t, func() string {
		s = onlyPeer(t, f.peerStats(""), id)
		sent, recv := sums(s)
		if sent != s.GetPeer().GetBytessent() || recv != s.GetPeer().GetBytesrecv() {
			return fmt.Sprintf("by_type sums sent %d recv %d, sockman sent %d recv %d",
				sent, recv, s.GetPeer().GetBytessent(), s.GetPeer().GetBytesrecv())
		}
		if byType(s, "sendcmpct").GetMsgsRecv() != 1 {
			return "sendcmpct not handled yet"
		}
		return ""
	})

	type want struct {
		msgs, bytes uint64
	}
	recv := map[string]want{
		"ping":                 {3, x.pingBytes},
		"inv":                  {1, x.invBytes},
		"getdata":              {1, x.getdataBytes},
		peerman.OtherCommand:   {1, x.unknownBytes},
		"tx":                   {1, x.txBytes},
		"headers":              {1, x.headersBytes},
		"sendcmpct":            {1, x.cmpctBytes},
		"version":              {1, byType(s, "version").GetBytesRecv()},
		"verack":               {1, 24},
		"wtxidrelay":           {1, 24},
		"sendaddrv2":           {1, 24},
		"pong":                 {0, 0},
		"xyzzy":                {0, 0},
		accounting.CmdBlockTxn: {0, 0},
	}
	for cmd, w := range recv {
		m := byType(s, cmd)
		if m.GetMsgsRecv() != w.msgs || m.GetBytesRecv() != w.bytes {
			t.Errorf("recv %s: %d msgs %d bytes, want %d and %d", cmd, m.GetMsgsRecv(), m.GetBytesRecv(), w.msgs, w.bytes)
		}
	}
	if m := byType(s, "pong"); m.GetMsgsSent() != 3 || m.GetBytesSent() != x.pingBytes {
		t.Errorf("sent pong: %d msgs %d bytes, want 3 and %d", m.GetMsgsSent(), m.GetBytesSent(), x.pingBytes)
	}
	for _, cmd := range []string{"version", "verack", "wtxidrelay", "sendaddrv2", "ping"} {
		if m := byType(s, cmd); m.GetMsgsSent() != 1 {
			t.Errorf("sent %s: %d msgs, want 1", cmd, m.GetMsgsSent())
		}
	}
	if s.GetTxAnnouncedByPeer() != x.txInv || s.GetTxRequestedByPeer() != x.getdataTx || s.GetTxReceived() != 1 ||
		s.GetHeadersReceived() != x.headers || s.GetCmpctReceived() != 1 ||
		s.GetCmpctSent() != byType(s, "sendcmpct").GetMsgsSent() || s.GetCmpctSent() == 0 {
		t.Errorf("inventory: announced %d requested %d tx %d headers %d cmpct recv %d sent %d",
			s.GetTxAnnouncedByPeer(), s.GetTxRequestedByPeer(), s.GetTxReceived(), s.GetHeadersReceived(),
			s.GetCmpctReceived(), s.GetCmpctSent())
	}
	if l := s.GetTxLatency(); l.GetUnsolicited() != 1 || l.GetCount() != 0 || l.GetLost() != 0 {
		t.Errorf("tx latency %v, want one unsolicited reply", l)
	}
	for _, cmd := range []string{"ping", "version", "inv"} {
		if byType(s, cmd).GetHandleWallNs() == 0 {
			t.Errorf("%s: no handler wall time", cmd)
		}
	}
	if _, ok := accounting.ThreadCPUTime(); ok && s.GetHandleCpuNs() == 0 {
		t.Error("no handler CPU time although the thread CPU clock works")
	}
	if s.GetHandleWallNs() == 0 || s.GetMemTrackingBytes() == 0 {
		t.Errorf("handle_wall_ns %d mem_tracking_bytes %d", s.GetHandleWallNs(), s.GetMemTrackingBytes())
	}
	t.Logf("handler wall %d ns cpu %d ns; tracking %d bytes; mailbox %d; send queue %d; unacked %d",
		s.GetHandleWallNs(), s.GetHandleCpuNs(), s.GetMemTrackingBytes(), s.GetMemMailboxDepth(),
		s.GetMemSendQueueBytes(), s.GetMemRecvUnackedBytes())

	// The filter selects on the Peer's identity, user agent included.
	onlyPeer(t, f.peerStats("dir=inbound"), id)
	onlyPeer(t, f.peerStats(`ua="/wiretest:*"`), id)
	if l := f.peerStats("id=999"); len(l.GetPeers()) != 0 || l.GetError() != "" {
		t.Fatalf("id=999 selected %d peers (error %q)", len(l.GetPeers()), l.GetError())
	}
	if l := f.peerStats("dir=outbound or"); !strings.Contains(l.GetError(), "column 16") || len(l.GetPeers()) != 0 {
		t.Fatalf("bad filter: error %q, %d peers; want the error at column 16", l.GetError(), len(l.GetPeers()))
	}

	// A second, live peer pings twice.
	c2, ps2 := dialPeer(t, f)
	if _, err := c2.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := c2.Ping(uint64(50+i), waitLong); err != nil {
			t.Fatal(err)
		}
	}

	// The first leaves: its final record arrives, and its traffic stays in
	// the node-wide table.
	_ = c.Close()
	fin := waitFor(t, f.finals, "PeerFinal of the first peer", func(m *peermanpb.PeerFinal) bool {
		return m.GetStats().GetPeer().GetPeerId() == id
	})
	if !fin.GetStats().GetFinal() || byType(fin.GetStats(), "ping").GetMsgsRecv() != 3 {
		t.Fatalf("final record: final %v, pings %d", fin.GetStats().GetFinal(), byType(fin.GetStats(), "ping").GetMsgsRecv())
	}
	f.gone(id)
	if l := f.peerStats(""); len(l.GetPeers()) != 1 || l.GetPeers()[0].GetPeer().GetPeerId() != ps2.GetPeerId() {
		t.Fatalf("after the first left, GetPeerStats lists %d peers", len(l.GetPeers()))
	}

	network := fin.GetStats().GetPeer().GetNetwork()
	cell := func(e []*peermanpb.NetMsgStatsEntry, dir, msgtype string) (uint64, uint64) {
		for _, x := range e {
			if x.GetDirection() == dir && x.GetNetwork() == network && x.GetConnectionType() == "inbound" && x.GetMsgtype() == msgtype {
				return x.GetCount(), x.GetBytes()
			}
		}
		return 0, 0
	}
	entries := f.netMsgStats()
	if n, b := cell(entries, "recv", "ping"); n != 5 || b != x.pingBytes+2*32 {
		t.Fatalf("recv ping cell: %d msgs %d bytes, want 5 and %d (3 departed + 2 live)", n, b, x.pingBytes+64)
	}
	if n, _ := cell(entries, "sent", "pong"); n != 5 {
		t.Fatalf("sent pong cell: %d, want 5", n)
	}
	if n, b := cell(entries, "recv", peerman.OtherCommand); n != 1 || b != x.unknownBytes {
		t.Fatalf("recv *other* cell: %d msgs %d bytes, want 1 and %d", n, b, x.unknownBytes)
	}
}

// TestNoAccountingKeepsTraffic: with accounting off, messages and bytes
// per type are still counted, and nothing else is.
func TestNoAccountingKeepsTraffic(t *testing.T) {
	cfg := statsConfig()
	cfg.NoAccounting = true
	f := newFixture(t, cfg)
	c, ps := dialPeer(t, f)
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		t.Fatal(err)
	}
	x := talk(t, c)
	var s *peermanpb.PeerStats
	eventually(t, func() string {
		s = onlyPeer(t, f.peerStats(""), ps.GetPeerId())
		if byType(s, "sendcmpct").GetMsgsRecv() != 1 {
			return "sendcmpct not handled yet"
		}
		return ""
	})
	if m := byType(s, "ping"); m.GetMsgsRecv() != 3 || m.GetBytesRecv() != x.pingBytes || m.GetHandleWallNs() != 0 {
		t.Fatalf("ping %v", m)
	}
	if s.GetHandleWallNs() != 0 || s.GetHandleCpuNs() != 0 || s.GetTxAnnouncedByPeer() != 0 || s.GetTxLatency().GetUnsolicited() != 0 {
		t.Fatalf("accounting off still counted: wall %d cpu %d announced %d unsolicited %d",
			s.GetHandleWallNs(), s.GetHandleCpuNs(), s.GetTxAnnouncedByPeer(), s.GetTxLatency().GetUnsolicited())
	}
}
