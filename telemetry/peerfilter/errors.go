package peerfilter

import "fmt"

// SyntaxError is a filter that cannot be parsed: where (a byte offset into
// the filter, shown as a 1-based column), what was expected there and what
// was found instead.
type SyntaxError struct {
	// Offset is the byte offset of the offending token.
	Offset int
	// Expected describes what would have been accepted.
	Expected string
	// Found describes what was there.
	Found string
}

// Error renders the error as "peer filter: column N: expected X, found Y".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("peer filter: column %d: expected %s, found %s", e.Offset+1, e.Expected, e.Found)
}
