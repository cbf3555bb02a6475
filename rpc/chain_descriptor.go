package rpc

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/btcsuite/btcd/btcec/v2/schnorr"
	"github.com/btcsuite/btcd/chaincfg/v2"
)

// scriptDescriptor returns the output descriptor Core infers for an output
// script when it knows no keys or scripts behind it (the "desc" of a
// decoded scriptPubKey), with its checksum: pk(KEY) for pay-to-pubkey,
// multi(M,KEY,...) for bare multisig, rawtr(XONLY) for a taproot output
// whose key is on the curve, addr(ADDRESS) for any other script with an
// address, and raw(HEX) for the rest.
func scriptDescriptor(script []byte, c classifiedScript, net *chaincfg.Params) string {
	return withDescriptorChecksum(inferDescriptor(script, c, net))
}

// inferDescriptor is scriptDescriptor without the checksum.
func inferDescriptor(script []byte, c classifiedScript, net *chaincfg.Params) string {
	switch c.typ {
	case ScriptPubKey:
		if plainPubKey(c.keys[0]) {
			return "pk(" + hex.EncodeToString(c.keys[0]) + ")"
		}
	case ScriptMultisig:
		parts := []string{strconv.Itoa(c.required)}
		for _, k := range c.keys {
			if !plainPubKey(k) {
				parts = nil
				break
			}
			parts = append(parts, hex.EncodeToString(k))
		}
		if parts != nil {
			return "multi(" + strings.Join(parts, ",") + ")"
		}
	case ScriptWitnessV1:
		if _, err := schnorr.ParsePubKey(c.program); err == nil {
			return "rawtr(" + hex.EncodeToString(c.program) + ")"
		}
	}
	if addr := scriptAddress(c, net); addr != "" {
		return "addr(" + addr + ")"
	}
	return "raw(" + hex.EncodeToString(script) + ")"
}

// plainPubKey reports whether key may appear in a descriptor: a compressed
// (02, 03) or uncompressed (04) encoding of the right length; hybrid keys
// (06, 07) may not.
func plainPubKey(key []byte) bool {
	return pubKeyLenOK(key) && key[0] != 0x06 && key[0] != 0x07
}

// descriptorInputCharset are the characters a descriptor may contain, in
// the order BIP380's checksum assigns them values.
const descriptorInputCharset = "0123456789()[],'/*abcdefgh@:$%{}" +
	"IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~" +
	"ijklmnopqrstuvwxyzABCDEFGH`#\"\\ "

// descriptorChecksumCharset are the characters of a checksum.
const descriptorChecksumCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// descriptorPolyMod folds one 5-bit value into BIP380's checksum state.
func descriptorPolyMod(c uint64, val int) uint64 {
	top := c >> 35
	c = (c&0x7ffffffff)<<5 ^ uint64(val)
	for i, g := range [5]uint64{0xf5dee51989, 0xa9fdca3312, 0x1bab10e32d, 0x3706b1677a, 0x644d626ffd} {
		if top>>i&1 != 0 {
			c ^= g
		}
	}
	return c
}

// withDescriptorChecksum appends "#" and the 8-character BIP380 checksum.
// A descriptor with a character outside the charset is returned unchanged
// (inferDescriptor never builds one).
func withDescriptorChecksum(desc string) string {
	c := uint64(1)
	cls, clsCount := 0, 0
	for _, ch := range desc {
		pos := strings.IndexRune(descriptorInputCharset, ch)
		if pos < 0 {
			return desc
		}
		c = descriptorPolyMod(c, pos&31)
		cls = cls*3 + pos>>5
		if clsCount++; clsCount == 3 {
			c = descriptorPolyMod(c, cls)
			cls, clsCount = 0, 0
		}
	}
	if clsCount > 0 {
		c = descriptorPolyMod(c, cls)
	}
	for range 8 {
		c = descriptorPolyMod(c, 0)
	}
	c ^= 1
	var sum [8]byte
	for i := range sum {
		sum[i] = descriptorChecksumCharset[c>>(5*(7-i))&31]
	}
	return desc + "#" + string(sum[:])
}
