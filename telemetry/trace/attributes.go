package trace

import (
	"go.opentelemetry.io/otel/attribute"
)

// Span attribute keys. The network.* and messaging.* keys follow the
// OpenTelemetry semantic conventions; actornode.* are the node's own.
const (
	// KeySubsystem is the subsystem the handling actor belongs to.
	KeySubsystem = attribute.Key("actornode.subsystem")
	// KeyActor is the handling actor's PID id.
	KeyActor = attribute.Key("actornode.actor")
	// KeySender is the sender's PID id, when the message has a sender.
	KeySender = attribute.Key("actornode.sender")
	// KeyMessageType is the message's full type name (the protobuf full
	// name, or the Go type).
	KeyMessageType = attribute.Key("actornode.message.type")
	// KeyPeerID is the peer's session id (getpeerinfo "id").
	KeyPeerID = attribute.Key("actornode.peer.id")
	// KeyConnID is the peer's connection id.
	KeyConnID = attribute.Key("actornode.conn.id")
	// KeyPeerDirection is inbound or outbound: who opened the connection.
	KeyPeerDirection = attribute.Key("actornode.peer.direction")
	// KeyConnectionType is the peer's connection type (Core's names).
	KeyConnectionType = attribute.Key("actornode.peer.connection_type")
	// KeyUserAgent is the peer's user agent, once known.
	KeyUserAgent = attribute.Key("actornode.peer.user_agent")
	// KeyPeerAddress is the peer's IP address.
	KeyPeerAddress = attribute.Key("network.peer.address")
	// KeyPeerPort is the peer's TCP port.
	KeyPeerPort = attribute.Key("network.peer.port")
	// KeyWireDirection is recv for a received Bitcoin message, send for one
	// being sent.
	KeyWireDirection = attribute.Key("actornode.wire.direction")
	// KeyCommand is the Bitcoin message's command (inv, addr, ping, ...).
	KeyCommand = attribute.Key("actornode.wire.command")
	// KeyPayloadSize is the Bitcoin message's payload size in bytes.
	KeyPayloadSize = attribute.Key("messaging.message.body.size")
	// KeyWireSize is the received message's size on the wire (header
	// included).
	KeyWireSize = attribute.Key("actornode.wire.size")
	// KeyMessagingSystem is always "protoactor".
	KeyMessagingSystem = attribute.Key("messaging.system")
	// KeyOperationType is always "process": the span is a handler run.
	KeyOperationType = attribute.Key("messaging.operation.type")
	// KeyOperationName is always "receive".
	KeyOperationName = attribute.Key("messaging.operation.name")
)

// Fixed attribute values.
var (
	attrSystem    = KeyMessagingSystem.String("protoactor")
	attrOperation = KeyOperationType.String("process")
	attrOpName    = KeyOperationName.String("receive")
)
