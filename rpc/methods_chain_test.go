package rpc_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// Core's getblockheader keys in order (previousblockhash and nextblockhash
// are optional).
var coreHeaderKeys = []string{"hash", "confirmations", "height", "version", "versionHex", "merkleroot",
	"time", "mediantime", "nonce", "bits", "target", "difficulty", "chainwork", "nTx",
	"previousblockhash", "nextblockhash"}

// coreTxKeys are a decoded transaction's keys in Core's order when no undo
// data is available (no fee).
var coreTxKeys = []string{"txid", "hash", "version", "size", "vsize", "weight", "locktime", "vin", "vout", "hex"}

func TestChainMethodsWithoutChainman(t *testing.T) {
	h := startChainHarness(t, "regtest", nil)
	for _, call := range []struct{ method, params string }{
		{"getblockchaininfo", `[]`}, {"getblockcount", `[]`}, {"getbestblockhash", `[]`},
		{"getblockhash", `[0]`}, {"getblockheader", `["` + genesisHash + `"]`}, {"getblock", `["` + genesisHash + `"]`},
	} {
		code, msg := h.callError(t, call.method, call.params)
		if code != -32603 || !strings.Contains(msg, "chain not available") {
			t.Errorf("%s: error %d %q, want -32603 mentioning chain not available", call.method, code, msg)
		}
	}
}

func TestGetBlockchainInfo(t *testing.T) {
	f := newSegwitFixture(t)
	h := startChainHarness(t, "mainnet", newTestChain(t, f))
	raw := h.rawResult(t, "getblockchaininfo")
	want := []string{"chain", "blocks", "headers", "bestblockhash", "bits", "target", "difficulty", "time",
		"mediantime", "verificationprogress", "initialblockdownload", "chainwork", "size_on_disk", "pruned", "warnings"}
	if got := objectKeys(t, raw); !slices.Equal(got, want) {
		t.Errorf("keys\n%v\nwant\n%v", got, want)
	}
	info, _ := decodeValue(t, raw).(map[string]any)
	checkFields(t, "getblockchaininfo", info, map[string]any{
		"chain":                "main",
		"blocks":               float64(1),
		"headers":              float64(2),
		"bestblockhash":        f.hash,
		"bits":                 "1d00ffff",
		"target":               "00000000ffff0000000000000000000000000000000000000000000000000000",
		"difficulty":           float64(1),
		"time":                 float64(1_231_006_600),
		"mediantime":           float64(1_231_006_505),
		"verificationprogress": 0.25,
		"initialblockdownload": true,
		"chainwork":            "0000000000000000000000000000000000000000000000000000000200020002",
		"size_on_disk":         float64(123_456),
		"pruned":               false,
		"warnings":             []any{},
	})
}

func TestGetBlockchainInfoPrunedRegtest(t *testing.T) {
	f := newSegwitFixture(t)
	chain := newTestChain(t, f)
	chain.tip.Pruned, chain.tip.PruneHeight, chain.tip.BlockBits = true, 1, 0x207fffff
	h := startChainHarness(t, "regtest", chain)
	raw := h.rawResult(t, "getblockchaininfo")
	keys := objectKeys(t, raw)
	if i := slices.Index(keys, "pruneheight"); i < 0 || keys[i-1] != "pruned" || keys[i+1] != "warnings" {
		t.Errorf("pruneheight missing or misplaced: %v", keys)
	}
	info, _ := decodeValue(t, raw).(map[string]any)
	checkFields(t, "pruned regtest", info, map[string]any{
		"chain":       "regtest",
		"pruned":      true,
		"pruneheight": float64(1),
		"bits":        "207fffff",
		// Core's regtest getblockchaininfo.
		"difficulty": 4.656542373906925e-10,
		"target":     "7fffff0000000000000000000000000000000000000000000000000000000000",
	})
	if !strings.Contains(string(raw), `"difficulty":4.656542373906925e-10`) {
		t.Errorf("difficulty not written as Core writes it: %s", raw)
	}
}

func TestGetBlockCountAndBestBlockHash(t *testing.T) {
	f := newSegwitFixture(t)
	h := startChainHarness(t, "mainnet", newTestChain(t, f))
	if got := h.call(t, "getblockcount"); got != float64(1) {
		t.Errorf("getblockcount = %v, want 1", got)
	}
	if got := h.call(t, "getbestblockhash"); got != f.hash {
		t.Errorf("getbestblockhash = %v, want %s", got, f.hash)
	}
}

func TestGetBlockHash(t *testing.T) {
	f := newSegwitFixture(t)
	h := startChainHarness(t, "mainnet", newTestChain(t, f))
	if got := h.call(t, "getblockhash", 0); got != genesisHash {
		t.Errorf("getblockhash 0 = %v, want %s", got, genesisHash)
	}
	if got := h.call(t, "getblockhash", 1); got != f.hash {
		t.Errorf("getblockhash 1 = %v, want %s", got, f.hash)
	}
	for _, params := range []string{`[2]`, `[-1]`, `[4294967296]`, `{"height":99}`} {
		if code, msg := h.callError(t, "getblockhash", params); code != -8 || msg != "Block height out of range" {
			t.Errorf("getblockhash %s: %d %q, want -8 Block height out of range", params, code, msg)
		}
	}
	if code, _ := h.callError(t, "getblockhash", `["0"]`); code != -3 {
		t.Errorf("getblockhash with a string height: code %d, want -3", code)
	}
	if code, msg := h.callError(t, "getblockhash", `[]`); code != -1 || !strings.HasPrefix(msg, "getblockhash height") {
		t.Errorf("getblockhash without height: %d %q, want -1 with the help", code, msg)
	}
}

func TestGetBlockHeaderGenesis(t *testing.T) {
	h := startChainHarness(t, "mainnet", newTestChain(t, newSegwitFixture(t)))
	raw := h.rawResult(t, "getblockheader", genesisHash)
	if got, want := objectKeys(t, raw), slices.DeleteFunc(slices.Clone(coreHeaderKeys), func(k string) bool { return k == "previousblockhash" }); !slices.Equal(got, want) {
		t.Errorf("keys\n%v\nwant\n%v", got, want)
	}
	hdr, _ := decodeValue(t, raw).(map[string]any)
	// Core's getblockheader of the mainnet genesis block.
	checkFields(t, "genesis header", hdr, map[string]any{
		"hash":          genesisHash,
		"confirmations": float64(2),
		"height":        float64(0),
		"version":       float64(1),
		"versionHex":    "00000001",
		"merkleroot":    genesisMerkleRoot,
		"time":          float64(1_231_006_505),
		"mediantime":    float64(1_231_006_505),
		"nonce":         float64(2_083_236_893),
		"bits":          "1d00ffff",
		"target":        "00000000ffff0000000000000000000000000000000000000000000000000000",
		"difficulty":    float64(1),
		"chainwork":     genesisChainWork,
		"nTx":           float64(1),
		"nextblockhash": block1Hash,
	})
	if got := h.call(t, "getblockheader", genesisHash, false); got != genesisHeaderHex {
		t.Errorf("getblockheader verbose=false = %v, want %s", got, genesisHeaderHex)
	}
	// Upper-case hex is accepted, as Core accepts it.
	if got := h.call(t, "getblockheader", strings.ToUpper(genesisHash), false); got != genesisHeaderHex {
		t.Errorf("getblockheader with an upper-case hash = %v", got)
	}
}

func TestGetBlockHeaderNotOnBestChain(t *testing.T) {
	f := newSegwitFixture(t)
	h := startChainHarness(t, "mainnet", newTestChain(t, f))
	raw := h.rawResult(t, "getblockheader", standinHeaderOnly)
	if got, want := objectKeys(t, raw), slices.DeleteFunc(slices.Clone(coreHeaderKeys), func(k string) bool { return k == "nextblockhash" }); !slices.Equal(got, want) {
		t.Errorf("keys\n%v\nwant\n%v", got, want)
	}
	hdr, _ := decodeValue(t, raw).(map[string]any)
	checkFields(t, "header-only", hdr, map[string]any{
		"confirmations":     float64(-1),
		"nTx":               float64(0),
		"previousblockhash": f.hash,
		"version":           float64(0x20000000),
		"versionHex":        "20000000",
		"nonce":             float64(42),
	})
}

func TestChainHashParamErrors(t *testing.T) {
	h := startChainHarness(t, "mainnet", newTestChain(t, newSegwitFixture(t)))
	nonHex := strings.Repeat("z", 64)
	cases := []struct {
		method, params string
		code           int
		msg            string
	}{
		{"getblockheader", `["` + standinUnknown + `"]`, -5, "Block not found"},
		{"getblock", `["` + standinUnknown + `"]`, -5, "Block not found"},
		{"getblockheader", `["abc"]`, -8, "hash must be of length 64 (not 3, for 'abc')"},
		{"getblock", `["abc"]`, -8, "blockhash must be of length 64 (not 3, for 'abc')"},
		{"getblock", `["` + nonHex + `"]`, -8, "blockhash must be hexadecimal string (not '" + nonHex + "')"},
		{"getblock", `[1]`, -3, ""},
		{"getblockheader", `["` + genesisHash + `", 1]`, -3, ""},
		{"getblock", `["` + genesisHash + `", "1"]`, -3, ""},
		{"getblock", `["` + standinHeaderOnly + `"]`, -1, "Block not available (not fully downloaded)"},
		{"getblock", `["` + standinPruned + `"]`, -1, "Block not available (pruned data)"},
		{"getblock", `["` + standinBroken + `"]`, -1, "Block not found on disk"},
	}
	for _, c := range cases {
		code, msg := h.callError(t, c.method, c.params)
		if code != c.code || (c.msg != "" && msg != c.msg) {
			t.Errorf("%s %s: %d %q, want %d %q", c.method, c.params, code, msg, c.code, c.msg)
		}
	}
}

func TestGetBlockGenesisVerbosity1(t *testing.T) {
	h := startChainHarness(t, "mainnet", newTestChain(t, newSegwitFixture(t)))
	raw := h.rawResult(t, "getblock", genesisHash)
	wantKeys := append(slices.DeleteFunc(slices.Clone(coreHeaderKeys), func(k string) bool { return k == "previousblockhash" }),
		"strippedsize", "size", "weight", "tx")
	if got := objectKeys(t, raw); !slices.Equal(got, wantKeys) {
		t.Errorf("keys\n%v\nwant\n%v", got, wantKeys)
	}
	block, _ := decodeValue(t, raw).(map[string]any)
	// Core's getblock of the mainnet genesis block.
	checkFields(t, "genesis block", block, map[string]any{
		"hash":          genesisHash,
		"height":        float64(0),
		"version":       float64(1),
		"versionHex":    "00000001",
		"merkleroot":    genesisMerkleRoot,
		"time":          float64(1_231_006_505),
		"mediantime":    float64(1_231_006_505),
		"nonce":         float64(2_083_236_893),
		"bits":          "1d00ffff",
		"difficulty":    float64(1),
		"chainwork":     genesisChainWork,
		"nTx":           float64(1),
		"nextblockhash": block1Hash,
		"strippedsize":  float64(285),
		"size":          float64(285),
		"weight":        float64(1140),
		"tx":            []any{genesisMerkleRoot},
	})
	// A boolean verbosity: true is 1, false is 0.
	if got := h.rawResult(t, "getblock", genesisHash, true); !bytes.Equal(got, raw) {
		t.Errorf("getblock verbose=true differs from verbosity 1:\n%s\n%s", got, raw)
	}
	if got := h.call(t, "getblock", genesisHash, false); got != hex.EncodeToString(genesisRaw(t)) {
		t.Errorf("getblock verbose=false = %v", got)
	}
}

func TestGetBlockGenesisVerbosity0(t *testing.T) {
	h := startChainHarness(t, "mainnet", newTestChain(t, newSegwitFixture(t)))
	got, _ := h.call(t, "getblock", genesisHash, 0).(string)
	if len(got) != 2*285 || !strings.HasPrefix(got, genesisHeaderHex) ||
		!strings.Contains(got, genesisCoinbase) || !strings.HasSuffix(got, "ac00000000") {
		t.Errorf("getblock verbosity 0 = %s, want the 285-byte genesis block", got)
	}
}

func TestGetBlockGenesisVerbosity2(t *testing.T) {
	h := startChainHarness(t, "mainnet", newTestChain(t, newSegwitFixture(t)))
	raw := h.rawResult(t, "getblock", genesisHash, 2)
	var block struct {
		Tx []json.RawMessage `json:"tx"`
	}
	if err := json.Unmarshal(raw, &block); err != nil || len(block.Tx) != 1 {
		t.Fatalf("tx of %s: %v", raw, err)
	}
	if got := objectKeys(t, block.Tx[0]); !slices.Equal(got, coreTxKeys) {
		t.Errorf("tx keys %v, want %v", got, coreTxKeys)
	}
	tx, _ := decodeValue(t, block.Tx[0]).(map[string]any)
	// Core's getblock <genesis> 2, transaction 0.
	checkFields(t, "genesis coinbase", tx, map[string]any{
		"txid":     genesisMerkleRoot,
		"hash":     genesisMerkleRoot,
		"version":  float64(1),
		"size":     float64(204),
		"vsize":    float64(204),
		"weight":   float64(816),
		"locktime": float64(0),
		"vin":      []any{map[string]any{"coinbase": genesisCoinbase, "sequence": float64(4294967295)}},
		"vout": []any{map[string]any{"value": float64(50), "n": float64(0), "scriptPubKey": map[string]any{
			"asm":  genesisPubKey + " OP_CHECKSIG",
			"desc": "pk(" + genesisPubKey + ")#vlz6ztea",
			"hex":  "41" + genesisPubKey + "ac",
			"type": "pubkey",
		}}},
	})
	if !strings.Contains(string(block.Tx[0]), `"value":50.00000000`) {
		t.Errorf("value not written with eight decimals: %s", block.Tx[0])
	}
	if hexTx, _ := tx["hex"].(string); len(hexTx) != 2*204 || !strings.Contains(hexTx, genesisCoinbase) {
		t.Errorf("tx hex = %v", tx["hex"])
	}
}

func TestGetBlockSegwitVerbosity2(t *testing.T) {
	f := newSegwitFixture(t)
	h := startChainHarness(t, "mainnet", newTestChain(t, f))
	raw := h.rawResult(t, "getblock", f.hash, 2)
	var block struct {
		Size         int               `json:"size"`
		StrippedSize int               `json:"strippedsize"`
		Weight       int               `json:"weight"`
		Tx           []json.RawMessage `json:"tx"`
	}
	if err := json.Unmarshal(raw, &block); err != nil || len(block.Tx) != 2 {
		t.Fatalf("getblock %s: %v", raw, err)
	}
	// Witness bytes, counted by hand: each witness transaction adds the
	// marker and flag (2); the coinbase's witness is one 32-byte item
	// (1 count + 1 length + 32), the spend's a 9-byte signature and a
	// 33-byte key (1 + 1+9 + 1+33).
	const coinbaseWitness, spendWitness = 2 + 1 + 1 + 32, 2 + 1 + 1 + 9 + 1 + 33
	if block.Size != len(f.raw) || block.StrippedSize != len(f.raw)-coinbaseWitness-spendWitness ||
		block.Weight != 3*block.StrippedSize+block.Size {
		t.Errorf("size %d stripped %d weight %d; block is %d bytes with %d witness bytes",
			block.Size, block.StrippedSize, block.Weight, len(f.raw), coinbaseWitness+spendWitness)
	}
	coinbase, _ := decodeValue(t, block.Tx[0]).(map[string]any)
	checkFields(t, "coinbase", coinbase, map[string]any{
		"version": float64(2),
		"vin": []any{map[string]any{"coinbase": "510101", "txinwitness": []any{strings.Repeat("00", 32)},
			"sequence": float64(4294967295)}},
	})
	if got := objectKeys(t, block.Tx[1]); !slices.Equal(got, coreTxKeys) {
		t.Errorf("tx keys %v, want %v", got, coreTxKeys)
	}
	spend, _ := decodeValue(t, block.Tx[1]).(map[string]any)
	spendTx := f.block.Transactions[1]
	size := spendTx.SerializeSize()
	stripped := size - spendWitness
	checkFields(t, "spend", spend, map[string]any{
		"txid":     spendTx.TxHash().String(),
		"hash":     spendTx.WitnessHash().String(),
		"version":  float64(2),
		"size":     float64(size),
		"weight":   float64(3*stripped + size),
		"vsize":    float64((3*stripped + size + 3) / 4),
		"locktime": float64(7),
		"vin": []any{map[string]any{
			"txid": genesisMerkleRoot, "vout": float64(0),
			"scriptSig":   map[string]any{"asm": "3006020101020101[ALL]", "hex": "09" + hex.EncodeToString(f.sig)},
			"txinwitness": []any{hex.EncodeToString(f.sig), "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
			"sequence":    float64(0xfffffffd),
		}},
	})
	// Key order of the input, on the raw text (a decoded map loses it).
	if !strings.Contains(string(block.Tx[1]), `{"txid":"`+genesisMerkleRoot+`","vout":0,"scriptSig":`) ||
		!strings.Contains(string(block.Tx[1]), `],"sequence":4294967293}`) {
		t.Errorf("vin keys not in Core's order: %s", block.Tx[1])
	}
	// Expected outputs: addresses from BIP173/BIP350 vectors and the
	// well-known key-1 address, descriptor checksums from BIP380's
	// reference algorithm, asm as Core writes small pushes (numbers).
	want := []map[string]any{
		{"asm": "OP_DUP OP_HASH160 751e76e8199196d454941c45d1b3a323f1433bd6 OP_EQUALVERIFY OP_CHECKSIG",
			"desc": "addr(1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH)#45hf9yxk", "address": "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH", "type": "pubkeyhash"},
		{"asm": "0 751e76e8199196d454941c45d1b3a323f1433bd6",
			"desc": "addr(bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4)#uyjndxcw", "address": "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "type": "witness_v0_keyhash"},
		{"asm": "1 79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
			"desc":    "rawtr(79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)#xsjqcczm",
			"address": "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "type": "witness_v1_taproot"},
		{"asm": "16 7797", "desc": "addr(bc1sw50qgdz25j)#886ej0hz", "address": "bc1sw50qgdz25j", "type": "witness_unknown"},
		{"asm": "OP_RETURN -1874767326", "desc": "raw(6a04deadbeef)#uxzjket7", "type": "nulldata"},
		{"asm": "1 0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798 02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5 2 OP_CHECKMULTISIG",
			"desc": "multi(1,0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798,02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)#l5sy3u48",
			"type": "multisig"},
		{"asm": "1 29518", "desc": "addr(bc1pfeessrawgf)#d6x2lh3c", "address": "bc1pfeessrawgf", "type": "anchor"},
	}
	vout, _ := spend["vout"].([]any)
	if len(vout) != len(want) {
		t.Fatalf("%d outputs, want %d", len(vout), len(want))
	}
	for i, w := range want {
		out, _ := vout[i].(map[string]any)
		w["hex"] = hex.EncodeToString(f.outputs[i])
		spk, _ := out["scriptPubKey"].(map[string]any)
		if len(spk) != len(w) {
			t.Errorf("output %d: scriptPubKey has keys %v, want those of %v", i, spk, w)
		}
		checkFields(t, "output "+w["type"].(string), spk, w)
		checkFields(t, "output "+w["type"].(string), out, map[string]any{"n": float64(i), "value": float64(1000*(i+1)) / 1e8})
	}
}

func TestChainMethodsInHelp(t *testing.T) {
	h := startChainHarness(t, "regtest", nil)
	help, _ := h.call(t, "help").(string)
	for _, usage := range []string{"== Blockchain ==", "getblockchaininfo\n", "getblockcount\n", "getbestblockhash\n",
		"getblockhash height\n", `getblockheader "blockhash" ( verbose )`, `getblock "blockhash" ( verbosity )`} {
		if !strings.Contains(help, usage) {
			t.Errorf("help lacks %q:\n%s", usage, help)
		}
	}
}
