package bookfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"

	"github.com/actornode/actornode/addrman/book"
	"github.com/btcsuite/btcd/wire/v2"
)

// reader walks the input, turning every shortfall into a DecodeError.
type reader struct {
	data []byte
	off  int
}

// fail returns a DecodeError at offset at.
func fail(at int, r Reason, format string, args ...any) *DecodeError {
	return &DecodeError{Offset: at, Reason: r, Detail: fmt.Sprintf(format, args...)}
}

// take returns the next n bytes, or a truncation error naming what was
// being read.
func (r *reader) take(n int, what string) ([]byte, error) {
	if n > len(r.data)-r.off {
		return nil, fail(r.off, ReasonTruncated, "%s needs %d bytes, %d left", what, n, len(r.data)-r.off)
	}
	b := r.data[r.off : r.off+n]
	r.off += n
	return b, nil
}

// u8, u16, u32 and u64 read little-endian integers.
func (r *reader) u8(what string) (uint8, error) {
	b, err := r.take(1, what)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (r *reader) u16(what string) (uint16, error) {
	b, err := r.take(2, what)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint16(b), nil
}

func (r *reader) u32(what string) (uint32, error) {
	b, err := r.take(4, what)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

func (r *reader) u64(what string) (uint64, error) {
	b, err := r.take(8, what)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

// i64s reads len(dst) int64 fields.
func (r *reader) i64s(what string, dst ...*int64) error {
	for _, d := range dst {
		v, err := r.u64(what)
		if err != nil {
			return err
		}
		*d = int64(v)
	}
	return nil
}

// Decode parses a file written by Encode and rebuilds the book, which will
// draw its randomness from rng. Any truncated, corrupt, foreign or
// inconsistent input gives a *DecodeError naming the byte offset; Decode
// never panics.
func Decode(data []byte, rng book.Random) (*book.Book, error) {
	s, offsets, collisionsAt, err := decodeSnapshot(data)
	if err != nil {
		return nil, err
	}
	b, err := book.Restore(s, rng)
	if err != nil {
		var re *book.RestoreError
		if errors.As(err, &re) && re.Record >= 0 {
			return nil, fail(offsets[re.Record], ReasonInconsistent, "record %d: %s", re.Record, re.Reason)
		}
		return nil, fail(collisionsAt, ReasonInconsistent, "%v", err)
	}
	return b, nil
}

// decodeSnapshot parses and checksums data. It returns the snapshot, each
// record's offset and the offset of the collision list.
func decodeSnapshot(data []byte) (book.Snapshot, []int, int, error) {
	var s book.Snapshot
	r := &reader{data: data}
	n := min(len(data), len(Magic))
	if string(data[:n]) != Magic[:n] {
		return s, nil, 0, fail(0, ReasonBadMagic, "file does not start with %q", Magic)
	}
	if _, err := r.take(len(Magic), "magic"); err != nil {
		return s, nil, 0, err
	}
	at := r.off
	version, err := r.u16("version")
	if err != nil {
		return s, nil, 0, err
	}
	if version != Version {
		return s, nil, 0, fail(at, ReasonVersion, "version %d, this code reads %d", version, Version)
	}
	at = r.off
	flags, err := r.u16("flags")
	if err != nil {
		return s, nil, 0, err
	}
	if flags != 0 {
		return s, nil, 0, fail(at, ReasonVersion, "unknown flags %#x", flags)
	}
	key, err := r.take(len(s.Key), "key")
	if err != nil {
		return s, nil, 0, err
	}
	copy(s.Key[:], key)
	if err := r.i64s("last good", &s.LastGood); err != nil {
		return s, nil, 0, err
	}
	at = r.off
	count, err := r.u32("record count")
	if err != nil {
		return s, nil, 0, err
	}
	const tail = 1 + checksumSize
	if room := (len(data) - r.off - tail) / minRecordSize; room < 0 || uint64(count) > uint64(room) {
		return s, nil, 0, fail(at, ReasonTruncated, "%d records cannot fit in the %d bytes left", count, len(data)-r.off)
	}

	s.Records = make([]book.Record, count)
	offsets := make([]int, count)
	type span struct{ start, n int }
	spans := make([]span, count)
	var buckets []uint16
	for i := range s.Records {
		offsets[i] = r.off
		start := len(buckets)
		if buckets, err = r.record(&s.Records[i], buckets); err != nil {
			return s, nil, 0, err
		}
		spans[i] = span{start, len(buckets) - start}
	}
	for i, sp := range spans {
		if sp.n > 0 {
			s.Records[i].NewBuckets = buckets[sp.start : sp.start+sp.n : sp.start+sp.n]
		}
	}

	collisionsAt := r.off
	nc, err := r.u8("collision count")
	if err != nil {
		return s, nil, 0, err
	}
	if nc > maxCollisions {
		return s, nil, 0, fail(collisionsAt, ReasonField, "%d collisions, at most %d", nc, maxCollisions)
	}
	for range nc {
		at = r.off
		c, err := r.u32("collision")
		if err != nil {
			return s, nil, 0, err
		}
		if c >= count {
			return s, nil, 0, fail(at, ReasonField, "collision names record %d of %d", c, count)
		}
		s.Collisions = append(s.Collisions, int(c))
	}

	at = r.off
	sum, err := r.u32("checksum")
	if err != nil {
		return s, nil, 0, err
	}
	if want := crc32.Checksum(data[:at], castagnoli); sum != want {
		return s, nil, 0, fail(at, ReasonChecksum, "checksum %#08x, content gives %#08x", sum, want)
	}
	if r.off != len(data) {
		return s, nil, 0, fail(r.off, ReasonTrailing, "%d bytes after the checksum", len(data)-r.off)
	}
	return s, offsets, collisionsAt, nil
}

// addrLabels name the fields of an address in error messages.
type addrLabels struct{ name, network, host, port string }

// labelsOf returns the labels of a record's address or of its source.
func labelsOf(source bool) addrLabels {
	if source {
		return addrLabels{"source", "source network", "source host", "source port"}
	}
	return addrLabels{"address", "address network", "address host", "address port"}
}

// addr reads network, host bytes and port. allowNone accepts network 0
// (unknown source) as the zero Addr.
func (r *reader) addr(l addrLabels, allowNone bool) (book.Addr, error) {
	at := r.off
	net, err := r.u8(l.network)
	if err != nil {
		return book.Addr{}, err
	}
	id := book.NetworkID(net)
	if net == 0 && allowNone {
		port, err := r.u16(l.port)
		if err != nil {
			return book.Addr{}, err
		}
		if port != 0 {
			return book.Addr{}, fail(at, ReasonField, "%s of no network with port %d", l.name, port)
		}
		return book.Addr{}, nil
	}
	if !id.Valid() {
		return book.Addr{}, fail(at, ReasonField, "%s network %d unknown", l.name, net)
	}
	host, err := r.take(id.Size(), l.host)
	if err != nil {
		return book.Addr{}, err
	}
	port, err := r.u16(l.port)
	if err != nil {
		return book.Addr{}, err
	}
	a, err := book.FromBytes(id, host, port)
	if err != nil {
		return book.Addr{}, fail(at, ReasonField, "%s: %v", l.name, err)
	}
	return a, nil
}

// record reads one record into rec, appending its new buckets to buckets.
func (r *reader) record(rec *book.Record, buckets []uint16) ([]uint16, error) {
	var err error
	if rec.Address.Addr, err = r.addr(labelsOf(false), false); err != nil {
		return buckets, err
	}
	services, err := r.u64("services")
	if err != nil {
		return buckets, err
	}
	rec.Address.Services = wire.ServiceFlag(services)
	if err := r.i64s("time", &rec.Address.Time); err != nil {
		return buckets, err
	}
	if rec.Source, err = r.addr(labelsOf(true), true); err != nil {
		return buckets, err
	}
	if err := r.i64s("times", &rec.LastSuccess, &rec.LastTry, &rec.LastCountAttempt); err != nil {
		return buckets, err
	}
	at := r.off
	attempts, err := r.u32("attempts")
	if err != nil {
		return buckets, err
	}
	if attempts > math.MaxInt32 {
		return buckets, fail(at, ReasonField, "attempts %d", attempts)
	}
	rec.Attempts = int32(attempts)
	at = r.off
	table, err := r.u8("table")
	if err != nil {
		return buckets, err
	}
	switch table {
	case tableTried:
		rec.Tried = true
		return buckets, nil
	case tableNew:
	default:
		return buckets, fail(at, ReasonField, "table %d", table)
	}
	at = r.off
	refs, err := r.u8("reference count")
	if err != nil {
		return buckets, err
	}
	if refs < 1 || refs > book.MaxNewRefs {
		return buckets, fail(at, ReasonField, "%d new references, want 1 to %d", refs, book.MaxNewRefs)
	}
	first := len(buckets)
	for range refs {
		at = r.off
		nb, err := r.u16("bucket")
		if err != nil {
			return buckets, err
		}
		if nb >= book.NewBucketCount {
			return buckets, fail(at, ReasonField, "new bucket %d of %d", nb, book.NewBucketCount)
		}
		if len(buckets) > first && nb <= buckets[len(buckets)-1] {
			return buckets, fail(at, ReasonField, "new buckets not strictly ascending")
		}
		buckets = append(buckets, nb)
	}
	return buckets, nil
}
