package peerman

import (
	"log/slog"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/peerman/peercore"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"
)

// TickInterval is how often a Peer actor feeds peercore a Tick, which is
// when its timers (handshake, inactivity, ping) are evaluated.
const TickInterval = time.Second

// DefaultRequiredServices are the services an outbound full-relay,
// block-relay-only or addr-fetch peer must offer when
// Config.RequiredServices is zero (Core: NODE_NETWORK | NODE_WITNESS).
const DefaultRequiredServices = wire.SFNodeNetwork | wire.SFNodeWitness

// DefaultGatherTimeout bounds how long GetPeerInfo waits for each Peer's
// snapshot when Config.GatherTimeout is zero.
const DefaultGatherTimeout = 5 * time.Second

// DefaultAddrmanTimeout bounds how long a Peer waits for addrman's answer
// to GetAddrCache when Config.AddrmanTimeout is zero.
const DefaultAddrmanTimeout = 5 * time.Second

// DefaultStatsTimeout bounds how long a Peer waits for its connection's
// ConnStats when Config.StatsTimeout is zero.
const DefaultStatsTimeout = 2 * time.Second

// DefaultHandlerCPUEvery is how often a Peer measures a handler's CPU
// time when Config.HandlerCPUEvery is zero: the first message of each type
// and every 256th after it. Reading the thread's CPU clock is a system
// call; measured on every message it more than doubled the cost of
// handling a ping (BenchmarkPeerAccounting, BenchmarkSocketAccounting;
// docs/benchmarks.md), so the reported CPU time is an estimate scaled from
// the measured messages.
const DefaultHandlerCPUEvery = 256

// Config configures the peerman actor and, through it, every Peer actor.
// The zero value of every field selects a default (documented per field).
type Config struct {
	// Net is the network's magic. sockman frames with it; peerman keeps it
	// for the subsystems that will need it (address relay, chain).
	Net wire.BitcoinNet
	// UserAgent is our BIP 14 user agent (at most 256 bytes). Empty sends
	// an empty user agent.
	UserAgent string
	// ProtocolVersion is the version we announce; zero means
	// peercore.DefaultProtocolVersion (70016).
	ProtocolVersion uint32
	// OurServices are the service bits we announce.
	OurServices wire.ServiceFlag
	// RequiredServices must be offered by outbound full-relay,
	// block-relay-only and addr-fetch peers; zero means
	// DefaultRequiredServices.
	RequiredServices wire.ServiceFlag
	// StartHeight returns our best height when a Peer starts (the version
	// message's start_height). It is called from Peer actors concurrently,
	// so it must be safe for that. Nil means height 0.
	StartHeight func() int32
	// Relay says whether we want transactions relayed to us; false is
	// blocks-only mode (no relay flag in our version, no feefilter).
	Relay bool
	// HandshakeTimeout, InactivityTimeout, PingInterval and PingTimeout are
	// peercore's timers; zero selects peercore's defaults (60 s, 20 min,
	// 2 min, 20 min).
	HandshakeTimeout  time.Duration
	InactivityTimeout time.Duration
	PingInterval      time.Duration
	PingTimeout       time.Duration
	// GatherTimeout bounds the wait for each Peer's snapshot in
	// GetPeerInfo; zero means DefaultGatherTimeout.
	GatherTimeout time.Duration
	// StatsTimeout bounds a Peer's wait for its connection's ConnStats;
	// zero means DefaultStatsTimeout.
	StatsTimeout time.Duration
	// AddrmanTimeout bounds a Peer's wait for addrman's AddrList; zero
	// means DefaultAddrmanTimeout. A getaddr whose answer does not come in
	// time is left unanswered.
	AddrmanTimeout time.Duration
	// Addrman receives AddAddresses (the addresses peers announce, after
	// rate limiting) and is asked GetAddrCache to answer an inbound peer's
	// getaddr. Nil means no address manager: announced addresses are
	// dropped silently and getaddr is answered with nothing (no message,
	// as Core does when it has no address to give).
	Addrman *actor.PID
	// Random is the randomness of address relay: the secret key that picks
	// the peers an announced address is relayed to. Nil means
	// peercore.CryptoNonces; tests inject a deterministic source.
	Random peercore.NonceSource
	// Connman receives PeerStarted, DisconnectPeer and published
	// PeerSnapshots. Nil means the sender of each AttachPeer.
	Connman *actor.PID
	// Clock is the only source of time; nil means actors.SystemClock.
	Clock actors.Clock
	// Logger receives peerman's and the Peers' logs; nil discards them.
	Logger *slog.Logger
	// NoAccounting switches off the costly part of per-peer accounting:
	// handler wall and CPU time, the transaction, block and compact-block
	// counters and the request tracker. Messages and bytes per message type
	// are always counted (getpeerinfo needs them). The zero value keeps
	// accounting on.
	NoAccounting bool
	// HandlerCPUEvery measures the CPU time of every HandlerCPUEvery-th
	// received message of each type (the first of each type always); the
	// figure reported is then scaled to every message, an estimate. Zero
	// means DefaultHandlerCPUEvery.
	HandlerCPUEvery uint64
	// TxRequestTimeout and BlockRequestTimeout are how long a transaction
	// or block we asked a peer for (getdata) may take before the request
	// counts as lost; zero selects accounting.DefaultTxTimeout and
	// accounting.DefaultBlockTimeout (two minutes each).
	TxRequestTimeout    time.Duration
	BlockRequestTimeout time.Duration
	// StatsSink, when set, receives a copy of every PeerFinal (a departed
	// peer's last PeerStats), for the dump writer. Nil means none.
	StatsSink *actor.PID
	// Watchers receive every Peer's lifecycle events, PeerConnected (when
	// the Peer starts, before anything is sent or read), PeerHandshaken and
	// PeerDisconnected, in that order per peer. The capture recorder is one;
	// any actor that follows peers may be another. Nil or empty means none.
	Watchers []*actor.PID
	// InitialCapture is the capture selection peerman starts with, until a
	// SetCaptureSelection replaces it: the capture recorder starts before
	// peerman, so its first selection cannot reach peerman as a message.
	// Nil selects no peer.
	InitialCapture *peermanpb.SetCaptureSelection
	// Chainman is the chain actor: every Peer forwards it the chain
	// messages its peer sends after the handshake (headers, block, inv,
	// getheaders, getblocks, getdata, notfound, sendheaders) as
	// chainpb.PeerMessage with the frame's raw payload, and carries out its
	// SendMessage and RequestDisconnect. Nil means no chain: those messages
	// are only counted.
	Chainman *actor.PID
	// PeerProps builds the Props of each Peer actor from its producer (the
	// node adds its middleware here). It is called once per Peer. Nil means
	// actor.PropsFromProducer.
	PeerProps func(actor.Producer) *actor.Props
}

// withDefaults returns cfg with every zero field that has a default filled.
func (cfg Config) withDefaults() Config {
	if cfg.RequiredServices == 0 {
		cfg.RequiredServices = DefaultRequiredServices
	}
	if cfg.StartHeight == nil {
		cfg.StartHeight = func() int32 { return 0 }
	}
	if cfg.GatherTimeout <= 0 {
		cfg.GatherTimeout = DefaultGatherTimeout
	}
	if cfg.AddrmanTimeout <= 0 {
		cfg.AddrmanTimeout = DefaultAddrmanTimeout
	}
	if cfg.Random == nil {
		cfg.Random = peercore.CryptoNonces{}
	}
	if cfg.StatsTimeout <= 0 {
		cfg.StatsTimeout = DefaultStatsTimeout
	}
	if cfg.HandlerCPUEvery == 0 {
		cfg.HandlerCPUEvery = DefaultHandlerCPUEvery
	}
	if cfg.Clock == nil {
		cfg.Clock = actors.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.PeerProps == nil {
		cfg.PeerProps = func(p actor.Producer) *actor.Props { return actor.PropsFromProducer(p) }
	}
	return cfg
}
