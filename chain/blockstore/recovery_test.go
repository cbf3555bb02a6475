package blockstore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// flushedStore writes chain[:durable] durably and chain[durable:] without
// a Flush, and returns the store's directory while it is still open.
func flushedStore(t *testing.T, chain []testBlock, durable int, opts Options) (string, *Store) {
	t.Helper()
	dir := t.TempDir()
	s := openStore(t, dir, opts)
	putAll(t, s, chain[:durable])
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	putAll(t, s, chain[durable:])
	return dir, s
}

func TestCrashLosesOnlyPendingBlocks(t *testing.T) {
	chain := makeChain(t, 30, func(i int) int { return 500 + 40*i })
	dir, s := flushedStore(t, chain, 20, Options{MaxFileSize: 4000})
	crashed := copyDir(t, dir) // the disk as a kill -9 now would leave it
	var pendingBytes int64
	for _, b := range chain[20:] {
		pendingBytes += int64(8 + len(b.raw))
	}
	s.Close()
	r := openStore(t, crashed, Options{MaxFileSize: 4000})
	rec := r.Recovery()
	if rec.DataBytesDiscarded != pendingBytes || rec.IndexBytesDiscarded != 0 || rec.IndexCorrupt || rec.LostBlocks != 0 {
		t.Fatalf("recovery %+v, want %d data bytes cut", rec, pendingBytes)
	}
	checkBlocks(t, r, chain[:20])
	checkAbsent(t, r, chain[20:])
	// The writer resumes where the durable data ends.
	putAll(t, r, chain[20:])
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r = openStore(t, crashed, Options{MaxFileSize: 4000})
	if !r.Recovery().Clean() {
		t.Fatalf("second reopen: %+v", r.Recovery())
	}
	checkBlocks(t, r, chain)
}

// lastFile is the newest data file in dir.
func lastFile(t *testing.T, dir string) string {
	t.Helper()
	nums, _, err := listDataFiles(dir)
	if err != nil || len(nums) == 0 {
		t.Fatalf("no data files: %v", err)
	}
	return dataFileName(nums[len(nums)-1])
}

func TestTornDataTailAtEveryOffset(t *testing.T) {
	chain := makeChain(t, 6, func(i int) int { return 300 })
	// The last block is written but not durable; a crash can leave any
	// prefix of its frame.
	dir, s := flushedStore(t, chain, 6, Options{})
	image := copyDir(t, dir)
	s.Close()
	name := lastFile(t, image)
	full, err := os.ReadFile(filepath.Join(image, name))
	if err != nil {
		t.Fatal(err)
	}
	last := chain[6]
	start := len(full) - 8 - len(last.raw)
	for cut := start; cut <= len(full); cut++ {
		d := copyDir(t, image)
		if err := os.Truncate(filepath.Join(d, name), int64(cut)); err != nil {
			t.Fatal(err)
		}
		r, err := Open(d, Options{Net: testNet})
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		if got := r.Recovery().DataBytesDiscarded; got != int64(cut-start) {
			t.Fatalf("cut at %d: %d bytes discarded, want %d", cut, got, cut-start)
		}
		checkBlocks(t, r, chain[:6])
		checkAbsent(t, r, chain[6:])
		r.Close()
		os.RemoveAll(d)
	}
	// A durable block whose bytes vanish (a damaged disk, not a crash) is
	// dropped from the index, and the rest still opens.
	d := copyDir(t, image)
	sz := int64(len(full) - 8 - len(last.raw) - 100)
	if err := os.Truncate(filepath.Join(d, name), sz); err != nil {
		t.Fatal(err)
	}
	r := openStore(t, d, Options{})
	if rec := r.Recovery(); rec.LostBlocks != 1 || !rec.Compacted {
		t.Fatalf("recovery %+v, want 1 lost block and a compacted index", rec)
	}
	checkBlocks(t, r, chain[:5])
	checkAbsent(t, r, chain[5:])
}

func TestTornIndexTailAtEveryOffset(t *testing.T) {
	chain := makeChain(t, 6, func(i int) int { return 300 + i })
	dir := t.TempDir()
	s := openStore(t, dir, Options{})
	putAll(t, s, chain[:6])
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	before := s.Stats().IndexBytes
	putAll(t, s, chain[6:])
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	image := copyDir(t, dir)
	full := fileSize(t, image, indexName)
	if full-before != recordFrame+blockPayload {
		t.Fatalf("last record is %d bytes", full-before)
	}
	for cut := before; cut < full; cut++ {
		d := copyDir(t, image)
		if err := os.Truncate(filepath.Join(d, indexName), cut); err != nil {
			t.Fatal(err)
		}
		r, err := Open(d, Options{Net: testNet})
		if err != nil {
			t.Fatalf("index cut at %d: %v", cut, err)
		}
		rec := r.Recovery()
		if rec.IndexBytesDiscarded != cut-before || rec.IndexCorrupt || rec.DataBytesDiscarded != int64(8+len(chain[6].raw)) {
			t.Fatalf("index cut at %d: %+v", cut, rec)
		}
		checkBlocks(t, r, chain[:6])
		checkAbsent(t, r, chain[6:])
		r.Close()
		os.RemoveAll(d)
	}
}

// flipBit flips one bit of dir/name at off.
func flipBit(t *testing.T, dir, name string, off int64) {
	t.Helper()
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[off] ^= 0x10
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestIndexBitFlipRebuildsFromDataFiles(t *testing.T) {
	chain := makeChain(t, 40, func(i int) int { return 700 + 13*i })
	opts := Options{MaxFileSize: 8000}
	dir := t.TempDir()
	s := openStore(t, dir, opts)
	putAll(t, s, chain)
	want := s.Entries()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	hdr := int64(recordFrame + headerPayload)
	rec := int64(recordFrame + blockPayload)
	for _, c := range []struct {
		name string
		off  int64
	}{
		{"header record", 5},
		{"first block record", hdr + 20},
		{"middle block record", hdr + 17*rec + 60},
		{"length of a record", hdr + 25*rec + 1},
		{"last block record", hdr + 40*rec + rec - 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := copyDir(t, dir)
			flipBit(t, d, indexName, c.off)
			r := openStore(t, d, opts)
			got := r.Recovery()
			if !got.IndexCorrupt || got.Rebuilt == 0 || got.Unplaced != 0 || got.LostBlocks != 0 || !got.Compacted {
				t.Fatalf("recovery %+v", got)
			}
			es := r.Entries()
			if len(es) != len(want) {
				t.Fatalf("%d entries rebuilt, want %d", len(es), len(want))
			}
			for i := range es {
				if es[i] != want[i] {
					t.Fatalf("entry %d: %+v, want %+v", i, es[i].Loc, want[i].Loc)
				}
			}
			checkBlocks(t, r, chain)
			aside, _ := filepath.Glob(filepath.Join(d, indexName+".corrupt-*"))
			if len(aside) != 1 {
				t.Fatalf("damaged index kept aside: %v", aside)
			}
			r.Close()
			r = openStore(t, d, opts)
			if !r.Recovery().Clean() {
				t.Fatalf("reopen after rebuild: %+v", r.Recovery())
			}
			checkBlocks(t, r, chain)
		})
	}
}

func TestMissingIndexRebuildsAndUnplaced(t *testing.T) {
	chain := makeChain(t, 12, func(i int) int { return 600 })
	dir := t.TempDir()
	s := openStore(t, dir, Options{})
	// Height 1's block is missing: its descendants cannot be placed.
	putAll(t, s, chain[:1])
	putAll(t, s, chain[2:])
	s.Close()
	if err := os.Remove(filepath.Join(dir, indexName)); err != nil {
		t.Fatal(err)
	}
	r := openStore(t, dir, Options{})
	rec := r.Recovery()
	if !rec.IndexCorrupt || rec.Rebuilt != 1 || rec.Unplaced != 11 || !strings.Contains(rec.IndexCorruptDetail, "no index") {
		t.Fatalf("recovery %+v, want genesis rebuilt and 11 unplaced", rec)
	}
	checkBlocks(t, r, chain[:1])
	checkAbsent(t, r, chain[1:])
}

func TestDataCorruptionDetectedOnGet(t *testing.T) {
	chain := makeChain(t, 5, func(i int) int { return 400 })
	dir := t.TempDir()
	s := openStore(t, dir, Options{})
	putAll(t, s, chain)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	e2, _ := s.Lookup(chain[2].hash)
	e3, _ := s.Lookup(chain[3].hash)
	e4, _ := s.Lookup(chain[4].hash)
	name := dataFileName(0)
	flipBit(t, dir, name, e2.Loc.Offset-8) // magic
	flipBit(t, dir, name, e3.Loc.Offset-2) // size
	flipBit(t, dir, name, e4.Loc.Offset+4) // header
	for _, b := range chain[2:5] {
		if _, err := s.Get(b.hash); !isCorrupt(err) {
			t.Fatalf("Get height %d: %v, want *CorruptError", b.height, err)
		}
	}
	checkBlocks(t, s, chain[:2])
	checkBlocks(t, s, chain[5:])
}
