package rpc

import (
	"fmt"

	"github.com/actornode/actornode/peerman/peermanpb"
)

// Figures getpeerinfo reports for things the node does not track yet, with
// the values Core gives when it has none.
const (
	// noHeight is Core's "no figure" for presynced_headers, synced_headers
	// and synced_blocks.
	noHeight = -1
	// permissionNoBan is the name Core gives the noban permission.
	permissionNoBan = "noban"
	// transportV1 is the transport_protocol_type of an unencrypted peer.
	transportV1 = "v1"
)

// PeerInfo is one element of getpeerinfo's result. The fields are in the
// order Core emits them (encoding/json keeps struct order), with Core's
// names and JSON types. AddrBind and AddrLocal are left out when empty and
// the ping figures when the peer has none, as Core does.
type PeerInfo struct {
	ID                    uint64            `json:"id"`
	Addr                  string            `json:"addr"`
	AddrBind              string            `json:"addrbind,omitempty"`
	AddrLocal             string            `json:"addrlocal,omitempty"`
	Network               string            `json:"network"`
	Services              string            `json:"services"`
	ServicesNames         []string          `json:"servicesnames"`
	RelayTxes             bool              `json:"relaytxes"`
	LastSend              int64             `json:"lastsend"`
	LastRecv              int64             `json:"lastrecv"`
	LastTransaction       int64             `json:"last_transaction"`
	LastBlock             int64             `json:"last_block"`
	BytesSent             uint64            `json:"bytessent"`
	BytesRecv             uint64            `json:"bytesrecv"`
	ConnTime              int64             `json:"conntime"`
	TimeOffset            int64             `json:"timeoffset"`
	PingTime              *Micros           `json:"pingtime,omitempty"`
	MinPing               *Micros           `json:"minping,omitempty"`
	PingWait              *Micros           `json:"pingwait,omitempty"`
	Version               int32             `json:"version"`
	SubVer                string            `json:"subver"`
	Inbound               bool              `json:"inbound"`
	BIP152HBTo            bool              `json:"bip152_hb_to"`
	BIP152HBFrom          bool              `json:"bip152_hb_from"`
	StartingHeight        int32             `json:"startingheight"`
	PresyncedHeaders      int32             `json:"presynced_headers"`
	SyncedHeaders         int32             `json:"synced_headers"`
	SyncedBlocks          int32             `json:"synced_blocks"`
	Inflight              []int32           `json:"inflight"`
	AddrRelayEnabled      bool              `json:"addr_relay_enabled"`
	AddrProcessed         uint64            `json:"addr_processed"`
	AddrRateLimited       uint64            `json:"addr_rate_limited"`
	Permissions           []string          `json:"permissions"`
	MinFeeFilter          Amount            `json:"minfeefilter"`
	BytesSentPerMsg       map[string]uint64 `json:"bytessent_per_msg"`
	BytesRecvPerMsg       map[string]uint64 `json:"bytesrecv_per_msg"`
	ConnectionType        string            `json:"connection_type"`
	TransportProtocolType string            `json:"transport_protocol_type"`
	SessionID             string            `json:"session_id"`
}

// ConnectionTypeName returns Core's name for a connection type
// ("outbound-full-relay", "block-relay-only", "inbound", "manual",
// "feeler", "addr-fetch"), or "" for an unspecified one.
func ConnectionTypeName(t peermanpb.ConnectionType) string {
	switch t {
	case peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND:
		return "inbound"
	case peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY:
		return "outbound-full-relay"
	case peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY:
		return "block-relay-only"
	case peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL:
		return "manual"
	case peermanpb.ConnectionType_CONNECTION_TYPE_FEELER:
		return "feeler"
	case peermanpb.ConnectionType_CONNECTION_TYPE_ADDR_FETCH:
		return "addr-fetch"
	}
	return ""
}

// NewPeerInfo converts a peer's snapshot into its getpeerinfo entry.
// Figures the node does not track are given Core's "none" values: no
// compact-block high-bandwidth mode, heights -1, nothing in flight, an
// empty session id.
func NewPeerInfo(s *peermanpb.PeerSnapshot) PeerInfo {
	permissions := []string{}
	if s.GetNoban() {
		permissions = append(permissions, permissionNoBan)
	}
	transport := s.GetTransportProtocolType()
	if transport == "" {
		transport = transportV1
	}
	return PeerInfo{
		ID:                    s.GetPeerId(),
		Addr:                  s.GetAddr(),
		AddrBind:              s.GetAddrbind(),
		AddrLocal:             s.GetAddrlocal(),
		Network:               s.GetNetwork(),
		Services:              fmt.Sprintf("%016x", s.GetServices()),
		ServicesNames:         ServiceNames(s.GetServices()),
		RelayTxes:             s.GetRelaytxes(),
		LastSend:              unixOrZero(s.GetLastsendUnix()),
		LastRecv:              unixOrZero(s.GetLastrecvUnix()),
		LastTransaction:       unixOrZero(s.GetLastTransactionUnix()),
		LastBlock:             unixOrZero(s.GetLastBlockUnix()),
		BytesSent:             s.GetBytessent(),
		BytesRecv:             s.GetBytesrecv(),
		ConnTime:              unixOrZero(s.GetConntimeUnix()),
		TimeOffset:            s.GetTimeoffset(),
		PingTime:              optionalMicros(s.GetPingtimeUs()),
		MinPing:               optionalMicros(s.GetMinpingUs()),
		PingWait:              optionalMicros(s.GetPingwaitUs()),
		Version:               s.GetVersion(),
		SubVer:                s.GetSubver(),
		Inbound:               s.GetInbound(),
		StartingHeight:        s.GetStartingheight(),
		PresyncedHeaders:      noHeight,
		SyncedHeaders:         noHeight,
		SyncedBlocks:          noHeight,
		Inflight:              []int32{},
		AddrRelayEnabled:      s.GetAddrRelayEnabled(),
		AddrProcessed:         s.GetAddrProcessed(),
		AddrRateLimited:       s.GetAddrRateLimited(),
		Permissions:           permissions,
		MinFeeFilter:          Amount(s.GetMinfeefilter()),
		BytesSentPerMsg:       nonZero(s.GetBytessentPerMsg()),
		BytesRecvPerMsg:       nonZero(s.GetBytesrecvPerMsg()),
		ConnectionType:        ConnectionTypeName(s.GetConnectionType()),
		TransportProtocolType: transport,
	}
}

// unixOrZero returns a unix time, or 0 (Core's "never") for a negative one.
func unixOrZero(t int64) int64 {
	return max(t, 0)
}

// nonZero copies the entries of a per-message byte count that are not
// zero. The result is never nil, so no entries encode as {}; encoding/json
// writes the keys sorted bytewise, the order of Core's std::map.
func nonZero(counts map[string]uint64) map[string]uint64 {
	out := make(map[string]uint64, len(counts))
	for msgType, n := range counts {
		if n > 0 {
			out[msgType] = n
		}
	}
	return out
}
