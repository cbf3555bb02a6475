package peercore

import (
	"bytes"
	"fmt"

	"github.com/btcsuite/btcd/wire/v2"
)

// emptyMessage returns a zero message for a command, or nil when the
// command is unknown. btcd's wire package keeps its own table private, and
// it lacks sendcmpct, which this package defines.
func emptyMessage(command string) wire.Message {
	switch command {
	case wire.CmdVersion:
		return &wire.MsgVersion{}
	case wire.CmdVerAck:
		return &wire.MsgVerAck{}
	case wire.CmdWTxIdRelay:
		return &wire.MsgWTxIdRelay{}
	case wire.CmdSendAddrV2:
		return &wire.MsgSendAddrV2{}
	case wire.CmdPing:
		return &wire.MsgPing{}
	case wire.CmdPong:
		return &wire.MsgPong{}
	case wire.CmdGetAddr:
		return &wire.MsgGetAddr{}
	case wire.CmdAddr:
		return &wire.MsgAddr{}
	case wire.CmdAddrV2:
		return &wire.MsgAddrV2{}
	case wire.CmdInv:
		return &wire.MsgInv{}
	case wire.CmdGetData:
		return &wire.MsgGetData{}
	case wire.CmdNotFound:
		return &wire.MsgNotFound{}
	case wire.CmdGetBlocks:
		return &wire.MsgGetBlocks{}
	case wire.CmdGetHeaders:
		return &wire.MsgGetHeaders{}
	case wire.CmdHeaders:
		return &wire.MsgHeaders{}
	case wire.CmdBlock:
		return &wire.MsgBlock{}
	case wire.CmdTx:
		return &wire.MsgTx{}
	case wire.CmdMemPool:
		return &wire.MsgMemPool{}
	case wire.CmdSendHeaders:
		return &wire.MsgSendHeaders{}
	case wire.CmdFeeFilter:
		return &wire.MsgFeeFilter{}
	case CmdSendCmpct:
		return &MsgSendCmpct{}
	case wire.CmdFilterLoad:
		return &wire.MsgFilterLoad{}
	case wire.CmdFilterAdd:
		return &wire.MsgFilterAdd{}
	case wire.CmdFilterClear:
		return &wire.MsgFilterClear{}
	case wire.CmdMerkleBlock:
		return &wire.MsgMerkleBlock{}
	case wire.CmdReject:
		return &wire.MsgReject{}
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

// decode turns a payload into a message with btcd's decoder. It refuses
// payloads longer than the type allows and payloads with bytes left over,
// except for version, whose later fields are optional by design (newer
// peers may append more; Core and btcd read what they know).
func decode(command string, payload []byte, pver uint32) (wire.Message, error) {
	msg := emptyMessage(command)
	if msg == nil {
		return nil, fmt.Errorf("unknown command %q", command)
	}
	if limit := msg.MaxPayloadLength(pver); uint64(len(payload)) > uint64(limit) {
		return nil, fmt.Errorf("%s payload is %d bytes, max %d", command, len(payload), limit)
	}
	// A *bytes.Buffer, as MsgVersion.BtcDecode requires one.
	buf := bytes.NewBuffer(payload)
	if err := msg.BtcDecode(buf, pver, wire.WitnessEncoding); err != nil {
		return nil, fmt.Errorf("%s: %w", command, err)
	}
	if buf.Len() > 0 && command != wire.CmdVersion {
		return nil, fmt.Errorf("%s: %d trailing bytes", command, buf.Len())
	}
	return msg, nil
}

// countLimit says how many entries a message may carry and whether going
// over is punished (Misbehaving) or only disconnected.
type countLimit struct {
	offset int    // bytes before the entry count
	max    uint64 // largest allowed count
	punish bool   // Misbehaving as well as Disconnect
	what   string // what is counted, for the detail text
}

// limitFor returns the entry-count limit of a command, if it has one.
// Core punishes oversized addr, addrv2, inv, getdata and headers, and only
// disconnects on an oversized getheaders or getblocks locator.
func limitFor(command string) (countLimit, bool) {
	switch command {
	case wire.CmdAddr, wire.CmdAddrV2:
		return countLimit{max: MaxAddrPerMsg, punish: true, what: "addresses"}, true
	case wire.CmdInv, wire.CmdGetData:
		return countLimit{max: MaxInvPerMsg, punish: true, what: "inventory entries"}, true
	case wire.CmdHeaders:
		return countLimit{max: MaxHeadersPerMsg, punish: true, what: "headers"}, true
	case wire.CmdGetHeaders, wire.CmdGetBlocks:
		return countLimit{offset: 4, max: MaxLocatorHashes, what: "locator hashes"}, true
	}
	return countLimit{}, false
}

// peekCount reads the entry count of a message without decoding it, so that
// an oversized message is told apart from a garbled one (btcd's decoder
// fails on both). ok is false when the count cannot be read; decoding then
// reports the problem.
func peekCount(payload []byte, offset int, pver uint32) (n uint64, ok bool) {
	if len(payload) < offset {
		return 0, false
	}
	n, err := wire.ReadVarInt(bytes.NewReader(payload[offset:]), pver)
	return n, err == nil
}
