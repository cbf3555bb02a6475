package trace

import (
	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"go.opentelemetry.io/otel/attribute"
)

// Wire directions (KeyWireDirection).
const (
	WireRecv = "recv"
	WireSend = "send"
)

// MessageName returns how a message is named in span names: for a received Bitcoin message (*sockmanpb.Frame) "recv <command>",
// for one being sent (*sockmanpb.Send) "send <command>", otherwise the
// message type's short name (the protobuf message name, or the Go type
// name).
func (t *Tracer) MessageName(msg any) string {
	switch m := msg.(type) {
	case *sockmanpb.Frame:
		return WireRecv + " " + m.GetCommand()
	case *sockmanpb.Send:
		return WireSend + " " + m.GetCommand()
	}
	return t.names.Of(msg).Short
}

// SpanName returns the name of the span of msg handled by an actor of
// subsystem sub: "<subsystem> <message name>", such as "peerman recv inv",
// "sockman send pong" or "rpc GetPeerInfo".
func (t *Tracer) SpanName(sub actors.Subsystem, msg any) string {
	return string(sub) + " " + t.MessageName(msg)
}

// messageAttributes appends the attributes describing msg itself.
func (t *Tracer) messageAttributes(attrs []attribute.KeyValue, msg any) []attribute.KeyValue {
	attrs = append(attrs, KeyMessageType.String(t.names.Of(msg).Full))
	switch m := msg.(type) {
	case *sockmanpb.Frame:
		attrs = append(attrs,
			KeyWireDirection.String(WireRecv),
			KeyCommand.String(m.GetCommand()),
			KeyPayloadSize.Int(len(m.GetPayload())),
			KeyWireSize.Int64(int64(m.GetWireSize())),
			KeyConnID.Int64(int64(m.GetConnId())))
	case *sockmanpb.Send:
		attrs = append(attrs,
			KeyWireDirection.String(WireSend),
			KeyCommand.String(m.GetCommand()),
			KeyPayloadSize.Int(len(m.GetPayload())),
			KeyConnID.Int64(int64(m.GetConnId())))
	case *sockmanpb.FrameDropped:
		attrs = append(attrs,
			KeyWireDirection.String(WireRecv),
			KeyCommand.String(m.GetCommand()),
			KeyWireSize.Int64(int64(m.GetWireSize())),
			KeyConnID.Int64(int64(m.GetConnId())))
	}
	return attrs
}
