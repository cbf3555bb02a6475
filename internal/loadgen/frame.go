package loadgen

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/btcsuite/btcd/wire/v2"
)

// headerSize is the size of a v1 frame header: magic, command, length,
// checksum.
const headerSize = 24

// maxPayload bounds the payload of a frame the client accepts (Bitcoin
// Core's MAX_PROTOCOL_MESSAGE_LENGTH).
const maxPayload = 4_000_000

// appendFrame appends the complete frame of one message to dst.
func appendFrame(dst []byte, bn wire.BitcoinNet, command string, payload []byte) []byte {
	var h [headerSize]byte
	binary.LittleEndian.PutUint32(h[0:4], uint32(bn))
	copy(h[4:16], command)
	binary.LittleEndian.PutUint32(h[16:20], uint32(len(payload)))
	first := sha256.Sum256(payload)
	second := sha256.Sum256(first[:])
	copy(h[20:24], second[:4])
	dst = append(dst, h[:]...)
	return append(dst, payload...)
}

// encodeMessage returns the frame of msg at the client's protocol version.
func encodeMessage(bn wire.BitcoinNet, msg wire.Message) ([]byte, error) {
	var w payloadWriter
	if err := msg.BtcEncode(&w, protocolVersion, wire.WitnessEncoding); err != nil {
		return nil, fmt.Errorf("loadgen: encode %s: %w", msg.Command(), err)
	}
	return appendFrame(nil, bn, msg.Command(), w.b), nil
}

// payloadWriter collects an encoded payload.
type payloadWriter struct{ b []byte }

// Write appends p.
func (w *payloadWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// frame is one received message: its command and payload. The payload is
// only valid until the next read on the same connection.
type frame struct {
	command string
	payload []byte
}

// readFrame reads one frame from r, checking magic and length (not the
// checksum: the client trusts the node under test). buf is reused for the
// payload and returned, possibly grown.
func readFrame(r io.Reader, bn wire.BitcoinNet, buf []byte) (frame, []byte, error) {
	var h [headerSize]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return frame{}, buf, err
	}
	if got := wire.BitcoinNet(binary.LittleEndian.Uint32(h[0:4])); got != bn {
		return frame{}, buf, fmt.Errorf("loadgen: wrong magic %#x", uint32(got))
	}
	n := binary.LittleEndian.Uint32(h[16:20])
	if n > maxPayload {
		return frame{}, buf, fmt.Errorf("loadgen: payload of %d bytes is over the limit", n)
	}
	cmd := h[4:16]
	end := 0
	for end < len(cmd) && cmd[end] != 0 {
		end++
	}
	if cap(buf) < int(n) {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		return frame{}, buf, err
	}
	return frame{command: commandString(cmd[:end]), payload: buf}, buf, nil
}

// commandString returns the command b names, without allocating for the
// commands a node sends often.
func commandString(b []byte) string {
	switch string(b) {
	case wire.CmdPong:
		return wire.CmdPong
	case wire.CmdPing:
		return wire.CmdPing
	case wire.CmdVersion:
		return wire.CmdVersion
	case wire.CmdVerAck:
		return wire.CmdVerAck
	case wire.CmdInv:
		return wire.CmdInv
	case wire.CmdGetData:
		return wire.CmdGetData
	case wire.CmdAddr:
		return wire.CmdAddr
	case wire.CmdAddrV2:
		return wire.CmdAddrV2
	case "sendcmpct":
		return "sendcmpct"
	case wire.CmdFeeFilter:
		return wire.CmdFeeFilter
	case wire.CmdGetHeaders:
		return wire.CmdGetHeaders
	}
	return string(b)
}
