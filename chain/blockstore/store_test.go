package blockstore

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

func TestRoundTrip(t *testing.T) {
	chain := makeChain(t, 20, func(i int) int { return 250 + 97*i })
	s := openStore(t, t.TempDir(), Options{})
	if !s.Recovery().Clean() {
		t.Fatalf("fresh store repaired something: %+v", s.Recovery())
	}
	putAll(t, s, chain)
	checkBlocks(t, s, chain) // readable before Flush
	if st := s.Stats(); st.Blocks != len(chain) || st.Pending != len(chain) {
		t.Fatalf("stats before flush: %+v", st)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, s, chain)
	st := s.Stats()
	var want int64
	for _, b := range chain {
		want += int64(8 + len(b.raw))
	}
	if st.Blocks != len(chain) || st.Pending != 0 || st.Bytes != want || st.Files != 1 {
		t.Fatalf("stats: %+v, want %d blocks, %d bytes in 1 file", st, len(chain), want)
	}

	// Duplicates are no-ops returning the first location.
	e, _ := s.Lookup(chain[5].hash)
	loc, err := s.Put(chain[5].hash, 5, chain[5].raw)
	if err != nil || loc != e.Loc {
		t.Fatalf("duplicate Put: %v %v, want %v", loc, err, e.Loc)
	}
	if s.Stats().Bytes != want {
		t.Fatal("duplicate Put wrote bytes")
	}
	// GetAt reads by location, with the frame checked.
	raw, err := s.GetAt(e.Loc)
	if err != nil || !bytes.Equal(raw, chain[5].raw) {
		t.Fatalf("GetAt: %v", err)
	}
	if _, err := s.GetAt(Location{File: e.Loc.File, Offset: e.Loc.Offset + 1, Size: e.Loc.Size}); !isCorrupt(err) {
		t.Fatalf("GetAt off by one: %v, want *CorruptError", err)
	}
	// Entries: every block, parents first.
	es := s.Entries()
	if len(es) != len(chain) {
		t.Fatalf("%d entries", len(es))
	}
	for i, e := range es {
		if e.Hash != chain[i].hash || e.Height != int32(i) {
			t.Fatalf("entry %d: height %d", i, e.Height)
		}
	}
	// Refusals.
	bad := append([]byte(nil), chain[3].raw...)
	bad[0] ^= 1
	if _, err := s.Put(chain[3].hash, 3, bad); !errors.Is(err, ErrHashMismatch) {
		t.Fatalf("Put with a header of another hash: %v", err)
	}
	if _, err := s.Put(chainhash.Hash{}, 1, make([]byte, 79)); !errors.Is(err, ErrBadSize) {
		t.Fatalf("Put of 79 bytes: %v", err)
	}
	if _, err := s.Put(chainhash.Hash{}, 1, make([]byte, wire.MaxBlockPayload+1)); !errors.Is(err, ErrBadSize) {
		t.Fatalf("Put of an oversized block: %v", err)
	}
	if _, err := s.Get(chainhash.Hash{1}); err != ErrNotFound {
		t.Fatalf("Get unknown: %v", err)
	}
	if s.Has(chainhash.Hash{1}) {
		t.Fatal("Has unknown")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(chain[1].hash); err != ErrClosed {
		t.Fatalf("Get after Close: %v", err)
	}
	if _, err := s.Put(chain[1].hash, 1, chain[1].raw); err != ErrClosed {
		t.Fatalf("Put after Close: %v", err)
	}
	if err := s.Flush(); err != ErrClosed {
		t.Fatalf("Flush after Close: %v", err)
	}
}

func isCorrupt(err error) bool {
	var ce *CorruptError
	return errors.As(err, &ce)
}

func TestFileRollover(t *testing.T) {
	const max = 10_000
	sizes := map[int]int{7: 25_000} // larger than a file: gets one of its own
	chain := makeChain(t, 30, func(i int) int {
		if n, ok := sizes[i]; ok {
			return n
		}
		return 1500 + 300*(i%5)
	})
	dir := t.TempDir()
	s := openStore(t, dir, Options{MaxFileSize: max})
	putAll(t, s, chain)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, s, chain)
	st := s.Stats()
	if st.Files < 5 || st.CurrentFile != uint32(st.Files-1) {
		t.Fatalf("stats: %+v, want several files", st)
	}
	// Core's framing, read independently; no block spans files; files stay
	// within the limit unless they hold a single larger block.
	blocks := 0
	for n := uint32(0); n < uint32(st.Files); n++ {
		path := filepath.Join(dir, fmt.Sprintf("blk%05d.dat", n))
		frames := readFrames(t, path)
		if len(frames) == 0 {
			t.Fatalf("%s empty", path)
		}
		for _, f := range frames {
			if f.magic != uint32(testNet) {
				t.Fatalf("%s: magic %08x", path, f.magic)
			}
		}
		if size := fileSize(t, dir, filepath.Base(path)); size > max && len(frames) != 1 {
			t.Fatalf("%s: %d bytes in %d blocks, limit %d", path, size, len(frames), max)
		}
		blocks += len(frames)
	}
	if blocks != len(chain) {
		t.Fatalf("%d frames on disk, want %d", blocks, len(chain))
	}
	e, _ := s.Lookup(chain[7].hash)
	if e.Loc.Offset != 8 || fileSize(t, dir, dataFileName(e.Loc.File)) != int64(8+len(chain[7].raw)) {
		t.Fatalf("oversized block at %v, want alone in its file", e.Loc)
	}
}

func TestReopen(t *testing.T) {
	chain := makeChain(t, 40, func(i int) int { return 400 + 50*i })
	dir := t.TempDir()
	opts := Options{MaxFileSize: 6000}
	s := openStore(t, dir, opts)
	putAll(t, s, chain[:25])
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	putAll(t, s, chain[25:30])
	if err := s.Close(); err != nil { // Close flushes
		t.Fatal(err)
	}
	s = openStore(t, dir, opts)
	if r := s.Recovery(); !r.Clean() || r.Compacted {
		t.Fatalf("clean reopen repaired: %+v", r)
	}
	checkBlocks(t, s, chain[:30])
	es := s.Entries()
	if len(es) != 30 {
		t.Fatalf("%d entries after reopen", len(es))
	}
	for i, e := range es {
		if e.Hash != chain[i].hash || e.Height != chain[i].height {
			t.Fatalf("entry %d differs after reopen", i)
		}
	}
	before := s.Stats()
	// A resumed writer continues in the current file.
	putAll(t, s, chain[30:])
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, dir, opts)
	checkBlocks(t, s, chain)
	if st := s.Stats(); st.Blocks != len(chain) || st.CurrentFile < before.CurrentFile {
		t.Fatalf("stats %+v after %+v", st, before)
	}
}

func TestLockAndNetwork(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir, Options{})
	if _, err := Open(dir, Options{Net: testNet}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	s.Close()
	if _, err := Open(dir, Options{Net: wire.MainNet}); !errors.Is(err, ErrWrongNetwork) {
		t.Fatalf("Open for mainnet: %v, want ErrWrongNetwork", err)
	}
	if _, err := Open(dir, Options{}); err == nil {
		t.Fatal("Open without a network")
	}
	s2 := openStore(t, dir, Options{}) // the failed opens released the lock
	s2.Close()
	sub := filepath.Join(t.TempDir(), "a", "b")
	openStore(t, sub, Options{})
	if info, err := os.Stat(sub); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("created dir: %v %v", info.Mode(), err)
	}
}

func TestConcurrentReadersAndWriter(t *testing.T) {
	chain := makeChain(t, 300, func(i int) int { return 300 + (i*37)%2000 })
	s := openStore(t, t.TempDir(), Options{MaxFileSize: 50_000, PruneTarget: 1})
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		visible  []testBlock
		readErrs = make(chan error, 8)
	)
	done := make(chan struct{})
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				mu.Lock()
				n := len(visible)
				var b testBlock
				if n > 0 {
					b = visible[(i*7+r)%n]
				}
				mu.Unlock()
				if n == 0 {
					continue
				}
				raw, err := s.Get(b.hash)
				if err == ErrNotFound && !s.Has(b.hash) {
					continue // pruned meanwhile
				}
				if err != nil || !bytes.Equal(raw, b.raw) {
					readErrs <- fmt.Errorf("reader %d height %d: %v", r, b.height, err)
					return
				}
				_ = s.Entries()
				_ = s.Stats()
			}
		}(r)
	}
	for i, b := range chain {
		if _, err := s.Put(b.hash, b.height, b.raw); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		visible = append(visible, b)
		mu.Unlock()
		if i%10 == 0 {
			if err := s.Flush(); err != nil {
				t.Fatal(err)
			}
		}
		if i%50 == 49 {
			if _, err := s.Prune(b.height - 100); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(done)
	wg.Wait()
	select {
	case err := <-readErrs:
		t.Fatal(err)
	default:
	}
}
