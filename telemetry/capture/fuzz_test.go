package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the Reader: it must never panic,
// must end in io.EOF, a *PartialError or a *CorruptError, and every record
// it returns must re-encode to exactly the bytes it was read from when its
// type is a valid one padded with NULs.
func FuzzReader(f *testing.F) {
	// Small seeds keep the mutator fast; the 70 KB fixture is covered by
	// the unit tests.
	file := append(handRecord(1_700_000_000_000_000, "version", []byte{1, 2, 3}), handRecord(1_700_000_000_000_001, "verack", nil)...)
	f.Add(file)
	f.Add(file[:len(file)-1])
	f.Add(file[:HeaderSize-1])
	f.Add([]byte{})
	f.Add(handRecord(1, "verack", nil))
	hostile := handRecord(2, "block", nil)
	binary.LittleEndian.PutUint32(hostile[20:], 0xffffffff)
	f.Add(hostile)
	f.Add(handRecord(^uint64(0), "\xff\xfe", []byte{1, 2}))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := NewReader(bytes.NewReader(data), "fuzz")
		for {
			start := rd.Offset()
			rec, err := rd.Next()
			if err != nil {
				var pe *PartialError
				var ce *CorruptError
				switch {
				case err == io.EOF:
					if rd.Offset() != int64(len(data)) {
						t.Fatalf("EOF at %d of %d", rd.Offset(), len(data))
					}
				case errors.As(err, &pe):
					if pe.Offset != start || pe.Offset+pe.Have != int64(len(data)) || pe.Have >= pe.Need {
						t.Fatalf("bad partial %+v for %d bytes", *pe, len(data))
					}
				case errors.As(err, &ce):
					if ce.Offset != start || ce.Length <= MaxPayloadLen {
						t.Fatalf("bad corrupt %+v", *ce)
					}
				default:
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			end := rd.Offset()
			if end-start != int64(rec.EncodedLen()) {
				t.Fatalf("record spans %d bytes, encodes to %d", end-start, rec.EncodedLen())
			}
			raw := data[start:end]
			if ValidateCommand(rec.Command) == nil && rec.Time.UnixMicro() >= 0 &&
				bytes.Equal(raw[8+len(rec.Command):20], make([]byte, 12-len(rec.Command))) {
				enc, err := EncodeRecord(rec)
				if err != nil || !bytes.Equal(enc, raw) {
					t.Fatalf("re-encoding differs: %v", err)
				}
			}
		}
	})
}
