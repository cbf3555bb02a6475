package rpc

import (
	"bytes"

	"github.com/btcsuite/btcd/address/v2/base58"
	"github.com/btcsuite/btcd/address/v2/bech32"
	"github.com/btcsuite/btcd/chaincfg/v2"
)

// ScriptType is Core's name for the kind of an output script, the "type"
// of a decoded scriptPubKey.
type ScriptType string

// The script types Core's Solver tells apart.
const (
	ScriptNonStandard    ScriptType = "nonstandard"
	ScriptAnchor         ScriptType = "anchor"
	ScriptPubKey         ScriptType = "pubkey"
	ScriptPubKeyHash     ScriptType = "pubkeyhash"
	ScriptScriptHash     ScriptType = "scripthash"
	ScriptMultisig       ScriptType = "multisig"
	ScriptNullData       ScriptType = "nulldata"
	ScriptWitnessV0Key   ScriptType = "witness_v0_keyhash"
	ScriptWitnessV0Hash  ScriptType = "witness_v0_scripthash"
	ScriptWitnessV1      ScriptType = "witness_v1_taproot"
	ScriptWitnessUnknown ScriptType = "witness_unknown"
)

// maxMultisigKeys is the most public keys a bare multisig script may list.
const maxMultisigKeys = 20

// anchorProgram is the witness program of a pay-to-anchor output (v1).
var anchorProgram = []byte{0x4e, 0x73}

// classifiedScript is what classifyScript learns about an output script.
type classifiedScript struct {
	typ ScriptType
	// witnessVersion and program are set for witness programs.
	witnessVersion int
	program        []byte
	// hash is the 20-byte hash of P2PKH and P2SH scripts.
	hash []byte
	// keys are the public keys of pubkey and multisig scripts; required is
	// multisig's m.
	keys     [][]byte
	required int
}

// witnessProgram reports whether script is a witness program: a version
// opcode (OP_0, OP_1..OP_16) and one direct push of 2 to 40 bytes.
func witnessProgram(script []byte) (version int, program []byte, ok bool) {
	if len(script) < 4 || len(script) > 42 {
		return 0, nil, false
	}
	if script[0] != 0 && (script[0] < op1 || script[0] > op16) {
		return 0, nil, false
	}
	if int(script[1])+2 != len(script) {
		return 0, nil, false
	}
	if script[0] != 0 {
		version = int(script[0]-op1) + 1
	}
	return version, script[2:], true
}

// pubKeyLenOK reports whether key has the length its first byte announces
// (33 for 02/03, 65 for 04/06/07), Core's CPubKey::ValidSize.
func pubKeyLenOK(key []byte) bool {
	if len(key) == 0 {
		return false
	}
	switch key[0] {
	case 0x02, 0x03:
		return len(key) == 33
	case 0x04, 0x06, 0x07:
		return len(key) == 65
	}
	return false
}

// classifyScript sorts an output script into Core's types, in Core's order
// of tests.
func classifyScript(script []byte) classifiedScript {
	n := len(script)
	if n == 23 && script[0] == opHash160 && script[1] == 20 && script[22] == opEqual {
		return classifiedScript{typ: ScriptScriptHash, hash: script[2:22]}
	}
	if v, prog, ok := witnessProgram(script); ok {
		c := classifiedScript{witnessVersion: v, program: prog}
		switch {
		case v == 0 && len(prog) == 20:
			c.typ = ScriptWitnessV0Key
		case v == 0 && len(prog) == 32:
			c.typ = ScriptWitnessV0Hash
		case v == 1 && len(prog) == 32:
			c.typ = ScriptWitnessV1
		case v == 1 && bytes.Equal(prog, anchorProgram):
			c.typ = ScriptAnchor
		case v != 0:
			c.typ = ScriptWitnessUnknown
		default:
			return classifiedScript{typ: ScriptNonStandard}
		}
		return c
	}
	if n >= 1 && script[0] == opReturn && pushOnly(script[1:]) {
		return classifiedScript{typ: ScriptNullData}
	}
	if (n == 35 && script[0] == 33 || n == 67 && script[0] == 65) && script[n-1] == opCheckSig && pubKeyLenOK(script[1:n-1]) {
		return classifiedScript{typ: ScriptPubKey, keys: [][]byte{script[1 : n-1]}}
	}
	if n == 25 && script[0] == opDup && script[1] == opHash160 && script[2] == 20 &&
		script[23] == opEqualVerify && script[24] == opCheckSig {
		return classifiedScript{typ: ScriptPubKeyHash, hash: script[3:23]}
	}
	if m, keys, ok := multisig(script); ok {
		return classifiedScript{typ: ScriptMultisig, keys: keys, required: m}
	}
	return classifiedScript{typ: ScriptNonStandard}
}

// pushOnly reports whether script holds nothing but pushes (OP_1NEGATE and
// OP_1..OP_16 count as pushes), all complete.
func pushOnly(script []byte) bool {
	ops, ok := parseScript(script)
	if !ok {
		return false
	}
	for _, o := range ops {
		if o.op > op16 {
			return false
		}
	}
	return true
}

// multisig matches "m <key>... n OP_CHECKMULTISIG" with 1 <= m <= n <= 20.
func multisig(script []byte) (m int, keys [][]byte, ok bool) {
	if len(script) < 1 || script[len(script)-1] != opCheckMulti {
		return 0, nil, false
	}
	ops, complete := parseScript(script)
	if !complete || len(ops) < 3 || ops[len(ops)-1].op != opCheckMulti {
		return 0, nil, false
	}
	m, ok = multisigNumber(ops[0])
	if !ok {
		return 0, nil, false
	}
	i := 1
	for ; i < len(ops) && ops[i].isPush() && pubKeyLenOK(ops[i].data); i++ {
		keys = append(keys, ops[i].data)
	}
	if i != len(ops)-2 {
		return 0, nil, false
	}
	count, ok := multisigNumber(ops[i])
	if !ok || count != len(keys) || count < m {
		return 0, nil, false
	}
	return m, keys, true
}

// multisigNumber reads a key count of a multisig script: OP_1..OP_16, or a
// minimal push of a number up to 20.
func multisigNumber(o scriptOp) (int, bool) {
	if o.op >= op1 && o.op <= op16 {
		return int(o.op-op1) + 1, true
	}
	if !o.isPush() || len(o.data) == 0 || len(o.data) > 1 || o.op != 1 {
		return 0, false
	}
	v := int(o.data[0])
	if v < 17 || v > maxMultisigKeys {
		// 1..16 must use OP_n to be a minimal push.
		return 0, false
	}
	return v, true
}

// scriptAddress returns the address of an output script on net, or "" for
// a script without one (pubkey, multisig, nulldata, nonstandard), as Core's
// ExtractDestination decides.
func scriptAddress(c classifiedScript, net *chaincfg.Params) string {
	switch c.typ {
	case ScriptPubKeyHash:
		return base58.CheckEncode(c.hash, net.PubKeyHashAddrID)
	case ScriptScriptHash:
		return base58.CheckEncode(c.hash, net.ScriptHashAddrID)
	case ScriptWitnessV0Key, ScriptWitnessV0Hash, ScriptWitnessV1, ScriptAnchor, ScriptWitnessUnknown:
		return segwitAddress(net.Bech32HRPSegwit, c.witnessVersion, c.program)
	}
	return ""
}

// segwitAddress encodes a witness program: bech32 for version 0, bech32m
// for later versions (BIP350).
func segwitAddress(hrp string, version int, program []byte) string {
	conv, err := bech32.ConvertBits(program, 8, 5, true)
	if err != nil {
		return ""
	}
	data := append([]byte{byte(version)}, conv...)
	var s string
	if version == 0 {
		s, err = bech32.Encode(hrp, data)
	} else {
		s, err = bech32.EncodeM(hrp, data)
	}
	if err != nil {
		return ""
	}
	return s
}
