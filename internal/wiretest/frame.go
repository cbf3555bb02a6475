package wiretest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/btcsuite/btcd/wire/v2"
)

// HeaderSize is the size of a v1 frame header: magic, command, length and
// checksum.
const HeaderSize = wire.MessageHeaderSize

// ProtocolVersion is the protocol version the client announces and encodes
// messages with (wtxidrelay, BIP339).
const ProtocolVersion uint32 = 70016

// Checksum returns the first four bytes of double-SHA256(payload), the frame
// checksum.
func Checksum(payload []byte) [4]byte {
	first := sha256.Sum256(payload)
	second := sha256.Sum256(first[:])
	var c [4]byte
	copy(c[:], second[:4])
	return c
}

// RawFrame builds a frame exactly as told, with no validation: magic,
// command (truncated or NUL-padded to 12 bytes), the length field, the
// checksum field, then payload. Use it to build frames that lie.
func RawFrame(magic wire.BitcoinNet, command string, length uint32, checksum [4]byte, payload []byte) []byte {
	b := make([]byte, HeaderSize, HeaderSize+len(payload))
	binary.LittleEndian.PutUint32(b[0:4], uint32(magic))
	copy(b[4:4+wire.CommandSize], command)
	binary.LittleEndian.PutUint32(b[16:20], length)
	copy(b[20:24], checksum[:])
	return append(b, payload...)
}

// Frame builds a well-formed frame for net carrying payload under command,
// with the true length and checksum.
func Frame(net wire.BitcoinNet, command string, payload []byte) []byte {
	return RawFrame(net, command, uint32(len(payload)), Checksum(payload), payload)
}

// Encode serialises msg's payload at ProtocolVersion with witness encoding.
func Encode(msg wire.Message) ([]byte, error) {
	var buf bytes.Buffer
	if err := msg.BtcEncode(&buf, ProtocolVersion, wire.WitnessEncoding); err != nil {
		return nil, fmt.Errorf("encode %s: %w", msg.Command(), err)
	}
	return buf.Bytes(), nil
}

// MessageFrame builds the well-formed frame of msg for net.
func MessageFrame(net wire.BitcoinNet, msg wire.Message) ([]byte, error) {
	payload, err := Encode(msg)
	if err != nil {
		return nil, err
	}
	return Frame(net, msg.Command(), payload), nil
}

// header is a parsed frame header.
type header struct {
	magic    wire.BitcoinNet
	command  string
	length   uint32
	checksum [4]byte
}

// parseHeader decodes the first HeaderSize bytes of b.
func parseHeader(b []byte) header {
	h := header{
		magic:  wire.BitcoinNet(binary.LittleEndian.Uint32(b[0:4])),
		length: binary.LittleEndian.Uint32(b[16:20]),
	}
	h.command = string(bytes.TrimRight(b[4:4+wire.CommandSize], "\x00"))
	copy(h.checksum[:], b[20:24])
	return h
}
