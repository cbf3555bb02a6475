package trace

import (
	"context"
	"fmt"

	"github.com/actornode/actornode/actors"
	"github.com/asynkron/protoactor-go/actor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	oteltrace "go.opentelemetry.io/otel/trace"
)

// W3C trace context header names, as carried in protoactor envelope headers.
const (
	HeaderTraceparent = "traceparent"
	HeaderTracestate  = "tracestate"
	// HeaderUnsampled marks a message sent by a handler whose message was
	// not sampled under SamplerRatio: the chain was decided at its root, so
	// the receiver does not sample it again (only the peer filter can still
	// start a trace there).
	HeaderUnsampled = "actornode-unsampled"
)

// ReceiveMiddleware returns the receive middleware for the actors of
// subsystem sub (actors.Chain.Tracing), or nil when the tracer is disabled,
// which leaves the slot empty and costs nothing.
//
// For every message it decides whether to trace: a message whose envelope
// carries a sampled trace context continues that trace; a root message (no
// trace context) starts one when the sampler says so or when the actor is
// PeerIdentified and its peer matches the peer filter. Under SamplerRatio a
// message sent by an unsampled handler is not sampled again (see
// HeaderUnsampled): a chain is traced whole or not at all, except that a
// peer selected by the filter is always traced. Actor lifecycle messages
// (Started, Stopping, ...) never start a trace. An untraced message goes
// straight to the handler without allocating.
//
// A traced message gets one CONSUMER span named SpanName(sub, msg) that
// lasts as long as the handler (and the middleware inside this one). The
// handler sees a copy of the envelope whose header holds the span's trace
// context, which SendMiddleware copies into every message the handler
// sends. A panic is recorded on the span (status Error, with stack) and
// re-raised so that supervision still sees it; an error reported through
// HandlerErrorReporter is recorded the same way.
func (t *Tracer) ReceiveMiddleware(sub actors.Subsystem) actor.ReceiverMiddleware {
	if !t.enabled {
		return nil
	}
	return func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
			var parent oteltrace.SpanContext
			unsampled := false
			if env.Header != nil {
				if env.Header[HeaderTraceparent] != "" {
					ctx := t.prop.Extract(context.Background(), propagation.MapCarrier(env.Header))
					parent = oteltrace.SpanContextFromContext(ctx)
				} else {
					unsampled = env.Header[HeaderUnsampled] != ""
				}
			}
			switch {
			case parent.IsValid():
				if !parent.IsSampled() {
					next(c, env)
					return
				}
			case unsampled:
				if !t.peerSelected(c, env.Message) {
					next(c, env)
					return
				}
			default:
				if !t.startsRoot(c, env.Message) {
					next(c, env)
					return
				}
			}
			t.handle(sub, next, c, env, parent)
		}
	}
}

// startsRoot decides whether a message without a trace context starts a
// trace.
func (t *Tracer) startsRoot(c actor.ReceiverContext, msg any) bool {
	if isLifecycle(msg) {
		return false
	}
	switch t.mode {
	case SamplerAlways:
		return true
	case SamplerRatio:
		if t.root.SampleRoot() {
			return true
		}
	}
	return t.peerSelected(c, msg)
}

// peerSelected reports whether the actor talks to a peer the filter
// selects (and msg is not a lifecycle message).
func (t *Tracer) peerSelected(c actor.ReceiverContext, msg any) bool {
	if t.s.filter == nil || isLifecycle(msg) {
		return false
	}
	if pi, ok := c.Actor().(PeerIdentified); ok {
		return t.s.filter.Match(pi.TracePeer())
	}
	return false
}

// isLifecycle reports whether msg is one of protoactor's lifecycle
// messages, which never start a trace.
func isLifecycle(msg any) bool {
	switch msg.(type) {
	case *actor.Started, *actor.Stopping, *actor.Stopped, *actor.Restarting, *actor.ReceiveTimeout, *actor.PoisonPill:
		return true
	}
	return false
}

// handle runs next inside a span whose parent is parent (or a new root).
func (t *Tracer) handle(sub actors.Subsystem, next actor.ReceiverFunc, c actor.ReceiverContext,
	env *actor.MessageEnvelope, parent oteltrace.SpanContext) {
	ctx := context.Background()
	if parent.IsValid() {
		ctx = oteltrace.ContextWithRemoteSpanContext(ctx, parent)
	}
	ctx, span := t.tracer.Start(ctx, t.SpanName(sub, env.Message),
		oteltrace.WithSpanKind(oteltrace.SpanKindConsumer),
		oteltrace.WithAttributes(t.attributes(sub, c, env)...))

	header := make(map[string]string, len(env.Header)+2)
	for k, v := range env.Header {
		if k != HeaderTraceparent && k != HeaderTracestate && k != HeaderUnsampled {
			header[k] = v
		}
	}
	t.prop.Inject(ctx, propagation.MapCarrier(header))
	traced := &actor.MessageEnvelope{Header: header, Message: env.Message, Sender: env.Sender}

	defer func() {
		if r := recover(); r != nil {
			span.RecordError(fmt.Errorf("handler panicked: %v", r), oteltrace.WithStackTrace(true))
			span.SetStatus(codes.Error, fmt.Sprintf("panic: %v", r))
			span.End()
			panic(r)
		}
	}()
	next(c, traced)
	if er, ok := c.Actor().(HandlerErrorReporter); ok {
		if err := er.HandlerError(); err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
	}
	span.End()
}

// attributes describes the handling actor, its peer and the message.
func (t *Tracer) attributes(sub actors.Subsystem, c actor.ReceiverContext, env *actor.MessageEnvelope) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 20)
	attrs = append(attrs, attrSystem, attrOperation, attrOpName, KeySubsystem.String(string(sub)))
	if self := c.Self(); self != nil {
		attrs = append(attrs, KeyActor.String(self.GetId()))
	}
	if env.Sender != nil {
		attrs = append(attrs, KeySender.String(env.Sender.GetId()))
	}
	if pi, ok := c.Actor().(PeerIdentified); ok {
		p := pi.TracePeer()
		if p.ID != 0 {
			attrs = append(attrs, KeyPeerID.Int64(int64(p.ID)))
		}
		if p.ConnID != 0 {
			attrs = append(attrs, KeyConnID.Int64(int64(p.ConnID)))
		}
		if p.Addr.IsValid() {
			attrs = append(attrs, KeyPeerAddress.String(p.Addr.Addr().Unmap().String()), KeyPeerPort.Int(int(p.Addr.Port())))
		}
		attrs = append(attrs, KeyPeerDirection.String(p.Direction()))
		if p.ConnType != "" {
			attrs = append(attrs, KeyConnectionType.String(p.ConnType))
		}
		if p.UserAgent != "" {
			attrs = append(attrs, KeyUserAgent.String(p.UserAgent))
		}
	}
	return t.messageAttributes(attrs, env.Message)
}
