package rpc

import (
	"log/slog"
	"net"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// Defaults applied by NewActor to zero fields of Config.
const (
	// DefaultMaxBodyBytes bounds one request body when Config.MaxBodyBytes
	// is zero or negative.
	DefaultMaxBodyBytes int64 = 1 << 20
	// DefaultRequestTimeout bounds one question to another actor when
	// Config.RequestTimeout is zero or negative.
	DefaultRequestTimeout = 30 * time.Second
	// DefaultShutdownTimeout bounds the graceful HTTP shutdown when
	// Config.ShutdownTimeout is zero or negative.
	DefaultShutdownTimeout = 5 * time.Second
	// DefaultReadHeaderTimeout bounds reading one request's headers.
	DefaultReadHeaderTimeout = 30 * time.Second
)

// Config is everything the rpc actor needs. It is copied into the actor and
// never changed afterwards.
type Config struct {
	// Listen lists the "host:port" addresses the HTTP server binds. An
	// address without a port gets the default RPC port of Info.Network
	// (see DefaultPort). Port 0 lets the kernel choose; GetBoundAddrs and
	// OnListening report the result.
	Listen []string
	// User and Password enable HTTP Basic authentication with these
	// credentials when both are non-empty.
	User, Password string
	// CookieFile is where the cookie ("__cookie__:<64 hex digits>") is
	// written at start, with mode 0600, and removed at stop. Empty disables
	// cookie authentication. The caller resolves the node's default path.
	CookieFile string
	// MaxBodyBytes bounds one request body; larger bodies get HTTP 413.
	MaxBodyBytes int64
	// RequestTimeout bounds each question a method asks another actor.
	RequestTimeout time.Duration
	// ShutdownTimeout bounds the graceful shutdown of the HTTP server; when
	// it expires the remaining connections are closed.
	ShutdownTimeout time.Duration
	// Logger receives the server's logs; nil discards them.
	Logger *slog.Logger
	// Info describes the node for getnetworkinfo.
	Info NodeInfo
	// Node is the root supervisor. It answers actorspb.GetUptime and
	// actorspb.StopNode.
	Node *actor.PID
	// Connman is the connection manager. It answers
	// connmanpb.GetConnectionCounts, AddNode, DisconnectNode, SetBan,
	// ListBanned and ClearBanned.
	Connman *actor.PID
	// Peerman is the peer manager. It answers peermanpb.GetPeerInfo and
	// peermanpb.PingPeers.
	Peerman *actor.PID
	// Sockman is the socket manager. It answers sockmanpb.GetNetTotals.
	Sockman *actor.PID
	// Addrman is the address manager. It answers addrmanpb.GetNodeAddresses,
	// GetAddrmanInfo and AddPeerAddress.
	Addrman *actor.PID
	// Chainman is the chain actor. It answers chainpb.GetTip, GetBlockHash,
	// GetBlockHeader and GetBlock for the chain methods (see ChainMethods).
	// Nil makes those methods answer a "chain not available" error.
	Chainman *actor.PID
	// Capture is the capture recorder. It answers capturepb.StartCapture,
	// StopCapture and ListCaptures.
	Capture *actor.PID
	// TelemetryStats, if set, returns the tracing and metrics settings and
	// the span export counters that gettelemetryinfo reports. It is called
	// from HTTP handler goroutines and must be safe for concurrent use (it
	// reads atomic counters). Nil makes gettelemetryinfo report telemetry
	// as not configured.
	TelemetryStats func() TelemetryInfo
	// OnListening, if set, is called from the actor once every listener is
	// bound, with the bound addresses in the order of Listen.
	OnListening func(addrs []net.Addr)
	// OnStartError, if set, is called from the actor when it cannot start
	// (no authentication configured, cookie not writable, address not
	// bindable), just before the actor panics with the same *StartError.
	OnStartError func(err *StartError)
}

// NodeInfo is the static description of the node that getnetworkinfo
// reports.
type NodeInfo struct {
	// Version is the Core-style version number (see VersionNumber).
	Version int
	// Subversion is the user agent, e.g. "/actornode:0.1.0/".
	Subversion string
	// ProtocolVersion is the P2P protocol version the node speaks.
	ProtocolVersion uint32
	// LocalServices is the service bit field the node advertises.
	LocalServices uint64
	// Network is one of mainnet, testnet3, testnet4, signet, regtest.
	Network string
	// LocalRelay tells whether the node asks peers to relay transactions
	// (the relay flag of its version message).
	LocalRelay bool
}

// VersionNumber returns the Core-style integer form of a version:
// 10000*major + 100*minor + patch, so 0.1.0 is 100 and 27.1.0 is 270100.
func VersionNumber(major, minor, patch int) int {
	return 10000*major + 100*minor + patch
}

// withDefaults returns cfg with zero limits replaced by their defaults.
func (cfg Config) withDefaults() Config {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = DefaultShutdownTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.Listen = append([]string(nil), cfg.Listen...)
	return cfg
}
