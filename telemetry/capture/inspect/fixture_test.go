package inspect_test

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/telemetry/capture"
)

// t0 is the connect time of the fixture sessions.
var t0 = time.Unix(1_700_000_000, 0).UTC()

// at returns t0 plus ms milliseconds.
func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

// encode serialises msg's payload at protocol 70016 with witnesses.
func encode(t *testing.T, msg wire.Message) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := msg.BtcEncode(&b, 70016, wire.WitnessEncoding); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// step is one record of a fixture session.
type step struct {
	ms  int
	dir capture.Direction
	msg wire.Message
}

// writeSession writes a session under root with SessionWriter and returns
// its directory.
func writeSession(t *testing.T, root string, id capture.Identity, steps []step) string {
	t.Helper()
	w, err := capture.OpenSession(root, id, capture.SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		if err := w.Write(s.dir, capture.Record{Time: at(s.ms), Command: s.msg.Command(), Payload: encode(t, s.msg)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(at(100_000)); err != nil {
		t.Fatal(err)
	}
	return w.Dir()
}

// fixtureTx is a one-input, one-output transaction with a witness.
func fixtureTx() *wire.MsgTx {
	tx := wire.NewMsgTx(2)
	tx.AddTxIn(&wire.TxIn{PreviousOutPoint: wire.OutPoint{Hash: chainhash.Hash{1}, Index: 3}, Sequence: 0xfffffffd,
		Witness: wire.TxWitness{{0x01, 0x02}}})
	tx.AddTxOut(wire.NewTxOut(5000, []byte{0x51}))
	return tx
}

// fixtureBlock is a block holding fixtureTx.
func fixtureBlock() *wire.MsgBlock {
	b := wire.NewMsgBlock(wire.NewBlockHeader(4, &chainhash.Hash{9}, &chainhash.Hash{8}, 0x207fffff, 7))
	b.Header.Timestamp = t0
	_ = b.AddTransaction(fixtureTx())
	return b
}

// announcedTx is the hash of a transaction we announce in the fixture.
var announcedTx = chainhash.Hash{0xaa}

// versionMsg is a version like Core's.
func versionMsg(ua string, height int32) *wire.MsgVersion {
	me := wire.NewNetAddressIPPort(net.ParseIP("127.0.0.1"), 18444, wire.SFNodeNetwork)
	you := wire.NewNetAddressIPPort(net.ParseIP("127.0.0.1"), 50000, 0)
	v := wire.NewMsgVersion(me, you, 42, height)
	v.ProtocolVersion = 70016
	v.Services = wire.SFNodeNetwork | wire.SFNodeWitness
	v.UserAgent = ua
	v.Timestamp = t0
	return v
}

// fixtureSteps is the conversation of the main fixture session; the
// comments give the figures the stats tests expect.
func fixtureSteps() []step {
	tx, blk := fixtureTx(), fixtureBlock()
	txid, bh := tx.TxHash(), blk.BlockHash()
	return []step{
		{0, capture.Recv, versionMsg("/Satoshi:27.0.0/", 100)},
		{1, capture.Sent, versionMsg("/actornode:0.1.0/", 0)},
		{2, capture.Recv, wire.NewMsgVerAck()},
		{3, capture.Sent, wire.NewMsgVerAck()},
		{1000, capture.Recv, wire.NewMsgPing(1)}, // recv ping gaps: 2000 ms, 1000 ms
		{1001, capture.Sent, wire.NewMsgPong(1)},
		{3000, capture.Recv, wire.NewMsgPing(2)},
		{3001, capture.Sent, wire.NewMsgPong(2)},
		{4000, capture.Recv, wire.NewMsgPing(3)},
		{5000, capture.Sent, invOf(wire.InvTypeTx, announcedTx)},
		{5250, capture.Recv, getdataOf(wire.InvTypeTx, announcedTx)}, // sent inv -> recv getdata: 250 ms
		{6000, capture.Recv, invOf(wire.InvTypeTx, txid)},
		{6100, capture.Sent, getdataOf(wire.InvTypeWitnessTx, txid)}, // recv inv -> sent getdata: 100 ms
		{6400, capture.Recv, tx},                                     // sent getdata -> tx: 300 ms
		{7000, capture.Recv, invOf(wire.InvTypeBlock, bh)},
		{7010, capture.Sent, getdataOf(wire.InvTypeWitnessBlock, bh)}, // 10 ms
		{8010, capture.Recv, blk},                                     // 1000 ms
	}
}

// invOf builds an inv with one item.
func invOf(typ wire.InvType, h chainhash.Hash) *wire.MsgInv {
	m := wire.NewMsgInv()
	_ = m.AddInvVect(wire.NewInvVect(typ, &h))
	return m
}

// getdataOf builds a getdata with one item.
func getdataOf(typ wire.InvType, h chainhash.Hash) *wire.MsgGetData {
	m := wire.NewMsgGetData()
	_ = m.AddInvVect(wire.NewInvVect(typ, &h))
	return m
}

// fixtureIdentity is the peer of the main fixture session.
var fixtureIdentity = capture.Identity{Peer: actors.PeerID(7), Addr: "127.0.0.1:18444", Direction: capture.ConnInbound,
	ConnectionType: "inbound", UserAgent: "/Satoshi:27.0.0/", Start: t0}

// secondIdentity is the peer of the second fixture session.
var secondIdentity = capture.Identity{Peer: actors.PeerID(9), Addr: "[2001:db8::1]:8333", Direction: capture.ConnOutbound,
	ConnectionType: "outbound-full-relay", UserAgent: "/btcd:0.26.2/", Start: t0}

// secondSteps interleave in time with fixtureSteps.
func secondSteps() []step {
	return []step{
		{500, capture.Sent, wire.NewMsgPing(77)},
		{2500, capture.Recv, wire.NewMsgPong(77)},
		{2500, capture.Recv, wire.NewMsgFeeFilter(1000)},
	}
}

// makeRoot writes both fixture sessions under <tmp>/regtest/message_capture
// and returns the root and the two session directories.
func makeRoot(t *testing.T) (root, first, second string) {
	t.Helper()
	root = filepath.Join(t.TempDir(), "regtest", capture.DirName)
	if err := os.MkdirAll(root, 0o700); err != nil {
		t.Fatal(err)
	}
	first = writeSession(t, root, fixtureIdentity, fixtureSteps())
	second = writeSession(t, root, secondIdentity, secondSteps())
	return root, first, second
}
