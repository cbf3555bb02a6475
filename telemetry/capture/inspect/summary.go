package inspect

import (
	"errors"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// Summarize returns a one-line description of a message's payload:
// version, services, user agent and height for version; the nonce for
// ping and pong; the count and first type:hash for inv, getdata and
// notfound; the count for addr and addrv2; count and first/last hash for
// headers; hash and transaction count for block; txid, inputs and outputs
// for tx; the rate for feefilter; and so on. A payload that does not
// decode gives "undecodable: <reason>", an unknown type "unknown message
// type"; it never fails.
func Summarize(cmd string, payload []byte) string {
	msg, err := Decode(cmd, payload)
	if errors.Is(err, ErrUnknownCommand) {
		return "unknown message type"
	}
	if err != nil {
		return "undecodable: " + err.Error()
	}
	switch m := msg.(type) {
	case *wire.MsgVersion:
		relay := "relay"
		if m.DisableRelayTx {
			relay = "norelay"
		}
		return fmt.Sprintf("version=%d services=%s ua=%q height=%d %s", m.ProtocolVersion, servicesHex(m.Services), m.UserAgent, m.LastBlock, relay)
	case *wire.MsgPing:
		return fmt.Sprintf("nonce=%d", m.Nonce)
	case *wire.MsgPong:
		return fmt.Sprintf("nonce=%d", m.Nonce)
	case *wire.MsgInv:
		return invSummary(m.InvList)
	case *wire.MsgGetData:
		return invSummary(m.InvList)
	case *wire.MsgNotFound:
		return invSummary(m.InvList)
	case *wire.MsgAddr:
		return fmt.Sprintf("count=%d", len(m.AddrList))
	case *wire.MsgAddrV2:
		return fmt.Sprintf("count=%d", len(m.AddrList))
	case *wire.MsgHeaders:
		if len(m.Headers) == 0 {
			return "count=0"
		}
		return fmt.Sprintf("count=%d first=%s last=%s", len(m.Headers), m.Headers[0].BlockHash(), m.Headers[len(m.Headers)-1].BlockHash())
	case *wire.MsgGetHeaders:
		return locatorSummary(m.BlockLocatorHashes, m.HashStop.String())
	case *wire.MsgGetBlocks:
		return locatorSummary(m.BlockLocatorHashes, m.HashStop.String())
	case *wire.MsgBlock:
		return fmt.Sprintf("hash=%s txs=%d", m.BlockHash(), len(m.Transactions))
	case *wire.MsgTx:
		s := fmt.Sprintf("txid=%s ins=%d outs=%d", m.TxHash(), len(m.TxIn), len(m.TxOut))
		if m.HasWitness() {
			s += fmt.Sprintf(" wtxid=%s", m.WitnessHash())
		}
		return s
	case *wire.MsgFeeFilter:
		return fmt.Sprintf("feerate=%d sat/kvB", m.MinFee)
	case *wire.MsgReject:
		return fmt.Sprintf("message=%s code=%s reason=%q", m.Cmd, m.Code, m.Reason)
	case *wire.MsgMerkleBlock:
		return fmt.Sprintf("hash=%s txs=%d", m.Header.BlockHash(), m.Transactions)
	case *wire.MsgFilterLoad:
		return fmt.Sprintf("filter=%d bytes hashfuncs=%d", len(m.Filter), m.HashFuncs)
	case *wire.MsgFilterAdd:
		return fmt.Sprintf("data=%d bytes", len(m.Data))
	case *wire.MsgGetCFilters:
		return fmt.Sprintf("type=%d start=%d stop=%s", m.FilterType, m.StartHeight, m.StopHash)
	case *wire.MsgGetCFHeaders:
		return fmt.Sprintf("type=%d start=%d stop=%s", m.FilterType, m.StartHeight, m.StopHash)
	case *wire.MsgGetCFCheckpt:
		return fmt.Sprintf("type=%d stop=%s", m.FilterType, m.StopHash)
	case *wire.MsgCFilter:
		return fmt.Sprintf("type=%d block=%s filter=%d bytes", m.FilterType, m.BlockHash, len(m.Data))
	case *wire.MsgCFHeaders:
		return fmt.Sprintf("type=%d stop=%s count=%d", m.FilterType, m.StopHash, len(m.FilterHashes))
	case *wire.MsgCFCheckpt:
		return fmt.Sprintf("type=%d stop=%s count=%d", m.FilterType, m.StopHash, len(m.FilterHeaders))
	case SendCmpct:
		return fmt.Sprintf("announce=%t version=%d", m.Announce, m.Version)
	case SendTxRcncl:
		return fmt.Sprintf("version=%d salt=%d", m.Version, m.Salt)
	case CompactBlock:
		return fmt.Sprintf("block=%s", m.Hash)
	}
	return "" // verack, getaddr, sendaddrv2, wtxidrelay, sendheaders, mempool, filterclear
}

// invSummary describes an inventory list: its count and first entry.
func invSummary(list []*wire.InvVect) string {
	if len(list) == 0 {
		return "count=0"
	}
	return fmt.Sprintf("count=%d first=%s:%s", len(list), invShort(list[0].Type), list[0].Hash)
}

// invShort is the lower-case short name of an inventory type (tx, wtx,
// block, ...), as the timeline shows it.
func invShort(t wire.InvType) string {
	return strings.ToLower(strings.TrimPrefix(InvTypeName(t), "MSG_"))
}

// locatorSummary describes a getheaders or getblocks.
func locatorSummary(locator []*chainhash.Hash, stop string) string {
	first := "none"
	if len(locator) > 0 {
		first = locator[0].String()
	}
	return fmt.Sprintf("locator=%d first=%s stop=%s", len(locator), first, stop)
}

// servicesHex renders service bits as Core's 16 hex digits.
func servicesHex(s wire.ServiceFlag) string { return fmt.Sprintf("%016x", uint64(s)) }
