package bookfile

import (
	"errors"
	"strconv"
)

// Reason classifies why a file was refused.
type Reason uint8

// The reasons a file is refused.
const (
	// ReasonTruncated: the file ends before a field it needs.
	ReasonTruncated Reason = iota + 1
	// ReasonBadMagic: the file does not start with the magic.
	ReasonBadMagic
	// ReasonVersion: the version or flags are not ones this code writes.
	ReasonVersion
	// ReasonField: a field holds a value no valid book has.
	ReasonField
	// ReasonInconsistent: the records contradict each other or the key
	// (repeated address, two entries in one slot, ...).
	ReasonInconsistent
	// ReasonTrailing: bytes follow the checksum.
	ReasonTrailing
	// ReasonChecksum: the checksum does not match the content.
	ReasonChecksum
)

// Sentinel errors, one per Reason, for errors.Is.
var (
	ErrTruncated    = errors.New("bookfile: truncated")
	ErrBadMagic     = errors.New("bookfile: bad magic")
	ErrVersion      = errors.New("bookfile: unsupported version")
	ErrField        = errors.New("bookfile: invalid field")
	ErrInconsistent = errors.New("bookfile: inconsistent records")
	ErrTrailing     = errors.New("bookfile: trailing data")
	ErrChecksum     = errors.New("bookfile: checksum mismatch")
)

// sentinel returns the sentinel error of r.
func (r Reason) sentinel() error {
	switch r {
	case ReasonTruncated:
		return ErrTruncated
	case ReasonBadMagic:
		return ErrBadMagic
	case ReasonVersion:
		return ErrVersion
	case ReasonField:
		return ErrField
	case ReasonInconsistent:
		return ErrInconsistent
	case ReasonTrailing:
		return ErrTrailing
	case ReasonChecksum:
		return ErrChecksum
	}
	return errors.New("bookfile: unknown reason")
}

// String returns the reason's sentinel text.
func (r Reason) String() string { return r.sentinel().Error() }

// DecodeError is why Decode refused a file, and where.
type DecodeError struct {
	// Offset is the byte offset of the offending field (for
	// ReasonTruncated, where the missing bytes should have been).
	Offset int
	// Reason classifies the failure.
	Reason Reason
	// Detail says what was wrong.
	Detail string
}

// Error implements error.
func (e *DecodeError) Error() string {
	return e.Reason.String() + " at offset " + strconv.Itoa(e.Offset) + ": " + e.Detail
}

// Unwrap returns the Reason's sentinel, so errors.Is(err, ErrChecksum)
// works.
func (e *DecodeError) Unwrap() error { return e.Reason.sentinel() }
