package sockman

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/btcsuite/btcd/wire/v2"
)

// HeaderSize is the size in bytes of a Bitcoin v1 frame header: magic (4),
// command (12), payload length (4) and checksum (4).
const HeaderSize = 24

// CommandSize is the size in bytes of the NUL-padded command field.
const CommandSize = 12

// DefaultMaxPayload is the largest payload accepted when Config.MaxPayload is
// zero. It matches Bitcoin Core's MAX_PROTOCOL_MESSAGE_LENGTH.
const DefaultMaxPayload = 4_000_000

// Checksum returns the first four bytes of the double SHA-256 of payload, the
// checksum carried in a v1 frame header.
func Checksum(payload []byte) [4]byte {
	first := sha256.Sum256(payload)
	second := sha256.Sum256(first[:])
	var sum [4]byte
	copy(sum[:], second[:4])
	return sum
}

// CommandTooLongError reports a command that does not fit the 12-byte field.
type CommandTooLongError struct {
	// Command is the rejected command.
	Command string
}

// Error describes the rejected command.
func (e *CommandTooLongError) Error() string {
	return fmt.Sprintf("command %q is longer than %d bytes", e.Command, CommandSize)
}

// ValidateCommand reports whether command fits the header's command field.
// Any bytes are allowed; only the length is checked.
func ValidateCommand(command string) error {
	if len(command) > CommandSize {
		return &CommandTooLongError{Command: command}
	}
	return nil
}

// PutHeader writes the 24-byte v1 header for payload into dst, which must be
// at least HeaderSize long. It computes the checksum and does not allocate.
func PutHeader(dst []byte, net wire.BitcoinNet, command string, payload []byte) error {
	if err := ValidateCommand(command); err != nil {
		return err
	}
	_ = dst[HeaderSize-1]
	binary.LittleEndian.PutUint32(dst[0:4], uint32(net))
	n := copy(dst[4:4+CommandSize], command)
	clear(dst[4+n : 4+CommandSize])
	binary.LittleEndian.PutUint32(dst[16:20], uint32(len(payload)))
	sum := Checksum(payload)
	copy(dst[20:24], sum[:])
	return nil
}

// AppendFrame appends the complete v1 frame (header and payload) for one
// message to dst and returns the extended slice.
func AppendFrame(dst []byte, net wire.BitcoinNet, command string, payload []byte) ([]byte, error) {
	var hdr [HeaderSize]byte
	if err := PutHeader(hdr[:], net, command, payload); err != nil {
		return dst, err
	}
	dst = append(dst, hdr[:]...)
	return append(dst, payload...), nil
}

// commandFromField turns the raw 12-byte command field into the command
// string delivered to owners. A well-formed field is ASCII followed only by
// NUL padding; its command is the bytes before the first NUL. A field with
// non-NUL bytes after the first NUL keeps them (trailing NULs trimmed), so the
// command cannot equal any known command and the owner counts it as unknown.
// Non-printable bytes are delivered unchanged.
func commandFromField(field []byte) string {
	end := len(field)
	for end > 0 && field[end-1] == 0 {
		end--
	}
	return knownCommand(field[:end])
}

// knownCommand returns b as a string, without allocating for the commands of
// the v1 protocol that arrive most often.
func knownCommand(b []byte) string {
	switch string(b) {
	case wire.CmdPing:
		return wire.CmdPing
	case wire.CmdPong:
		return wire.CmdPong
	case wire.CmdInv:
		return wire.CmdInv
	case wire.CmdTx:
		return wire.CmdTx
	case wire.CmdGetData:
		return wire.CmdGetData
	case wire.CmdBlock:
		return wire.CmdBlock
	case wire.CmdHeaders:
		return wire.CmdHeaders
	case wire.CmdGetHeaders:
		return wire.CmdGetHeaders
	case wire.CmdAddr:
		return wire.CmdAddr
	case wire.CmdAddrV2:
		return wire.CmdAddrV2
	case wire.CmdVersion:
		return wire.CmdVersion
	case wire.CmdVerAck:
		return wire.CmdVerAck
	case wire.CmdFeeFilter:
		return wire.CmdFeeFilter
	case wire.CmdSendHeaders:
		return wire.CmdSendHeaders
	case wire.CmdNotFound:
		return wire.CmdNotFound
	}
	return string(b)
}
