package blockstore

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// Open opens the store in dir, creating dir (0700) and an empty store if
// needed, and recovers from whatever a crash left behind (see the package
// documentation; Recovery reports what was done). It fails with ErrLocked
// when the store is open elsewhere and ErrWrongNetwork when it belongs to
// another network.
func Open(dir string, opts Options) (*Store, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("blockstore: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	s := &Store{
		dir:         dir,
		opts:        opts,
		lock:        lock,
		dirty:       make(map[uint32]*os.File),
		entries:     make(map[chainhash.Hash]Entry),
		pruned:      make(map[chainhash.Hash]Entry),
		prunedFiles: make(map[uint32]bool),
		files:       make(map[uint32]*fileInfo),
	}
	if err := s.recover(); err != nil {
		if s.index != nil {
			s.index.Close()
		}
		unlockDir(lock)
		return nil, err
	}
	return s, nil
}

// recover loads the index and repairs the files (Open only, no other
// goroutine sees the store yet).
func (s *Store) recover() error {
	if err := os.Remove(filepath.Join(s.dir, indexTmpName)); err != nil && !os.IsNotExist(err) {
		return err
	}
	nums, sizes, err := listDataFiles(s.dir)
	if err != nil {
		return fmt.Errorf("blockstore: %w", err)
	}
	for _, n := range nums {
		s.files[n] = &fileInfo{size: sizes[n]}
	}
	idxPath := filepath.Join(s.dir, indexName)
	var scan logScan
	idxExists := false
	if _, err := os.Stat(idxPath); err == nil {
		idxExists = true
		scan, err = readIndexLog(idxPath, s.replay)
		if err != nil {
			return fmt.Errorf("blockstore: reading %s: %w", idxPath, err)
		}
	} else if !os.IsNotExist(err) {
		return fmt.Errorf("blockstore: %w", err)
	}
	var dataBytes int64
	for _, n := range nums {
		dataBytes += sizes[n]
	}
	rec := &s.recovery
	rebuild := scan.damage != "" || (scan.records == 0 && dataBytes > 0)
	compact := false
	if err := s.removePrunedFiles(); err != nil {
		return err
	}
	if rebuild {
		rec.IndexCorrupt = true
		rec.IndexCorruptDetail = scan.damage
		if scan.damage == "" {
			rec.IndexCorruptDetail = "no index next to data files"
		}
		rec.IndexBytesDiscarded = scan.size - scan.validEnd
		if err := s.rebuild(); err != nil {
			return err
		}
		compact = true
	} else {
		if scan.torn {
			rec.IndexBytesDiscarded = scan.size - scan.validEnd
			if err := truncateSync(idxPath, scan.validEnd); err != nil {
				return err
			}
		}
		lost, err := s.cutDataTails()
		if err != nil {
			return err
		}
		compact = lost > 0
	}
	s.dead = scan.records - 1 - len(s.entries) - len(s.pruned) - len(s.prunedFiles)
	if s.dead < 0 {
		s.dead = 0
	}
	if compact || s.dead >= s.opts.compactMinDead {
		if err := s.compact(rebuild && idxExists); err != nil {
			return err
		}
		rec.Compacted = true
	} else if scan.records == 0 {
		if err := writeIndexFile(s.dir, appendHeaderRecord(nil, s.opts.Net), false); err != nil {
			return fmt.Errorf("blockstore: creating index: %w", err)
		}
	}
	s.index, err = os.OpenFile(idxPath, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("blockstore: %w", err)
	}
	info, err := s.index.Stat()
	if err != nil {
		return fmt.Errorf("blockstore: %w", err)
	}
	s.indexSize = info.Size()
	for n := range s.files {
		s.cur = max(s.cur, n)
	}
	for n := range s.prunedFiles {
		s.cur = max(s.cur, n+1)
	}
	for _, e := range s.pruned {
		s.prunedBelow = max(s.prunedBelow, e.Height+1)
	}
	return nil
}

// replay applies one index record read at Open.
func (s *Store) replay(r record) error {
	switch r.kind {
	case recHeader:
		if r.version != indexVersion {
			return fmt.Errorf("blockstore: index format version %d, this build reads %d", r.version, indexVersion)
		}
		if r.net != s.opts.Net {
			return fmt.Errorf("%w: index written for network %08x, opened for %08x", ErrWrongNetwork, uint32(r.net), uint32(s.opts.Net))
		}
	case recBlock:
		e := r.entry
		if _, ok := s.entries[e.Hash]; ok {
			return nil // a duplicate record: dead, counted by recover
		}
		delete(s.pruned, e.Hash)
		s.entries[e.Hash] = e
		fi := s.files[e.Loc.File]
		if fi == nil {
			fi = &fileInfo{size: -1}
			s.files[e.Loc.File] = fi
		}
		fi.hashes = append(fi.hashes, e.Hash)
	case recPrune:
		s.prunedFiles[r.file] = true
		if fi := s.files[r.file]; fi != nil {
			for _, h := range fi.hashes {
				if e, ok := s.entries[h]; ok && e.Loc.File == r.file {
					delete(s.entries, h)
					s.pruned[h] = e
				}
			}
			fi.hashes = nil
		}
	}
	return nil
}

// removePrunedFiles deletes data files a crashed Prune left behind.
func (s *Store) removePrunedFiles() error {
	removed := false
	for n := range s.prunedFiles {
		fi := s.files[n]
		if fi == nil {
			continue
		}
		if fi.size >= 0 {
			if err := os.Remove(s.dataPath(n)); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("blockstore: finishing prune: %w", err)
			}
			s.recovery.PrunedFilesRemoved++
			removed = true
		}
		delete(s.files, n)
	}
	if removed {
		return syncDir(s.dir)
	}
	return nil
}

// dropLost forgets the blocks of file n whose bytes lie past size and
// returns the end of the last block kept.
func (s *Store) dropLost(n uint32, fi *fileInfo) int64 {
	var end int64
	kept := fi.hashes[:0]
	for _, h := range fi.hashes {
		e := s.entries[h]
		if e.Loc.end() > fi.size {
			delete(s.entries, h)
			s.recovery.LostBlocks++
			continue
		}
		kept = append(kept, h)
		end = max(end, e.Loc.end())
	}
	fi.hashes = kept
	return end
}

// cutDataTails drops indexed blocks whose bytes are missing and cuts every
// data file after its last indexed block. It returns how many blocks were
// dropped.
func (s *Store) cutDataTails() (int, error) {
	before := s.recovery.LostBlocks
	for n, fi := range s.files {
		if fi.size < 0 { // indexed but missing
			s.recovery.LostBlocks += len(fi.hashes)
			for _, h := range fi.hashes {
				delete(s.entries, h)
			}
			delete(s.files, n)
			continue
		}
		end := s.dropLost(n, fi)
		if fi.size > end {
			if err := truncateSync(s.dataPath(n), end); err != nil {
				return 0, err
			}
			s.recovery.DataBytesDiscarded += fi.size - end
			fi.size = end
		}
	}
	return s.recovery.LostBlocks - before, nil
}

// rebuild indexes again, by scanning every data file, the blocks a damaged
// or missing index no longer names (see the package documentation).
func (s *Store) rebuild() error {
	type cand struct {
		sb   scannedBlock
		prev chainhash.Hash
	}
	var nums []uint32
	for n, fi := range s.files {
		if fi.size < 0 {
			s.recovery.LostBlocks += len(fi.hashes)
			for _, h := range fi.hashes {
				delete(s.entries, h)
			}
			delete(s.files, n)
			continue
		}
		nums = append(nums, n)
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	cands := make(map[chainhash.Hash]*cand)
	byPrev := make(map[chainhash.Hash][]*cand)
	var order []*cand
	for i, n := range nums {
		fi := s.files[n]
		blocks, goodEnd, err := scanDataFile(s.dataPath(n), n, s.opts.Net, func(h chainhash.Hash) bool {
			_, known := s.entries[h]
			return !known
		})
		if err != nil {
			return fmt.Errorf("blockstore: scanning %s: %w", dataFileName(n), err)
		}
		end := s.dropLost(n, fi)
		for _, sb := range blocks {
			if _, ok := s.entries[sb.hash]; ok {
				continue
			}
			if _, ok := cands[sb.hash]; ok {
				continue
			}
			if !sb.valid {
				s.recovery.Unplaced++
				continue
			}
			c := &cand{sb: sb}
			copy(c.prev[:], sb.header[4:4+chainhash.HashSize])
			cands[sb.hash] = c
			byPrev[c.prev] = append(byPrev[c.prev], c)
			order = append(order, c)
		}
		if i == len(nums)-1 {
			end = max(end, goodEnd)
			if fi.size > end {
				if err := truncateSync(s.dataPath(n), end); err != nil {
					return err
				}
				s.recovery.DataBytesDiscarded += fi.size - end
				fi.size = end
			}
		}
	}
	// Place candidates whose parent is known, breadth first from every
	// known block and from genesis blocks.
	type placed struct {
		hash   chainhash.Hash
		height int32
	}
	var queue []placed
	for _, c := range order {
		if c.prev == (chainhash.Hash{}) {
			queue = append(queue, placed{c.sb.hash, 0})
		} else if e, ok := s.entries[c.prev]; ok {
			queue = append(queue, placed{c.sb.hash, e.Height + 1})
		} else if e, ok := s.pruned[c.prev]; ok {
			queue = append(queue, placed{c.sb.hash, e.Height + 1})
		}
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		c := cands[p.hash]
		if c == nil {
			continue // placed already
		}
		delete(cands, p.hash)
		e := Entry{Hash: c.sb.hash, Height: p.height, Header: c.sb.header, Loc: c.sb.loc}
		s.entries[e.Hash] = e
		fi := s.files[e.Loc.File]
		fi.hashes = append(fi.hashes, e.Hash)
		s.recovery.Rebuilt++
		for _, child := range byPrev[e.Hash] {
			queue = append(queue, placed{child.sb.hash, p.height + 1})
		}
	}
	s.recovery.Unplaced += len(cands)
	for _, n := range nums {
		if err := syncFile(s.dataPath(n)); err != nil {
			return err
		}
	}
	return nil
}

// compact rewrites the index log with only what is live: the stored
// blocks, then the pruned blocks and the prune records of their files.
// keepOld keeps the old log aside. Called by Open or by a writer holding
// wmu with nothing pending; the caller reopens s.index.
func (s *Store) compact(keepOld bool) error {
	s.mu.RLock()
	stored := make([]Entry, 0, len(s.entries))
	for _, e := range s.entries {
		stored = append(stored, e)
	}
	sort.Slice(stored, func(i, j int) bool {
		a, b := stored[i].Loc, stored[j].Loc
		return a.File < b.File || (a.File == b.File && a.Offset < b.Offset)
	})
	pruned := make([]Entry, 0, len(s.pruned))
	for _, e := range s.pruned {
		pruned = append(pruned, e)
	}
	sortEntries(pruned)
	buf := appendHeaderRecord(make([]byte, 0, (len(stored)+len(pruned)+1)*(recordFrame+blockPayload)), s.opts.Net)
	for i := range stored {
		buf = appendBlockRecord(buf, &stored[i])
	}
	for i := range pruned {
		buf = appendBlockRecord(buf, &pruned[i])
	}
	files := make([]uint32, 0, len(s.prunedFiles))
	for n := range s.prunedFiles {
		files = append(files, n)
	}
	sort.Slice(files, func(i, j int) bool { return files[i] < files[j] })
	for _, n := range files {
		buf = appendPruneRecord(buf, n)
	}
	s.mu.RUnlock()
	if err := writeIndexFile(s.dir, buf, keepOld); err != nil {
		return fmt.Errorf("blockstore: compacting index: %w", err)
	}
	s.dead = 0
	return nil
}

// truncateSync cuts the file at path to size and syncs it.
func truncateSync(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("blockstore: %w", err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		return fmt.Errorf("blockstore: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("blockstore: %w", err)
	}
	return nil
}

// syncFile syncs the file at path.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("blockstore: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("blockstore: %w", err)
	}
	return nil
}
