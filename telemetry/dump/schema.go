package dump

import "time"

// Version is the schema version written in every record's "v" field.
// Readers reject other versions; a change that removes or renames a field
// bumps it, adding a field does not.
const Version = 1

// Kind says why a record was written.
type Kind string

// The record kinds.
const (
	// KindPeriodic is written every dump interval for each selected peer.
	KindPeriodic Kind = "periodic"
	// KindFinal is written once, when a selected peer disconnected, with
	// its totals.
	KindFinal Kind = "final"
)

// Valid reports whether k is one of the record kinds.
func (k Kind) Valid() bool { return k == KindPeriodic || k == KindFinal }

// Record is one line of a dump file. Every field is always present in the
// JSON form (zero values included), so a reader never has to guess whether
// a missing key means zero. docs/dumps.md documents every field.
type Record struct {
	// V is the schema version, always Version.
	V int `json:"v"`
	// Kind is KindPeriodic or KindFinal.
	Kind Kind `json:"kind"`
	// Time is when the record was written, in UTC (RFC 3339 with
	// nanoseconds in the JSON form).
	Time time.Time `json:"time"`
	// UnixNano is Time in nanoseconds since the Unix epoch.
	UnixNano int64 `json:"unix_nano"`
	// Peer identifies the peer; it repeats fields of Stats.Peer so that
	// readers can select peers without descending into the stats.
	Peer Identity `json:"peer"`
	// Stats is everything the node measured about the peer.
	Stats Stats `json:"stats"`
}

// Identity is who a record is about.
type Identity struct {
	// ID is the peer id (getpeerinfo "id"); it is unique within one run of
	// the node, not across restarts.
	ID uint64 `json:"id"`
	// ConnID is the connection id.
	ConnID uint64 `json:"conn_id"`
	// Addr is the remote address and port.
	Addr string `json:"addr"`
	// Network is ipv4, ipv6, onion, i2p, cjdns or not_publicly_routable.
	Network string `json:"network"`
	// Direction is "inbound" or "outbound".
	Direction string `json:"direction"`
	// ConnectionType is one of Bitcoin Core's connection type names
	// (inbound, outbound-full-relay, block-relay-only, manual, feeler,
	// addr-fetch), empty when unknown.
	ConnectionType string `json:"connection_type"`
	// Subver is the user agent from the peer's version message, empty
	// until it arrived.
	Subver string `json:"subver"`
}

// Stats is peermanpb.PeerStats in the dump's stable JSON form: proto field
// names, numbers as JSON numbers, enums as names.
type Stats struct {
	// Peer: The peer's snapshot in getpeerinfo's terms.
	Peer Snapshot `json:"peer"`
	// ByType: Traffic and handling cost per message type, one object per type seen.
	ByType []MsgType `json:"by_type"`
	// TxAnnouncedByPeer: Transactions the peer announced to us (inv entries).
	TxAnnouncedByPeer uint64 `json:"tx_announced_by_peer"`
	// TxAnnouncedToPeer: Transactions we announced to the peer.
	TxAnnouncedToPeer uint64 `json:"tx_announced_to_peer"`
	// TxRequestedFromPeer: Transactions we asked the peer for (getdata).
	TxRequestedFromPeer uint64 `json:"tx_requested_from_peer"`
	// TxRequestedByPeer: Transactions the peer asked us for.
	TxRequestedByPeer uint64 `json:"tx_requested_by_peer"`
	// TxReceived: Transactions received from the peer.
	TxReceived uint64 `json:"tx_received"`
	// TxSent: Transactions sent to the peer.
	TxSent uint64 `json:"tx_sent"`
	// BlocksReceived: Blocks received from the peer.
	BlocksReceived uint64 `json:"blocks_received"`
	// BlocksSent: Blocks sent to the peer.
	BlocksSent uint64 `json:"blocks_sent"`
	// HeadersReceived: Headers received from the peer.
	HeadersReceived uint64 `json:"headers_received"`
	// HeadersSent: Headers sent to the peer.
	HeadersSent uint64 `json:"headers_sent"`
	// CmpctReceived: Compact blocks received from the peer.
	CmpctReceived uint64 `json:"cmpct_received"`
	// CmpctSent: Compact blocks sent to the peer.
	CmpctSent uint64 `json:"cmpct_sent"`
	// TxLatency: Time from our getdata for a transaction to the reply.
	TxLatency Latency `json:"tx_latency"`
	// BlockLatency: Time from our getdata for a block to the reply.
	BlockLatency Latency `json:"block_latency"`
	// MemSendQueueBytes: Bytes queued to send to the peer.
	MemSendQueueBytes uint64 `json:"mem_send_queue_bytes"`
	// MemRecvUnackedBytes: Bytes received from the peer that its Peer actor has not handled yet.
	MemRecvUnackedBytes uint64 `json:"mem_recv_unacked_bytes"`
	// MemMailboxDepth: Messages waiting in the Peer actor's mailbox (a count, not bytes).
	MemMailboxDepth uint64 `json:"mem_mailbox_depth"`
	// MemTrackingBytes: Memory the node spends tracking the peer (announcements, requests in flight).
	MemTrackingBytes uint64 `json:"mem_tracking_bytes"`
	// AddrmanEntriesContributed: Address manager entries that came from this peer.
	AddrmanEntriesContributed uint64 `json:"addrman_entries_contributed"`
	// HandleWallNs: Wall time the Peer actor spent handling the peer's messages, nanoseconds.
	HandleWallNs uint64 `json:"handle_wall_ns"`
	// HandleCPUNs: CPU time the Peer actor spent handling the peer's messages, nanoseconds.
	HandleCPUNs uint64 `json:"handle_cpu_ns"`
	// Final: true on the stats a Peer sends when its connection closed (the final records).
	Final bool `json:"final"`
	// TimeUnixNano: When the stats were taken (for a final record: when the connection closed), Unix nanoseconds; 0 if not set.
	TimeUnixNano int64 `json:"time_unix_nano"`
}

// Snapshot is peermanpb.PeerSnapshot in the dump's JSON form (getpeerinfo
// names).
type Snapshot struct {
	// PeerID: Peer id.
	PeerID uint64 `json:"peer_id"`
	// ConnID: Connection id.
	ConnID uint64 `json:"conn_id"`
	// Addr: Remote address and port.
	Addr string `json:"addr"`
	// Addrbind: Our local address and port of the connection.
	Addrbind string `json:"addrbind"`
	// Addrlocal: Our address as the peer saw it (its version message); empty if unknown.
	Addrlocal string `json:"addrlocal"`
	// Network: ipv4, ipv6, onion, i2p, cjdns or not_publicly_routable.
	Network string `json:"network"`
	// Services: Service bits the peer offers.
	Services uint64 `json:"services"`
	// Relaytxes: The peer wants transactions relayed to it.
	Relaytxes bool `json:"relaytxes"`
	// LastsendUnix: Last send to the peer, Unix seconds (0: never).
	LastsendUnix int64 `json:"lastsend_unix"`
	// LastrecvUnix: Last receive from the peer, Unix seconds (0: never).
	LastrecvUnix int64 `json:"lastrecv_unix"`
	// Bytessent: Bytes sent to the peer.
	Bytessent uint64 `json:"bytessent"`
	// Bytesrecv: Bytes received from the peer.
	Bytesrecv uint64 `json:"bytesrecv"`
	// ConntimeUnix: When the connection opened, Unix seconds.
	ConntimeUnix int64 `json:"conntime_unix"`
	// Timeoffset: The peer's clock minus ours, seconds.
	Timeoffset int64 `json:"timeoffset"`
	// PingtimeUs: Last ping round trip, microseconds; -1 when there is none.
	PingtimeUs int64 `json:"pingtime_us"`
	// MinpingUs: Smallest ping round trip, microseconds; -1 when there is none.
	MinpingUs int64 `json:"minping_us"`
	// PingwaitUs: How long the outstanding ping has waited, microseconds; -1 when none is outstanding.
	PingwaitUs int64 `json:"pingwait_us"`
	// Version: The peer's protocol version.
	Version int32 `json:"version"`
	// Subver: The peer's user agent.
	Subver string `json:"subver"`
	// Inbound: The peer connected to us.
	Inbound bool `json:"inbound"`
	// Startingheight: The peer's best height in its version message.
	Startingheight int32 `json:"startingheight"`
	// ConnectionType: As in Identity.ConnectionType.
	ConnectionType string `json:"connection_type"`
	// TransportProtocolType: v1 (plaintext P2P transport).
	TransportProtocolType string `json:"transport_protocol_type"`
	// BytessentPerMsg: Bytes sent per message type ({"ping": 32, ...}).
	BytessentPerMsg map[string]uint64 `json:"bytessent_per_msg"`
	// BytesrecvPerMsg: Bytes received per message type.
	BytesrecvPerMsg map[string]uint64 `json:"bytesrecv_per_msg"`
	// HandshakeDone: The version handshake completed.
	HandshakeDone bool `json:"handshake_done"`
	// LastBlockUnix: Last time the peer sent us a new block, Unix seconds (0: never).
	LastBlockUnix int64 `json:"last_block_unix"`
	// LastTransactionUnix: Last time the peer sent us a new transaction, Unix seconds (0: never).
	LastTransactionUnix int64 `json:"last_transaction_unix"`
	// Noban: The peer has the noban permission.
	Noban bool `json:"noban"`
	// Wtxidrelay: The peer negotiated wtxid relay (BIP 339).
	Wtxidrelay bool `json:"wtxidrelay"`
	// Sendaddrv2: The peer negotiated addrv2 (BIP 155).
	Sendaddrv2 bool `json:"sendaddrv2"`
	// Minfeefilter: The peer's feefilter, satoshis per kvB.
	Minfeefilter int64 `json:"minfeefilter"`
	// SendQueueBytes: Bytes in the connection's send queue when the snapshot was taken.
	SendQueueBytes uint64 `json:"send_queue_bytes"`
	// SnapshotUnixNano: When the snapshot was taken, Unix nanoseconds.
	SnapshotUnixNano int64 `json:"snapshot_unix_nano"`
	// AddrRelayEnabled: Addresses were exchanged with the peer (never for block-relay-only peers).
	AddrRelayEnabled bool `json:"addr_relay_enabled"`
	// AddrProcessed: The peer's addresses that passed the rate limit.
	AddrProcessed uint64 `json:"addr_processed"`
	// AddrRateLimited: The peer's addresses dropped by the rate limit.
	AddrRateLimited uint64 `json:"addr_rate_limited"`
}

// MsgType is peermanpb.MsgTypeStats in the dump's JSON form.
type MsgType struct {
	// Msgtype: The message type (inv, tx, ping, ...).
	Msgtype string `json:"msgtype"`
	// MsgsRecv: Messages of this type received.
	MsgsRecv uint64 `json:"msgs_recv"`
	// BytesRecv: Bytes of them received, headers included.
	BytesRecv uint64 `json:"bytes_recv"`
	// MsgsSent: Messages of this type sent.
	MsgsSent uint64 `json:"msgs_sent"`
	// BytesSent: Bytes of them sent, headers included.
	BytesSent uint64 `json:"bytes_sent"`
	// HandleWallNs: Wall time spent handling received messages of this type (including producing replies), nanoseconds.
	HandleWallNs uint64 `json:"handle_wall_ns"`
	// HandleCPUNs: CPU time spent on the same, nanoseconds.
	HandleCPUNs uint64 `json:"handle_cpu_ns"`
}

// Latency is peermanpb.LatencyStats in the dump's JSON form.
type Latency struct {
	// Count: Replies measured.
	Count uint64 `json:"count"`
	// Lost: Requests that got no reply.
	Lost uint64 `json:"lost"`
	// Unsolicited: Objects the peer sent that we had not asked for.
	Unsolicited uint64 `json:"unsolicited"`
	// MeanUs: Mean time from request to reply, microseconds.
	MeanUs int64 `json:"mean_us"`
	// P50Us: Median, microseconds.
	P50Us int64 `json:"p50_us"`
	// P90Us: 90th percentile, microseconds.
	P90Us int64 `json:"p90_us"`
}
