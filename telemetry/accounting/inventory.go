package accounting

import "github.com/btcsuite/btcd/wire/v2"

// Inventory types btcd's wire package has no name for.
const (
	// InvTypeCmpctBlock is BIP 152's MSG_CMPCT_BLOCK, only valid in getdata.
	InvTypeCmpctBlock wire.InvType = 4
	// InvTypeWTx is BIP 339's MSG_WTX: a transaction named by its wtxid.
	InvTypeWTx wire.InvType = 5
)

// Compact-block (BIP 152) commands, counted by name in both directions:
// the node decodes none of them but sendcmpct.
const (
	CmdSendCmpct   = "sendcmpct"
	CmdCmpctBlock  = "cmpctblock"
	CmdGetBlockTxn = "getblocktxn"
	CmdBlockTxn    = "blocktxn"
)

// IsCompactBlockCommand reports whether cmd is one of the four BIP 152
// commands.
func IsCompactBlockCommand(cmd string) bool {
	switch cmd {
	case CmdSendCmpct, CmdCmpctBlock, CmdGetBlockTxn, CmdBlockTxn:
		return true
	}
	return false
}

// IsTxInv reports whether an inventory type names a transaction (MSG_TX,
// MSG_WITNESS_TX or MSG_WTX).
func IsTxInv(t wire.InvType) bool {
	return t == wire.InvTypeTx || t == wire.InvTypeWitnessTx || t == InvTypeWTx
}

// isBlockInv reports whether an inventory type asks for a full block
// (MSG_BLOCK or MSG_WITNESS_BLOCK); filtered and compact blocks are
// answered by other messages and are not tracked.
func isBlockInv(t wire.InvType) bool {
	return t == wire.InvTypeBlock || t == wire.InvTypeWitnessBlock
}

// Inventory counts transactions, blocks, headers and compact-block
// messages exchanged with one peer. "By peer" and "from peer" count what
// the peer sent, "to peer" what we sent.
type Inventory struct {
	// TxAnnouncedByPeer and TxAnnouncedToPeer count inv entries of type
	// MSG_TX, MSG_WITNESS_TX or MSG_WTX.
	TxAnnouncedByPeer, TxAnnouncedToPeer uint64
	// TxRequestedFromPeer counts transaction entries of our getdata
	// messages, TxRequestedByPeer those of the peer's.
	TxRequestedFromPeer, TxRequestedByPeer uint64
	// TxReceived and TxSent count tx messages.
	TxReceived, TxSent uint64
	// BlocksReceived and BlocksSent count block messages.
	BlocksReceived, BlocksSent uint64
	// HeadersReceived and HeadersSent count block headers carried by
	// headers messages (not the messages, which Traffic counts).
	HeadersReceived, HeadersSent uint64
	// CmpctReceived and CmpctSent count sendcmpct, cmpctblock, getblocktxn
	// and blocktxn messages.
	CmpctReceived, CmpctSent uint64
}

// countTxInv returns the transaction entries of an inventory list.
func countTxInv(list []*wire.InvVect) uint64 {
	var n uint64
	for _, iv := range list {
		if IsTxInv(iv.Type) {
			n++
		}
	}
	return n
}
