package dump

import (
	"net/netip"
	"strings"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/telemetry/peerfilter"
)

// NewRecord builds the record of kind written at now from a peer's stats.
// A nil stats (or a nil snapshot inside it) gives zero fields, never a
// missing key.
func NewRecord(kind Kind, now time.Time, s *peermanpb.PeerStats) Record {
	st := statsOf(s)
	now = now.UTC()
	return Record{
		V:        Version,
		Kind:     kind,
		Time:     now,
		UnixNano: now.UnixNano(),
		Peer:     identityOf(st.Peer),
		Stats:    st,
	}
}

// identityOf picks the identity fields from a snapshot.
func identityOf(p Snapshot) Identity {
	dir := "outbound"
	if p.Inbound {
		dir = "inbound"
	}
	return Identity{
		ID:             p.PeerID,
		ConnID:         p.ConnID,
		Addr:           p.Addr,
		Network:        p.Network,
		Direction:      dir,
		ConnectionType: p.ConnectionType,
		Subver:         p.Subver,
	}
}

// ConnTypeName returns Bitcoin Core's name of a connection type (the names
// the peer filter's type= term takes), or "" for an unspecified one.
func ConnTypeName(t peermanpb.ConnectionType) string {
	if t == peermanpb.ConnectionType_CONNECTION_TYPE_UNSPECIFIED {
		return ""
	}
	name := strings.TrimPrefix(t.String(), "CONNECTION_TYPE_")
	return strings.ReplaceAll(strings.ToLower(name), "_", "-")
}

// filterPeer returns what the peer filter sees of a departed peer.
func filterPeer(s *peermanpb.PeerStats) peerfilter.Peer {
	p := s.GetPeer()
	addr, _ := netip.ParseAddrPort(p.GetAddr())
	return peerfilter.Peer{
		ID:        actors.PeerID(p.GetPeerId()),
		ConnID:    actors.ConnID(p.GetConnId()),
		Addr:      addr,
		Inbound:   p.GetInbound(),
		ConnType:  ConnTypeName(p.GetConnectionType()),
		UserAgent: p.GetSubver(),
	}
}

// statsOf converts PeerStats field by field.
func statsOf(s *peermanpb.PeerStats) Stats {
	by := make([]MsgType, 0, len(s.GetByType()))
	for _, m := range s.GetByType() {
		by = append(by, MsgType{
			Msgtype:      m.GetMsgtype(),
			MsgsRecv:     m.GetMsgsRecv(),
			BytesRecv:    m.GetBytesRecv(),
			MsgsSent:     m.GetMsgsSent(),
			BytesSent:    m.GetBytesSent(),
			HandleWallNs: m.GetHandleWallNs(),
			HandleCPUNs:  m.GetHandleCpuNs(),
		})
	}
	return Stats{
		Peer:                      snapshotOf(s.GetPeer()),
		ByType:                    by,
		TxAnnouncedByPeer:         s.GetTxAnnouncedByPeer(),
		TxAnnouncedToPeer:         s.GetTxAnnouncedToPeer(),
		TxRequestedFromPeer:       s.GetTxRequestedFromPeer(),
		TxRequestedByPeer:         s.GetTxRequestedByPeer(),
		TxReceived:                s.GetTxReceived(),
		TxSent:                    s.GetTxSent(),
		BlocksReceived:            s.GetBlocksReceived(),
		BlocksSent:                s.GetBlocksSent(),
		HeadersReceived:           s.GetHeadersReceived(),
		HeadersSent:               s.GetHeadersSent(),
		CmpctReceived:             s.GetCmpctReceived(),
		CmpctSent:                 s.GetCmpctSent(),
		TxLatency:                 latencyOf(s.GetTxLatency()),
		BlockLatency:              latencyOf(s.GetBlockLatency()),
		MemSendQueueBytes:         s.GetMemSendQueueBytes(),
		MemRecvUnackedBytes:       s.GetMemRecvUnackedBytes(),
		MemMailboxDepth:           s.GetMemMailboxDepth(),
		MemTrackingBytes:          s.GetMemTrackingBytes(),
		AddrmanEntriesContributed: s.GetAddrmanEntriesContributed(),
		HandleWallNs:              s.GetHandleWallNs(),
		HandleCPUNs:               s.GetHandleCpuNs(),
		Final:                     s.GetFinal(),
		TimeUnixNano:              s.GetTimeUnixNano(),
	}
}

// snapshotOf converts a PeerSnapshot; its maps are copied (never nil), so
// the record does not share memory with the message.
func snapshotOf(p *peermanpb.PeerSnapshot) Snapshot {
	return Snapshot{
		PeerID:                p.GetPeerId(),
		ConnID:                p.GetConnId(),
		Addr:                  p.GetAddr(),
		Addrbind:              p.GetAddrbind(),
		Addrlocal:             p.GetAddrlocal(),
		Network:               p.GetNetwork(),
		Services:              p.GetServices(),
		Relaytxes:             p.GetRelaytxes(),
		LastsendUnix:          p.GetLastsendUnix(),
		LastrecvUnix:          p.GetLastrecvUnix(),
		Bytessent:             p.GetBytessent(),
		Bytesrecv:             p.GetBytesrecv(),
		ConntimeUnix:          p.GetConntimeUnix(),
		Timeoffset:            p.GetTimeoffset(),
		PingtimeUs:            p.GetPingtimeUs(),
		MinpingUs:             p.GetMinpingUs(),
		PingwaitUs:            p.GetPingwaitUs(),
		Version:               p.GetVersion(),
		Subver:                p.GetSubver(),
		Inbound:               p.GetInbound(),
		Startingheight:        p.GetStartingheight(),
		ConnectionType:        ConnTypeName(p.GetConnectionType()),
		TransportProtocolType: p.GetTransportProtocolType(),
		BytessentPerMsg:       copyCounts(p.GetBytessentPerMsg()),
		BytesrecvPerMsg:       copyCounts(p.GetBytesrecvPerMsg()),
		HandshakeDone:         p.GetHandshakeDone(),
		LastBlockUnix:         p.GetLastBlockUnix(),
		LastTransactionUnix:   p.GetLastTransactionUnix(),
		Noban:                 p.GetNoban(),
		Wtxidrelay:            p.GetWtxidrelay(),
		Sendaddrv2:            p.GetSendaddrv2(),
		Minfeefilter:          p.GetMinfeefilter(),
		SendQueueBytes:        p.GetSendQueueBytes(),
		SnapshotUnixNano:      p.GetSnapshotUnixNano(),
		AddrRelayEnabled:      p.GetAddrRelayEnabled(),
		AddrProcessed:         p.GetAddrProcessed(),
		AddrRateLimited:       p.GetAddrRateLimited(),
	}
}

// latencyOf converts LatencyStats.
func latencyOf(l *peermanpb.LatencyStats) Latency {
	return Latency{
		Count:       l.GetCount(),
		Lost:        l.GetLost(),
		Unsolicited: l.GetUnsolicited(),
		MeanUs:      l.GetMeanUs(),
		P50Us:       l.GetP50Us(),
		P90Us:       l.GetP90Us(),
	}
}

// copyCounts copies a per-message counter map; nil becomes empty.
func copyCounts(m map[string]uint64) map[string]uint64 {
	out := make(map[string]uint64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
