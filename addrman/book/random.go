package book

import "math/bits"

// Random is the book's only source of randomness. A *rand.Rand from
// math/rand/v2, or any of its Sources (PCG, ChaCha8), seeded by the caller
// satisfies it; tests seed it to make every choice reproducible.
type Random interface {
	// Uint64 returns a uniformly distributed 64-bit value.
	Uint64() uint64
}

// randBits returns a uniform value of n bits, 0 < n < 64.
func randBits(r Random, n uint) uint64 { return r.Uint64() >> (64 - n) }

// randRange returns a uniform value in [0, n), n > 0, without modulo bias
// (multiply-and-reject).
func randRange(r Random, n uint64) uint64 {
	hi, lo := bits.Mul64(r.Uint64(), n)
	if lo < n {
		threshold := -n % n
		for lo < threshold {
			hi, lo = bits.Mul64(r.Uint64(), n)
		}
	}
	return hi
}

// randBool returns a fair coin toss.
func randBool(r Random) bool { return r.Uint64()>>63 == 1 }
