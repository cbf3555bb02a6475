package blockstore

import (
	"fmt"
	"os"
	"sort"
)

// Prune deletes whole data files, the oldest first, while the remaining
// files still hold at least Options.PruneTarget bytes. It never deletes the
// current file nor a file holding a block above keepAboveHeight (such a
// file is skipped and older-to-newer selection continues past it, as Core
// does). With PruneTarget 0 it does nothing.
//
// It flushes first, then makes the prune records durable, then forgets the
// blocks (Has and Get no longer find them; PrunedEntries keeps their
// headers) and deletes the files. If a deletion fails the error is
// returned and the next Open finishes the job.
func (s *Store) Prune(keepAboveHeight int32) (PruneResult, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return PruneResult{}, ErrClosed
	}
	if s.opts.PruneTarget == 0 {
		return PruneResult{}, nil
	}
	if err := s.flushLocked(); err != nil {
		return PruneResult{}, err
	}
	chosen := s.choosePrunable(keepAboveHeight)
	var res PruneResult
	if len(chosen) == 0 {
		return res, nil
	}
	var buf []byte
	for _, n := range chosen {
		buf = appendPruneRecord(buf, n)
	}
	if err := s.appendIndex(buf); err != nil {
		return res, err
	}
	s.mu.Lock()
	first := true
	for _, n := range chosen {
		fi := s.files[n]
		for _, h := range fi.hashes {
			e, ok := s.entries[h]
			if !ok || e.Loc.File != n {
				continue
			}
			delete(s.entries, h)
			s.pruned[h] = e
			if first || e.Height < res.MinHeight {
				res.MinHeight = e.Height
			}
			if first || e.Height > res.MaxHeight {
				res.MaxHeight = e.Height
			}
			first = false
			res.Blocks++
			s.prunedBelow = max(s.prunedBelow, e.Height+1)
		}
		res.Bytes += fi.size
		res.Files = append(res.Files, n)
		s.prunedFiles[n] = true
		delete(s.files, n)
	}
	s.mu.Unlock()
	for _, n := range chosen {
		if err := os.Remove(s.dataPath(n)); err != nil && !os.IsNotExist(err) {
			return res, fmt.Errorf("blockstore: pruning: %w", err)
		}
	}
	if err := syncDir(s.dir); err != nil {
		return res, fmt.Errorf("blockstore: pruning: %w", err)
	}
	return res, nil
}

// choosePrunable picks the files Prune deletes (writer only).
func (s *Store) choosePrunable(keepAboveHeight int32) []uint32 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var total int64
	nums := make([]uint32, 0, len(s.files))
	for n, fi := range s.files {
		total += fi.size
		if n != s.cur {
			nums = append(nums, n)
		}
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	var chosen []uint32
	for _, n := range nums {
		fi := s.files[n]
		if total-fi.size < s.opts.PruneTarget {
			break
		}
		if s.holdsAbove(fi, keepAboveHeight) {
			continue
		}
		chosen = append(chosen, n)
		total -= fi.size
	}
	return chosen
}

// holdsAbove reports whether a file holds a block above height (mu held).
func (s *Store) holdsAbove(fi *fileInfo, height int32) bool {
	for _, h := range fi.hashes {
		if e, ok := s.entries[h]; ok && e.Height > height {
			return true
		}
	}
	return false
}
