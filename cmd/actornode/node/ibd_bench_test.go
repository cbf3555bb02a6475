package node_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/cmd/actornode/node"
	"github.com/actornode/actornode/config"
	"github.com/actornode/actornode/internal/btcdtest"
	"github.com/actornode/actornode/internal/wiretest"
)

// The chain BenchmarkIBD downloads: ibdMaturity blocks with nothing but a
// coinbase (so that coinbases can be spent), then ibdBlocks blocks of
// ibdTxPerBlock transactions. The first transactions split the mature
// coinbases into ibdFanOut outputs each; every later one spends
// ibdInOut outputs to as many new ones (about 3.6 kB per transaction,
// 70 kB per block), so the number of unspent outputs stays small: btcd
// flushes its whole UTXO cache when it stops, and a large one makes it
// miss btcdtest's stop deadline.
const (
	ibdMaturity      = 110
	ibdBlocks        = 150
	ibdTxPerBlock    = 20
	ibdFanOut        = 100
	ibdInOut         = 20
	ibdFeePerTx      = 20_000
	ibdSyncTimeout   = 10 * time.Minute
	ibdHeadersPerMsg = 2000
	// ibdGetDataBatch is how many blocks the plain client asks for in one
	// getdata before it waits for them.
	ibdGetDataBatch = 128
)

// ibdChain is the chain a btcd mined for BenchmarkIBD.
type ibdChain struct {
	btcd *btcdtest.Node
	// height and tip are the best block's height and hash.
	height int32
	tip    string
	// blockBytes is the serialized size (with witness) of every block
	// after genesis.
	blockBytes int64
}

// ibdUTXO is an output the mining key can spend.
type ibdUTXO struct {
	out   wire.OutPoint
	value int64
}

// BenchmarkIBD measures the download of the same regtest chain (about 260
// blocks, 10 MB, mined once per run by a local btcd) three ways, reporting
// blocks/s and MB/s (block bytes with witness) for each:
//
//   - wire-client: a plain single-connection client (internal/wiretest)
//     doing the version handshake, getheaders until done, then getdata in
//     batches of ibdGetDataBatch blocks, waiting for each batch. The
//     baseline: what one TCP connection to this btcd can deliver.
//   - actornode-from-btcd: a fresh actornode started with --p2p.connect to
//     the btcd, timed from start until getblockcount reaches the tip.
//   - actornode-from-actornode: a fresh actornode syncing from another
//     actornode that already holds the chain.
//
// Every op starts from an empty data directory; the node's start-up is
// inside the timing. The actornode parts are skipped while the node has
// no chain sync (getblockcount answers "Method not found" or "chain not
// available").
func BenchmarkIBD(b *testing.B) {
	chain := mineIBDChain(b)
	b.Run("wire-client", func(b *testing.B) {
		var wireBytes int64
		b.ResetTimer()
		for range b.N {
			n, err := pullChain(chain.btcd.P2PAddr(), chain.height)
			if err != nil {
				b.Fatal(err)
			}
			wireBytes += n
		}
		b.StopTimer()
		reportIBD(b, chain)
		b.ReportMetric(float64(wireBytes)/float64(b.N)/1e6, "wireMB/op")
	})
	b.Run("actornode-from-btcd", func(b *testing.B) {
		benchActornodeSync(b, chain, chain.btcd.P2PAddr())
	})
	b.Run("actornode-from-actornode", func(b *testing.B) {
		source, _ := syncedIBDNode(b, chain, chain.btcd.P2PAddr())
		benchActornodeSync(b, chain, source.p2p)
	})
}

// reportIBD adds blocks/s and MB/s over the whole measured time.
func reportIBD(b *testing.B, chain *ibdChain) {
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(chain.height)*float64(b.N)/secs, "blocks/s")
	b.ReportMetric(float64(chain.blockBytes)*float64(b.N)/1e6/secs, "MB/s")
}

// benchActornodeSync times fresh actornodes syncing from peer.
func benchActornodeSync(b *testing.B, chain *ibdChain, peer string) {
	b.ResetTimer()
	for range b.N {
		_, stop := syncedIBDNode(b, chain, peer)
		b.StopTimer()
		stop()
		b.StartTimer()
	}
	b.StopTimer()
	reportIBD(b, chain)
}

// ibdNode is an actornode started for BenchmarkIBD.
type ibdNode struct {
	running *node.Running
	p2p     string
	rpcURL  string
	logs    *syncBuffer
}

// syncedIBDNode starts an actornode connecting only to peer and waits
// until its getblockcount reaches the chain's height and its best block is
// the chain's tip. stop shuts it down (also done when b ends).
func syncedIBDNode(b *testing.B, chain *ibdChain, peer string) (*ibdNode, func()) {
	b.Helper()
	cfg, err := config.Load([]string{
		"--network", "regtest",
		"--datadir", b.TempDir(),
		"--p2p.listen", "127.0.0.1:0",
		"--p2p.connect", peer,
		"--p2p.dnsseed=false",
		"--rpc.listen", "127.0.0.1:0",
		"--rpc.user", "bench", "--rpc.password", "bench",
		"--log.level", "warn",
	}, nil)
	if err != nil {
		b.Fatalf("config: %v", err)
	}
	n := &ibdNode{logs: &syncBuffer{}}
	n.running, err = node.Start(cfg, node.Options{LogOutput: n.logs})
	if err != nil {
		b.Fatalf("start: %v", err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		if err := n.running.Shutdown(); err != nil {
			b.Errorf("shutdown: %v", err)
		}
		if b.Failed() {
			b.Logf("actornode log:\n%s", tail(n.logs.String(), 60))
		}
	}
	b.Cleanup(stop)
	p2p, err := n.running.P2PAddrs(benchWait)
	if err != nil || len(p2p) != 1 {
		b.Fatalf("P2P listener: %v %v", p2p, err)
	}
	n.p2p = p2p[0]
	rpcAddrs, err := n.running.RPCAddrs(benchWait)
	if err != nil || len(rpcAddrs) != 1 {
		b.Fatalf("RPC listener: %v %v", rpcAddrs, err)
	}
	n.rpcURL = "http://" + rpcAddrs[0] + "/"
	deadline := time.Now().Add(ibdSyncTimeout)
	for {
		var height int32
		err := ibdRPC(n.rpcURL, &height, "getblockcount")
		var rpcErr *ibdRPCError
		if errors.As(err, &rpcErr) && (rpcErr.Code == -32601 || strings.Contains(rpcErr.Message, "chain not available")) {
			b.Skipf("actornode has no chain sync yet: getblockcount: %v", err)
		}
		if err == nil && height >= chain.height {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("actornode at height %d (%v) after %v, want %d", height, err, ibdSyncTimeout, chain.height)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var best string
	if err := ibdRPC(n.rpcURL, &best, "getbestblockhash"); err != nil || best != chain.tip {
		b.Fatalf("actornode's best block %s (%v), want %s", best, err, chain.tip)
	}
	return n, stop
}

// ibdRPCError is a JSON-RPC error reply.
type ibdRPCError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *ibdRPCError) Error() string { return fmt.Sprintf("%s (%d)", e.Message, e.Code) }

// ibdRPC calls method on an actornode and decodes the result into out.
func ibdRPC(url string, out any, method string, params ...any) error {
	if params == nil {
		params = []any{}
	}
	body, _ := json.Marshal(map[string]any{"jsonrpc": "1.0", "id": "ibd", "method": method, "params": params})
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.SetBasicAuth("bench", "bench")
	resp, err := (&http.Client{Timeout: benchWait}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var reply struct {
		Result json.RawMessage `json:"result"`
		Error  *ibdRPCError    `json:"error"`
	}
	if err := json.Unmarshal(raw, &reply); err != nil {
		return fmt.Errorf("%s: HTTP %d %q", method, resp.StatusCode, raw)
	}
	if reply.Error != nil {
		return reply.Error
	}
	return json.Unmarshal(reply.Result, out)
}

// mineIBDChain starts a btcd and mines the benchmark's chain.
func mineIBDChain(b *testing.B) *ibdChain {
	b.Helper()
	n := btcdtest.Start(b, btcdtest.Options{DebugLevel: "warn"})
	key := btcdtest.MiningKey()
	addr, err := address.NewAddressPubKeyHash(address.Hash160(key.PubKey().SerializeCompressed()), &chaincfg.RegressionNetParams)
	if err != nil {
		b.Fatal(err)
	}
	pkScript, err := txscript.PayToAddrScript(addr)
	if err != nil {
		b.Fatal(err)
	}
	chain := &ibdChain{btcd: n}
	// mine mines one block that must hold wantTxs transactions besides
	// its coinbase, and returns the coinbase's output.
	mine := func(wantTxs int) ibdUTXO {
		hashes, err := n.Generate(1)
		if err != nil || len(hashes) != 1 {
			b.Fatalf("generate: %v %v", hashes, err)
		}
		block := btcdBlock(b, n, hashes[0])
		if len(block.Transactions) != wantTxs+1 {
			b.Fatalf("block %s has %d transactions, want %d", hashes[0], len(block.Transactions), wantTxs+1)
		}
		chain.blockBytes += int64(block.SerializeSize())
		chain.height++
		chain.tip = hashes[0]
		cb := block.Transactions[0]
		return ibdUTXO{out: wire.OutPoint{Hash: cb.TxHash(), Index: 0}, value: cb.TxOut[0].Value}
	}
	// The first coinbases are spendable once 100 blocks are on top of
	// them; every later transaction spends an earlier one's output, first
	// in first out, confirmed or still in btcd's mempool.
	var spendable []ibdUTXO
	for i := range ibdMaturity {
		cb := mine(0)
		if i < ibdMaturity-100 {
			spendable = append(spendable, cb)
		}
	}
	for range ibdBlocks {
		for range ibdTxPerBlock {
			var ins []ibdUTXO
			outs := ibdInOut
			if spendable[0].value >= 10_0000_0000 { // a coinbase: split it
				ins, spendable, outs = spendable[:1], spendable[1:], ibdFanOut
			} else {
				ins, spendable = spendable[:ibdInOut], spendable[ibdInOut:]
			}
			tx, err := spendTx(ins, outs, pkScript, key)
			if err != nil {
				b.Fatal(err)
			}
			var raw bytes.Buffer
			if err := tx.Serialize(&raw); err != nil {
				b.Fatal(err)
			}
			if _, err := n.RPC("sendrawtransaction", hex.EncodeToString(raw.Bytes())); err != nil {
				b.Fatalf("sendrawtransaction: %v", err)
			}
			for i, out := range tx.TxOut {
				spendable = append(spendable, ibdUTXO{out: wire.OutPoint{Hash: tx.TxHash(), Index: uint32(i)}, value: out.Value})
			}
		}
		mine(ibdTxPerBlock)
	}
	return chain
}

// spendTx spends ins to outs equal outputs to pkScript (the P2PKH script
// of key), signed with key.
func spendTx(ins []ibdUTXO, outs int, pkScript []byte, key *btcec.PrivateKey) (*wire.MsgTx, error) {
	tx := wire.NewMsgTx(2)
	var total int64
	for _, in := range ins {
		tx.AddTxIn(wire.NewTxIn(&in.out, nil, nil))
		total += in.value
	}
	each := (total - ibdFeePerTx) / int64(outs)
	if each <= 1000 {
		return nil, fmt.Errorf("%d inputs hold %d satoshis, too little for %d outputs", len(ins), total, outs)
	}
	for range outs {
		tx.AddTxOut(wire.NewTxOut(each, pkScript))
	}
	for i := range tx.TxIn {
		sig, err := txscript.SignatureScript(tx, i, pkScript, txscript.SigHashAll, key, true)
		if err != nil {
			return nil, err
		}
		tx.TxIn[i].SignatureScript = sig
	}
	return tx, nil
}

// btcdBlock fetches and decodes one block from btcd.
func btcdBlock(b *testing.B, n *btcdtest.Node, hash string) *wire.MsgBlock {
	b.Helper()
	raw, err := n.RPC("getblock", hash, 0)
	if err != nil {
		b.Fatalf("getblock %s: %v", hash, err)
	}
	var hexBlock string
	if err := json.Unmarshal(raw, &hexBlock); err != nil {
		b.Fatalf("getblock %s: %v", hash, err)
	}
	data, err := hex.DecodeString(hexBlock)
	if err != nil {
		b.Fatal(err)
	}
	var block wire.MsgBlock
	if err := block.Deserialize(bytes.NewReader(data)); err != nil {
		b.Fatalf("block %s: %v", hash, err)
	}
	return &block
}

// pullChain downloads every block up to height from addr over one
// connection and returns the bytes received on the wire for the blocks
// (frame headers included).
func pullChain(addr string, height int32) (int64, error) {
	c, err := wiretest.Dial(addr, benchNet)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	if _, err := c.Handshake(wiretest.DefaultHandshake()); err != nil {
		return 0, err
	}
	hashes := []chainhash.Hash{*chaincfg.RegressionNetParams.GenesisHash}
	for {
		last := hashes[len(hashes)-1]
		if err := c.WriteMessage(&wire.MsgGetHeaders{ProtocolVersion: wire.ProtocolVersion,
			BlockLocatorHashes: []*chainhash.Hash{&last}}); err != nil {
			return 0, err
		}
		msg, err := expectMessage(c, wire.CmdHeaders)
		if err != nil {
			return 0, err
		}
		headers := msg.(*wire.MsgHeaders).Headers
		for _, h := range headers {
			hashes = append(hashes, h.BlockHash())
		}
		if len(headers) < ibdHeadersPerMsg {
			break
		}
	}
	if got := int32(len(hashes) - 1); got != height {
		return 0, fmt.Errorf("got headers up to height %d, want %d", got, height)
	}
	var wireBytes int64
	want := hashes[1:]
	for len(want) > 0 {
		batch := want[:min(ibdGetDataBatch, len(want))]
		want = want[len(batch):]
		getData := wire.NewMsgGetData()
		for i := range batch {
			if err := getData.AddInvVect(wire.NewInvVect(wire.InvTypeWitnessBlock, &batch[i])); err != nil {
				return 0, err
			}
		}
		if err := c.WriteMessage(getData); err != nil {
			return 0, err
		}
		for i := range batch {
			msg, err := expectMessage(c, wire.CmdBlock)
			if err != nil {
				return 0, err
			}
			block := msg.(*wire.MsgBlock)
			if block.BlockHash() != batch[i] {
				return 0, fmt.Errorf("got block %s, want %s", block.BlockHash(), batch[i])
			}
			wireBytes += int64(wiretest.HeaderSize + block.SerializeSize())
		}
	}
	return wireBytes, nil
}

// expectMessage reads until a message with command arrives, answering
// pings and dropping anything else.
func expectMessage(c *wiretest.Client, command string) (wire.Message, error) {
	for {
		msg, cmd, err := c.ReadMessage(benchWait)
		if err != nil {
			return nil, fmt.Errorf("waiting for %s: %w", command, err)
		}
		if cmd == command {
			return msg, nil
		}
		if ping, ok := msg.(*wire.MsgPing); ok {
			if err := c.WriteMessage(wire.NewMsgPong(ping.Nonce)); err != nil {
				return nil, err
			}
		}
	}
}
