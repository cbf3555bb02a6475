package inspect

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// ProtocolVersion is the protocol version payloads are decoded at
// (wtxidrelay, BIP 339), with witness encoding.
const ProtocolVersion uint32 = 70016

// Message types btcd's wire package has no type for.
const (
	// CmdSendCmpct is BIP 152's sendcmpct.
	CmdSendCmpct = "sendcmpct"
	// CmdCmpctBlock is BIP 152's cmpctblock.
	CmdCmpctBlock = "cmpctblock"
	// CmdGetBlockTxn is BIP 152's getblocktxn.
	CmdGetBlockTxn = "getblocktxn"
	// CmdBlockTxn is BIP 152's blocktxn.
	CmdBlockTxn = "blocktxn"
	// CmdSendTxRcncl is BIP 330's sendtxrcncl.
	CmdSendTxRcncl = "sendtxrcncl"
)

// ErrUnknownCommand reports a message type the decoder does not know.
var ErrUnknownCommand = errors.New("unknown message type")

// SendCmpct is a decoded sendcmpct: whether the sender wants new blocks
// announced as cmpctblock, and the compact block version.
type SendCmpct struct {
	// Announce asks for high-bandwidth announcements.
	Announce bool
	// Version is the compact block version (2 with witnesses).
	Version uint64
}

// SendTxRcncl is a decoded sendtxrcncl (BIP 330).
type SendTxRcncl struct {
	// Version is the reconciliation protocol version.
	Version uint32
	// Salt is the sender's salt.
	Salt uint64
}

// CompactBlock is the part of a cmpctblock, getblocktxn or blocktxn the
// tool decodes: the block it is about. Header is set for cmpctblock only.
type CompactBlock struct {
	// Command is the message type.
	Command string
	// Hash is the block's hash.
	Hash chainhash.Hash
	// Header is the block header of a cmpctblock.
	Header *wire.BlockHeader
}

// Decode decodes payload as the message type cmd names and returns the
// btcd wire message (*wire.MsgVersion, *wire.MsgInv, ...) or one of this
// package's types (SendCmpct, SendTxRcncl, CompactBlock). Unknown types
// give ErrUnknownCommand; trailing bytes after a complete message are an
// error, except for version, which later protocol versions may extend.
func Decode(cmd string, payload []byte) (any, error) {
	switch cmd {
	case CmdSendCmpct:
		if len(payload) != 9 {
			return nil, fmt.Errorf("sendcmpct: %d bytes, want 9", len(payload))
		}
		if payload[0] > 1 {
			return nil, fmt.Errorf("sendcmpct: announce byte %d", payload[0])
		}
		return SendCmpct{Announce: payload[0] == 1, Version: binary.LittleEndian.Uint64(payload[1:])}, nil
	case CmdSendTxRcncl:
		if len(payload) != 12 {
			return nil, fmt.Errorf("sendtxrcncl: %d bytes, want 12", len(payload))
		}
		return SendTxRcncl{Version: binary.LittleEndian.Uint32(payload), Salt: binary.LittleEndian.Uint64(payload[4:])}, nil
	case CmdCmpctBlock:
		var h wire.BlockHeader
		if err := h.Deserialize(bytes.NewReader(payload)); err != nil {
			return nil, fmt.Errorf("cmpctblock header: %w", err)
		}
		return CompactBlock{Command: cmd, Hash: h.BlockHash(), Header: &h}, nil
	case CmdGetBlockTxn, CmdBlockTxn:
		if len(payload) < chainhash.HashSize {
			return nil, fmt.Errorf("%s: %d bytes, want at least %d", cmd, len(payload), chainhash.HashSize)
		}
		var hash chainhash.Hash
		copy(hash[:], payload)
		return CompactBlock{Command: cmd, Hash: hash}, nil
	}
	msg := newWireMessage(cmd)
	if msg == nil {
		return nil, ErrUnknownCommand
	}
	// MsgVersion's decoder wants a *bytes.Buffer.
	buf := bytes.NewBuffer(payload)
	if err := msg.BtcDecode(buf, ProtocolVersion, wire.WitnessEncoding); err != nil {
		return nil, err
	}
	if buf.Len() != 0 && cmd != wire.CmdVersion {
		return nil, fmt.Errorf("%d trailing bytes", buf.Len())
	}
	return msg, nil
}

// newWireMessage returns an empty btcd message for cmd, or nil.
func newWireMessage(cmd string) wire.Message {
	switch cmd {
	case wire.CmdVersion:
		return &wire.MsgVersion{}
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

// InvTypeName returns Core's name of an inventory type (MSG_TX, MSG_WTX,
// MSG_CMPCT_BLOCK, ...), or "UNKNOWN(n)".
func InvTypeName(t wire.InvType) string {
	switch t {
	case wire.InvTypeTx:
		return "MSG_TX"
	case wire.InvTypeBlock:
		return "MSG_BLOCK"
	case wire.InvTypeFilteredBlock:
		return "MSG_FILTERED_BLOCK"
	case invTypeCmpctBlock:
		return "MSG_CMPCT_BLOCK"
	case invTypeWTx:
		return "MSG_WTX"
	case wire.InvTypeWitnessTx:
		return "MSG_WITNESS_TX"
	case wire.InvTypeWitnessBlock:
		return "MSG_WITNESS_BLOCK"
	case wire.InvTypeFilteredWitnessBlock:
		return "MSG_FILTERED_WITNESS_BLOCK"
	}
	return fmt.Sprintf("UNKNOWN(%d)", uint32(t))
}

// Inventory types btcd's wire package does not name.
const (
	invTypeCmpctBlock wire.InvType = 4
	invTypeWTx        wire.InvType = 5
)

// ItemKind says whether an inventory type names a transaction or a block.
type ItemKind string

// The item kinds of latency legs.
const (
	// KindTx is a transaction (MSG_TX, MSG_WTX, MSG_WITNESS_TX).
	KindTx ItemKind = "tx"
	// KindBlock is a block (MSG_BLOCK, MSG_WITNESS_BLOCK, filtered and
	// compact variants).
	KindBlock ItemKind = "block"
)

// KindOf returns the kind of an inventory type, or "" for others.
func KindOf(t wire.InvType) ItemKind {
	switch t {
	case wire.InvTypeTx, invTypeWTx, wire.InvTypeWitnessTx:
		return KindTx
	case wire.InvTypeBlock, wire.InvTypeFilteredBlock, invTypeCmpctBlock, wire.InvTypeWitnessBlock, wire.InvTypeFilteredWitnessBlock:
		return KindBlock
	}
	return ""
}
