package sockman

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/btcsuite/btcd/wire/v2"
)

// payloadChunk is the first allocation for a payload and the unit in which a
// large payload's buffer starts growing. A payload up to this size is
// allocated at once; a larger one grows by doubling as bytes arrive, so
// memory follows the bytes actually received, never the claimed length.
const payloadChunk = 64 << 10

// RawFrame is one decoded v1 frame.
type RawFrame struct {
	// Command is the message type from the header (see commandFromField for
	// how malformed command fields are delivered).
	Command string
	// Payload is the frame's payload; the decoder never reuses it.
	Payload []byte
	// WireSize is HeaderSize plus the payload length.
	WireSize uint32
}

// BadMagicError reports a header carrying another network's magic. The
// stream cannot be resynchronised and the connection must close.
type BadMagicError struct {
	// Got is the magic read from the wire; Want is the configured network.
	Got, Want wire.BitcoinNet
}

// Error describes the mismatch.
func (e *BadMagicError) Error() string {
	return fmt.Sprintf("bad magic %#08x, want %#08x", uint32(e.Got), uint32(e.Want))
}

// OversizedError reports a header claiming a payload above the limit. No
// payload memory is allocated for it and the connection must close.
type OversizedError struct {
	// Command is the header's command.
	Command string
	// Length is the claimed payload length; Max is the limit.
	Length, Max uint32
}

// Error describes the claimed size.
func (e *OversizedError) Error() string {
	return fmt.Sprintf("%q frame claims %d payload bytes, limit %d", e.Command, e.Length, e.Max)
}

// ChecksumError reports a complete frame whose payload does not match its
// checksum. The frame is dropped but the stream stays in step: the caller may
// keep decoding.
type ChecksumError struct {
	// Command is the header's command; WireSize counts header and payload.
	Command  string
	WireSize uint32
}

// Error describes the dropped frame.
func (e *ChecksumError) Error() string {
	return fmt.Sprintf("bad checksum on %q frame of %d wire bytes", e.Command, e.WireSize)
}

// TruncatedError reports a stream that ended in the middle of a frame.
type TruncatedError struct {
	// Part is "header" or "payload".
	Part string
	// Got of Want bytes of that part were read before the end.
	Got, Want int
}

// Error describes where the stream stopped.
func (e *TruncatedError) Error() string {
	return fmt.Sprintf("truncated frame: stream ended after %d of %d %s bytes", e.Got, e.Want, e.Part)
}

// Decoder reads v1 frames from a stream. It is not safe for concurrent use.
type Decoder struct {
	r   io.Reader
	net wire.BitcoinNet
	max uint32
	hdr [HeaderSize]byte
}

// NewDecoder returns a Decoder reading frames for net from r, refusing
// payloads longer than maxPayload (DefaultMaxPayload when zero).
func NewDecoder(r io.Reader, net wire.BitcoinNet, maxPayload uint32) *Decoder {
	if maxPayload == 0 {
		maxPayload = DefaultMaxPayload
	}
	return &Decoder{r: r, net: net, max: maxPayload}
}

// Next reads one frame. It returns io.EOF when the stream ends cleanly
// between frames, *TruncatedError when it ends inside one, *BadMagicError or
// *OversizedError for a header that ends the stream's usefulness, and
// *ChecksumError (with the frame's Command and WireSize set, Payload nil) for
// a dropped frame after which Next may be called again. Other errors come
// from the underlying reader.
func (d *Decoder) Next() (RawFrame, error) {
	if n, err := io.ReadFull(d.r, d.hdr[:]); err != nil {
		return RawFrame{}, endError(err, "header", n, HeaderSize)
	}
	if got := wire.BitcoinNet(binary.LittleEndian.Uint32(d.hdr[0:4])); got != d.net {
		return RawFrame{}, &BadMagicError{Got: got, Want: d.net}
	}
	command := commandFromField(d.hdr[4 : 4+CommandSize])
	length := binary.LittleEndian.Uint32(d.hdr[16:20])
	if length > d.max {
		return RawFrame{}, &OversizedError{Command: command, Length: length, Max: d.max}
	}
	payload, err := d.readPayload(length)
	if err != nil {
		return RawFrame{}, err
	}
	frame := RawFrame{Command: command, Payload: payload, WireSize: HeaderSize + length}
	if sum := Checksum(payload); [4]byte(d.hdr[20:24]) != sum {
		return RawFrame{Command: command, WireSize: frame.WireSize}, &ChecksumError{Command: command, WireSize: frame.WireSize}
	}
	return frame, nil
}

// readPayload reads length bytes, growing its buffer only as bytes arrive.
func (d *Decoder) readPayload(length uint32) ([]byte, error) {
	want := int(length)
	buf := make([]byte, 0, min(want, payloadChunk))
	for len(buf) < want {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(2*cap(buf), want))
			copy(grown, buf)
			buf = grown
		}
		n, err := io.ReadFull(d.r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			return nil, endError(err, "payload", len(buf), want)
		}
	}
	return buf, nil
}

// endError maps a short read to io.EOF (nothing of a frame read),
// *TruncatedError (part of a frame read) or the reader's own error.
func endError(err error, part string, got, want int) error {
	if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return err
	}
	if part == "header" && got == 0 {
		return io.EOF
	}
	return &TruncatedError{Part: part, Got: got, Want: want}
}
