package rpc

import (
	"encoding/hex"
	"math/big"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/v2"
)

func TestDifficultyAsCore(t *testing.T) {
	cases := map[uint32]float64{
		0x1d00ffff: 1,
		// Core's regtest and testnet minimum-difficulty figures.
		0x207fffff: 4.656542373906925e-10,
		// Mainnet block 100000 (bits 1b04864c): difficulty 14484.16236122...
		0x1b04864c: 14484.16236122234,
	}
	for bits, want := range cases {
		got := difficulty(bits)
		if rel := (got - want) / want; rel > 1e-12 || rel < -1e-12 {
			t.Errorf("difficulty(%08x) = %v, want %v", bits, got, want)
		}
	}
}

func TestTargetHex(t *testing.T) {
	cases := []struct {
		bits  uint32
		limit *big.Int
		want  string
	}{
		{0x1d00ffff, chaincfg.MainNetParams.PowLimit, "00000000ffff0000000000000000000000000000000000000000000000000000"},
		{0x207fffff, chaincfg.RegressionNetParams.PowLimit, "7fffff0000000000000000000000000000000000000000000000000000000000"},
		{0x1b04864c, chaincfg.MainNetParams.PowLimit, "00000000000004864c000000000000000000000000000000000000000000000000"[2:]},
		// Above mainnet's limit, negative, zero: no valid target.
		{0x207fffff, chaincfg.MainNetParams.PowLimit, "0000000000000000000000000000000000000000000000000000000000000000"},
		{0x1d80ffff, chaincfg.MainNetParams.PowLimit, "0000000000000000000000000000000000000000000000000000000000000000"},
		{0x1d000000, chaincfg.MainNetParams.PowLimit, "0000000000000000000000000000000000000000000000000000000000000000"},
		// Small exponents shift the mantissa right.
		{0x03123456, nil, "0000000000000000000000000000000000000000000000000000000000123456"},
		{0x02123456, nil, "0000000000000000000000000000000000000000000000000000000000001234"},
	}
	for _, c := range cases {
		if got := targetHex(c.bits, c.limit); got != c.want {
			t.Errorf("targetHex(%08x) = %s, want %s", c.bits, got, c.want)
		}
	}
	if _, ok := compactTarget(0x23000001); ok {
		t.Errorf("0x23000001 overflows 256 bits but was accepted")
	}
}

func TestScriptAsm(t *testing.T) {
	cases := []struct {
		script    string
		sigHashes bool
		want      string
	}{
		{"", false, ""},
		{"00", false, "0"},
		{"4f", false, "-1"},
		{"0181", false, "-1"},
		{"02ff00", false, "255"},
		{"04ffffff7f", false, "2147483647"},
		{"0500000000ff", false, "00000000ff"},
		{"4c0101", false, "1"},
		{"4d0100aa", false, "-42"},
		{"b1b2ba", false, "OP_CHECKLOCKTIMEVERIFY OP_CHECKSEQUENCEVERIFY OP_CHECKSIGADD"},
		{"bbff", false, "OP_UNKNOWN OP_INVALIDOPCODE"},
		{"76a902ab", false, "OP_DUP OP_HASH160 [error]"},
		{"4e05000000aa", false, "[error]"},
		// A DER signature with SIGHASH_SINGLE|ANYONECANPAY in a scriptSig ...
		{"09300602010102010183", true, "3006020101020101[SINGLE|ANYONECANPAY]"},
		// ... but not in an output script, nor after OP_RETURN, nor with an
		// undefined hash type, nor with a non-minimal R.
		{"09300602010102010183", false, "300602010102010183"},
		{"6a09300602010102010101", true, "OP_RETURN 300602010102010101"},
		{"09300602010102010104", true, "300602010102010104"},
		{"0a30070202000102010101", true, "30070202000102010101"},
	}
	for _, c := range cases {
		script, err := hex.DecodeString(c.script)
		if err != nil {
			t.Fatal(err)
		}
		if got := scriptAsm(script, c.sigHashes); got != c.want {
			t.Errorf("scriptAsm(%s, %v) = %q, want %q", c.script, c.sigHashes, got, c.want)
		}
	}
}

func TestClassifyScript(t *testing.T) {
	key := "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
	cases := map[string]ScriptType{
		"a914751e76e8199196d454941c45d1b3a323f1433bd687":                            ScriptScriptHash,
		"0020" + "751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45": ScriptWitnessV0Hash,
		"0010751e76e8199196d454941c45d1b3a323":                                      ScriptNonStandard, // v0 of 16 bytes
		"5102aaaa":                                                                  ScriptWitnessUnknown,
		"6a":                                                                        ScriptNullData,
		"6a4c0100":                                                                  ScriptNullData,
		"6a76":                                                                      ScriptNonStandard,
		"21" + key + "ac":                                                           ScriptPubKey,
		"21" + "05" + key[2:] + "ac":                                                ScriptNonStandard,
		"51" + "21" + key + "51ae":                                                  ScriptMultisig,
		"52" + "21" + key + "51ae":                                                  ScriptNonStandard, // m > n
		"51" + "21" + key + "52ae":                                                  ScriptNonStandard, // n != keys
		"":                                                                          ScriptNonStandard,
	}
	for s, want := range cases {
		script, err := hex.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := classifyScript(script).typ; got != want {
			t.Errorf("classifyScript(%s) = %s, want %s", s, got, want)
		}
	}
}

func TestDescriptorChecksum(t *testing.T) {
	// BIP380's test vector.
	if got := withDescriptorChecksum("raw(deadbeef)"); got != "raw(deadbeef)#89f8spxm" {
		t.Errorf("checksum of raw(deadbeef) = %s, want raw(deadbeef)#89f8spxm", got)
	}
	// Regtest's pay-to-anchor, as Core's decodescript shows it.
	anchor, _ := hex.DecodeString("51024e73")
	c := classifyScript(anchor)
	if got := scriptDescriptor(anchor, c, &chaincfg.RegressionNetParams); got != "addr(bcrt1pfeesnyr2tx)#swxgse0y" {
		t.Errorf("regtest anchor descriptor = %s", got)
	}
	// A taproot output whose program is not on the curve has no rawtr().
	notOnCurve, _ := hex.DecodeString("5120" + "0000000000000000000000000000000000000000000000000000000000000000")
	c = classifyScript(notOnCurve)
	if got := inferDescriptor(notOnCurve, c, &chaincfg.MainNetParams); got[:5] != "addr(" {
		t.Errorf("off-curve taproot descriptor = %s, want addr(...)", got)
	}
}
