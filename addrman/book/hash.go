package book

import (
	"crypto/sha256"
	"encoding/binary"
)

// Key is the book's 256-bit secret. It decides every bucket and slot, so an
// attacker who does not know it cannot aim addresses at chosen buckets. The
// caller draws it from crypto/rand once and persists it with the book.
type Key [32]byte

// Table geometry, as in Core.
const (
	// NewBucketCount is the number of buckets of the new table.
	NewBucketCount = 1 << newBucketBits
	// TriedBucketCount is the number of buckets of the tried table.
	TriedBucketCount = 1 << triedBucketBits
	// BucketSize is the number of slots in each bucket.
	BucketSize = 1 << bucketSizeBits

	newBucketBits   = 10
	triedBucketBits = 8
	bucketSizeBits  = 6

	// triedBucketsPerGroup is how many tried buckets one group spreads over.
	triedBucketsPerGroup = 8
	// newBucketsPerSourceGroup is how many new buckets the addresses from
	// one source group spread over.
	newBucketsPerSourceGroup = 64
	// MaxNewRefs is how many new buckets one address may sit in.
	MaxNewRefs = 8
)

// Domain tags keep the hashes of different purposes apart.
const (
	tagTried1 byte = 't'
	tagTried2 byte = 'T'
	tagNew1   byte = 'n'
	tagNew2   byte = 'N'
	tagSlot   byte = 's'
)

// hasher builds a keyed hash input in a fixed buffer: key, tag, fields.
type hasher struct {
	buf [128]byte
	n   int
}

// start resets h to key and tag.
func (h *hasher) start(k *Key, tag byte) *hasher {
	copy(h.buf[:32], k[:])
	h.buf[32] = tag
	h.n = 33
	return h
}

// group appends a group with its length prefix.
func (h *hasher) group(g Group) *hasher {
	h.buf[h.n] = byte(len(g))
	h.n++
	h.n += copy(h.buf[h.n:], g)
	return h
}

// u16 appends v big-endian.
func (h *hasher) u16(v uint16) *hasher {
	binary.BigEndian.PutUint16(h.buf[h.n:], v)
	h.n += 2
	return h
}

// addr appends a's identity: network, address bytes and port.
func (h *hasher) addr(a *Addr) *hasher {
	h.buf[h.n] = byte(a.Net)
	h.n++
	h.n += copy(h.buf[h.n:], a.Host[:a.Net.Size()])
	return h.u16(a.Port)
}

// sum returns the first 8 bytes of SHA-256 of the input, little-endian.
func (h *hasher) sum() uint64 {
	s := sha256.Sum256(h.buf[:h.n])
	return binary.LittleEndian.Uint64(s[:8])
}

// triedBucket returns the tried bucket of a: the address picks one of
// triedBucketsPerGroup buckets its group may use.
func triedBucket(k *Key, a *Addr, g Group) int {
	var h hasher
	h1 := h.start(k, tagTried1).addr(a).sum()
	h2 := h.start(k, tagTried2).group(g).u16(uint16(h1 % triedBucketsPerGroup)).sum()
	return int(h2 % TriedBucketCount)
}

// newBucket returns the new bucket of an address of group g learned from a
// source of group src: the pair picks one of newBucketsPerSourceGroup
// buckets the source group may fill.
func newBucket(k *Key, g, src Group) int {
	var h hasher
	h1 := h.start(k, tagNew1).group(g).group(src).sum()
	h2 := h.start(k, tagNew2).group(src).u16(uint16(h1 % newBucketsPerSourceGroup)).sum()
	return int(h2 % NewBucketCount)
}

// slotOf returns a's slot in bucket of the new (isNew) or tried table.
func slotOf(k *Key, isNew bool, bucket int, a *Addr) int {
	var h hasher
	h.start(k, tagSlot)
	if isNew {
		h.buf[h.n] = 'N'
	} else {
		h.buf[h.n] = 'K'
	}
	h.n++
	return int(h.u16(uint16(bucket)).addr(a).sum() % BucketSize)
}
