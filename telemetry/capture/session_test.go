package capture

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/actornode/actornode/actors"
)

func testIdentity(peer actors.PeerID, start time.Time) Identity {
	return Identity{Peer: peer, Addr: "127.0.0.1:18444", Direction: ConnOutbound, ConnectionType: "outbound-full-relay", Start: start}
}

func TestSessionWriteReadRoundTripByteExact(t *testing.T) {
	root := t.TempDir()
	start := time.Unix(1_700_000_000, 0)
	w, err := OpenSession(root, testIdentity(3, start), SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	recv := []Record{
		{Time: start.Add(1 * time.Millisecond), Command: "version", Payload: []byte("v-payload")},
		{Time: start.Add(3 * time.Millisecond), Command: "verack"},
	}
	sent := []Record{
		{Time: start.Add(2 * time.Millisecond), Command: "version", Payload: []byte("mine")},
		{Time: start.Add(3 * time.Millisecond), Command: "verack"},
		{Time: start.Add(4 * time.Millisecond), Command: "ping", Payload: []byte{1, 2, 3, 4, 5, 6, 7, 8}},
	}
	for _, r := range recv {
		if err := w.WriteRecv(r); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range sent {
		if err := w.WriteSent(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(start.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	for name, recs := range map[string][]Record{RecvFile: recv, SentFile: sent} {
		var want []byte
		for _, r := range recs {
			want = append(want, handRecord(uint64(r.Time.UnixMicro()), r.Command, r.Payload)...)
		}
		got, err := os.ReadFile(filepath.Join(w.Dir(), name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: bytes differ from the format", name)
		}
		rd, err := OpenReader(filepath.Join(w.Dir(), name))
		if err != nil {
			t.Fatal(err)
		}
		back, err := readAll(t, rd)
		rd.Close()
		if err != io.EOF {
			t.Fatal(err)
		}
		sameRecords(t, back, recs)
	}

	// The merged view: by time, recv before sent on equal times.
	m, err := OpenMerged(w.Dir())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	wantOrder := []struct {
		d   Direction
		cmd string
		off int64
	}{{Recv, "version", 0}, {Sent, "version", 0}, {Recv, "verack", HeaderSize + 9}, {Sent, "verack", HeaderSize + 4}, {Sent, "ping", 2*HeaderSize + 4}}
	for i, want := range wantOrder {
		r, err := m.Next()
		if err != nil || r.Direction != want.d || r.Command != want.cmd || r.Offset != want.off {
			t.Fatalf("merged %d: got %s %s @%d (%v), want %s %s @%d", i, r.Direction, r.Command, r.Offset, err, want.d, want.cmd, want.off)
		}
	}
	if _, err := m.Next(); err != io.EOF {
		t.Fatalf("merged end: %v", err)
	}
}

func TestIndexWrittenAndUpdated(t *testing.T) {
	root := t.TempDir()
	start := time.Unix(1_700_000_000, 0).UTC()
	id := testIdentity(4, start)
	w, err := OpenSession(root, id, SessionOptions{MaxBytes: 2*HeaderSize + 10})
	if err != nil {
		t.Fatal(err)
	}
	idx, err := ReadIndex(w.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if idx.End != nil || idx.PeerID != 4 || idx.Addr != id.Addr || idx.Direction != ConnOutbound ||
		idx.ConnectionType != "outbound-full-relay" || !idx.Start.Equal(start) {
		t.Fatalf("initial index %+v", idx)
	}
	raw, _ := os.ReadFile(filepath.Join(w.Dir(), IndexFile))
	if !bytes.Contains(raw, []byte(`"end": null`)) {
		t.Fatalf("open index lacks a null end:\n%s", raw)
	}

	if err := w.SetUserAgent("/Satoshi:27.0.0/"); err != nil {
		t.Fatal(err)
	}
	if idx, _ = ReadIndex(w.Dir()); idx.UserAgent != "/Satoshi:27.0.0/" {
		t.Fatalf("user agent not in index: %+v", idx)
	}

	if err := w.WriteRecv(Record{Time: start, Command: "ping", Payload: make([]byte, 8)}); err != nil {
		t.Fatal(err)
	}
	// 32 + 24 bytes would cross the 58-byte limit.
	if err := w.WriteSent(Record{Time: start, Command: "pong", Payload: make([]byte, 8)}); !errors.Is(err, ErrSessionLimit) {
		t.Fatalf("got %v, want ErrSessionLimit", err)
	}
	if idx, _ = ReadIndex(w.Dir()); !idx.TruncatedByLimit || idx.End != nil {
		t.Fatalf("limit not marked at once: %+v", idx)
	}
	// Once truncated, even a record that would fit is refused.
	if err := w.WriteSent(Record{Time: start, Command: "verack"}); !errors.Is(err, ErrSessionLimit) {
		t.Fatalf("after limit: got %v", err)
	}
	w.AddDropped(3)
	end := start.Add(time.Hour)
	if err := w.Close(end); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRecv(Record{Time: start, Command: "ping"}); !errors.Is(err, ErrSessionClosed) {
		t.Fatalf("after close: %v", err)
	}
	idx, err = ReadIndex(w.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if idx.End == nil || !idx.End.Equal(end) || idx.RecvRecords != 1 || idx.SentRecords != 0 ||
		idx.Bytes != HeaderSize+8 || idx.DroppedRecords != 3 || !idx.TruncatedByLimit || idx.Error != "" {
		t.Fatalf("final index %+v", idx)
	}
	fi, err := os.Stat(filepath.Join(w.Dir(), SentFile))
	if err != nil || fi.Size() != 0 {
		t.Fatalf("sent file: %v, %v", fi, err)
	}
	// No temporary index files are left behind.
	entries, _ := os.ReadDir(w.Dir())
	if len(entries) != 3 {
		t.Fatalf("session dir holds %d entries", len(entries))
	}
}

func TestInvalidRecordDoesNotStopSession(t *testing.T) {
	start := time.Unix(1_700_000_000, 0)
	w, err := OpenSession(t.TempDir(), testIdentity(5, start), SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(start)
	if err := w.WriteRecv(Record{Time: start, Command: "toolongcommand"}); !errors.Is(err, ErrInvalidCommand) {
		t.Fatal(err)
	}
	if err := w.WriteRecv(Record{Time: start, Command: "ping"}); err != nil {
		t.Fatal(err)
	}
	if w.Index().RecvRecords != 1 || w.Err() != nil {
		t.Fatalf("index %+v err %v", w.Index(), w.Err())
	}
}

func TestMergedReportsPartialRecordsAfterRecords(t *testing.T) {
	start := time.Unix(1_700_000_000, 0)
	w, err := OpenSession(t.TempDir(), testIdentity(6, start), SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_ = w.WriteRecv(Record{Time: start, Command: "ping", Payload: make([]byte, 8)})
	_ = w.WriteSent(Record{Time: start.Add(time.Second), Command: "pong", Payload: make([]byte, 8)})
	_ = w.Close(start)
	// A crash mid-write: half a header at the end of the recv file.
	f, err := os.OpenFile(filepath.Join(w.Dir(), RecvFile), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write(make([]byte, 10))
	f.Close()

	m, err := OpenMerged(w.Dir())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, want := range []string{"ping", "pong"} {
		r, err := m.Next()
		if err != nil || r.Command != want {
			t.Fatalf("got %q %v, want %s", r.Command, err, want)
		}
	}
	_, err = m.Next()
	var pe *PartialError
	if !errors.As(err, &pe) || pe.Offset != HeaderSize+8 || pe.Have != 10 || filepath.Base(pe.Path) != RecvFile {
		t.Fatalf("got %v", err)
	}
	if _, err := m.Next(); err != io.EOF {
		t.Fatalf("after partial: %v", err)
	}
}
