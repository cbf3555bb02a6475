package blockstore

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned when the store does not hold the requested block
// (never stored, lost in a crash before it was durable, or pruned).
var ErrNotFound = errors.New("blockstore: block not found")

// ErrHashMismatch is returned by Put when the double-SHA256 of the block's
// first 80 bytes is not the hash given.
var ErrHashMismatch = errors.New("blockstore: block header does not hash to the given hash")

// ErrBadSize is returned by Put for a block shorter than a header (80 bytes)
// or longer than wire.MaxBlockPayload, and by GetAt for such a Location.
var ErrBadSize = errors.New("blockstore: block size out of range")

// ErrClosed is returned by every call made after Close.
var ErrClosed = errors.New("blockstore: store is closed")

// ErrLocked is returned by Open when another open store (in this or another
// process) holds the directory's lock.
var ErrLocked = errors.New("blockstore: directory is locked by another open store")

// ErrWrongNetwork is returned by Open when the index was written for another
// network than Options.Net.
var ErrWrongNetwork = errors.New("blockstore: store belongs to another network")

// CorruptError reports bytes on disk that are not what the store wrote:
// a frame with the wrong magic or size, a short data file, or a block whose
// header does not hash to the hash it was stored under.
type CorruptError struct {
	// Path is the file holding the bad bytes.
	Path string
	// Offset is the byte offset in Path where the problem starts.
	Offset int64
	// Detail says what is wrong.
	Detail string
}

// Error describes the corruption with its file and offset.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("blockstore: corrupt data in %s at offset %d: %s", e.Path, e.Offset, e.Detail)
}

// FailedError is returned by every write after a write or sync of the store
// failed: what reached the disk is then unknown, so the store refuses
// further writes until it is closed and reopened (Open recovers). Reads
// keep working.
type FailedError struct {
	// Op names the operation that failed ("write", "sync", ...).
	Op string
	// Err is the underlying error.
	Err error
}

// Error describes the failure.
func (e *FailedError) Error() string {
	return fmt.Sprintf("blockstore: %s failed, store must be reopened: %v", e.Op, e.Err)
}

// Unwrap returns the underlying error.
func (e *FailedError) Unwrap() error { return e.Err }
