package capture

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/actornode/actornode/actors"
)

// writeSession opens, fills and (unless keepOpen) closes one session.
func writeSession(t *testing.T, s *Store, peer actors.PeerID, start time.Time, payload int, keepOpen bool) *SessionWriter {
	t.Helper()
	w, err := s.Open(testIdentity(peer, start))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRecv(Record{Time: start, Command: "block", Payload: make([]byte, payload)}); err != nil {
		t.Fatal(err)
	}
	if !keepOpen {
		if err := w.Close(start.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func TestStoreTotalLimitRemovesOldestFirst(t *testing.T) {
	root := filepath.Join(t.TempDir(), "regtest", DirName)
	s, err := NewStore(root, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	base := time.Unix(1_700_000_000, 0)
	// Created out of start order: age comes from the index, not creation.
	writeSession(t, s, 3, base.Add(30*time.Second), 5000, false)
	writeSession(t, s, 1, base.Add(10*time.Second), 5000, false)
	oldestOpen := writeSession(t, s, 0, base, 5000, true)
	writeSession(t, s, 4, base.Add(40*time.Second), 5000, false)
	writeSession(t, s, 2, base.Add(20*time.Second), 5000, false)
	defer oldestOpen.Close(base)
	// A stray file and a foreign directory are ignored.
	_ = os.WriteFile(filepath.Join(root, "README"), []byte("x"), 0o644)
	_ = os.Mkdir(filepath.Join(root, "not-a-session"), 0o755)

	all, err := s.Sessions()
	if err != nil {
		t.Fatal(err)
	}
	var peers []actors.PeerID
	var sizes = map[actors.PeerID]uint64{}
	for _, si := range all {
		peers = append(peers, si.Name.Peer)
		sizes[si.Name.Peer] = si.DiskBytes
		if si.IndexErr != nil || si.Index.PeerID != si.Name.Peer || si.DiskBytes < 5000+HeaderSize {
			t.Fatalf("session %+v", si)
		}
		if si.Open != (si.Name.Peer == 0) {
			t.Fatalf("peer %d open=%v", si.Name.Peer, si.Open)
		}
	}
	if !slices.Equal(peers, []actors.PeerID{0, 1, 2, 3, 4}) {
		t.Fatalf("order %v", peers)
	}

	// Room for the open session and the two newest: 1 and 2 must go, 0
	// stays because it is open.
	limit := sizes[0] + sizes[3] + sizes[4] + 100
	limited, err := NewStore(root, StoreOptions{MaxTotalBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	limited.open = s.open // the same node's view of open sessions
	removed, err := limited.Enforce()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range removed {
		n, _ := ParseSessionName(filepath.Base(d))
		names = append(names, n.Peer.String())
	}
	if !slices.Equal(names, []string{"1", "2"}) {
		t.Fatalf("removed %v, want peers 1 and 2", names)
	}
	left, _ := s.Sessions()
	peers = peers[:0]
	for _, si := range left {
		peers = append(peers, si.Name.Peer)
	}
	if !slices.Equal(peers, []actors.PeerID{0, 3, 4}) {
		t.Fatalf("left %v", peers)
	}

	// Once 0 closes, opening a new session through the limited store
	// first makes room by removing the now-closed oldest session (3, 4 and
	// 5 then fit; the new session counts from the next Enforce on).
	limited.open = map[string]struct{}{}
	if err := oldestOpen.Close(base.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	writeSession(t, s, 5, base.Add(50*time.Second), 5000, false)
	w, err := limited.Open(testIdentity(6, base.Add(60*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(base)
	left, _ = s.Sessions()
	peers = peers[:0]
	for _, si := range left {
		peers = append(peers, si.Name.Peer)
	}
	if !slices.Equal(peers, []actors.PeerID{3, 4, 5, 6}) {
		t.Fatalf("after Open: %v", peers)
	}
}

func TestStorePerSessionLimit(t *testing.T) {
	s, err := NewStore(t.TempDir(), StoreOptions{MaxSessionBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1_700_000_000, 0)
	w, err := s.Open(testIdentity(1, start))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(start)
	if err := w.WriteRecv(Record{Time: start, Command: "block", Payload: make([]byte, 200)}); !errors.Is(err, ErrSessionLimit) {
		t.Fatalf("got %v", err)
	}
}

func TestWriteErrorStopsSessionAndIsIndexed(t *testing.T) {
	start := time.Unix(1_700_000_000, 0)
	w, err := OpenSession(t.TempDir(), testIdentity(1, start), SessionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Stand-in for a failing disk: the file descriptor is gone.
	_ = w.recv.Close()
	if err := w.WriteRecv(Record{Time: start, Command: "ping"}); err == nil || errors.Is(err, ErrSessionFailed) {
		t.Fatalf("first failing write: %v", err)
	}
	if w.Err() == nil {
		t.Fatal("Err() is nil after a write error")
	}
	if err := w.WriteSent(Record{Time: start, Command: "ping"}); !errors.Is(err, ErrSessionFailed) {
		t.Fatalf("later write: %v", err)
	}
	idx, err := ReadIndex(w.Dir())
	if err != nil || idx.Error == "" {
		t.Fatalf("index %+v, %v", idx, err)
	}
	_ = w.Close(start)
}
