package peercore

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// Protocol versions and limits the core enforces. The numbers are the ones
// Bitcoin Core uses; the names say which feature each version introduced.
const (
	// DefaultProtocolVersion is the version we announce: 70016 (wtxidrelay).
	DefaultProtocolVersion uint32 = 70016
	// MinPeerProtocolVersion is the oldest version we accept from a peer.
	MinPeerProtocolVersion int32 = 31800
	// PingNonceVersion is the version after which ping and pong carry a
	// nonce (BIP 31): a common version above it is required.
	PingNonceVersion uint32 = 60000
	// SendHeadersVersion is the first version that knows sendheaders.
	SendHeadersVersion uint32 = 70012
	// FeeFilterVersion is the first version that knows feefilter.
	FeeFilterVersion uint32 = 70013
	// ShortIDsBlocksVersion is the first version that knows compact blocks.
	ShortIDsBlocksVersion uint32 = 70014
	// WTxIDRelayVersion is the first version that negotiates wtxidrelay and
	// sendaddrv2 between version and verack.
	WTxIDRelayVersion uint32 = 70016
	// CompactBlocksVersion is the only compact block version we speak (2,
	// the segwit one).
	CompactBlocksVersion uint64 = 2

	// MaxAddrPerMsg bounds the entries of addr and addrv2.
	MaxAddrPerMsg = 1000
	// MaxInvPerMsg bounds the entries of inv and getdata.
	MaxInvPerMsg = 50000
	// MaxHeadersPerMsg bounds the entries of headers.
	MaxHeadersPerMsg = 2000
	// MaxLocatorHashes bounds the block locator of getheaders and getblocks.
	MaxLocatorHashes = 101
	// MaxMoney is the largest amount in satoshis; feefilter values outside
	// [0, MaxMoney] are ignored.
	MaxMoney int64 = 21_000_000 * 100_000_000
)

// Defaults applied by New to zero fields of Config.
const (
	// DefaultHandshakeTimeout is Core's -peertimeout.
	DefaultHandshakeTimeout = 60 * time.Second
	// DefaultInactivityTimeout is Core's TIMEOUT_INTERVAL.
	DefaultInactivityTimeout = 20 * time.Minute
	// DefaultPingInterval is Core's PING_INTERVAL.
	DefaultPingInterval = 2 * time.Minute
	// DefaultPingTimeout is Core's TIMEOUT_INTERVAL applied to pings.
	DefaultPingTimeout = 20 * time.Minute
	// DefaultFeeFilterInterval is the average time between feefilter
	// re-evaluations (Core's AVG_FEEFILTER_BROADCAST_INTERVAL).
	DefaultFeeFilterInterval = 10 * time.Minute
	// DefaultMinFeeFilter is our minimum relay fee rate in sat/kvB.
	DefaultMinFeeFilter int64 = 1000
)

// NonceSource is the core's only source of randomness: version nonces, ping
// nonces and timer jitter. Tests inject a deterministic one.
type NonceSource interface {
	// Uint64 returns the next random number.
	Uint64() uint64
}

// Config describes one connection and our side of it. It is copied into the
// State and never changed afterwards.
type Config struct {
	// ConnType says why the connection exists; it decides the handshake
	// rules (who speaks first, service requirements, getaddr, feelers).
	ConnType ConnType
	// OurServices are the service bits we announce.
	OurServices wire.ServiceFlag
	// RequiredServices must all be offered by outbound-full-relay,
	// block-relay-only and addr-fetch peers (Core: NODE_NETWORK|NODE_WITNESS).
	// Inbound, manual and feeler peers are exempt, as in Core.
	RequiredServices wire.ServiceFlag
	// RemoteServices are the peer's services as we know them before the
	// handshake (from the address manager); they go into addr_recv of our
	// version. Zero when unknown.
	RemoteServices wire.ServiceFlag
	// UserAgent is our BIP 14 user agent, e.g. "/actornode:0.1.0/"; at most
	// 256 bytes.
	UserAgent string
	// ProtocolVersion is the version we announce; zero means
	// DefaultProtocolVersion.
	ProtocolVersion uint32
	// StartHeight is our best block height at connection time.
	StartHeight int32
	// Relay says whether we want transactions relayed to us (false in
	// blocks-only mode). It is forced to false for block-relay-only and
	// feeler connections.
	Relay bool
	// LocalAddr and RemoteAddr are the socket's two ends.
	LocalAddr, RemoteAddr netip.AddrPort
	// HandshakeTimeout bounds the time from connection to verack.
	HandshakeTimeout time.Duration
	// InactivityTimeout bounds the silence in either direction.
	InactivityTimeout time.Duration
	// PingInterval is the time between our pings.
	PingInterval time.Duration
	// PingTimeout bounds the wait for a pong.
	PingTimeout time.Duration
	// FeeFilterInterval is the average time between feefilter checks.
	FeeFilterInterval time.Duration
	// MinFeeFilter is the fee rate (sat/kvB) we announce in feefilter; zero
	// means DefaultMinFeeFilter. SetFeeFilter changes it later.
	MinFeeFilter int64
	// Nonces supplies randomness; nil means CryptoNonces.
	Nonces NonceSource
	// SelfNonce reports whether a nonce is one of our own version nonces
	// (on any connection). An inbound peer presenting one is ourselves. Nil
	// means no self-connection detection.
	SelfNonce func(nonce uint64) bool
}

// withDefaults returns c with zero fields replaced by defaults.
func (c Config) withDefaults() Config {
	if c.ProtocolVersion == 0 {
		c.ProtocolVersion = DefaultProtocolVersion
	}
	if c.HandshakeTimeout == 0 {
		c.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if c.InactivityTimeout == 0 {
		c.InactivityTimeout = DefaultInactivityTimeout
	}
	if c.PingInterval == 0 {
		c.PingInterval = DefaultPingInterval
	}
	if c.PingTimeout == 0 {
		c.PingTimeout = DefaultPingTimeout
	}
	if c.FeeFilterInterval == 0 {
		c.FeeFilterInterval = DefaultFeeFilterInterval
	}
	if c.MinFeeFilter == 0 {
		c.MinFeeFilter = DefaultMinFeeFilter
	}
	if c.Nonces == nil {
		c.Nonces = CryptoNonces{}
	}
	return c
}

// validate reports the first problem of a defaulted config.
func (c Config) validate() error {
	switch {
	case !c.ConnType.valid():
		return fmt.Errorf("peercore: unknown connection type %d", c.ConnType)
	case c.ProtocolVersion < uint32(MinPeerProtocolVersion):
		return fmt.Errorf("peercore: protocol version %d below minimum %d", c.ProtocolVersion, MinPeerProtocolVersion)
	case len(c.UserAgent) > wire.MaxUserAgentLen:
		return fmt.Errorf("peercore: user agent is %d bytes, max %d", len(c.UserAgent), wire.MaxUserAgentLen)
	case c.HandshakeTimeout < 0 || c.InactivityTimeout < 0 || c.PingInterval < 0 ||
		c.PingTimeout < 0 || c.FeeFilterInterval < 0:
		return errors.New("peercore: negative duration in config")
	case c.MinFeeFilter < 0 || c.MinFeeFilter > MaxMoney:
		return fmt.Errorf("peercore: fee filter %d out of range", c.MinFeeFilter)
	}
	return nil
}
