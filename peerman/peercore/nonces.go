package peercore

import (
	"crypto/rand"
	"encoding/binary"
)

// CryptoNonces is the production NonceSource, reading the operating
// system's cryptographic random source.
type CryptoNonces struct{}

// Uint64 returns 64 random bits.
func (CryptoNonces) Uint64() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails since Go 1.24.
	return binary.LittleEndian.Uint64(b[:])
}

// nonZero draws a nonce that is not zero (zero means "no nonce" in ping and
// pong). A source stuck at zero yields 1.
func nonZero(src NonceSource) uint64 {
	for range 4 {
		if n := src.Uint64(); n != 0 {
			return n
		}
	}
	return 1
}
