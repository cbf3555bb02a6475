package node_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/chain/headers"
	"github.com/actornode/actornode/internal/btcdtest"
	"github.com/actornode/actornode/internal/wiretest"
)

// fakePeer dials the node as a full node (NODE_NETWORK | NODE_WITNESS)
// and completes the handshake.
func fakePeer(t *testing.T, n *testNode) *wiretest.Client {
	t.Helper()
	c, err := wiretest.Dial(n.p2p, wire.TestNet)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	opts := wiretest.DefaultHandshake()
	opts.Services = wire.SFNodeNetwork | wire.SFNodeWitness
	if _, err := c.Handshake(opts); err != nil {
		t.Fatalf("handshake: %v", err)
	}
	return c
}

// readUntil reads messages until one with command arrives, answering pings.
func readUntil(c *wiretest.Client, command string, timeout time.Duration) (wire.Message, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		msg, cmd, err := c.ReadMessage(time.Until(deadline))
		if err != nil {
			return nil, fmt.Errorf("waiting for %s: %w", command, err)
		}
		if cmd == command {
			return msg, nil
		}
		if ping, ok := msg.(*wire.MsgPing); ok {
			_ = c.WriteMessage(wire.NewMsgPong(ping.Nonce))
		}
	}
	return nil, fmt.Errorf("no %s within %v", command, timeout)
}

// badPoWHeader returns a header on top of regtest's genesis with the right
// bits whose hash is above the target.
func badPoWHeader() wire.BlockHeader {
	p := &chaincfg.RegressionNetParams
	h := wire.BlockHeader{
		Version:   4,
		PrevBlock: *p.GenesisHash,
		Timestamp: time.Unix(p.GenesisBlock.Header.Timestamp.Unix()+600, 0),
		Bits:      p.PowLimitBits,
	}
	target := headers.CompactToBig(h.Bits)
	for nonce := uint32(0); ; nonce++ {
		h.Nonce = nonce
		hash := h.BlockHash()
		if headers.HashToBig(&hash).Cmp(target) > 0 {
			return h
		}
	}
}

// TestChainDisconnectsPeerWithBadPoWHeader: a peer answering our
// getheaders with a header whose hash misses its target is disconnected
// as misbehaving.
func TestChainDisconnectsPeerWithBadPoWHeader(t *testing.T) {
	n := startNode(t)
	c := fakePeer(t, n)
	if _, err := readUntil(c, wire.CmdGetHeaders, chainWait); err != nil {
		t.Fatal(err)
	}
	msg := wire.NewMsgHeaders()
	h := badPoWHeader()
	_ = msg.AddBlockHeader(&h)
	if err := c.WriteMessage(msg); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitClosed(chainWait); err != nil {
		t.Fatalf("connection not closed: %v", err)
	}
	eventually(t, chainWait, "disconnect logged as invalid header, misbehaving", func() bool {
		logs := n.logs.String()
		return strings.Contains(logs, "reason=DISCONNECT_REASON_INVALID_HEADER") && strings.Contains(logs, "misbehaving=true")
	})
}

// TestChainRefetchesBlockWithBadMerkleRoot: a peer serving the real
// headers of a btcd chain but blocks whose transactions do not match
// their merkle root is disconnected as misbehaving, and the blocks come
// from btcd instead, byte for byte.
func TestChainRefetchesBlockWithBadMerkleRoot(t *testing.T) {
	a := btcdtest.Start(t, btcdtest.Options{DebugLevel: "warn"})
	st, err := a.MineChain(120, 100000)
	if err != nil {
		t.Fatalf("mining: %v", err)
	}
	var hdrs []wire.BlockHeader
	blocks := map[chainhash.Hash]*wire.MsgBlock{}
	for h := int64(1); h <= int64(st.Blocks); h++ {
		hash, err := a.GetBlockHash(h)
		if err != nil {
			t.Fatal(err)
		}
		b, err := a.GetBlock(hash)
		if err != nil {
			t.Fatal(err)
		}
		hdrs = append(hdrs, b.Header)
		blocks[b.BlockHash()] = b
	}

	n := startNode(t)
	c := fakePeer(t, n)
	if _, err := readUntil(c, wire.CmdGetHeaders, chainWait); err != nil {
		t.Fatal(err)
	}
	msg := wire.NewMsgHeaders()
	for i := range hdrs {
		_ = msg.AddBlockHeader(&hdrs[i])
	}
	if err := c.WriteMessage(msg); err != nil {
		t.Fatal(err)
	}
	gd, err := readUntil(c, wire.CmdGetData, chainWait)
	if err != nil {
		t.Fatal(err)
	}
	iv := gd.(*wire.MsgGetData).InvList[0]
	good := blocks[iv.Hash]
	if good == nil {
		t.Fatalf("asked for unknown block %s", iv.Hash)
	}
	// Same header, another coinbase: the transactions no longer hash to
	// the header's merkle root.
	bad := wire.MsgBlock{Header: good.Header}
	cb := good.Transactions[0].Copy()
	cb.TxIn[0].SignatureScript = append(bytes.Clone(cb.TxIn[0].SignatureScript), 0x51)
	bad.Transactions = append([]*wire.MsgTx{cb}, good.Transactions[1:]...)
	if err := c.WriteMessage(&bad); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitClosed(chainWait); err != nil {
		t.Fatalf("connection not closed: %v", err)
	}
	eventually(t, chainWait, "disconnect logged as invalid block, misbehaving", func() bool {
		logs := n.logs.String()
		return strings.Contains(logs, "reason=DISCONNECT_REASON_INVALID_BLOCK") && strings.Contains(logs, "misbehaving=true")
	})
	if err := n.rpc(nil, "addnode", a.P2PAddr(), "onetry"); err != nil {
		t.Fatalf("addnode: %v", err)
	}
	n.waitForTip(t, st.Tip, chainWait)
	height := int64(-1)
	for h, hd := range hdrs {
		if hd.BlockHash() == iv.Hash {
			height = int64(h + 1)
		}
	}
	compareBlocks(t, n, a, []int64{height})
}
