package wiretest

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// readChunk is how much the client asks the socket for at a time.
const readChunk = 64 << 10

// ReadMessage reads the next frame, waiting at most timeout, and returns
// the decoded message (*Unknown for unknown commands) and the frame's
// command. A timeout (see IsTimeout) leaves any partly received frame
// buffered for the next call. Bad frames are reported as *FrameError; after
// ProblemWrongMagic or ProblemOversized the stream is unusable.
func (c *Client) ReadMessage(timeout time.Duration) (wire.Message, string, error) {
	h, payload, err := c.readFrame(time.Now().Add(timeout))
	if err != nil {
		return nil, h.command, err
	}
	if sum := Checksum(payload); sum != h.checksum {
		return nil, h.command, &FrameError{Problem: ProblemBadChecksum, Command: h.command,
			Detail: fmt.Sprintf("header says %x, payload hashes to %x", h.checksum, sum)}
	}
	msg, err := decode(h.command, payload)
	if err != nil {
		return nil, h.command, &FrameError{Problem: ProblemUndecodable, Command: h.command, Detail: err.Error()}
	}
	return msg, h.command, nil
}

// readFrame returns the next complete frame's header and payload, reading
// from the socket until deadline as needed.
func (c *Client) readFrame(deadline time.Time) (header, []byte, error) {
	for {
		if len(c.pending) >= HeaderSize {
			h := parseHeader(c.pending)
			if h.magic != c.net {
				return h, nil, &FrameError{Problem: ProblemWrongMagic, Command: h.command,
					Detail: fmt.Sprintf("got %#08x, want %#08x", uint32(h.magic), uint32(c.net))}
			}
			if h.length > wire.MaxProtocolMessageLength {
				return h, nil, &FrameError{Problem: ProblemOversized, Command: h.command,
					Detail: fmt.Sprintf("length %d", h.length)}
			}
			if end := HeaderSize + int(h.length); len(c.pending) >= end {
				payload := append([]byte(nil), c.pending[HeaderSize:end]...)
				c.pending = append(c.pending[:0], c.pending[end:]...)
				return h, payload, nil
			}
		}
		if err := c.fill(deadline); err != nil {
			return header{}, nil, err
		}
	}
}

// fill appends whatever the socket has to the pending buffer.
func (c *Client) fill(deadline time.Time) error {
	if err := c.conn.SetReadDeadline(deadline); err != nil {
		return err
	}
	if c.chunk == nil {
		c.chunk = make([]byte, readChunk)
	}
	n, err := c.conn.Read(c.chunk)
	c.pending = append(c.pending, c.chunk[:n]...)
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

// WaitClosed reads and discards whatever arrives until the node closes the
// connection, and returns nil then. It returns an error if the connection
// is still open after timeout.
func (c *Client) WaitClosed(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if err := c.fill(deadline); err != nil {
			if IsTimeout(err) {
				return fmt.Errorf("wiretest: connection still open after %v", timeout)
			}
			if errors.Is(err, io.ErrNoProgress) {
				continue
			}
			return nil // EOF, reset, or any other end of the connection
		}
		c.pending = c.pending[:0]
	}
}
