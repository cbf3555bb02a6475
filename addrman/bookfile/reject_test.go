package bookfile

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/actornode/actornode/addrman/book"
)

// smallFile returns the encoding of a small but varied book.
func smallFile(t testing.TB) []byte {
	t.Helper()
	b := buildBook(40, 3, 2, pcg(1))
	if b.Size(0, book.TableTried) == 0 {
		t.Fatal("small book has no tried entry")
	}
	return Encode(b)
}

// decodeErr decodes data and returns its *DecodeError, failing the test
// when Decode accepted it or returned another type.
func decodeErr(t *testing.T, data []byte) *DecodeError {
	t.Helper()
	b, err := Decode(data, pcg(1))
	if err == nil {
		t.Fatalf("Decode accepted bad input (%d entries)", b.Len())
	}
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("error %v is %T, not *DecodeError", err, err)
	}
	return de
}

func TestDecodeRejectsEveryTruncation(t *testing.T) {
	data := smallFile(t)
	for n := range len(data) {
		de := decodeErr(t, data[:n])
		if de.Reason != ReasonTruncated || de.Offset > n {
			t.Fatalf("prefix of %d bytes: %v (reason %v, offset %d)", n, de, de.Reason, de.Offset)
		}
		if !errors.Is(de, ErrTruncated) {
			t.Fatal("errors.Is(ErrTruncated) false")
		}
	}
}

func TestDecodeRejectsEveryBitFlip(t *testing.T) {
	data := Encode(buildBook(40, 3, 2, pcg(1)))
	for i := range data {
		for _, bit := range []byte{0x01, 0x80} {
			bad := append([]byte(nil), data...)
			bad[i] ^= bit
			de := decodeErr(t, bad)
			if de.Offset < 0 || de.Offset > len(data) {
				t.Fatalf("flip at %d: offset %d outside the file", i, de.Offset)
			}
		}
	}
}

func TestDecodeNamedFailures(t *testing.T) {
	data := smallFile(t)
	edit := func(f func(d []byte) []byte) []byte { return f(append([]byte(nil), data...)) }

	cases := []struct {
		name   string
		data   []byte
		reason Reason
		sent   error
		offset int
	}{
		{"bad magic", edit(func(d []byte) []byte { d[0] = 'X'; return d }), ReasonBadMagic, ErrBadMagic, 0},
		{"other version", edit(func(d []byte) []byte { d[8] = 2; return reseal(d) }), ReasonVersion, ErrVersion, 8},
		{"unknown flags", edit(func(d []byte) []byte { d[10] = 1; return reseal(d) }), ReasonVersion, ErrVersion, 10},
		{"checksum", edit(func(d []byte) []byte { d[len(d)-1] ^= 0xff; return d }), ReasonChecksum, ErrChecksum, len(data) - 4},
		{"content under checksum", edit(func(d []byte) []byte { d[20] ^= 1; return d }), ReasonChecksum, ErrChecksum, len(data) - 4},
		{"trailing byte", edit(func(d []byte) []byte { return append(d, 0) }), ReasonTrailing, ErrTrailing, len(data)},
		{"huge count", edit(func(d []byte) []byte {
			binary.LittleEndian.PutUint32(d[52:], 0xffffffff)
			return reseal(d)
		}), ReasonTruncated, ErrTruncated, 52},
		{"unknown network", edit(func(d []byte) []byte { d[headerSize] = 3; return reseal(d) }), ReasonField, ErrField, headerSize},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			de := decodeErr(t, c.data)
			if de.Reason != c.reason || de.Offset != c.offset || !errors.Is(de, c.sent) {
				t.Fatalf("got %v (reason %v, offset %d), want reason %v at %d", de, de.Reason, de.Offset, c.reason, c.offset)
			}
		})
	}
}

// snapshotFile encodes a hand-made snapshot.
func snapshotFile(recs []book.Record, collisions []int) []byte {
	return EncodeSnapshot(book.Snapshot{Key: testKey(), LastGood: 1, Records: recs, Collisions: collisions})
}

func TestDecodeRejectsInconsistentRecords(t *testing.T) {
	a := book.MustParseAddr("1.2.3.4:8333")
	c := book.MustParseAddr("8.8.4.4:8333")
	newRec := func(addr book.Addr, buckets ...uint16) book.Record {
		return book.Record{Address: book.Address{Addr: addr, Time: t0.Unix()}, NewBuckets: buckets}
	}
	first := headerSize
	second := headerSize + recordSize(&book.Record{Address: book.Address{Addr: a}, NewBuckets: []uint16{5}})

	cases := []struct {
		name   string
		data   []byte
		reason Reason
		offset int
	}{
		{"duplicate address", snapshotFile([]book.Record{newRec(a, 5), newRec(a, 6)}, nil), ReasonInconsistent, second},
		{"neither table", snapshotFile([]book.Record{{Address: book.Address{Addr: a}}}, nil), ReasonField, first + 1 + 4 + 2 + 8 + 8 + 1 + 2 + 24 + 4 + 1},
		{"bucket out of range", snapshotFile([]book.Record{newRec(a, 1024)}, nil), ReasonField, first + 1 + 4 + 2 + 8 + 8 + 1 + 2 + 24 + 4 + 2},
		{"buckets not ascending", snapshotFile([]book.Record{newRec(a, 9, 3)}, nil), ReasonField, first + 1 + 4 + 2 + 8 + 8 + 1 + 2 + 24 + 4 + 2 + 2},
		{"nine references", snapshotFile([]book.Record{newRec(a, 1, 2, 3, 4, 5, 6, 7, 8, 9)}, nil), ReasonField, first + 1 + 4 + 2 + 8 + 8 + 1 + 2 + 24 + 4 + 1},
		{"collision out of range", snapshotFile([]book.Record{newRec(a, 5)}, []int{1}), ReasonField, second + 1},
		{"repeated collision", snapshotFile([]book.Record{newRec(a, 5), newRec(c, 5)}, []int{0, 0}), ReasonInconsistent, second + recordSize(&book.Record{Address: book.Address{Addr: c}, NewBuckets: []uint16{5}})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			de := decodeErr(t, tc.data)
			if de.Reason != tc.reason || de.Offset != tc.offset {
				t.Fatalf("got %v (reason %v, offset %d), want %v at %d", de, de.Reason, de.Offset, tc.reason, tc.offset)
			}
		})
	}
}

func TestDecodeRejectsTwoEntriesInOneSlot(t *testing.T) {
	// Find two addresses whose tried slots coincide under the test key by
	// trying to restore them both as tried.
	r := pcg(5)
	var recs []book.Record
	for range 20000 {
		a := routable(r)
		recs = append(recs, book.Record{Address: book.Address{Addr: a, Time: t0.Unix()}, Tried: true})
		if _, err := book.Restore(book.Snapshot{Key: testKey(), Records: recs}, pcg(1)); err != nil {
			de := decodeErr(t, snapshotFile(recs, nil))
			if de.Reason != ReasonInconsistent || !errors.Is(de, ErrInconsistent) {
				t.Fatalf("got %v", de)
			}
			last := len(recs) - 1
			want := headerSize
			for i := range last {
				want += recordSize(&recs[i])
			}
			if de.Offset != want {
				t.Fatalf("offset %d, want %d (record %d)", de.Offset, want, last)
			}
			return
		}
	}
	t.Fatal("no tried-slot clash found")
}

func TestDecodeGarbageNeverPanics(t *testing.T) {
	r := pcg(8)
	for range 2000 {
		n := r.IntN(300)
		junk := make([]byte, n)
		for i := range junk {
			junk[i] = byte(r.Uint32())
		}
		if r.IntN(2) == 0 && n >= len(Magic) {
			copy(junk, Magic)
		}
		if _, err := Decode(junk, pcg(1)); err == nil {
			t.Fatalf("random %d bytes decoded", n)
		}
	}
}
