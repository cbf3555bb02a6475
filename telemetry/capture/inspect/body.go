package inspect

import (
	"encoding/hex"
	"fmt"
	"net"
	"strconv"

	"github.com/btcsuite/btcd/chainhash/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// Body returns the JSON body of a decoded message: an object of its
// fields under snake_case names (see docs/capture.md, "The capture tool"),
// with hashes in the byte order RPC shows them and scripts, filters and
// other blobs as hex. Messages with no fields give an empty object; types
// whose fields the tool does not spell out give {"hex": payload}.
func Body(msg any, payload []byte) map[string]any {
	switch m := msg.(type) {
	case *wire.MsgVersion:
		return map[string]any{
			"version": m.ProtocolVersion, "services": servicesHex(m.Services), "time": m.Timestamp.Unix(),
			"addr_recv": netAddr(&m.AddrYou), "addr_from": netAddr(&m.AddrMe), "nonce": m.Nonce,
			"user_agent": m.UserAgent, "start_height": m.LastBlock, "relay": !m.DisableRelayTx,
		}
	case *wire.MsgPing:
		return map[string]any{"nonce": m.Nonce}
	case *wire.MsgPong:
		return map[string]any{"nonce": m.Nonce}
	case *wire.MsgInv:
		return map[string]any{"inventory": invList(m.InvList)}
	case *wire.MsgGetData:
		return map[string]any{"inventory": invList(m.InvList)}
	case *wire.MsgNotFound:
		return map[string]any{"inventory": invList(m.InvList)}
	case *wire.MsgAddr:
		out := make([]map[string]any, len(m.AddrList))
		for i, a := range m.AddrList {
			out[i] = netAddr(a)
		}
		return map[string]any{"addrs": out}
	case *wire.MsgAddrV2:
		out := make([]map[string]any, len(m.AddrList))
		for i, a := range m.AddrList {
			host := ""
			if a.Addr != nil {
				host = a.Addr.String()
			}
			out[i] = map[string]any{"time": a.Timestamp.Unix(), "services": servicesHex(a.Services),
				"addr": net.JoinHostPort(host, strconv.Itoa(int(a.Port)))}
		}
		return map[string]any{"addrs": out}
	case *wire.MsgGetHeaders:
		return map[string]any{"version": m.ProtocolVersion, "locator": hashes(m.BlockLocatorHashes), "hash_stop": m.HashStop.String()}
	case *wire.MsgGetBlocks:
		return map[string]any{"version": m.ProtocolVersion, "locator": hashes(m.BlockLocatorHashes), "hash_stop": m.HashStop.String()}
	case *wire.MsgHeaders:
		out := make([]map[string]any, len(m.Headers))
		for i, h := range m.Headers {
			out[i] = header(h)
		}
		return map[string]any{"headers": out}
	case *wire.MsgBlock:
		txids := make([]string, len(m.Transactions))
		for i, tx := range m.Transactions {
			txids[i] = tx.TxHash().String()
		}
		return map[string]any{"header": header(&m.Header), "tx_count": len(m.Transactions), "txids": txids}
	case *wire.MsgTx:
		return txBody(m)
	case *wire.MsgFeeFilter:
		return map[string]any{"feerate": m.MinFee}
	case *wire.MsgReject:
		return map[string]any{"message": m.Cmd, "code": uint8(m.Code), "reason": m.Reason, "hash": m.Hash.String()}
	case SendCmpct:
		return map[string]any{"announce": m.Announce, "version": m.Version}
	case SendTxRcncl:
		return map[string]any{"version": m.Version, "salt": m.Salt}
	case *wire.MsgVerAck, *wire.MsgGetAddr, *wire.MsgSendAddrV2, *wire.MsgWTxIdRelay,
		*wire.MsgSendHeaders, *wire.MsgMemPool, *wire.MsgFilterClear:
		return map[string]any{}
	}
	return map[string]any{"hex": hex.EncodeToString(payload)}
}

// netAddr renders a version-1 network address.
func netAddr(a *wire.NetAddress) map[string]any {
	host := "0.0.0.0"
	if a.IP != nil {
		host = a.IP.String()
	}
	out := map[string]any{"services": servicesHex(a.Services), "addr": net.JoinHostPort(host, strconv.Itoa(int(a.Port)))}
	if !a.Timestamp.IsZero() && a.Timestamp.Unix() != 0 {
		out["time"] = a.Timestamp.Unix()
	}
	return out
}

// invList renders inventory vectors.
func invList(list []*wire.InvVect) []map[string]any {
	out := make([]map[string]any, len(list))
	for i, iv := range list {
		out[i] = map[string]any{"type": InvTypeName(iv.Type), "hash": iv.Hash.String()}
	}
	return out
}

// hashes renders a hash list.
func hashes(list []*chainhash.Hash) []string {
	out := make([]string, len(list))
	for i, h := range list {
		out[i] = h.String()
	}
	return out
}

// header renders a block header with its hash.
func header(h *wire.BlockHeader) map[string]any {
	return map[string]any{
		"hash": h.BlockHash().String(), "version": h.Version, "prev_block": h.PrevBlock.String(),
		"merkle_root": h.MerkleRoot.String(), "time": h.Timestamp.Unix(), "bits": fmt.Sprintf("%08x", h.Bits), "nonce": h.Nonce,
	}
}

// txBody renders a transaction.
func txBody(tx *wire.MsgTx) map[string]any {
	vin := make([]map[string]any, len(tx.TxIn))
	for i, in := range tx.TxIn {
		wit := make([]string, len(in.Witness))
		for j, w := range in.Witness {
			wit[j] = hex.EncodeToString(w)
		}
		vin[i] = map[string]any{"prev_txid": in.PreviousOutPoint.Hash.String(), "prev_index": in.PreviousOutPoint.Index,
			"script_sig": hex.EncodeToString(in.SignatureScript), "sequence": in.Sequence, "witness": wit}
	}
	vout := make([]map[string]any, len(tx.TxOut))
	for i, out := range tx.TxOut {
		vout[i] = map[string]any{"value": out.Value, "script_pubkey": hex.EncodeToString(out.PkScript)}
	}
	return map[string]any{"txid": tx.TxHash().String(), "wtxid": tx.WitnessHash().String(), "version": tx.Version,
		"locktime": tx.LockTime, "vin": vin, "vout": vout}
}
