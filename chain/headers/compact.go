package headers

import (
	"math/big"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// CompactToBig decodes the compact ("nBits") encoding of a 256-bit number:
// the high byte is a base-256 exponent, bit 23 is a sign bit and the low
// 23 bits are the mantissa. The result may be negative or wider than 256
// bits for encodings a valid header can never carry; TargetFromBits rejects
// those.
func CompactToBig(compact uint32) *big.Int {
	mantissa := int64(compact & 0x007fffff)
	exponent := uint(compact >> 24)
	negative := compact&0x00800000 != 0

	n := big.NewInt(mantissa)
	if exponent <= 3 {
		n.Rsh(n, 8*(3-exponent))
	} else {
		n.Lsh(n, 8*(exponent-3))
	}
	if negative {
		n.Neg(n)
	}
	return n
}

// BigToCompact encodes n in the compact form, normalised the way Bitcoin
// Core normalises a retarget result: the mantissa never has its sign bit
// set, so a value whose top mantissa byte would be 0x80 or more is shifted
// one byte and the exponent grows by one.
func BigToCompact(n *big.Int) uint32 {
	if n.Sign() == 0 {
		return 0
	}
	abs := new(big.Int).Abs(n)
	exponent := uint32(len(abs.Bytes()))
	var mantissa uint32
	if exponent <= 3 {
		mantissa = uint32(abs.Uint64()) << (8 * (3 - exponent))
	} else {
		mantissa = uint32(new(big.Int).Rsh(abs, uint(8*(exponent-3))).Uint64())
	}
	if mantissa&0x00800000 != 0 {
		mantissa >>= 8
		exponent++
	}
	compact := exponent<<24 | mantissa
	if n.Sign() < 0 {
		compact |= 0x00800000
	}
	return compact
}

// TargetFromBits returns the proof-of-work target encoded by bits and
// whether it is usable: a usable target is positive, fits in 256 bits and
// does not exceed powLimit.
func TargetFromBits(bits uint32, powLimit *big.Int) (*big.Int, bool) {
	target := CompactToBig(bits)
	if target.Sign() <= 0 || target.BitLen() > 256 || target.Cmp(powLimit) > 0 {
		return target, false
	}
	return target, true
}

// WorkFromBits returns the expected number of hashes needed to find a header
// with the target encoded by bits: 2^256 / (target + 1). An encoding that is
// negative, zero or wider than 256 bits is worth no work.
func WorkFromBits(bits uint32) *big.Int {
	target := CompactToBig(bits)
	if target.Sign() <= 0 || target.BitLen() > 256 {
		return new(big.Int)
	}
	numerator := new(big.Int).Lsh(big.NewInt(1), 256)
	return numerator.Div(numerator, target.Add(target, big.NewInt(1)))
}

// HashToBig interprets a block hash as the little-endian 256-bit number the
// proof-of-work rule compares with the target.
func HashToBig(hash *chainhash.Hash) *big.Int {
	var be [chainhash.HashSize]byte
	for i := range hash {
		be[chainhash.HashSize-1-i] = hash[i]
	}
	return new(big.Int).SetBytes(be[:])
}
