package capture

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestBufferedSessionWritesOnFlushByteExact(t *testing.T) {
	start := time.Unix(1_700_000_000, 0)
	w, err := OpenSession(t.TempDir(), testIdentity(4, start), SessionOptions{Buffered: true, BufferBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	recs := []Record{
		{Time: start.Add(time.Millisecond), Command: "ping", Payload: []byte{1, 2, 3, 4, 5, 6, 7, 8}},
		{Time: start.Add(2 * time.Millisecond), Command: "verack"},
	}
	var want []byte
	for _, r := range recs {
		if err := w.WriteRecv(r); err != nil {
			t.Fatal(err)
		}
		want = append(want, handRecord(uint64(r.Time.UnixMicro()), r.Command, r.Payload)...)
	}
	path := filepath.Join(w.Dir(), RecvFile)
	if got, _ := os.ReadFile(path); len(got) != 0 || !w.Pending() || w.Index().RecvRecords != 0 {
		t.Fatalf("before Flush: %d bytes on disk, pending %v, index counts %d", len(got), w.Pending(), w.Index().RecvRecords)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, want) || w.Pending() || w.Index().RecvRecords != 2 || w.Index().Bytes != uint64(len(want)) {
		t.Fatalf("after Flush: %x want %x; index %+v", got, want, w.Index())
	}
	if err := w.Close(start.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
}

func TestBufferedSessionWritesWhenTheBufferFills(t *testing.T) {
	start := time.Unix(1_700_000_000, 0)
	w, err := OpenSession(t.TempDir(), testIdentity(5, start), SessionOptions{Buffered: true, BufferBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	rec := Record{Time: start, Command: "tx", Payload: make([]byte, 40)} // 64 bytes encoded
	for i := 0; i < 2; i++ {
		if err := w.WriteSent(rec); err != nil {
			t.Fatal(err)
		}
	}
	// The second record took the buffer past 100 bytes: both were written.
	if got, _ := os.ReadFile(filepath.Join(w.Dir(), SentFile)); len(got) != 128 || w.Index().SentRecords != 2 {
		t.Fatalf("%d bytes on disk, %d records counted", len(got), w.Index().SentRecords)
	}
}

func TestBufferedSessionLimitCountsPendingBytes(t *testing.T) {
	start := time.Unix(1_700_000_000, 0)
	w, err := OpenSession(t.TempDir(), testIdentity(6, start), SessionOptions{Buffered: true, MaxBytes: 150})
	if err != nil {
		t.Fatal(err)
	}
	rec := Record{Time: start, Command: "tx", Payload: make([]byte, 40)} // 64 bytes encoded
	for i := 0; i < 2; i++ {
		if err := w.WriteRecv(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.WriteRecv(rec); !errors.Is(err, ErrSessionLimit) {
		t.Fatalf("third record: %v, want the session limit", err)
	}
	idx, err := ReadIndex(w.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(w.Dir(), RecvFile)); len(got) != 128 || !idx.TruncatedByLimit || idx.RecvRecords != 2 {
		t.Fatalf("%d bytes on disk, index %+v", len(got), idx)
	}
}

func TestWholeRecordsStopsAtAPartialRecord(t *testing.T) {
	a, _ := EncodeRecord(Record{Time: time.Unix(1, 0), Command: "ping", Payload: make([]byte, 8)})
	b, _ := EncodeRecord(Record{Time: time.Unix(2, 0), Command: "tx", Payload: make([]byte, 30)})
	buf := append(append([]byte{}, a...), b...)
	for n, want := range map[int]uint64{0: 0, len(a) - 1: 0, len(a): 1, len(a) + HeaderSize: 1, len(buf) - 1: 1, len(buf): 2} {
		if got := wholeRecords(buf[:n]); got != want {
			t.Errorf("wholeRecords of %d bytes = %d, want %d", n, got, want)
		}
	}
}
