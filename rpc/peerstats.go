package rpc

import (
	"github.com/actornode/actornode/peerman/peermanpb"
)

// nanosPerMicro converts the stats' nanosecond figures to microseconds.
const nanosPerMicro = 1000

// PeerStatsInfo is one element of getpeerstats' result: the peer's
// getpeerinfo object under "peer", then everything its Peer actor measures.
// Field names are the snake_case names of peermanpb.PeerStats, except that
// nanosecond figures are reported in microseconds (suffix _us) and the
// mem_* figures are grouped under "memory".
type PeerStatsInfo struct {
	Peer                      PeerInfo                    `json:"peer"`
	ByType                    map[string]MsgTypeStatsInfo `json:"by_type"`
	TxAnnouncedByPeer         uint64                      `json:"tx_announced_by_peer"`
	TxAnnouncedToPeer         uint64                      `json:"tx_announced_to_peer"`
	TxRequestedFromPeer       uint64                      `json:"tx_requested_from_peer"`
	TxRequestedByPeer         uint64                      `json:"tx_requested_by_peer"`
	TxReceived                uint64                      `json:"tx_received"`
	TxSent                    uint64                      `json:"tx_sent"`
	BlocksReceived            uint64                      `json:"blocks_received"`
	BlocksSent                uint64                      `json:"blocks_sent"`
	HeadersReceived           uint64                      `json:"headers_received"`
	HeadersSent               uint64                      `json:"headers_sent"`
	CmpctReceived             uint64                      `json:"cmpct_received"`
	CmpctSent                 uint64                      `json:"cmpct_sent"`
	TxLatency                 LatencyInfo                 `json:"tx_latency"`
	BlockLatency              LatencyInfo                 `json:"block_latency"`
	Memory                    MemoryInfo                  `json:"memory"`
	AddrmanEntriesContributed uint64                      `json:"addrman_entries_contributed"`
	HandleWallUs              uint64                      `json:"handle_wall_us"`
	HandleCPUUs               uint64                      `json:"handle_cpu_us"`
	Final                     bool                        `json:"final"`
	// Time is when the Peer actor took the record, in unix seconds with
	// microsecond precision.
	Time Micros `json:"time"`
}

// MsgTypeStatsInfo is one message type's entry in getpeerstats' "by_type"
// object: the messages and bytes received and sent, and the wall-clock and
// CPU time the Peer actor spent handling the received ones, in
// microseconds.
type MsgTypeStatsInfo struct {
	MsgsRecv     uint64 `json:"msgs_recv"`
	BytesRecv    uint64 `json:"bytes_recv"`
	MsgsSent     uint64 `json:"msgs_sent"`
	BytesSent    uint64 `json:"bytes_sent"`
	HandleWallUs uint64 `json:"handle_wall_us"`
	HandleCPUUs  uint64 `json:"handle_cpu_us"`
}

// LatencyInfo is getpeerstats' "tx_latency" or "block_latency": how many
// replies to our getdata arrived, how many never did, how many objects came
// unasked, and the mean, median and 90th percentile of the reply time in
// microseconds.
type LatencyInfo struct {
	Count       uint64 `json:"count"`
	Lost        uint64 `json:"lost"`
	Unsolicited uint64 `json:"unsolicited"`
	MeanUs      int64  `json:"mean_us"`
	P50Us       int64  `json:"p50_us"`
	P90Us       int64  `json:"p90_us"`
}

// MemoryInfo is getpeerstats' "memory": the memory attributable to the
// peer, in bytes, and its Peer actor's mailbox depth in messages.
type MemoryInfo struct {
	SendQueueBytes   uint64 `json:"send_queue_bytes"`
	RecvUnackedBytes uint64 `json:"recv_unacked_bytes"`
	MailboxDepth     uint64 `json:"mailbox_depth"`
	TrackingBytes    uint64 `json:"tracking_bytes"`
}

// NewPeerStatsInfo converts a peer's stats into its getpeerstats entry. The
// "peer" object is exactly what getpeerinfo reports for the same snapshot.
// Message types listed twice are summed; "by_type" is never nil, so a peer
// without traffic reports {}.
func NewPeerStatsInfo(s *peermanpb.PeerStats) PeerStatsInfo {
	byType := make(map[string]MsgTypeStatsInfo, len(s.GetByType()))
	for _, m := range s.GetByType() {
		e := byType[m.GetMsgtype()]
		e.MsgsRecv += m.GetMsgsRecv()
		e.BytesRecv += m.GetBytesRecv()
		e.MsgsSent += m.GetMsgsSent()
		e.BytesSent += m.GetBytesSent()
		e.HandleWallUs += m.GetHandleWallNs() / nanosPerMicro
		e.HandleCPUUs += m.GetHandleCpuNs() / nanosPerMicro
		byType[m.GetMsgtype()] = e
	}
	return PeerStatsInfo{
		Peer:                NewPeerInfo(s.GetPeer()),
		ByType:              byType,
		TxAnnouncedByPeer:   s.GetTxAnnouncedByPeer(),
		TxAnnouncedToPeer:   s.GetTxAnnouncedToPeer(),
		TxRequestedFromPeer: s.GetTxRequestedFromPeer(),
		TxRequestedByPeer:   s.GetTxRequestedByPeer(),
		TxReceived:          s.GetTxReceived(),
		TxSent:              s.GetTxSent(),
		BlocksReceived:      s.GetBlocksReceived(),
		BlocksSent:          s.GetBlocksSent(),
		HeadersReceived:     s.GetHeadersReceived(),
		HeadersSent:         s.GetHeadersSent(),
		CmpctReceived:       s.GetCmpctReceived(),
		CmpctSent:           s.GetCmpctSent(),
		TxLatency:           newLatencyInfo(s.GetTxLatency()),
		BlockLatency:        newLatencyInfo(s.GetBlockLatency()),
		Memory: MemoryInfo{
			SendQueueBytes:   s.GetMemSendQueueBytes(),
			RecvUnackedBytes: s.GetMemRecvUnackedBytes(),
			MailboxDepth:     s.GetMemMailboxDepth(),
			TrackingBytes:    s.GetMemTrackingBytes(),
		},
		AddrmanEntriesContributed: s.GetAddrmanEntriesContributed(),
		HandleWallUs:              s.GetHandleWallNs() / nanosPerMicro,
		HandleCPUUs:               s.GetHandleCpuNs() / nanosPerMicro,
		Final:                     s.GetFinal(),
		Time:                      Micros(max(s.GetTimeUnixNano(), 0) / nanosPerMicro),
	}
}

// newLatencyInfo copies a latency summary; a missing one is all zeros.
func newLatencyInfo(l *peermanpb.LatencyStats) LatencyInfo {
	return LatencyInfo{
		Count:       l.GetCount(),
		Lost:        l.GetLost(),
		Unsolicited: l.GetUnsolicited(),
		MeanUs:      l.GetMeanUs(),
		P50Us:       l.GetP50Us(),
		P90Us:       l.GetP90Us(),
	}
}
