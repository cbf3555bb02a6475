package headers

import (
	"errors"
	"fmt"
)

// Code says which header rule a header broke.
type Code uint8

// The header rule codes. The zero value is not a valid code.
const (
	// CodeOrphan: the header's parent is not in the tree. The sender may
	// simply be ahead of us; ask it for the headers in between.
	CodeOrphan Code = iota + 1
	// CodeNotContinuous: in a headers message, a header does not build on
	// the header before it.
	CodeNotContinuous
	// CodeBadPoW: the header's target is unusable (negative, zero, above the
	// network's limit) or its hash does not meet it.
	CodeBadPoW
	// CodeBadDifficulty: the header's Bits differ from the difficulty the
	// network's rules require at its place in the chain.
	CodeBadDifficulty
	// CodeTimeTooOld: the timestamp is not after the median time of the
	// previous 11 headers.
	CodeTimeTooOld
	// CodeTimeTooNew: the timestamp is more than MaxFutureBlockTime after
	// now. The header may become acceptable later.
	CodeTimeTooNew
	// CodeTimewarp: on a network enforcing BIP94, the first header of a
	// difficulty period is more than MaxTimewarp earlier than its parent.
	CodeTimewarp
	// CodeCheckpoint: the header sits at a checkpoint height with another
	// hash than the checkpoint's.
	CodeCheckpoint
	// CodeForkBeforeCheckpoint: the header forks from the chain below the
	// last checkpoint the tree already holds.
	CodeForkBeforeCheckpoint
	// CodeBadVersion: the header's version is below the minimum required by
	// BIP34, BIP66 or BIP65 at its height.
	CodeBadVersion
	// CodeInvalidAncestor: the header's parent (or an earlier ancestor) is
	// marked invalid.
	CodeInvalidAncestor
	// CodeKnownInvalid: the header itself is already in the tree and marked
	// invalid.
	CodeKnownInvalid
)

// String returns a short lower-case name for the code.
func (c Code) String() string {
	switch c {
	case CodeOrphan:
		return "orphan"
	case CodeNotContinuous:
		return "not-continuous"
	case CodeBadPoW:
		return "bad-pow"
	case CodeBadDifficulty:
		return "bad-difficulty"
	case CodeTimeTooOld:
		return "time-too-old"
	case CodeTimeTooNew:
		return "time-too-new"
	case CodeTimewarp:
		return "timewarp"
	case CodeCheckpoint:
		return "checkpoint-mismatch"
	case CodeForkBeforeCheckpoint:
		return "fork-before-checkpoint"
	case CodeBadVersion:
		return "bad-version"
	case CodeInvalidAncestor:
		return "invalid-ancestor"
	case CodeKnownInvalid:
		return "known-invalid"
	default:
		return fmt.Sprintf("code(%d)", uint8(c))
	}
}

// Misbehaving reports whether a peer that sends a header failing with this
// code should be disconnected (and discouraged). Orphans and headers from
// the near future are not the sender's fault; every other code proves the
// sender relays a header that can never be part of a valid chain.
func (c Code) Misbehaving() bool {
	switch c {
	case CodeOrphan, CodeTimeTooNew:
		return false
	default:
		return true
	}
}

// RuleError is the error Tree.Add and Tree.AddHeaders return for a header
// that breaks a rule.
type RuleError struct {
	// Code is the broken rule.
	Code Code
	// Detail is a human-readable explanation with the offending values.
	Detail string
}

// Error implements error.
func (e *RuleError) Error() string {
	return "header " + e.Code.String() + ": " + e.Detail
}

// Misbehaving reports whether the sender of the header should be
// disconnected; see Code.Misbehaving.
func (e *RuleError) Misbehaving() bool { return e.Code.Misbehaving() }

// CodeOf returns the Code of a *RuleError anywhere in err's chain, or 0.
func CodeOf(err error) Code {
	var re *RuleError
	if errors.As(err, &re) {
		return re.Code
	}
	return 0
}

// ruleErr builds a *RuleError with a formatted detail.
func ruleErr(code Code, format string, args ...any) *RuleError {
	return &RuleError{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// ErrUnknownBlock is returned by Tree.Invalidate for a hash the tree does
// not hold.
var ErrUnknownBlock = errors.New("headers: unknown block hash")

// ErrGenesis is returned by Tree.Invalidate for the genesis block, which
// cannot be invalid.
var ErrGenesis = errors.New("headers: the genesis block cannot be invalidated")
