package node_test

import (
	"bytes"
	"context"
	"maps"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/telemetry/capture"
	"github.com/actornode/actornode/telemetry/capture/replay"
)

// replayRecord is one received message of the replay fixture.
type replayRecord struct {
	gap time.Duration
	msg wire.Message
	raw *rawMsg
}

// rawMsg is a message btcd's wire package has no type for.
type rawMsg struct {
	cmd     string
	payload []byte
}

// replayFixture writes a session under <tmp>/regtest/message_capture whose
// received side is a realistic conversation, plus a few sent records that
// replay must ignore, and returns its directory and the per-type counts of
// its received records.
func replayFixture(t *testing.T, pings, invs int, gap time.Duration) (string, map[string]int) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "regtest", capture.DirName)
	if err := os.MkdirAll(root, 0o700); err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1_700_000_000, 0)
	w, err := capture.OpenSession(root, capture.Identity{Peer: 3, Addr: "127.0.0.1:18444", Direction: capture.ConnOutbound,
		ConnectionType: "outbound-full-relay", UserAgent: "/Satoshi:27.0.0/", Start: start}, capture.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	me := wire.NewNetAddressIPPort(net.ParseIP("127.0.0.1"), 18444, wire.SFNodeNetwork|wire.SFNodeWitness)
	you := wire.NewNetAddressIPPort(net.ParseIP("127.0.0.1"), 50000, 0)
	version := wire.NewMsgVersion(me, you, 99, 0)
	version.ProtocolVersion = 70016
	version.UserAgent = "/Satoshi:27.0.0/"
	addr := wire.NewMsgAddr()
	_ = addr.AddAddress(wire.NewNetAddressIPPort(net.ParseIP("203.0.113.9"), 8333, wire.SFNodeNetwork))
	genesis := chainhash.Hash{}
	recs := []replayRecord{
		{msg: version}, {msg: wire.NewMsgSendAddrV2()}, {msg: wire.NewMsgWTxIdRelay()}, {msg: wire.NewMsgVerAck()},
		{raw: &rawMsg{"sendcmpct", []byte{0, 2, 0, 0, 0, 0, 0, 0, 0}}},
		{msg: wire.NewMsgSendHeaders()},
		{msg: wire.NewMsgFeeFilter(1000)},
		{msg: wire.NewMsgGetHeaders()},
		{msg: addr},
	}
	recs[7].msg.(*wire.MsgGetHeaders).ProtocolVersion = 70016
	_ = recs[7].msg.(*wire.MsgGetHeaders).AddBlockLocatorHash(&genesis)
	for i := 0; i < pings; i++ {
		recs = append(recs, replayRecord{gap: gap, msg: wire.NewMsgPing(uint64(1000 + i))})
	}
	for i := 0; i < invs; i++ {
		inv := wire.NewMsgInv()
		_ = inv.AddInvVect(wire.NewInvVect(wire.InvTypeTx, &chainhash.Hash{byte(i + 1), 0x5e}))
		recs = append(recs, replayRecord{gap: gap, msg: inv})
	}
	counts := map[string]int{}
	now := start
	for i, r := range recs {
		now = now.Add(r.gap + time.Microsecond)
		cmd, payload := "", []byte(nil)
		if r.raw != nil {
			cmd, payload = r.raw.cmd, r.raw.payload
		} else {
			var b bytes.Buffer
			if err := r.msg.BtcEncode(&b, 70016, wire.WitnessEncoding); err != nil {
				t.Fatal(err)
			}
			cmd, payload = r.msg.Command(), b.Bytes()
		}
		if err := w.WriteRecv(capture.Record{Time: now, Command: cmd, Payload: payload}); err != nil {
			t.Fatal(err)
		}
		counts[cmd]++
		if i == 0 { // what the node under capture sent back: never replayed
			if err := w.WriteSent(capture.Record{Time: now, Command: "verack"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(now); err != nil {
		t.Fatal(err)
	}
	return w.Dir(), counts
}

// sessionRecords reads a session's received records.
func sessionRecords(t *testing.T, dir string) []capture.Record {
	t.Helper()
	m, err := capture.OpenMerged(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var out []capture.Record
	for {
		r, err := m.Next()
		if err != nil {
			return out
		}
		if r.Direction == capture.Recv {
			out = append(out, r.Record)
		}
	}
}

// recvByType asks getpeerstats for the inbound peer's received counts.
func recvByType(t *testing.T, n *testNode) (map[string]int, bool) {
	var stats []peerStatsEntry
	if err := n.rpc(&stats, "getpeerstats", "dir=inbound"); err != nil {
		t.Fatalf("getpeerstats: %v", err)
	}
	if len(stats) != 1 {
		return nil, false
	}
	out := map[string]int{}
	for k, v := range stats[0].ByType {
		if v.MsgsRecv > 0 {
			out[k] = int(v.MsgsRecv)
		}
	}
	return out, true
}

// replayInto replays dir into the node and checks getpeerstats' received
// counts: the session's per-type counts minus what replay skipped, plus the
// client's own handshake, flush ping and pongs.
func replayInto(t *testing.T, n *testNode, dir string, recorded map[string]int, speed float64) replay.Result {
	t.Helper()
	magic, err := replay.Magic("regtest")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := replay.Dial(ctx, replay.Options{Addr: n.p2p, Net: magic, Relay: true, WtxidRelay: true, SendAddrV2: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	recs := sessionRecords(t, dir)
	res, err := replay.Replay(ctx, c, func(yield func(capture.Record) bool) {
		for _, r := range recs {
			if !yield(r) {
				return
			}
		}
	}, speed)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	wantSent := maps.Clone(recorded)
	for _, s := range replay.Skipped {
		if wantSent[s] != res.Skipped[s] {
			t.Fatalf("skipped %d %s, the session has %d", res.Skipped[s], s, wantSent[s])
		}
		delete(wantSent, s)
	}
	if !maps.Equal(res.Sent, wantSent) {
		t.Fatalf("replay sent %v, want %v", res.Sent, wantSent)
	}
	own := c.Own()
	for _, cmd := range []string{"version", "wtxidrelay", "sendaddrv2", "verack", "ping"} {
		if own[cmd] != 1 {
			t.Fatalf("the client's own messages %v lack one %s", own, cmd)
		}
	}
	var got map[string]int
	eventually(t, 20*time.Second, "getpeerstats counting every replayed message", func() bool {
		var ok bool
		got, ok = recvByType(t, n)
		return ok && maps.Equal(got, replay.Expected(res, c))
	})
	t.Logf("node counted %v", got)
	return res
}

// TestReplayIntoANodeMatchesItsCounts replays a recorded session into a
// fresh node as fast as possible and checks that the node counted exactly
// the replayed messages plus the replay client's own.
func TestReplayIntoANodeMatchesItsCounts(t *testing.T) {
	n := startNode(t, "--p2p.connect", noOutbound)
	dir, recorded := replayFixture(t, 25, 40, 0)
	replayInto(t, n, dir, recorded, replay.SpeedMax)
}

// TestReplayKeepsTheRecordedSpacing replays at speed 1 a session whose
// messages are 60 ms apart: the replay cannot take less than the recorded
// span, and the node still counts every message.
func TestReplayKeepsTheRecordedSpacing(t *testing.T) {
	n := startNode(t, "--p2p.connect", noOutbound)
	const gap = 60 * time.Millisecond
	dir, recorded := replayFixture(t, 4, 3, gap)
	res := replayInto(t, n, dir, recorded, 1)
	// 7 gapped messages after the first replayed one.
	if min := 7 * gap; res.Elapsed < min {
		t.Fatalf("speed 1 replay took %v, less than the recorded %v", res.Elapsed, min)
	}
}
