package rpc_test

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/chain/chainpb"
	"github.com/actornode/actornode/rpc"
)

// Hashes the chain stand-in knows without a stored block.
const (
	// standinHeaderOnly is a header whose block is not stored yet.
	standinHeaderOnly = "00000000000000000000000000000000000000000000000000000000000000aa"
	// standinPruned is a header whose block was pruned.
	standinPruned = "00000000000000000000000000000000000000000000000000000000000000bb"
	// standinBroken is a header whose block the store cannot read.
	standinBroken = "00000000000000000000000000000000000000000000000000000000000000cc"
	// standinUnknown is a hash the stand-in has never heard of.
	standinUnknown = "00000000000000000000000000000000000000000000000000000000000000dd"
)

// standinBlock is one entry of the chain stand-in: a header and, unless
// getErr says otherwise, its block.
type standinBlock struct {
	info   *chainpb.HeaderInfo
	raw    []byte
	getErr chainpb.ChainErrorCode
}

// testChain stands in for chainman: it answers GetTip with tip,
// GetBlockHash from byHeight, GetBlockHeader and GetBlock from blocks (by
// lower-case hash, as chainman expects them).
type testChain struct {
	tip      *chainpb.TipSnapshot
	blocks   map[string]standinBlock
	byHeight []string
}

func (c *testChain) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *chainpb.GetTip:
		ctx.Respond(c.tip)
	case *chainpb.GetBlockHash:
		if msg.GetHeight() < 0 || int(msg.GetHeight()) >= len(c.byHeight) {
			ctx.Respond(&chainpb.BlockHashReply{Error: chainpb.ChainErrorCode_CHAIN_ERROR_CODE_OUT_OF_RANGE, Detail: "beyond the tip"})
			return
		}
		ctx.Respond(&chainpb.BlockHashReply{Hash: c.byHeight[msg.GetHeight()]})
	case *chainpb.GetBlockHeader:
		b, ok := c.blocks[msg.GetHash()]
		if !ok {
			ctx.Respond(&chainpb.BlockHeaderReply{Error: chainpb.ChainErrorCode_CHAIN_ERROR_CODE_NOT_FOUND})
			return
		}
		ctx.Respond(&chainpb.BlockHeaderReply{Info: b.info})
	case *chainpb.GetBlock:
		b, ok := c.blocks[msg.GetHash()]
		switch {
		case !ok:
			ctx.Respond(&chainpb.BlockReply{Error: chainpb.ChainErrorCode_CHAIN_ERROR_CODE_NOT_FOUND})
		case b.getErr != chainpb.ChainErrorCode_CHAIN_ERROR_CODE_NONE:
			ctx.Respond(&chainpb.BlockReply{Error: b.getErr, Detail: "stand-in refusal", Info: b.info})
		default:
			ctx.Respond(&chainpb.BlockReply{Raw: b.raw, Info: b.info})
		}
	}
}

// Mainnet genesis facts as Core publishes them (getblock and
// getblockheader of block 0), written out here rather than derived.
const (
	genesisHash       = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"
	genesisMerkleRoot = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"
	genesisHeaderHex  = "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c"
	genesisCoinbase   = "04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73"
	genesisPubKey     = "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f"
	genesisChainWork  = "0000000000000000000000000000000000000000000000000000000100010001"
	// block1Hash is mainnet block 1, genesis's nextblockhash.
	block1Hash = "00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048"
)

// genesisRaw serializes chaincfg's mainnet genesis block.
func genesisRaw(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := chaincfg.MainNetParams.GenesisBlock.Serialize(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hex.EncodeToString(buf.Bytes()), genesisHeaderHex) {
		t.Fatalf("chaincfg's genesis block does not start with Core's genesis header")
	}
	return buf.Bytes()
}

// segwitFixture is a hand-made block with a witness coinbase and one
// transaction with a witness, a DER signature in its scriptSig and outputs
// of several script types. It is not a valid block; the rpc methods only
// decode.
type segwitFixture struct {
	block *wire.MsgBlock
	raw   []byte
	hash  string
	sig   []byte
	// outputs are the second transaction's output scripts in order.
	outputs [][]byte
}

// Output scripts of the fixture's second transaction.
var (
	// P2PKH of hash160 751e76e8199196d454941c45d1b3a323f1433bd6.
	fixtureP2PKH = mustHex("76a914751e76e8199196d454941c45d1b3a323f1433bd688ac")
	// P2WPKH, BIP173's first mainnet vector.
	fixtureP2WPKH = mustHex("0014751e76e8199196d454941c45d1b3a323f1433bd6")
	// P2TR with the generator's x coordinate (a valid x-only key).
	fixtureP2TR = mustHex("512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
	// Witness version 16 with a 2-byte program (BIP350's BC1SW50QGDZ25J).
	fixtureV16 = mustHex("6002751e")
	// OP_RETURN with a 4-byte push.
	fixtureNullData = mustHex("6a04deadbeef")
	// 1-of-2 bare multisig of two compressed keys.
	fixtureMultisig = mustHex("5121" + "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" +
		"21" + "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5" + "52ae")
	// Pay to anchor.
	fixtureAnchor = mustHex("51024e73")
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// newSegwitFixture builds the fixture block on top of the genesis block.
func newSegwitFixture(t *testing.T) *segwitFixture {
	t.Helper()
	f := &segwitFixture{outputs: [][]byte{fixtureP2PKH, fixtureP2WPKH, fixtureP2TR, fixtureV16,
		fixtureNullData, fixtureMultisig, fixtureAnchor}}
	// A strictly DER-encoded signature (r = s = 1) with SIGHASH_ALL.
	f.sig = mustHex("3006020101020101" + "01")
	coinbase := wire.NewMsgTx(2)
	coinbase.AddTxIn(&wire.TxIn{
		PreviousOutPoint: wire.OutPoint{Index: wire.MaxPrevOutIndex},
		SignatureScript:  mustHex("510101"),
		Witness:          wire.TxWitness{make([]byte, 32)},
		Sequence:         wire.MaxTxInSequenceNum,
	})
	coinbase.AddTxOut(wire.NewTxOut(5_000_000_000, fixtureP2WPKH))
	spend := wire.NewMsgTx(2)
	prev, _ := chainhash.NewHashFromStr(genesisMerkleRoot)
	spend.AddTxIn(&wire.TxIn{
		PreviousOutPoint: wire.OutPoint{Hash: *prev, Index: 0},
		SignatureScript:  append([]byte{byte(len(f.sig))}, f.sig...),
		Witness:          wire.TxWitness{f.sig, mustHex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")},
		Sequence:         0xfffffffd,
	})
	for i, s := range f.outputs {
		spend.AddTxOut(wire.NewTxOut(int64(1000*(i+1)), s))
	}
	spend.LockTime = 7
	header := wire.BlockHeader{
		Version:   0x20000000,
		PrevBlock: *chaincfg.MainNetParams.GenesisHash,
		Timestamp: time.Unix(1_231_006_600, 0),
		Bits:      0x1d00ffff,
		Nonce:     42,
	}
	f.block = &wire.MsgBlock{Header: header, Transactions: []*wire.MsgTx{coinbase, spend}}
	var buf bytes.Buffer
	if err := f.block.Serialize(&buf); err != nil {
		t.Fatal(err)
	}
	f.raw = buf.Bytes()
	f.hash = f.block.BlockHash().String()
	return f
}

// headerBytes serializes a header.
func headerBytes(t *testing.T, h *wire.BlockHeader) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := h.Serialize(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newTestChain returns a stand-in holding the mainnet genesis block at
// height 0 and the segwit fixture at height 1 (the tip), plus the
// header-only, pruned and unreadable entries.
func newTestChain(t *testing.T, f *segwitFixture) *testChain {
	t.Helper()
	genesisHeader := headerBytes(t, &chaincfg.MainNetParams.GenesisBlock.Header)
	fixtureHeader := headerBytes(t, &f.block.Header)
	refused := func(code chainpb.ChainErrorCode, hash string) standinBlock {
		return standinBlock{getErr: code, info: &chainpb.HeaderInfo{Hash: hash, Header: fixtureHeader, Height: 2,
			Confirmations: -1, PreviousHash: f.hash, ChainWork: strings.Repeat("0", 62) + "03", MedianTimeUnix: 1_231_006_600}}
	}
	return &testChain{
		tip: &chainpb.TipSnapshot{
			HeaderHeight: 2, HeaderHash: standinHeaderOnly,
			BlockHeight: 1, BlockHash: f.hash,
			ChainWork: strings.Repeat("0", 55) + "200020002", BlockTimeUnix: 1_231_006_600,
			MedianTimeUnix: 1_231_006_505, BlockBits: 0x1d00ffff, VerificationProgress: 0.25,
			InitialBlockDownload: true, SizeOnDisk: 123_456,
		},
		byHeight: []string{genesisHash, f.hash},
		blocks: map[string]standinBlock{
			genesisHash: {raw: genesisRaw(t), info: &chainpb.HeaderInfo{Hash: genesisHash, Header: genesisHeader,
				Height: 0, Confirmations: 2, NextHash: block1Hash, ChainWork: genesisChainWork,
				MedianTimeUnix: 1_231_006_505, NTx: 1, Stored: true}},
			f.hash: {raw: f.raw, info: &chainpb.HeaderInfo{Hash: f.hash, Header: fixtureHeader, Height: 1,
				Confirmations: 1, PreviousHash: genesisHash, ChainWork: strings.Repeat("0", 55) + "200020002",
				MedianTimeUnix: 1_231_006_505, NTx: 2, Stored: true}},
			standinHeaderOnly: refused(chainpb.ChainErrorCode_CHAIN_ERROR_CODE_NOT_STORED, standinHeaderOnly),
			standinPruned:     refused(chainpb.ChainErrorCode_CHAIN_ERROR_CODE_PRUNED, standinPruned),
			standinBroken:     refused(chainpb.ChainErrorCode_CHAIN_ERROR_CODE_INTERNAL, standinBroken),
		},
	}
}

// startChainHarness starts the rpc harness on network with the chain
// methods and the given stand-in as chainman (nil: no chainman).
func startChainHarness(t *testing.T, network string, chain *testChain) *harness {
	t.Helper()
	h := newHarness(t)
	h.cfg.Info.Network = network
	if chain != nil {
		h.cfg.Chainman = h.system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return chain }))
	}
	h.start(t, rpc.ChainMethods()...)
	return h
}
