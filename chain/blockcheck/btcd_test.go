package blockcheck

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/actornode/actornode/internal/btcdtest"
	"github.com/btcsuite/btcd/address/v2"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/txscript/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// getBlock fetches a block from btcd in its serialised form.
func getBlock(t *testing.T, node *btcdtest.Node, hash string) *wire.MsgBlock {
	t.Helper()
	raw, err := node.RPC("getblock", hash, 0)
	if err != nil {
		t.Fatal(err)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	data, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	var b wire.MsgBlock
	if err := b.Deserialize(bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if b.BlockHash().String() != hash {
		t.Fatalf("block hash %s, want %s", b.BlockHash(), hash)
	}
	return &b
}

// send submits tx to btcd's mempool.
func send(t *testing.T, node *btcdtest.Node, tx *wire.MsgTx) {
	t.Helper()
	var buf bytes.Buffer
	if err := tx.Serialize(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := node.RPC("sendrawtransaction", hex.EncodeToString(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
}

// TestRealSegwitBlockFromBtcd has a real btcd regtest node mine a block
// holding a signed segwit (P2WPKH) spend, so the block carries a witness
// commitment computed by btcd, and checks that Check accepts it, that our
// weight matches btcd's, and that stripping or altering witness data is
// caught as a mutation.
func TestRealSegwitBlockFromBtcd(t *testing.T) {
	node := btcdtest.Start(t, btcdtest.Options{NoListen: true})
	params := &chaincfg.RegressionNetParams
	hashes, err := node.Generate(101)
	if err != nil {
		t.Fatal(err)
	}
	key := btcdtest.MiningKey()
	pkHash := address.Hash160(key.PubKey().SerializeCompressed())
	p2pkhAddr, _ := address.NewAddressPubKeyHash(pkHash, params)
	p2wpkhAddr, _ := address.NewAddressWitnessPubKeyHash(pkHash, params)
	p2pkh, _ := txscript.PayToAddrScript(p2pkhAddr)
	p2wpkh, _ := txscript.PayToAddrScript(p2wpkhAddr)

	// A coinbase-only block passes and has no commitment.
	first := getBlock(t, node, hashes[0])
	if err := Check(first, params); err != nil {
		t.Fatalf("coinbase-only block: %v", err)
	}
	cb := first.Transactions[0]
	var out uint32 = 0xffffffff
	for i, o := range cb.TxOut {
		if bytes.Equal(o.PkScript, p2pkh) {
			out = uint32(i)
		}
	}
	if out == 0xffffffff {
		t.Fatal("coinbase does not pay the mining key")
	}
	value := cb.TxOut[out].Value

	// Legacy spend of the coinbase to a P2WPKH output.
	cbHash := cb.TxHash()
	tx1 := wire.NewMsgTx(2)
	tx1.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&cbHash, out), nil, nil))
	tx1.AddTxOut(wire.NewTxOut(value-10_000, p2wpkh))
	sig, err := txscript.SignatureScript(tx1, 0, p2pkh, txscript.SigHashAll, key, true)
	if err != nil {
		t.Fatal(err)
	}
	tx1.TxIn[0].SignatureScript = sig
	send(t, node, tx1)

	// Segwit spend of that output.
	tx1Hash := tx1.TxHash()
	tx2 := wire.NewMsgTx(2)
	tx2.AddTxIn(wire.NewTxIn(wire.NewOutPoint(&tx1Hash, 0), nil, nil))
	tx2.AddTxOut(wire.NewTxOut(value-20_000, p2wpkh))
	fetcher := txscript.NewCannedPrevOutputFetcher(p2wpkh, value-10_000)
	wit, err := txscript.WitnessSignature(tx2, txscript.NewTxSigHashes(tx2, fetcher), 0, value-10_000,
		p2wpkh, txscript.SigHashAll, key, true)
	if err != nil {
		t.Fatal(err)
	}
	tx2.TxIn[0].Witness = wit
	send(t, node, tx2)

	mined, err := node.Generate(1)
	if err != nil {
		t.Fatal(err)
	}
	b := getBlock(t, node, mined[0])
	if len(b.Transactions) != 3 {
		t.Fatalf("block has %d transactions", len(b.Transactions))
	}
	if _, _, ok := WitnessCommitment(b.Transactions[0]); !ok {
		t.Fatal("btcd's block has no witness commitment")
	}
	if err := Check(b, params); err != nil {
		t.Fatalf("real segwit block: %v", err)
	}
	var verbose struct {
		Weight int `json:"weight"`
	}
	raw, err := node.RPC("getblock", mined[0], 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &verbose); err != nil {
		t.Fatal(err)
	}
	if w := Weight(b); w != verbose.Weight || w == 4*b.SerializeSize() {
		t.Fatalf("weight %d, btcd says %d (size %d)", w, verbose.Weight, b.SerializeSize())
	}

	// Witness stripped in transit: the header is spared.
	stripped := b.Copy()
	for _, tx := range stripped.Transactions[1:] {
		for _, in := range tx.TxIn {
			in.Witness = nil
		}
	}
	err = Check(stripped, params)
	wantCode(t, err, CodeBadWitnessCommitment)
	if !err.(*Error).Mutated() {
		t.Fatal("stripped witness not reported as a mutation")
	}
	// An altered witness item.
	altered := b.Copy()
	altered.Transactions[2].TxIn[0].Witness[0][5] ^= 1
	wantCode(t, Check(altered, params), CodeBadWitnessCommitment)
	// A wrong reserved value.
	reserved := b.Copy()
	reserved.Transactions[0].TxIn[0].Witness[0][0] ^= 1
	wantCode(t, Check(reserved, params), CodeBadWitnessCommitment)
	// The commitment itself is what btcd computed.
	commitment, _, _ := WitnessCommitment(b.Transactions[0])
	var rv chainhash.Hash
	copy(rv[:], b.Transactions[0].TxIn[0].Witness[0])
	if ComputeWitnessCommitment(WitnessMerkleRoot(b), rv) != commitment {
		t.Fatal("commitment recomputation differs")
	}
}
