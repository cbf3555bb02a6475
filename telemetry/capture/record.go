package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Sizes of the fields of a record header, in bytes, as Core writes them.
const (
	timeSize    = 8
	commandSize = 12
	lengthSize  = 4
	// HeaderSize is the size of a record header: time, message type and
	// payload length.
	HeaderSize = timeSize + commandSize + lengthSize
)

// MaxPayloadLen is the largest payload a record may carry: Core's
// MAX_PROTOCOL_MESSAGE_LENGTH (4,000,000 bytes) plus a small slack. The
// writer refuses larger payloads and the reader treats a larger length
// field as corruption, so a hostile length is never allocated.
const MaxPayloadLen = 4_000_000 + 1024

// Errors returned when a record cannot be encoded.
var (
	// ErrInvalidCommand reports a message type that is empty, longer than
	// 12 bytes or not printable ASCII.
	ErrInvalidCommand = errors.New("capture: invalid message type")
	// ErrPayloadTooLarge reports a payload longer than MaxPayloadLen.
	ErrPayloadTooLarge = errors.New("capture: payload too large")
	// ErrTimeBeforeEpoch reports a record time before 1970, which the
	// unsigned microsecond field cannot hold.
	ErrTimeBeforeEpoch = errors.New("capture: time before the Unix epoch")
)

// Record is one captured message: the socket time at which its frame was
// read or written, its message type and its raw payload (no magic, no
// checksum). Time is stored with microsecond precision.
type Record struct {
	// Time is when the frame was read from or written to the socket.
	Time time.Time
	// Command is the message type, at most 12 printable ASCII bytes.
	Command string
	// Payload is the message body exactly as on the wire.
	Payload []byte
}

// EncodedLen returns the number of bytes the record takes in a file.
func (r Record) EncodedLen() int { return HeaderSize + len(r.Payload) }

// validate reports why r cannot be encoded, or nil.
func (r Record) validate() error {
	if err := ValidateCommand(r.Command); err != nil {
		return err
	}
	if len(r.Payload) > MaxPayloadLen {
		return fmt.Errorf("%w: %d bytes (max %d)", ErrPayloadTooLarge, len(r.Payload), MaxPayloadLen)
	}
	if r.Time.UnixMicro() < 0 {
		return ErrTimeBeforeEpoch
	}
	return nil
}

// ValidateCommand reports whether cmd can be stored as a record's message
// type: 1 to 12 bytes of printable ASCII (0x20 to 0x7e).
func ValidateCommand(cmd string) error {
	if cmd == "" || len(cmd) > commandSize {
		return fmt.Errorf("%w: %q has %d bytes (want 1 to %d)", ErrInvalidCommand, cmd, len(cmd), commandSize)
	}
	for i := 0; i < len(cmd); i++ {
		if cmd[i] < 0x20 || cmd[i] > 0x7e {
			return fmt.Errorf("%w: %q has a non-printable byte", ErrInvalidCommand, cmd)
		}
	}
	return nil
}

// AppendRecord appends the bytes of r, in Core's format, to dst and
// returns the extended slice: time in microseconds since the epoch
// (uint64 little endian), the message type NUL-padded to 12 bytes, the
// payload length (uint32 little endian) and the payload. On error dst is
// returned unchanged.
func AppendRecord(dst []byte, r Record) ([]byte, error) {
	if err := r.validate(); err != nil {
		return dst, err
	}
	dst = binary.LittleEndian.AppendUint64(dst, uint64(r.Time.UnixMicro()))
	var cmd [commandSize]byte
	copy(cmd[:], r.Command)
	dst = append(dst, cmd[:]...)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(r.Payload)))
	return append(dst, r.Payload...), nil
}

// EncodeRecord returns the bytes of r in Core's format (see AppendRecord).
func EncodeRecord(r Record) ([]byte, error) {
	return AppendRecord(make([]byte, 0, r.EncodedLen()), r)
}
