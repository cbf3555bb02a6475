package blockstore

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// Store is an open block store. See the package documentation for the
// files, the durability contract and the concurrency rules.
type Store struct {
	dir  string
	opts Options
	lock *os.File

	// wmu serialises writers (Put, Flush, Prune, Close); the fields below
	// up to mu are owned by the writer holding it.
	wmu      sync.Mutex
	index    *os.File            // index log, append only
	curFile  *os.File            // current data file, nil until first needed
	dirty    map[uint32]*os.File // data files written since the last Flush
	dirDirty bool                // a file was created since the last Flush
	failed   error               // sticky *FailedError
	scratch  []byte              // frame + block being written (at most 8 + wire.MaxBlockPayload)
	dead     int                 // index records describing nothing live

	// mu guards the state readers see.
	mu          sync.RWMutex
	closed      bool
	entries     map[chainhash.Hash]Entry
	pruned      map[chainhash.Hash]Entry
	prunedFiles map[uint32]bool
	files       map[uint32]*fileInfo
	pending     []chainhash.Hash
	cur         uint32 // current data file number
	prunedBelow int32
	indexSize   int64
	recovery    Recovery
}

// fileInfo is what the store knows about one data file.
type fileInfo struct {
	size   int64            // bytes written (-1 while replaying: missing on disk)
	hashes []chainhash.Hash // blocks stored in it
}

func (s *Store) dataPath(n uint32) string { return filepath.Join(s.dir, dataFileName(n)) }

// Put appends the serialized block raw (with witness) under hash at height
// and returns where it lies. The block is readable at once but durable only
// after the next Flush. raw's first 80 bytes must hash to hash
// (ErrHashMismatch otherwise); its size must be between 80 bytes and
// wire.MaxBlockPayload (ErrBadSize). A hash already stored is a no-op
// returning the existing location; a pruned block is stored again. The
// store does not keep raw.
func (s *Store) Put(hash chainhash.Hash, height int32, raw []byte) (Location, error) {
	if !validSize(uint64(len(raw))) {
		return Location{}, fmt.Errorf("%w: %d bytes", ErrBadSize, len(raw))
	}
	if height < 0 {
		return Location{}, fmt.Errorf("blockstore: negative height %d", height)
	}
	if got := headerHash(raw); got != hash {
		return Location{}, fmt.Errorf("%w: header hashes to %s, not %s", ErrHashMismatch, got, hash)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.RLock()
	closed := s.closed
	e, dup := s.entries[hash]
	s.mu.RUnlock()
	if closed {
		return Location{}, ErrClosed
	}
	if s.failed != nil {
		return Location{}, s.failed
	}
	if dup {
		return e.Loc, nil
	}
	need := int64(frameSize + len(raw))
	size := s.curSize()
	if s.curFile == nil || (size > 0 && size+need > s.opts.MaxFileSize) {
		if err := s.openCurrent(size > 0 && size+need > s.opts.MaxFileSize); err != nil {
			return Location{}, err
		}
		size = s.curSize()
	}
	var frame [frameSize]byte
	putFrame(frame[:], s.opts.Net, len(raw))
	s.scratch = append(append(s.scratch[:0], frame[:]...), raw...)
	if _, err := s.curFile.WriteAt(s.scratch, size); err != nil {
		s.failed = &FailedError{Op: "write " + s.curFile.Name(), Err: err}
		return Location{}, s.failed
	}
	e = Entry{Hash: hash, Height: height, Loc: Location{File: s.cur, Offset: size + frameSize, Size: uint32(len(raw))}}
	copy(e.Header[:], raw[:headerSize])
	s.dirty[s.cur] = s.curFile
	s.mu.Lock()
	fi := s.files[s.cur]
	fi.size = size + need
	fi.hashes = append(fi.hashes, hash)
	if _, ok := s.pruned[hash]; ok {
		delete(s.pruned, hash)
		s.dead++
	}
	s.entries[hash] = e
	s.pending = append(s.pending, hash)
	s.mu.Unlock()
	return e.Loc, nil
}

// curSize is the size of the current data file (writer only).
func (s *Store) curSize() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if fi := s.files[s.cur]; fi != nil {
		return fi.size
	}
	return 0
}

// openCurrent opens the current data file for writing, first moving to a
// new file when roll is set (writer only).
func (s *Store) openCurrent(roll bool) error {
	n := s.cur
	if roll {
		n++
	}
	s.mu.RLock()
	_, exists := s.files[n]
	s.mu.RUnlock()
	flags := os.O_RDWR | os.O_CREATE
	if !exists {
		flags |= os.O_EXCL
	}
	f, err := os.OpenFile(s.dataPath(n), flags, 0o600)
	if err != nil {
		s.failed = &FailedError{Op: "create data file", Err: err}
		return s.failed
	}
	if !exists {
		s.dirDirty = true
	}
	if s.curFile != nil && s.dirty[s.cur] == nil {
		s.curFile.Close() // synced already; a dirty one is closed by Flush
	}
	s.curFile = f
	s.mu.Lock()
	s.cur = n
	if !exists {
		s.files[n] = &fileInfo{}
	}
	s.mu.Unlock()
	return nil
}

// Flush makes every block Put so far durable: it syncs the data files
// written since the last Flush (and the directory when a file was
// created), then appends their index records in one write and syncs the
// index. After a failed write or sync every later write returns a
// *FailedError until the store is reopened.
func (s *Store) Flush() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	return s.flushLocked()
}

// flushLocked is Flush with wmu held.
func (s *Store) flushLocked() error {
	if s.failed != nil {
		return s.failed
	}
	s.mu.RLock()
	buf := appendPendingRecords(nil, s.pending, s.entries)
	npending := len(s.pending)
	s.mu.RUnlock()
	if npending == 0 {
		return nil
	}
	for n, f := range s.dirty {
		if err := f.Sync(); err != nil {
			s.failed = &FailedError{Op: "sync " + f.Name(), Err: err}
			return s.failed
		}
		if f != s.curFile {
			f.Close()
		}
		delete(s.dirty, n)
	}
	if s.dirDirty {
		if err := syncDir(s.dir); err != nil {
			s.failed = &FailedError{Op: "sync directory", Err: err}
			return s.failed
		}
		s.dirDirty = false
	}
	if err := s.appendIndex(buf); err != nil {
		return err
	}
	s.mu.Lock()
	s.pending = s.pending[:0]
	s.mu.Unlock()
	return nil
}

// appendPendingRecords encodes the index records of the pending blocks.
func appendPendingRecords(dst []byte, pending []chainhash.Hash, entries map[chainhash.Hash]Entry) []byte {
	for _, h := range pending {
		e := entries[h]
		dst = appendBlockRecord(dst, &e)
	}
	return dst
}

// appendIndex appends buf to the index log and syncs it (writer only).
func (s *Store) appendIndex(buf []byte) error {
	if _, err := s.index.Write(buf); err != nil {
		s.failed = &FailedError{Op: "write index", Err: err}
		return s.failed
	}
	if err := s.index.Sync(); err != nil {
		s.failed = &FailedError{Op: "sync index", Err: err}
		return s.failed
	}
	s.mu.Lock()
	s.indexSize += int64(len(buf))
	s.mu.Unlock()
	return nil
}

// Get returns the serialized block stored under hash, after checking its
// frame (magic and size) and that its header hashes to hash. It returns
// ErrNotFound for a block the store does not hold and a *CorruptError for
// bytes that are not what was written.
func (s *Store) Get(hash chainhash.Hash) ([]byte, error) {
	s.mu.RLock()
	closed := s.closed
	e, ok := s.entries[hash]
	s.mu.RUnlock()
	if closed {
		return nil, ErrClosed
	}
	if !ok {
		return nil, ErrNotFound
	}
	raw, err := readBlockAt(s.dataPath(e.Loc.File), s.opts.Net, e.Loc)
	if err != nil {
		return nil, err
	}
	if got := headerHash(raw); got != hash {
		return nil, &CorruptError{Path: s.dataPath(e.Loc.File), Offset: e.Loc.Offset, Detail: fmt.Sprintf("block hashes to %s, stored as %s", got, hash)}
	}
	return raw, nil
}

// GetAt returns the serialized block at loc after checking its frame
// (magic and size). It does not consult the index: a location from a
// pruned file gives ErrNotFound, a location that is not a block's gives a
// *CorruptError.
func (s *Store) GetAt(loc Location) ([]byte, error) {
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return nil, ErrClosed
	}
	if loc.Offset < frameSize || !validSize(uint64(loc.Size)) {
		return nil, fmt.Errorf("%w: location %v", ErrBadSize, loc)
	}
	return readBlockAt(s.dataPath(loc.File), s.opts.Net, loc)
}

// Has reports whether the block is stored (durable or pending).
func (s *Store) Has(hash chainhash.Hash) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.entries[hash]
	return ok && !s.closed
}

// Lookup returns the index entry of a stored block.
func (s *Store) Lookup(hash chainhash.Hash) (Entry, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.entries[hash]
	return e, ok && !s.closed
}

// Entries returns every stored block's entry (durable and pending), sorted
// by height, then file and offset: parents before children, ready for
// rebuilding a header tree.
func (s *Store) Entries() []Entry {
	s.mu.RLock()
	out := make([]Entry, 0, len(s.entries))
	for _, e := range s.entries {
		out = append(out, e)
	}
	s.mu.RUnlock()
	sortEntries(out)
	return out
}

// PrunedEntries returns the entries of pruned blocks, sorted like Entries:
// their headers and heights are kept so the caller can rebuild its header
// tree, their Loc says where they lay.
func (s *Store) PrunedEntries() []Entry {
	s.mu.RLock()
	out := make([]Entry, 0, len(s.pruned))
	for _, e := range s.pruned {
		out = append(out, e)
	}
	s.mu.RUnlock()
	sortEntries(out)
	return out
}

func sortEntries(es []Entry) {
	sort.Slice(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Height != b.Height {
			return a.Height < b.Height
		}
		if a.Loc.File != b.Loc.File {
			return a.Loc.File < b.Loc.File
		}
		return a.Loc.Offset < b.Loc.Offset
	})
}

// Stats returns a snapshot of the store's size.
func (s *Store) Stats() Stats {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := Stats{
		Blocks:            len(s.entries),
		Pending:           len(s.pending),
		Files:             len(s.files),
		CurrentFile:       s.cur,
		PrunedBlocks:      len(s.pruned),
		PrunedBelowHeight: s.prunedBelow,
		IndexBytes:        s.indexSize,
	}
	for _, fi := range s.files {
		st.Bytes += fi.size
	}
	return st
}

// Recovery reports what Open repaired.
func (s *Store) Recovery() Recovery {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.recovery
}

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// Close flushes, closes the files and releases the directory lock. Later
// calls return ErrClosed; Close itself may be called more than once.
func (s *Store) Close() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return nil
	}
	err := s.flushLocked()
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	for n, f := range s.dirty {
		if f != s.curFile {
			f.Close()
		}
		delete(s.dirty, n)
	}
	if s.curFile != nil {
		s.curFile.Close()
		s.curFile = nil
	}
	if cerr := s.index.Close(); err == nil {
		err = cerr
	}
	if uerr := unlockDir(s.lock); err == nil {
		err = uerr
	}
	return err
}
