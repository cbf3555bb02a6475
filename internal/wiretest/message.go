package wiretest

import (
	"bytes"
	"fmt"
	"io"

	"github.com/btcsuite/btcd/wire/v2"
)

// Unknown is a message whose command the wire package does not decode. It
// keeps the raw payload and implements wire.Message so it can be written
// back out unchanged.
type Unknown struct {
	// Cmd is the frame's command string.
	Cmd string
	// Payload is the frame's raw payload.
	Payload []byte
}

// BtcDecode implements wire.Message by keeping every remaining byte.
func (m *Unknown) BtcDecode(r io.Reader, _ uint32, _ wire.MessageEncoding) error {
	b, err := io.ReadAll(r)
	m.Payload = b
	return err
}

// BtcEncode implements wire.Message by writing the payload unchanged.
func (m *Unknown) BtcEncode(w io.Writer, _ uint32, _ wire.MessageEncoding) error {
	_, err := w.Write(m.Payload)
	return err
}

// Command implements wire.Message.
func (m *Unknown) Command() string { return m.Cmd }

// MaxPayloadLength implements wire.Message.
func (m *Unknown) MaxPayloadLength(uint32) uint32 { return wire.MaxProtocolMessageLength }

// newMessage returns an empty message of the type command names, or nil when
// the command is unknown. Unlike wire.ReadMessage it knows wtxidrelay.
func newMessage(command string) wire.Message {
	switch command {
	case wire.CmdVerAck:
		return &wire.MsgVerAck{}
	case wire.CmdSendAddrV2:
		return &wire.MsgSendAddrV2{}
	case wire.CmdWTxIdRelay:
		return &wire.MsgWTxIdRelay{}
	case wire.CmdGetAddr:
		return &wire.MsgGetAddr{}
	case wire.CmdMemPool:
		return &wire.MsgMemPool{}
	case wire.CmdFilterClear:
		return &wire.MsgFilterClear{}
	case wire.CmdSendHeaders:
		return &wire.MsgSendHeaders{}
	}
	return knownMessage(command)
}

// knownMessage maps the commands that carry a payload to their message
// types.
func knownMessage(command string) wire.Message {
	switch command {
	case wire.CmdVersion:
		return &wire.MsgVersion{}
	case wire.CmdAddr:
		return &wire.MsgAddr{}
	case wire.CmdAddrV2:
		return &wire.MsgAddrV2{}
	case wire.CmdGetBlocks:
		return &wire.MsgGetBlocks{}
	case wire.CmdInv:
		return &wire.MsgInv{}
	case wire.CmdGetData:
		return &wire.MsgGetData{}
	case wire.CmdNotFound:
		return &wire.MsgNotFound{}
	case wire.CmdBlock:
		return &wire.MsgBlock{}
	case wire.CmdTx:
		return &wire.MsgTx{}
	case wire.CmdGetHeaders:
		return &wire.MsgGetHeaders{}
	case wire.CmdHeaders:
		return &wire.MsgHeaders{}
	case wire.CmdPing:
		return &wire.MsgPing{}
	case wire.CmdPong:
		return &wire.MsgPong{}
	case wire.CmdFilterAdd:
		return &wire.MsgFilterAdd{}
	case wire.CmdFilterLoad:
		return &wire.MsgFilterLoad{}
	case wire.CmdMerkleBlock:
		return &wire.MsgMerkleBlock{}
	case wire.CmdReject:
		return &wire.MsgReject{}
	case wire.CmdFeeFilter:
		return &wire.MsgFeeFilter{}
	case wire.CmdGetCFilters:
		return &wire.MsgGetCFilters{}
	case wire.CmdGetCFHeaders:
		return &wire.MsgGetCFHeaders{}
	case wire.CmdGetCFCheckpt:
		return &wire.MsgGetCFCheckpt{}
	case wire.CmdCFilter:
		return &wire.MsgCFilter{}
	case wire.CmdCFHeaders:
		return &wire.MsgCFHeaders{}
	case wire.CmdCFCheckpt:
		return &wire.MsgCFCheckpt{}
	}
	return nil
}

// decode parses payload as the message command names; unknown commands come
// back as *Unknown.
func decode(command string, payload []byte) (wire.Message, error) {
	msg := newMessage(command)
	if msg == nil {
		return &Unknown{Cmd: command, Payload: append([]byte(nil), payload...)}, nil
	}
	// MsgVersion's decoder requires a *bytes.Buffer.
	buf := bytes.NewBuffer(payload)
	if err := msg.BtcDecode(buf, ProtocolVersion, wire.WitnessEncoding); err != nil {
		return nil, fmt.Errorf("decode %s: %w", command, err)
	}
	if buf.Len() != 0 {
		return nil, fmt.Errorf("decode %s: %d trailing bytes", command, buf.Len())
	}
	return msg, nil
}
