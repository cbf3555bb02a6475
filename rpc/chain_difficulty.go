package rpc

import (
	"fmt"
	"math/big"
)

// difficulty returns the proof-of-work difficulty of a header's compact
// target the way Core computes it: the target of bits 0x1d00ffff (mainnet's
// proof-of-work limit) divided by the header's target, in floating point,
// for every network. (So a regtest header, whose target is far easier,
// has a difficulty far below 1: 4.656542373906925e-10 for 0x207fffff.)
// The float operations are Core's, in its order, so the results are the
// same doubles.
func difficulty(bits uint32) float64 {
	shift := int(bits>>24) & 0xff
	diff := float64(0x0000ffff) / float64(bits&0x00ffffff)
	for ; shift < 29; shift++ {
		diff *= 256.0
	}
	for ; shift > 29; shift-- {
		diff /= 256.0
	}
	return diff
}

// compactTarget decodes a compact target (nBits). ok is false for a
// negative, zero or overflowing encoding, which no valid header carries.
func compactTarget(bits uint32) (target *big.Int, ok bool) {
	size := uint(bits >> 24)
	word := int64(bits & 0x007fffff)
	negative := word != 0 && bits&0x00800000 != 0
	overflow := word != 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32))
	if size <= 3 {
		target = big.NewInt(word >> (8 * (3 - size)))
	} else {
		target = new(big.Int).Lsh(big.NewInt(word), 8*(size-3))
	}
	return target, !negative && !overflow && target.Sign() != 0
}

// targetHex returns the "target" field of getblockheader, getblock and
// getblockchaininfo: the decoded compact target as 64 hex digits. A target
// that is not a valid encoding or lies above the network's proof-of-work
// limit (Core refuses such a header before it can be asked about) is
// reported as 64 zeros.
func targetHex(bits uint32, powLimit *big.Int) string {
	target, ok := compactTarget(bits)
	if !ok || (powLimit != nil && target.Cmp(powLimit) > 0) {
		target = new(big.Int)
	}
	return fmt.Sprintf("%064x", target)
}

// bitsHex returns the "bits" field: the compact target as 8 hex digits.
func bitsHex(bits uint32) string { return fmt.Sprintf("%08x", bits) }

// versionHex returns the "versionHex" field: the block version as 8 hex
// digits of its unsigned 32-bit value.
func versionHex(version int32) string { return fmt.Sprintf("%08x", uint32(version)) }
