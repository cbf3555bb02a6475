package blockstore

import (
	"os"
	"path/filepath"
	"testing"
)

// kiloChain returns n blocks at heights 1..n, each taking exactly 1000
// bytes with its frame.
func kiloChain(t *testing.T, n int) []testBlock {
	t.Helper()
	blocks := makeChain(t, n, func(i int) int { return 992 })[1:]
	for _, b := range blocks {
		if len(b.raw) != 992 {
			t.Fatalf("block of %d bytes", len(b.raw))
		}
	}
	return blocks
}

func TestPrune(t *testing.T) {
	blocks := kiloChain(t, 60) // heights 1..60, 5 per file: files 0..11
	opts := Options{MaxFileSize: 5000, PruneTarget: 22_000}
	dir := t.TempDir()
	s := openStore(t, dir, opts)
	putAll(t, s, blocks)
	if st := s.Stats(); st.Files != 12 || st.Bytes != 60_000 {
		t.Fatalf("stats before prune: %+v", st)
	}
	// Files holding blocks above height 15 are kept: only files 0..2 go.
	res, err := s.Prune(15)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 3 || res.Files[0] != 0 || res.Files[2] != 2 || res.Blocks != 15 || res.Bytes != 15_000 ||
		res.MinHeight != 1 || res.MaxHeight != 15 {
		t.Fatalf("prune result %+v", res)
	}
	checkAbsent(t, s, blocks[:15])
	checkBlocks(t, s, blocks[15:])
	for n := uint32(0); n < 3; n++ {
		if _, err := os.Stat(filepath.Join(dir, dataFileName(n))); !os.IsNotExist(err) {
			t.Fatalf("%s still there: %v", dataFileName(n), err)
		}
	}
	if pe := s.PrunedEntries(); len(pe) != 15 || pe[0].Hash != blocks[0].hash || pe[14].Height != 15 {
		t.Fatalf("pruned entries: %d", len(pe))
	}
	// Keep at least 22,000 bytes: of 45,000, four more files go (25,000
	// left); a fifth would leave 20,000.
	res, err = s.Prune(1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 4 || res.Files[0] != 3 || res.MinHeight != 16 || res.MaxHeight != 35 {
		t.Fatalf("second prune %+v", res)
	}
	st := s.Stats()
	if st.Bytes != 25_000 || st.PrunedBelowHeight != 36 || st.PrunedBlocks != 35 || st.Blocks != 25 {
		t.Fatalf("stats after prune: %+v", st)
	}
	if res, err := s.Prune(1000); err != nil || len(res.Files) != 0 {
		t.Fatalf("nothing left to prune: %+v %v", res, err)
	}
	// Pruning survives a reopen, headers of pruned blocks included.
	s.Close()
	s = openStore(t, dir, opts)
	if !s.Recovery().Clean() {
		t.Fatalf("reopen: %+v", s.Recovery())
	}
	checkAbsent(t, s, blocks[:35])
	checkBlocks(t, s, blocks[35:])
	if st2 := s.Stats(); st2.Bytes != st.Bytes || st2.PrunedBelowHeight != 36 || len(s.PrunedEntries()) != 35 {
		t.Fatalf("stats after reopen: %+v", st2)
	}
	// A pruned block fetched again is stored again.
	putAll(t, s, blocks[3:4])
	checkBlocks(t, s, blocks[3:4])
	s.Close()
	s = openStore(t, dir, opts)
	checkBlocks(t, s, blocks[3:4])
	if len(s.PrunedEntries()) != 34 {
		t.Fatalf("%d pruned entries after re-storing one", len(s.PrunedEntries()))
	}
}

func TestPruneNeverTouchesCurrentFileOrKeepAll(t *testing.T) {
	chain := kiloChain(t, 9)
	s := openStore(t, t.TempDir(), Options{MaxFileSize: 100_000, PruneTarget: 1})
	putAll(t, s, chain)
	if res, err := s.Prune(1000); err != nil || len(res.Files) != 0 {
		t.Fatalf("pruned the only (current) file: %+v %v", res, err)
	}
	keep := openStore(t, t.TempDir(), Options{MaxFileSize: 2000})
	putAll(t, keep, chain)
	if res, err := keep.Prune(1000); err != nil || len(res.Files) != 0 {
		t.Fatalf("PruneTarget 0 pruned: %+v %v", res, err)
	}
	checkBlocks(t, keep, chain)
}

func TestInterruptedPruneFinishedAtOpen(t *testing.T) {
	chain := kiloChain(t, 30)
	opts := Options{MaxFileSize: 5000, PruneTarget: 10_000}
	dir := t.TempDir()
	s := openStore(t, dir, opts)
	putAll(t, s, chain)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	before := copyDir(t, dir)
	res, err := s.Prune(1000)
	if err != nil || len(res.Files) == 0 {
		t.Fatalf("prune: %+v %v", res, err)
	}
	s.Close()
	// A crash after the prune records were synced but before the files were
	// deleted leaves them on disk.
	for _, n := range res.Files {
		b, err := os.ReadFile(filepath.Join(before, dataFileName(n)))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dataFileName(n)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s = openStore(t, dir, opts)
	if got := s.Recovery().PrunedFilesRemoved; got != len(res.Files) {
		t.Fatalf("removed %d leftover files, want %d", got, len(res.Files))
	}
	for _, n := range res.Files {
		if _, err := os.Stat(filepath.Join(dir, dataFileName(n))); !os.IsNotExist(err) {
			t.Fatalf("%s left: %v", dataFileName(n), err)
		}
	}
	checkAbsent(t, s, chain[:res.Blocks])
	checkBlocks(t, s, chain[res.Blocks:])
}

func TestCompactionOnOpen(t *testing.T) {
	chain := kiloChain(t, 20)
	opts := Options{MaxFileSize: 5000, PruneTarget: 5000, compactMinDead: 3}
	dir := t.TempDir()
	s := openStore(t, dir, opts)
	putAll(t, s, chain)
	res, err := s.Prune(1000)
	if err != nil || res.Blocks < 5 {
		t.Fatalf("prune %+v %v", res, err)
	}
	putAll(t, s, chain[:5]) // stored again: their first records are dead
	s.Close()
	size := fileSize(t, dir, indexName)
	s = openStore(t, dir, opts)
	if !s.Recovery().Compacted || fileSize(t, dir, indexName) != size-5*(recordFrame+blockPayload) {
		t.Fatalf("compaction: %+v, index %d -> %d bytes", s.Recovery(), size, fileSize(t, dir, indexName))
	}
	checkBlocks(t, s, chain[:5])
	checkBlocks(t, s, chain[res.Blocks:])
	checkAbsent(t, s, chain[5:res.Blocks])
	s.Close()
	s = openStore(t, dir, opts)
	if r := s.Recovery(); !r.Clean() || r.Compacted {
		t.Fatalf("second open: %+v", r)
	}
	checkBlocks(t, s, chain[:5])
}
