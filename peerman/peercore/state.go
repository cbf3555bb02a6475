package peercore

import (
	"net/netip"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// HandshakeState is the progress of the version/verack exchange.
type HandshakeState uint8

// The handshake states, in order.
const (
	// AwaitingVersion: the peer's version has not arrived (ours may have
	// been sent, on outbound connections).
	AwaitingVersion HandshakeState = iota
	// AwaitingVerack: the peer's version was accepted and answered; its
	// verack has not arrived.
	AwaitingVerack
	// Established: the peer's verack arrived; the connection is usable.
	Established
)

var handshakeNames = [...]string{
	AwaitingVersion: "awaiting_version",
	AwaitingVerack:  "awaiting_verack",
	Established:     "established",
}

// String returns the state's snake_case name.
func (h HandshakeState) String() string {
	if int(h) < len(handshakeNames) {
		return handshakeNames[h]
	}
	return "unknown"
}

// State is one peer's protocol state. It is a plain value: it holds no
// slices, maps or pointers of its own, so a copy is fully independent of the
// original. The only shared parts are the injected Config.Nonces and
// Config.SelfNonce, which copies use together. The zero State is not usable;
// make one with New.
type State struct {
	cfg      Config
	ourNonce uint64
	phase    HandshakeState

	disconnected bool
	reason       DisconnectReason

	connTime, lastSend, lastRecv time.Time

	// What the peer told us in its version.
	theirVersion  int32
	commonVersion uint32
	theirServices wire.ServiceFlag
	userAgent     string
	startHeight   int32
	theirRelay    bool
	timeOffset    int64
	addrLocal     netip.AddrPort

	// What the peer negotiated.
	wtxidRelay    bool
	sendAddrV2    bool
	sendHeaders   bool
	sendCmpct     bool
	cmpctAnnounce bool
	cmpctVersion  uint64
	feeFilter     int64
	getAddrRecvd  bool

	// Address relay (Core's m_addr_relay_enabled, m_getaddr_sent and the
	// addr token bucket).
	addrRelayEnabled bool
	getAddrSent      bool
	addrTokens       float64
	addrTokensAt     time.Time
	addrProcessed    uint64
	addrRateLimited  uint64

	// Keepalive.
	pingNonce     uint64
	pingStart     time.Time
	pingQueued    bool
	lastPing      time.Duration
	minPing       time.Duration
	pingsSent     uint64
	pongsReceived uint64
	badPongs      uint64

	// What we announce after the handshake.
	feeFilterWant   int64
	feeFilterSent   int64
	nextFeeFilter   time.Time
	wantSendHeaders bool
	sentSendHeaders bool
}

// PeerInfo is an immutable snapshot of a State, shaped after Core's
// getpeerinfo. It is comparable with ==.
type PeerInfo struct {
	// ConnType is why the connection exists.
	ConnType ConnType
	// LocalAddr and RemoteAddr are the socket's ends (addrbind, addr).
	LocalAddr, RemoteAddr netip.AddrPort
	// AddrLocal is our address as the peer sees it (its addr_recv).
	AddrLocal netip.AddrPort
	// Handshake is the progress of version/verack.
	Handshake HandshakeState
	// Disconnected is set once a Disconnect was emitted, with its Reason.
	Disconnected bool
	// Reason is the disconnect reason, ReasonNone while connected.
	Reason DisconnectReason

	// Version is the peer's protocol version (0 before its version).
	Version int32
	// CommonVersion is min(ours, theirs), used for encoding.
	CommonVersion uint32
	// Services are the peer's service bits.
	Services wire.ServiceFlag
	// UserAgent is the peer's user agent (subver), unsanitised.
	UserAgent string
	// StartHeight is the peer's best height at connection time.
	StartHeight int32
	// Relay is the relay flag of the peer's version.
	Relay bool
	// TimeOffset is the peer's version timestamp minus our clock, seconds.
	TimeOffset int64
	// OurNonce is the nonce of the version we send.
	OurNonce uint64

	// WTxIDRelay, SendAddrV2 and SendHeaders record the peer's requests.
	WTxIDRelay, SendAddrV2, SendHeaders bool
	// SendCmpct is set when the peer sent sendcmpct version 2; CmpctAnnounce
	// is its high-bandwidth flag and CmpctVersion its version.
	SendCmpct     bool
	CmpctAnnounce bool
	CmpctVersion  uint64
	// FeeFilter is the peer's minimum fee rate, sat/kvB (minfeefilter).
	FeeFilter int64
	// OurFeeFilter is the last fee rate we announced, 0 if none.
	OurFeeFilter int64

	// AddrRelayEnabled is set once addresses are exchanged with the peer:
	// it sent addr, addrv2 or getaddr (inbound) or we sent getaddr; never on
	// block-relay-only connections.
	AddrRelayEnabled bool
	// AddrProcessed counts the addresses that passed the rate limit;
	// AddrRateLimited counts those dropped by it (getpeerinfo's
	// addr_processed and addr_rate_limited).
	AddrProcessed, AddrRateLimited uint64
	// AddrTokens is the addr token bucket's level as of the last addr or
	// addrv2 message (or getaddr we sent).
	AddrTokens float64

	// ConnTime is when the connection began; LastSend and LastRecv are the
	// times of our last Send output and of the last Received input.
	ConnTime, LastSend, LastRecv time.Time
	// PingNonce is the outstanding ping's nonce, 0 if none; PingSent is
	// when the last ping was sent.
	PingNonce uint64
	PingSent  time.Time
	// PingWait is how long the outstanding ping has waited, 0 if none.
	PingWait time.Duration
	// LastPing and MinPing are the last and smallest round trips; they are
	// meaningful only when PongsReceived > 0.
	LastPing, MinPing time.Duration
	// PingsSent counts our pings; PongsReceived counts pongs that matched
	// and were measured; BadPongs counts other pongs.
	PingsSent, PongsReceived, BadPongs uint64
}

// Snapshot returns the state as a PeerInfo, evaluating PingWait at now.
func (s State) Snapshot(now time.Time) PeerInfo {
	info := PeerInfo{
		ConnType:         s.cfg.ConnType,
		LocalAddr:        s.cfg.LocalAddr,
		RemoteAddr:       s.cfg.RemoteAddr,
		AddrLocal:        s.addrLocal,
		Handshake:        s.phase,
		Disconnected:     s.disconnected,
		Reason:           s.reason,
		Version:          s.theirVersion,
		CommonVersion:    s.commonVersion,
		Services:         s.theirServices,
		UserAgent:        s.userAgent,
		StartHeight:      s.startHeight,
		Relay:            s.theirRelay,
		TimeOffset:       s.timeOffset,
		OurNonce:         s.ourNonce,
		WTxIDRelay:       s.wtxidRelay,
		SendAddrV2:       s.sendAddrV2,
		SendHeaders:      s.sendHeaders,
		SendCmpct:        s.sendCmpct,
		CmpctAnnounce:    s.cmpctAnnounce,
		CmpctVersion:     s.cmpctVersion,
		FeeFilter:        s.feeFilter,
		OurFeeFilter:     s.feeFilterSent,
		AddrRelayEnabled: s.addrRelayEnabled,
		AddrProcessed:    s.addrProcessed,
		AddrRateLimited:  s.addrRateLimited,
		AddrTokens:       s.addrTokens,
		ConnTime:         s.connTime,
		LastSend:         s.lastSend,
		LastRecv:         s.lastRecv,
		PingNonce:        s.pingNonce,
		PingSent:         s.pingStart,
		LastPing:         s.lastPing,
		MinPing:          s.minPing,
		PingsSent:        s.pingsSent,
		PongsReceived:    s.pongsReceived,
		BadPongs:         s.badPongs,
	}
	if s.pingNonce != 0 && now.After(s.pingStart) {
		info.PingWait = now.Sub(s.pingStart)
	}
	return info
}

// relevant is the snapshot without the fields that move on every message or
// tick (the send and receive times, and the address counters and tokens,
// which move with every addr message); a difference in it is what Changed
// reports.
func (s State) relevant() PeerInfo {
	info := s.Snapshot(time.Time{})
	info.LastSend, info.LastRecv = time.Time{}, time.Time{}
	info.AddrProcessed, info.AddrRateLimited, info.AddrTokens = 0, 0, 0
	return info
}

// Handshake returns the progress of version/verack.
func (s State) Handshake() HandshakeState { return s.phase }

// Established reports whether the handshake completed.
func (s State) Established() bool { return s.phase == Established }

// Disconnected reports whether a Disconnect was emitted, and why.
func (s State) Disconnected() (bool, DisconnectReason) { return s.disconnected, s.reason }

// OurNonce returns the nonce of our version message, fixed in New. The
// actor registers it so that SelfNonce can recognise it on other
// connections.
func (s State) OurNonce() uint64 { return s.ourNonce }

// CommonVersion returns the protocol version both sides speak (ours until
// the peer's version arrives). The actor encodes Send outputs with it.
func (s State) CommonVersion() uint32 {
	if s.commonVersion == 0 {
		return s.cfg.ProtocolVersion
	}
	return s.commonVersion
}

// ConnType returns the connection type from the Config.
func (s State) ConnType() ConnType { return s.cfg.ConnType }
