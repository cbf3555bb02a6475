// Package bookfile encodes a whole address book (addrman/book) to bytes and
// decodes it back: the file addrman keeps in the datadir.
//
// It owns the file format and nothing else: it never opens, writes, renames
// or syncs files (the addrman actor does, atomically), never reads a clock
// and never draws randomness (Decode takes the Random the restored book will
// use).
//
// The format is binary, little-endian, and versioned:
//
//	magic       8 bytes  "ACTADDRB"
//	version     uint16   1
//	flags       uint16   0 (others refused)
//	key         32 bytes the book's secret bucket key
//	lastGood    int64    time of the last Good, Unix seconds
//	count       uint32   number of records
//	records     count times:
//	  net uint8, host [size of net], port uint16      the address
//	  services uint64, time int64                     as advertised
//	  srcNet uint8 (0: unknown), srcHost, srcPort     where we learned it
//	  lastSuccess, lastTry, lastCountAttempt int64    Unix seconds
//	  attempts uint32
//	  table uint8 (0 new, 1 tried)
//	  if new: refs uint8 (1 to 8), refs times bucket uint16, ascending
//	collisions  uint8 n (at most 10), n times uint32 record index
//	checksum    uint32   CRC-32C of every byte before it
//
// Records are in the book's random order and table slots are not stored:
// they follow from the key, so Decode recomputes and checks them, and the
// decoded book answers Select and GetAddr exactly as the encoded one did
// with the same random source.
//
// Binary rather than JSON: a full book is about 80,000 addresses, which
// binary keeps near 6 MB and decodes in tens of milliseconds; fixed-width
// fields make every bound check a comparison against the bytes left; the
// checksum covers exactly the bytes on disk with no text normalisation in
// between. CRC-32C (hardware-accelerated) catches torn or bit-flipped
// files; hostile content is caught by validation, not by the checksum.
//
// Encoding is canonical: Decode accepts only what Encode could write, so
// re-encoding a decoded file gives the same bytes.
//
// Decode never panics and never allocates more than the input can hold: a
// count is accepted only when the bytes left could contain that many
// minimal records. Every failure is a *DecodeError naming the byte offset.
package bookfile
