package config

import "time"

// Config is the node's complete, validated configuration. It is built once
// at start by Load (or LoadFile, or Default) and never mutated afterwards;
// subsystems receive the section they need by value. Each field's koanf tag
// is its key in the YAML file; docs/configuration.md documents every key.
type Config struct {
	// Network is one of mainnet, testnet3, testnet4, signet, regtest.
	Network string `koanf:"network"`
	// DataDir is the root of everything the node writes to disk. Files for a
	// network live under DataDir/<network>/.
	DataDir string `koanf:"datadir"`
	// Log configures structured logging.
	Log Log `koanf:"log"`
	// P2P configures the Bitcoin peer-to-peer side.
	P2P P2P `koanf:"p2p"`
	// RPC configures the JSON-RPC server.
	RPC RPC `koanf:"rpc"`
	// Actors holds per-actor runtime settings.
	Actors Actors `koanf:"actors"`
	// Shutdown bounds how long a clean stop may take.
	Shutdown Shutdown `koanf:"shutdown"`
	// Telemetry configures tracing and metrics.
	Telemetry Telemetry `koanf:"telemetry"`
	// Capture configures live message capture (docs/capture.md).
	Capture Capture `koanf:"capture"`
	// Chain configures chain sync and the block store (docs/chain.md).
	Chain Chain `koanf:"chain"`
}

// Chain configures the chain actor: header sync, block download and the
// block store in <datadir>/<network>/blocks (docs/chain.md).
type Chain struct {
	// Prune, when positive, deletes old block files once the stored blocks
	// exceed this many bytes, keeping the last 288 blocks; the node then
	// advertises NODE_NETWORK_LIMITED instead of NODE_NETWORK. 0 keeps
	// every block.
	Prune int `koanf:"prune"`
	// FlushInterval is how often stored blocks are made durable (fsync).
	FlushInterval time.Duration `koanf:"flushinterval"`
	// ProgressInterval is how often a progress line is logged while
	// syncing.
	ProgressInterval time.Duration `koanf:"progressinterval"`
}

// Capture configures live message capture to
// <datadir>/<network>/message_capture (docs/capture.md).
type Capture struct {
	// Enabled captures the peers Filter selects from the start; without
	// it nothing is captured until the startcapture RPC.
	Enabled bool `koanf:"enabled"`
	// Filter is the peer filter (telemetry/peerfilter) of the peers
	// captured when Enabled.
	Filter string `koanf:"filter"`
	// MaxSessionBytes bounds the data files of one session; 0 is no limit.
	MaxSessionBytes int `koanf:"maxsessionbytes"`
	// MaxTotalBytes bounds all sessions on disk, oldest removed first; 0
	// is no limit.
	MaxTotalBytes int `koanf:"maxtotalbytes"`
	// QueueBytes bounds the captured messages waiting to be written;
	// beyond it they are dropped and counted.
	QueueBytes int `koanf:"queuebytes"`
}

// Log configures logging. Levels are debug, info, warn, error.
type Log struct {
	// Level is the default level for every subsystem.
	Level string `koanf:"level"`
	// Format is text or json.
	Format string `koanf:"format"`
	// Levels overrides Level per subsystem; an empty value inherits Level.
	Levels SubsystemLevels `koanf:"levels"`
}

// SubsystemLevels holds one optional level per subsystem.
type SubsystemLevels struct {
	// Sockman is the socket manager's level.
	Sockman string `koanf:"sockman"`
	// Connman is the connection manager's level.
	Connman string `koanf:"connman"`
	// Peerman is the level of the peer manager and the Peer actors.
	Peerman string `koanf:"peerman"`
	// Addrman is the address manager's level.
	Addrman string `koanf:"addrman"`
	// RPC is the JSON-RPC server's level.
	RPC string `koanf:"rpc"`
	// Node is the level of start-up, supervision and shutdown.
	Node string `koanf:"node"`
}

// P2P configures connections to Bitcoin peers. Addresses without a port get
// the network's default P2P port.
type P2P struct {
	// Listen lists the addresses to accept peers on; empty means do not listen.
	Listen []string `koanf:"listen"`
	// Connect, when non-empty, restricts outbound connections to these peers.
	Connect []string `koanf:"connect"`
	// AddNode lists peers kept connected in addition to the automatic ones.
	AddNode []string `koanf:"addnode"`
	// MaxConnections bounds inbound plus outbound connections.
	MaxConnections int `koanf:"maxconnections"`
	// DNSSeed enables address discovery through the network's DNS seeds.
	DNSSeed bool `koanf:"dnsseed"`
	// DialTimeout bounds one outbound connection attempt.
	DialTimeout time.Duration `koanf:"dialtimeout"`
	// MaxSendQueue is the byte limit of one connection's send queue; a peer
	// that stops reading is disconnected when it is reached.
	MaxSendQueue int `koanf:"maxsendqueue"`
	// MaxRecvBuffer bounds the bytes a peer may have sent us that its Peer
	// actor has not handled yet; past it, its socket is not read until the
	// Peer catches up (Core's -maxreceivebuffer).
	MaxRecvBuffer int `koanf:"maxrecvbuffer"`
	// MaxOutbound is the number of automatic outbound full-relay peers.
	MaxOutbound int `koanf:"maxoutbound"`
	// MaxBlockRelay is the number of automatic outbound block-relay-only peers.
	MaxBlockRelay int `koanf:"maxblockrelay"`
	// HandshakeTimeout bounds the version/verack exchange.
	HandshakeTimeout time.Duration `koanf:"handshaketimeout"`
	// InactivityTimeout disconnects a peer when nothing was sent or nothing
	// was received for this long.
	InactivityTimeout time.Duration `koanf:"inactivitytimeout"`
	// PingInterval is how often a ping is sent to each peer.
	PingInterval time.Duration `koanf:"pinginterval"`
	// PingTimeout disconnects a peer whose pong is this late.
	PingTimeout time.Duration `koanf:"pingtimeout"`
	// BanTime is how long setban bans when no time is given.
	BanTime time.Duration `koanf:"bantime"`
}

// RPC configures the JSON-RPC server. Addresses without a port get the
// network's default RPC port.
type RPC struct {
	// Listen lists the addresses the HTTP server binds; empty disables RPC.
	Listen []string `koanf:"listen"`
	// User enables user/password authentication together with Password;
	// Load accepts both set or neither.
	User string `koanf:"user"`
	// Password is the password for User.
	Password string `koanf:"password"`
	// CookieFile is where the auth cookie is written at start; empty means
	// DataDir/<network>/.cookie.
	CookieFile string `koanf:"cookiefile"`
	// MaxBodyBytes bounds one request body.
	MaxBodyBytes int64 `koanf:"maxbodybytes"`
}

// Actors holds the runtime settings of each subsystem actor and of the
// per-connection actors.
type Actors struct {
	// Sockman is the socket manager actor.
	Sockman Actor `koanf:"sockman"`
	// Connman is the connection manager actor.
	Connman Actor `koanf:"connman"`
	// Peerman is the peer manager actor.
	Peerman Actor `koanf:"peerman"`
	// Addrman is the address manager actor.
	Addrman Actor `koanf:"addrman"`
	// RPC is the JSON-RPC actor.
	RPC Actor `koanf:"rpc"`
	// Telemetry is the actor writing the per-peer stats dumps.
	Telemetry Actor `koanf:"telemetry"`
	// Chainman is the chain actor.
	Chainman Actor `koanf:"chainman"`
	// Peer applies to every Peer actor (one per connection). Peers are never
	// restarted, so its Restarts section is ignored.
	Peer Actor `koanf:"peer"`
}

// Actor holds one actor's mailbox, dispatcher and restart settings.
type Actor struct {
	// Mailbox selects the actor's mailbox.
	Mailbox Mailbox `koanf:"mailbox"`
	// Throughput is how many messages the dispatcher processes before
	// yielding the goroutine to other actors.
	Throughput int `koanf:"throughput"`
	// Restarts bounds how often the actor is restarted after a panic.
	Restarts Restarts `koanf:"restarts"`
}

// Mailbox selects the mailbox kind. "unbounded" never drops; "dropping"
// holds at most Size messages and drops the newest (counted) when full. A
// blocking bounded mailbox is deliberately not offered: it can freeze a cycle
// of actors.
type Mailbox struct {
	// Kind is MailboxUnbounded or MailboxDropping.
	Kind string `koanf:"kind"`
	// Size is the capacity of a dropping mailbox (at least 1); an
	// unbounded mailbox ignores it.
	Size int `koanf:"size"`
}

// Restarts allows at most Max restarts within Within; one more failure stops
// the node with a fatal log.
type Restarts struct {
	// Max is the number of restarts allowed within the window.
	Max int `koanf:"max"`
	// Within is the window restarts are counted in.
	Within time.Duration `koanf:"within"`
}

// Shutdown bounds a clean stop.
type Shutdown struct {
	// Timeout is how long SIGINT/SIGTERM may take before the process exits anyway.
	Timeout time.Duration `koanf:"timeout"`
}

// Telemetry configures how the node reports on itself beyond its logs.
type Telemetry struct {
	// Traces configures distributed tracing (spans per handled message,
	// exported over OTLP).
	Traces Traces `koanf:"traces"`
	// Metrics configures the Prometheus endpoint.
	Metrics Metrics `koanf:"metrics"`
	// Accounting configures per-peer resource tracking.
	Accounting Accounting `koanf:"accounting"`
	// Dump configures the periodic per-peer stats files.
	Dump Dump `koanf:"dump"`
}

// Accounting configures per-peer resource tracking (getpeerstats, dumps).
type Accounting struct {
	// Enabled times every handler (wall and CPU) and tracks requests per
	// peer. Message and byte counts are kept either way (getpeerinfo).
	Enabled bool `koanf:"enabled"`
}

// Dump configures the periodic per-peer stats files (docs/dumps.md).
type Dump struct {
	// Enabled writes <NetDir>/peerstats/peerstats.jsonl.
	Enabled bool `koanf:"enabled"`
	// Interval is how often a record per selected peer is written.
	Interval time.Duration `koanf:"interval"`
	// Filter selects the peers dumped (telemetry/peerfilter); empty is all.
	Filter string `koanf:"filter"`
	// MaxBytes is the size at which the file is rotated.
	MaxBytes int `koanf:"maxbytes"`
	// MaxFiles is how many rotated files are kept.
	MaxFiles int `koanf:"maxfiles"`
}

// Sampler modes accepted in telemetry.traces.sampler.
const (
	// SamplerOff starts no trace by itself; only the peers selected by
	// telemetry.traces.peers are traced.
	SamplerOff = "off"
	// SamplerRatio traces a random fraction (telemetry.traces.ratio) of
	// the root messages.
	SamplerRatio = "ratio"
	// SamplerAlways traces every message.
	SamplerAlways = "always"
)

// Trace export protocols accepted in telemetry.traces.protocol.
const (
	// TraceProtocolGRPC is OTLP over gRPC.
	TraceProtocolGRPC = "grpc"
	// TraceProtocolHTTP is OTLP over HTTP (protobuf bodies).
	TraceProtocolHTTP = "http"
)

// Default trace collector endpoints per protocol. When telemetry.traces.protocol
// is http and the endpoint is left at its built-in default, Load uses
// DefaultTraceHTTPEndpoint instead.
const (
	DefaultTraceGRPCEndpoint = "127.0.0.1:4317"
	DefaultTraceHTTPEndpoint = "127.0.0.1:4318"
)

// Traces configures tracing; docs/tracing.md explains sampling and export.
type Traces struct {
	// Sampler is SamplerOff, SamplerRatio or SamplerAlways.
	Sampler string `koanf:"sampler"`
	// Ratio is the fraction of root messages traced under SamplerRatio,
	// from 0 to 1.
	Ratio float64 `koanf:"ratio"`
	// Peers is a peer filter (see telemetry/peerfilter) selecting peers
	// traced in full whatever the sampler; empty selects none.
	Peers string `koanf:"peers"`
	// Endpoint is the collector's host:port or URL.
	Endpoint string `koanf:"endpoint"`
	// Protocol is TraceProtocolGRPC or TraceProtocolHTTP.
	Protocol string `koanf:"protocol"`
	// QueueSize bounds the finished spans waiting for export; past it new
	// spans are dropped and counted.
	QueueSize int `koanf:"queuesize"`
}

// Metrics configures the Prometheus endpoint.
type Metrics struct {
	// Listen is the host:port serving /metrics; empty disables metrics.
	Listen string `koanf:"listen"`
}
