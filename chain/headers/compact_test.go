package headers

import (
	"math/big"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
)

func TestCompactRoundTrip(t *testing.T) {
	cases := []struct {
		bits uint32
		hex  string
	}{
		{0x1d00ffff, "ffff0000000000000000000000000000000000000000000000000000"},
		{0x207fffff, "7fffff0000000000000000000000000000000000000000000000000000000000"},
		{0x1b0404cb, "404cb000000000000000000000000000000000000000000000000"},
		{0x03123456, "123456"},
		{0x02123400, "1234"},
		{0x01120000, "12"},
	}
	for _, c := range cases {
		want, _ := new(big.Int).SetString(c.hex, 16)
		if got := CompactToBig(c.bits); got.Cmp(want) != 0 {
			t.Errorf("CompactToBig(%08x) = %x, want %x", c.bits, got, want)
		}
		if got := BigToCompact(want); got != c.bits {
			t.Errorf("BigToCompact(%x) = %08x, want %08x", want, got, c.bits)
		}
	}
	// A value whose top mantissa byte has the sign bit moves one byte up.
	if got := BigToCompact(big.NewInt(0x80)); got != 0x02008000 {
		t.Errorf("BigToCompact(0x80) = %08x, want 02008000", got)
	}
	if got := CompactToBig(0x04923456); got.Sign() >= 0 {
		t.Errorf("sign bit set but %x not negative", got)
	}
	if got := BigToCompact(big.NewInt(-0x12345600)); got != 0x04923456 {
		t.Errorf("negative encoding %08x, want 04923456", got)
	}
}

func TestTargetFromBitsRejectsUnusable(t *testing.T) {
	limit := chaincfg.MainNetParams.PowLimit
	for _, bits := range []uint32{
		0x00000000, // zero
		0x01003456, // rounds to zero
		0x04923456, // negative
		0xff123456, // far beyond 256 bits
		0x1d01ffff, // above mainnet's limit
	} {
		if _, ok := TargetFromBits(bits, limit); ok {
			t.Errorf("bits %08x accepted", bits)
		}
	}
	if _, ok := TargetFromBits(0x1d00ffff, limit); !ok {
		t.Error("mainnet limit refused")
	}
}

func TestWorkFromBits(t *testing.T) {
	// The genesis block's chain work is 0x100010001 (getblockheader's
	// chainwork at height 0 on mainnet).
	if got := WorkFromBits(0x1d00ffff); got.Cmp(big.NewInt(0x100010001)) != 0 {
		t.Errorf("work of 1d00ffff = %x, want 100010001", got)
	}
	if got := WorkFromBits(0x207fffff); got.Cmp(big.NewInt(2)) != 0 {
		t.Errorf("work of regtest limit = %v, want 2", got)
	}
	if got := WorkFromBits(0x04923456); got.Sign() != 0 {
		t.Errorf("negative target has work %v", got)
	}
}

// TestRetargetMainnetValues checks the retarget arithmetic against real
// mainnet periods. The values are public chain data: each row gives the
// Bits of the last block of a period, the timestamps of that period's first
// and last blocks, and the Bits the next block carries (also used by Bitcoin
// Core's pow_tests).
func TestRetargetMainnetValues(t *testing.T) {
	p := &chaincfg.MainNetParams
	cases := []struct {
		name        string
		bits        uint32
		first, last int64
		want        uint32
	}{
		// Blocks 30240 and 32255; block 32256 carries 1d00d86a.
		{"height 32256", 0x1d00ffff, 1261130161, 1262152739, 0x1d00d86a},
		// Blocks 0 and 2015: slower than two weeks, capped at the limit.
		{"pow limit", 0x1d00ffff, 1231006505, 1233061996, 0x1d00ffff},
		// Blocks 66528 and 68543: faster than a quarter, clamped.
		{"lower clamp", 0x1c05a3f4, 1279008237, 1279297671, 0x1c0168fd},
		// Blocks 46368 and 48383: slower than four times, clamped.
		{"upper clamp", 0x1c387f6f, 1263163443, 1269211443, 0x1d00e1fd},
	}
	for _, c := range cases {
		got := Retarget(p, c.bits, time.Unix(c.last, 0).Sub(time.Unix(c.first, 0)))
		if got != c.want {
			t.Errorf("%s: Retarget = %08x, want %08x", c.name, got, c.want)
		}
	}
}
