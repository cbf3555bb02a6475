package wiretest

import (
	"errors"
	"fmt"
	"os"
)

// FrameProblem says what was wrong with a frame the client received.
type FrameProblem string

// The frame problems ReadMessage reports.
const (
	// ProblemWrongMagic is a header whose magic is not the client's network.
	// The stream cannot be resynchronised after it.
	ProblemWrongMagic FrameProblem = "wrong magic"
	// ProblemOversized is a length field above wire.MaxProtocolMessageLength.
	// The stream cannot be resynchronised after it.
	ProblemOversized FrameProblem = "oversized payload"
	// ProblemBadChecksum is a payload that does not match its checksum; the
	// frame was consumed and the stream is still usable.
	ProblemBadChecksum FrameProblem = "bad checksum"
	// ProblemUndecodable is a known command whose payload does not decode;
	// the frame was consumed and the stream is still usable.
	ProblemUndecodable FrameProblem = "undecodable payload"
)

// FrameError reports a frame the client could not accept.
type FrameError struct {
	// Problem classifies the error.
	Problem FrameProblem
	// Command is the frame's command string.
	Command string
	// Detail explains the problem.
	Detail string
}

// Error implements error.
func (e *FrameError) Error() string {
	return fmt.Sprintf("wiretest: %s frame %q: %s", e.Problem, e.Command, e.Detail)
}

// IsTimeout reports whether err is a read or write deadline expiring, as
// opposed to the connection failing.
func IsTimeout(err error) bool {
	return errors.Is(err, os.ErrDeadlineExceeded)
}
