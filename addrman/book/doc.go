// Package book is the pure core of addrman: Bitcoin Core's stochastic address
// book, with a "new" table of 1024 buckets and a "tried" table of 256 buckets,
// 64 slots each.
//
// It owns the addresses we know, the tables they sit in, where each came from,
// how often we tried them and when we last succeeded, the pending tried-table
// collisions, and the rules that decide all of these (Add, Good, Attempt,
// Connected, Select, GetAddr, ResolveCollisions).
//
// It never touches the outside world: no actor, no sockets, no goroutines, no
// files, no wall clock and no global randomness. The caller passes the time
// (now) to every operation that needs it, the randomness as a Random it
// seeded, and the secret bucket Key to New. Same key, same random sequence
// and same inputs give the same book.
//
// Privacy: the book never learns which peers are connected right now. The
// caller records Connected when a connection ends (and never for block-relay-
// only peers), so the last-seen time it stores does not reveal the current
// peers to anyone who asks for addresses.
//
// Bucket placement uses a keyed hash: SHA-256 over the 256-bit secret key, a
// one-byte domain tag and the hashed fields, of which the first 8 bytes are
// read as a little-endian uint64. SHA-256 is Core's choice too (its
// HashWriter); it is in the standard library, has hardware support on common
// CPUs and is fast enough for 100,000 entries. Positions are therefore not
// bit-compatible with Core's peers.dat, which this package never reads.
//
// A Book is not safe for concurrent use; addrman's actor owns exactly one.
package book
