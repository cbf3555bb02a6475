package addrman

import (
	crand "crypto/rand"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"time"

	"github.com/actornode/actornode/addrman/book"
)

// newRandom returns the randomness of one actor incarnation: cfg.Rand when
// set, otherwise a ChaCha8 source seeded from crypto/rand.
func newRandom(cfg Config) book.Random {
	if cfg.Rand != nil {
		return cfg.Rand
	}
	var seed [32]byte
	_, _ = crand.Read(seed[:]) // never fails (crypto/rand panics instead)
	return rand.NewChaCha8(seed)
}

// newKey returns the secret bucket key of a new book: from crypto/rand in
// production, from the configured Rand when a test supplies one.
func newKey(cfg Config, rng book.Random) book.Key {
	var k book.Key
	if cfg.Rand == nil {
		_, _ = crand.Read(k[:])
		return k
	}
	for i := 0; i < len(k); i += 8 {
		binary.LittleEndian.PutUint64(k[i:], rng.Uint64())
	}
	return k
}

// randDuration returns a uniform duration in [0, d); 0 when d <= 0.
func randDuration(rng book.Random, d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	hi, _ := bits.Mul64(rng.Uint64(), uint64(d))
	return time.Duration(hi)
}
