package actors

import "strconv"

// ConnID identifies one socket connection for its whole life. sockman assigns
// it; it is never reused within a process. A ConnID is not a PeerID.
type ConnID uint64

// String returns the decimal form of the id.
func (id ConnID) String() string { return strconv.FormatUint(uint64(id), 10) }

// PeerID identifies one Peer session (the "id" of getpeerinfo). peerman
// assigns it when a connection is handed to a Peer actor; it is never reused
// within a process. A PeerID is not a ConnID.
type PeerID uint64

// String returns the decimal form of the id.
func (id PeerID) String() string { return strconv.FormatUint(uint64(id), 10) }

// Subsystem names one child of the root supervisor. It is used as the actor
// name, the log field "subsystem" and the config section under "actors".
type Subsystem string

// The subsystems of the node. The node starts them in the order of
// Subsystems and stops them in reverse.
const (
	SubsystemSockman Subsystem = "sockman"
	SubsystemConnman Subsystem = "connman"
	SubsystemPeerman Subsystem = "peerman"
	SubsystemAddrman Subsystem = "addrman"
	SubsystemRPC     Subsystem = "rpc"
	// SubsystemChainman is the chain actor: header tree, block download,
	// block store and serving.
	SubsystemChainman Subsystem = "chainman"
	// SubsystemTelemetry writes the per-peer stats dumps.
	SubsystemTelemetry Subsystem = "telemetry"
)

// Subsystems lists every subsystem in start order: each starts after the
// ones it sends to, so no first message goes to an actor not yet spawned
// (telemetry receives peers' final stats; connman hands connections to
// peerman and reports to addrman; chainman starts before peerman, whose
// Peers forward it chain messages; peerman sends to connman only once
// connections arrive, which needs connman).
// Stopping runs in reverse: rpc first, sockman last.
var Subsystems = []Subsystem{SubsystemSockman, SubsystemTelemetry, SubsystemAddrman, SubsystemChainman, SubsystemPeerman, SubsystemConnman, SubsystemRPC}
