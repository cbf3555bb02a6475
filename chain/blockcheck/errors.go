package blockcheck

import (
	"errors"
	"fmt"
)

// Code says which integrity rule a block broke.
type Code uint8

// The integrity rule codes. The zero value is not a valid code.
const (
	// CodeNoTransactions: the block has no transactions.
	CodeNoTransactions Code = iota + 1
	// CodeFirstNotCoinbase: the first transaction is not a coinbase.
	CodeFirstNotCoinbase
	// CodeMultipleCoinbase: a transaction after the first is a coinbase.
	CodeMultipleCoinbase
	// CodeBadMerkleRoot: the transactions do not hash to the header's
	// merkle root.
	CodeBadMerkleRoot
	// CodeMutated: the merkle computation met two identical sibling hashes
	// (CVE-2012-2459): the same root as a valid block, with transactions
	// duplicated.
	CodeMutated
	// CodeBadWitnessCommitment: the coinbase's witness commitment is
	// malformed (the coinbase witness is not one 32-byte item) or does not
	// match the transactions' witness data.
	CodeBadWitnessCommitment
	// CodeUnexpectedWitness: a transaction carries witness data but the
	// coinbase carries no witness commitment.
	CodeUnexpectedWitness
	// CodeTooLarge: the block's weight exceeds MaxBlockWeight, or its size
	// without witness data (or transaction count) exceeds a quarter of it.
	CodeTooLarge
	// CodeBadTransaction: a transaction breaks a context-free rule (no
	// inputs or outputs, bad amounts, duplicate inputs, coinbase script
	// length, null previous output).
	CodeBadTransaction
)

// String returns a short lower-case name for the code.
func (c Code) String() string {
	switch c {
	case CodeNoTransactions:
		return "no-transactions"
	case CodeFirstNotCoinbase:
		return "first-not-coinbase"
	case CodeMultipleCoinbase:
		return "multiple-coinbase"
	case CodeBadMerkleRoot:
		return "bad-merkle-root"
	case CodeMutated:
		return "mutated"
	case CodeBadWitnessCommitment:
		return "bad-witness-commitment"
	case CodeUnexpectedWitness:
		return "unexpected-witness"
	case CodeTooLarge:
		return "too-large"
	case CodeBadTransaction:
		return "bad-transaction"
	default:
		return fmt.Sprintf("code(%d)", uint8(c))
	}
}

// Mutated reports whether a block failing with this code may be a mangled
// copy of a valid block with the same header (transactions dropped or
// duplicated, witness data stripped or altered): the header's hash does not
// commit to what was checked, so the header must NOT be marked invalid;
// fetch the block again from another peer. For the other codes the block's
// content is exactly what the header commits to, so the header itself is
// invalid.
func (c Code) Mutated() bool {
	switch c {
	case CodeNoTransactions, CodeBadMerkleRoot, CodeMutated,
		CodeBadWitnessCommitment, CodeUnexpectedWitness:
		return true
	default:
		return false
	}
}

// Error is the error Check returns.
type Error struct {
	// Code is the broken rule.
	Code Code
	// Detail is a human-readable explanation with the offending values.
	Detail string
}

// Error implements error.
func (e *Error) Error() string {
	return "block " + e.Code.String() + ": " + e.Detail
}

// Misbehaving reports whether a peer that sent the block should be
// disconnected. It is true for every code: a block is only requested by
// hash after its header passed, and an honest peer relays only blocks it
// validated, so whatever it sends must match. (Bitcoin Core also punishes
// mutated blocks, except those reconstructed from compact blocks, where our
// own reconstruction may be at fault; actornode does not reconstruct
// compact blocks.) Mutated says whether the header must be spared.
func (e *Error) Misbehaving() bool { return true }

// Mutated reports whether the header may still be valid; see Code.Mutated.
func (e *Error) Mutated() bool { return e.Code.Mutated() }

// CodeOf returns the Code of an *Error anywhere in err's chain, or 0.
func CodeOf(err error) Code {
	var be *Error
	if errors.As(err, &be) {
		return be.Code
	}
	return 0
}

// fail builds an *Error with a formatted detail.
func fail(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}
