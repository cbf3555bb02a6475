package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// handRecord assembles one record from the format description alone:
// u64 LE microseconds, 12-byte NUL-padded type, u32 LE length, payload.
func handRecord(us uint64, cmd string, payload []byte) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.LittleEndian, us)
	var c [12]byte
	copy(c[:], cmd)
	b.Write(c[:])
	_ = binary.Write(&b, binary.LittleEndian, uint32(len(payload)))
	b.Write(payload)
	return b.Bytes()
}

// handFixture is a three-record file built by hand.
func handFixture() ([]byte, []Record) {
	recs := []Record{
		{Time: time.UnixMicro(1_700_000_000_123_456).UTC(), Command: "version", Payload: []byte{0x7f, 0x11, 0x01, 0x00}},
		{Time: time.UnixMicro(1_700_000_000_200_000).UTC(), Command: "verack", Payload: []byte{}},
		{Time: time.UnixMicro(1_700_000_001_000_001).UTC(), Command: "sendaddrv2xy", Payload: bytes.Repeat([]byte{0xab}, 70_000)},
	}
	var file []byte
	for _, r := range recs {
		file = append(file, handRecord(uint64(r.Time.UnixMicro()), r.Command, r.Payload)...)
	}
	return file, recs
}

func readAll(t *testing.T, rd *Reader) ([]Record, error) {
	t.Helper()
	var out []Record
	for {
		r, err := rd.Next()
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
}

func sameRecords(t *testing.T, got, want []Record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if !g.Time.Equal(w.Time) || g.Command != w.Command || !bytes.Equal(g.Payload, w.Payload) {
			t.Fatalf("record %d: got {%v %q %d bytes}, want {%v %q %d bytes}", i, g.Time, g.Command, len(g.Payload), w.Time, w.Command, len(w.Payload))
		}
	}
}

func TestHandBuiltFixtureReads(t *testing.T) {
	file, want := handFixture()
	path := filepath.Join(t.TempDir(), RecvFile)
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	rd, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	got, err := readAll(t, rd)
	if err != io.EOF {
		t.Fatalf("end: got %v, want io.EOF", err)
	}
	sameRecords(t, got, want)
	if rd.Offset() != int64(len(file)) {
		t.Fatalf("offset %d, want %d", rd.Offset(), len(file))
	}
}

func TestEncodeMatchesHandBuiltBytes(t *testing.T) {
	file, recs := handFixture()
	var enc []byte
	for _, r := range recs {
		var err error
		if enc, err = AppendRecord(enc, r); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(enc, file) {
		t.Fatal("encoded bytes differ from the hand-built fixture")
	}
	one, err := EncodeRecord(recs[0])
	if err != nil || !bytes.Equal(one, file[:recs[0].EncodedLen()]) {
		t.Fatalf("EncodeRecord: %v", err)
	}
}

func TestEncodeTruncatesToMicroseconds(t *testing.T) {
	r := Record{Time: time.Unix(1_700_000_000, 123_456_789), Command: "ping", Payload: make([]byte, 8)}
	b, err := EncodeRecord(r)
	if err != nil {
		t.Fatal(err)
	}
	if got := binary.LittleEndian.Uint64(b); got != 1_700_000_000_123_456 {
		t.Fatalf("time field %d", got)
	}
}

func TestEncodeRejectsInvalidRecords(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	cases := map[string]struct {
		rec  Record
		want error
	}{
		"empty command":     {Record{Time: now}, ErrInvalidCommand},
		"13-byte command":   {Record{Time: now, Command: "abcdefghijklm"}, ErrInvalidCommand},
		"NUL in command":    {Record{Time: now, Command: "ab\x00c"}, ErrInvalidCommand},
		"non-ASCII command": {Record{Time: now, Command: "pïng"}, ErrInvalidCommand},
		"oversize payload":  {Record{Time: now, Command: "block", Payload: make([]byte, MaxPayloadLen+1)}, ErrPayloadTooLarge},
		"before epoch":      {Record{Time: time.Unix(-1, 0), Command: "ping"}, ErrTimeBeforeEpoch},
	}
	for name, c := range cases {
		dst := []byte{1, 2}
		out, err := AppendRecord(dst, c.rec)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
		if len(out) != 2 {
			t.Errorf("%s: dst changed on error", name)
		}
	}
	if _, err := EncodeRecord(Record{Time: now, Command: "abcdefghijkl"}); err != nil {
		t.Errorf("12-byte command refused: %v", err)
	}
}

func TestTruncatedFileReportsPartialRecord(t *testing.T) {
	file, recs := handFixture()
	ends := []int{0}
	for _, r := range recs {
		ends = append(ends, ends[len(ends)-1]+r.EncodedLen())
	}
	// Cut the file at every length that is not a record boundary of the
	// first two records, and a few inside the big third one.
	cuts := []int{}
	for n := 1; n < ends[2]; n++ {
		cuts = append(cuts, n)
	}
	cuts = append(cuts, ends[2]+5, ends[2]+HeaderSize, ends[2]+HeaderSize+65_536, ends[3]-1)
	for _, n := range cuts {
		complete := 0
		for complete < len(recs) && ends[complete+1] <= n {
			complete++
		}
		if ends[complete] == n {
			continue
		}
		rd := NewReader(bytes.NewReader(file[:n]), "cut")
		got, err := readAll(t, rd)
		sameRecords(t, got, recs[:complete])
		var pe *PartialError
		if !errors.As(err, &pe) {
			t.Fatalf("cut %d: got %v, want *PartialError", n, err)
		}
		off := int64(ends[complete])
		need := int64(HeaderSize)
		if n-ends[complete] >= HeaderSize {
			need = int64(recs[complete].EncodedLen())
		}
		if pe.Path != "cut" || pe.Offset != off || pe.Have != int64(n)-off || pe.Need != need {
			t.Fatalf("cut %d: got %+v, want offset %d have %d need %d", n, *pe, off, int64(n)-off, need)
		}
		if _, again := rd.Next(); again != err {
			t.Fatalf("cut %d: error not sticky", n)
		}
	}
}

func TestHostileLengthIsNotAllocated(t *testing.T) {
	// A header claiming the largest allowed payload followed by 10 bytes.
	file := append(handRecord(1, "block", nil)[:20], 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(file[20:], MaxPayloadLen)
	file = append(file, make([]byte, 10)...)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const runs = 20
	for i := 0; i < runs; i++ {
		_, err := NewReader(bytes.NewReader(file), "hostile").Next()
		var pe *PartialError
		if !errors.As(err, &pe) || pe.Need != HeaderSize+MaxPayloadLen || pe.Have != HeaderSize+10 {
			t.Fatalf("got %v, want a partial record needing %d bytes", err, HeaderSize+MaxPayloadLen)
		}
	}
	runtime.ReadMemStats(&after)
	perRun := (after.TotalAlloc - before.TotalAlloc) / runs
	if perRun > 512*1024 {
		t.Fatalf("reading a hostile header allocated %d bytes per run", perRun)
	}

	// A length above the maximum is corruption, reported with its offset.
	good := handRecord(5, "ping", make([]byte, 8))
	bad := handRecord(6, "block", nil)
	binary.LittleEndian.PutUint32(bad[20:], 0xffffffff)
	rd := NewReader(bytes.NewReader(append(good, bad...)), "hostile")
	got, err := readAll(t, rd)
	var ce *CorruptError
	if len(got) != 1 || !errors.As(err, &ce) || ce.Offset != int64(len(good)) || ce.Length != 0xffffffff {
		t.Fatalf("got %d records and %v", len(got), err)
	}
}

func TestReaderCommandStopsAtFirstNUL(t *testing.T) {
	raw := handRecord(9, "tx", []byte{1})
	raw[8+5] = 'Z' // garbage after the first NUL, as Core's parser ignores
	r, err := NewReader(bytes.NewReader(raw), "x").Next()
	if err != nil || r.Command != "tx" {
		t.Fatalf("got %q, %v", r.Command, err)
	}
}
