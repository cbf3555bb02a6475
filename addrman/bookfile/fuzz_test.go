package bookfile

import (
	"bytes"
	"testing"

	"github.com/actornode/actornode/addrman/book"
)

// FuzzDecode feeds arbitrary bytes to Decode: it must never panic, and
// whatever it accepts must be a consistent book that encodes back to the
// same bytes. Each input is also tried with its checksum recomputed, so
// that mutations reach the record validation behind the checksum. The
// seeds run as unit tests under plain go test.
func FuzzDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte(Magic))
	f.Add(Encode(book.New(testKey(), pcg(1))))
	small := Encode(buildBook(40, 3, 2, pcg(1)))
	f.Add(small)
	f.Add(small[:len(small)/2])
	f.Add(reseal(append([]byte(nil), small...)))
	huge := append([]byte(nil), small...)
	huge[52], huge[53], huge[54], huge[55] = 0xff, 0xff, 0xff, 0x7f
	f.Add(reseal(huge))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode(t, data)
		if len(data) >= checksumSize {
			checkDecode(t, reseal(append([]byte(nil), data...)))
		}
	})
}

// checkDecode decodes data and checks whatever Decode accepted.
func checkDecode(t *testing.T, data []byte) {
	b, err := Decode(data, pcg(1))
	if err != nil {
		if _, ok := err.(*DecodeError); !ok {
			t.Fatalf("error of type %T: %v", err, err)
		}
		return
	}
	if err := b.CheckInvariants(); err != nil {
		t.Fatalf("accepted an inconsistent book: %v", err)
	}
	if !bytes.Equal(Encode(b), data) {
		t.Fatal("accepted input does not re-encode to itself")
	}
}
