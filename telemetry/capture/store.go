package capture

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// StoreOptions are the limits of a capture store.
type StoreOptions struct {
	// MaxSessionBytes caps each session's data files (see SessionOptions);
	// zero means no limit.
	MaxSessionBytes uint64
	// MaxTotalBytes caps the bytes of all sessions under the root; zero
	// means no limit. Enforce removes the oldest closed sessions first.
	MaxTotalBytes uint64
	// Buffered opens every session Buffered (see SessionOptions).
	Buffered bool
}

// SessionInfo describes one session directory found under the root.
type SessionInfo struct {
	// Name is the parsed directory name.
	Name SessionName
	// Dir is the session directory's path.
	Dir string
	// Index is the session's index; zero if IndexErr is set.
	Index Index
	// IndexErr says why the index could not be read (a crash before the
	// first index write, or a damaged file).
	IndexErr error
	// DiskBytes is the size of all files in the directory.
	DiskBytes uint64
	// Open says this store has the session open for writing.
	Open bool
}

// start returns the session's start time: from the index, else from the
// directory name.
func (s SessionInfo) start() time.Time {
	if s.IndexErr == nil && !s.Index.Start.IsZero() {
		return s.Index.Start
	}
	return s.Name.Start
}

// Store is the capture root of one network: it opens sessions with the
// per-session limit, lists them, and keeps the total under its limit by
// removing the oldest sessions first. It is safe for concurrent use.
type Store struct {
	root string
	opts StoreOptions

	// opMu serialises Open and Enforce, so a session being opened is never
	// removed.
	opMu sync.Mutex
	mu   sync.Mutex
	open map[string]struct{}
}

// NewStore creates root if needed and returns a store over it.
func NewStore(root string, opts StoreOptions) (*Store, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("capture: create %s: %w", root, err)
	}
	return &Store{root: root, opts: opts, open: make(map[string]struct{})}, nil
}

// Root returns the store's directory.
func (s *Store) Root() string { return s.root }

// Open enforces the total limit, then opens a new session for id with the
// store's per-session limit.
func (s *Store) Open(id Identity) (*SessionWriter, error) {
	s.opMu.Lock()
	defer s.opMu.Unlock()
	if _, err := s.enforce(); err != nil {
		return nil, err
	}
	w, err := OpenSession(s.root, id, SessionOptions{MaxBytes: s.opts.MaxSessionBytes, Buffered: s.opts.Buffered})
	if err != nil {
		return nil, err
	}
	name := filepath.Base(w.Dir())
	s.mu.Lock()
	s.open[name] = struct{}{}
	s.mu.Unlock()
	w.onClose = func() {
		s.mu.Lock()
		delete(s.open, name)
		s.mu.Unlock()
	}
	return w, nil
}

// Sessions lists the session directories under the root, oldest start
// first. Entries whose names are not session names are ignored.
func (s *Store) Sessions() ([]SessionInfo, error) {
	entries, err := os.ReadDir(s.root)
	if err != nil {
		return nil, fmt.Errorf("capture: list %s: %w", s.root, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SessionInfo
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name, err := ParseSessionName(e.Name())
		if err != nil {
			continue
		}
		dir := filepath.Join(s.root, e.Name())
		info := SessionInfo{Name: name, Dir: dir}
		info.Index, info.IndexErr = ReadIndex(dir)
		info.DiskBytes, err = dirBytes(dir)
		if err != nil {
			return nil, err
		}
		_, info.Open = s.open[e.Name()]
		out = append(out, info)
	}
	slices.SortStableFunc(out, func(a, b SessionInfo) int {
		if c := a.start().Compare(b.start()); c != 0 {
			return c
		}
		return cmp.Compare(a.Name.Peer, b.Name.Peer)
	})
	return out, nil
}

// dirBytes sums the sizes of the regular files in dir.
func dirBytes(dir string) (uint64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("capture: list %s: %w", dir, err)
	}
	var total uint64
	for _, e := range entries {
		fi, err := e.Info()
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("capture: stat %s: %w", filepath.Join(dir, e.Name()), err)
		}
		if fi.Mode().IsRegular() {
			total += uint64(fi.Size())
		}
	}
	return total, nil
}

// Enforce removes the oldest closed sessions until all sessions together
// fit in MaxTotalBytes, and returns the directories it removed. Sessions
// this store has open are never removed; they count towards the total, so
// the total can exceed the limit by at most the open sessions' sizes.
func (s *Store) Enforce() ([]string, error) {
	s.opMu.Lock()
	defer s.opMu.Unlock()
	return s.enforce()
}

// enforce does the work of Enforce; the caller holds opMu.
func (s *Store) enforce() ([]string, error) {
	if s.opts.MaxTotalBytes == 0 {
		return nil, nil
	}
	sessions, err := s.Sessions()
	if err != nil {
		return nil, err
	}
	var total uint64
	for _, si := range sessions {
		total += si.DiskBytes
	}
	var removed []string
	for _, si := range sessions {
		if total <= s.opts.MaxTotalBytes {
			break
		}
		if si.Open || s.isOpen(filepath.Base(si.Dir)) {
			continue
		}
		if err := os.RemoveAll(si.Dir); err != nil {
			return removed, fmt.Errorf("capture: remove %s: %w", si.Dir, err)
		}
		total -= si.DiskBytes
		removed = append(removed, si.Dir)
	}
	return removed, nil
}

// isOpen reports whether the store has the named session open now.
func (s *Store) isOpen(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.open[name]
	return ok
}
