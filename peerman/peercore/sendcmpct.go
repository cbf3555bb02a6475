package peercore

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/btcsuite/btcd/wire/v2"
)

// CmdSendCmpct is the BIP 152 sendcmpct command, which btcd's wire package
// does not define.
const CmdSendCmpct = "sendcmpct"

// MsgSendCmpct is the BIP 152 sendcmpct message: whether the sender wants
// new blocks announced as compact blocks right away (high-bandwidth mode),
// and the compact block version it speaks. It implements wire.Message.
type MsgSendCmpct struct {
	// Announce asks for high-bandwidth announcements.
	Announce bool
	// Version is the compact block version (2 for segwit).
	Version uint64
}

// sendCmpctPayloadLen is one bool byte and one uint64.
const sendCmpctPayloadLen = 9

// BtcDecode reads the 9-byte payload. Any non-zero flag byte is true, as in
// Core.
func (m *MsgSendCmpct) BtcDecode(r io.Reader, _ uint32, _ wire.MessageEncoding) error {
	var b [sendCmpctPayloadLen]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return fmt.Errorf("sendcmpct: %w", err)
	}
	m.Announce = b[0] != 0
	m.Version = binary.LittleEndian.Uint64(b[1:])
	return nil
}

// BtcEncode writes the 9-byte payload.
func (m *MsgSendCmpct) BtcEncode(w io.Writer, _ uint32, _ wire.MessageEncoding) error {
	var b [sendCmpctPayloadLen]byte
	if m.Announce {
		b[0] = 1
	}
	binary.LittleEndian.PutUint64(b[1:], m.Version)
	_, err := w.Write(b[:])
	return err
}

// Command returns "sendcmpct".
func (m *MsgSendCmpct) Command() string { return CmdSendCmpct }

// MaxPayloadLength returns 9 for every protocol version.
func (m *MsgSendCmpct) MaxPayloadLength(uint32) uint32 { return sendCmpctPayloadLen }
