package dump

import "time"

// GetStatus asks the dump actor for its Status.
type GetStatus struct{}

// Status answers GetStatus: whether dumps are being written and what
// became of the records.
type Status struct {
	// Enabled is false once a write failed (LastError says why) or while
	// the actor is stopping.
	Enabled bool
	// Dir and File are where the records go.
	Dir  string
	File string
	// Filter is the configured peer filter; empty selects every peer.
	Filter string
	// Interval is the time between two periodic dumps.
	Interval time.Duration
	// LastError is the error that stopped dumping, empty while enabled.
	LastError string
	// Periodic and Final count the records written, by kind.
	Periodic uint64
	Final    uint64
	// Bytes counts the bytes written, newlines included.
	Bytes uint64
	// Rotations counts the file rotations.
	Rotations uint64
	// Dropped counts the records not written: too large for a file, or
	// arriving after dumping stopped.
	Dropped uint64
	// FilteredFinals counts the final records of peers the filter did not
	// select; DuplicateFinals counts final records for a peer that already
	// had one.
	FilteredFinals  uint64
	DuplicateFinals uint64
	// StalePeriodic counts periodic stats that arrived after the peer's
	// final record and were left out.
	StalePeriodic uint64
	// SkippedTicks counts ticks that came while the previous question to
	// peerman was still pending; FailedRequests counts questions that
	// timed out or were refused.
	SkippedTicks   uint64
	FailedRequests uint64
	// Repaired is the size of the torn last record a crash had left, cut
	// off when the file was opened.
	Repaired int64
}
