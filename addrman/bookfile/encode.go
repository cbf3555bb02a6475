package bookfile

import (
	"encoding/binary"
	"hash/crc32"

	"github.com/actornode/actornode/addrman/book"
)

// Format constants.
const (
	// Magic starts every file.
	Magic = "ACTADDRB"
	// Version is the format version this package writes and reads.
	Version = 1

	headerSize   = len(Magic) + 2 + 2 + 32 + 8 + 4
	checksumSize = 4
	tableNew     = 0
	tableTried   = 1
	// maxCollisions is the most pending collisions a book keeps.
	maxCollisions = 10
)

// castagnoli is the CRC-32C table; crc32.MakeTable returns a shared,
// read-only table for it.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Encode returns the file form of b.
func Encode(b *book.Book) []byte { return EncodeSnapshot(b.Snapshot()) }

// EncodeSnapshot returns the file form of a book's Snapshot.
func EncodeSnapshot(s book.Snapshot) []byte {
	size := headerSize + 1 + 4*len(s.Collisions) + checksumSize
	for i := range s.Records {
		size += recordSize(&s.Records[i])
	}
	out := make([]byte, 0, size)
	out = append(out, Magic...)
	out = binary.LittleEndian.AppendUint16(out, Version)
	out = binary.LittleEndian.AppendUint16(out, 0)
	out = append(out, s.Key[:]...)
	out = binary.LittleEndian.AppendUint64(out, uint64(s.LastGood))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(s.Records)))
	for i := range s.Records {
		out = appendRecord(out, &s.Records[i])
	}
	out = append(out, byte(len(s.Collisions)))
	for _, c := range s.Collisions {
		out = binary.LittleEndian.AppendUint32(out, uint32(c))
	}
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
}

// recordSize returns the encoded size of r.
func recordSize(r *book.Record) int {
	n := 1 + r.Address.Net.Size() + 2 + 8 + 8 + 1 + r.Source.Net.Size() + 2 + 8 + 8 + 8 + 4 + 1
	if !r.Tried {
		n += 1 + 2*len(r.NewBuckets)
	}
	return n
}

// minRecordSize is the smallest encoded record: IPv4, unknown source,
// tried.
const minRecordSize = 1 + 4 + 2 + 8 + 8 + 1 + 0 + 2 + 8 + 8 + 8 + 4 + 1

// appendAddr appends network, host bytes and port.
func appendAddr(out []byte, a book.Addr) []byte {
	out = append(out, byte(a.Net))
	out = append(out, a.Host[:a.Net.Size()]...)
	return binary.LittleEndian.AppendUint16(out, a.Port)
}

// appendRecord appends the encoding of r.
func appendRecord(out []byte, r *book.Record) []byte {
	le := binary.LittleEndian
	out = appendAddr(out, r.Address.Addr)
	out = le.AppendUint64(out, uint64(r.Address.Services))
	out = le.AppendUint64(out, uint64(r.Address.Time))
	out = appendAddr(out, r.Source)
	out = le.AppendUint64(out, uint64(r.LastSuccess))
	out = le.AppendUint64(out, uint64(r.LastTry))
	out = le.AppendUint64(out, uint64(r.LastCountAttempt))
	out = le.AppendUint32(out, uint32(r.Attempts))
	if r.Tried {
		return append(out, tableTried)
	}
	out = append(out, tableNew, byte(len(r.NewBuckets)))
	for _, nb := range r.NewBuckets {
		out = le.AppendUint16(out, nb)
	}
	return out
}
