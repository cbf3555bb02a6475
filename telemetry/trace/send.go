package trace

import (
	"github.com/asynkron/protoactor-go/actor"
)

// SendMiddleware returns the send middleware of every actor
// (actors.Chain.TracingSend), or nil when the tracer is disabled, which
// leaves the slot empty and costs nothing.
//
// When the message being handled is traced (ReceiveMiddleware put the
// span's trace context in its envelope header), every message the handler
// sends (Send, Request, Respond, Forward) carries that trace context in its
// own envelope header, so the receiving actor's span becomes a child of the
// sender's span: one trace per causal chain. Under SamplerRatio, a send from
// an unsampled handler is marked with HeaderUnsampled instead (one small
// allocation at most), so that the chain is not sampled again downstream.
// An envelope that already carries headers is copied, never modified; one
// without headers is the envelope protoactor made for this very send
// (WrapEnvelope), which nobody else holds, so it gets the shared, read-only
// marker header in place. Other untraced sends pass through unchanged.
//
// It makes no span of its own: the receiver's CONSUMER span already times
// the handling, and a PRODUCER span per send would double the cost.
func (t *Tracer) SendMiddleware() actor.SenderMiddleware {
	if !t.enabled {
		return nil
	}
	return func(next actor.SenderFunc) actor.SenderFunc {
		return func(c actor.SenderContext, target *actor.PID, env *actor.MessageEnvelope) {
			tp := ""
			current := c.MessageHeader()
			if current != nil {
				tp = current.Get(HeaderTraceparent)
			}
			if tp == "" {
				if t.mode == SamplerRatio && env.GetHeader(HeaderUnsampled) == "" {
					t.markUnsampled(next, c, target, env)
					return
				}
				next(c, target, env)
				return
			}
			if env.GetHeader(HeaderTraceparent) == tp {
				next(c, target, env)
				return
			}
			header := make(map[string]string, len(env.Header)+2)
			for k, v := range env.Header {
				if k != HeaderTracestate && k != HeaderUnsampled {
					header[k] = v
				}
			}
			header[HeaderTraceparent] = tp
			if ts := current.Get(HeaderTracestate); ts != "" {
				header[HeaderTracestate] = ts
			}
			next(c, target, &actor.MessageEnvelope{Header: header, Message: env.Message, Sender: env.Sender})
		}
	}
}

// markUnsampled sends env marked with HeaderUnsampled. The shared marker
// header is never modified: receivers copy headers before adding to them.
// A header-less envelope is the one protoactor wrapped for this send, so it
// is marked in place (no allocation); one with headers is copied.
func (t *Tracer) markUnsampled(next actor.SenderFunc, c actor.SenderContext, target *actor.PID, env *actor.MessageEnvelope) {
	if len(env.Header) == 0 {
		env.Header = t.unsampled
		next(c, target, env)
		return
	}
	header := make(map[string]string, len(env.Header)+1)
	for k, v := range env.Header {
		header[k] = v
	}
	header[HeaderUnsampled] = "1"
	next(c, target, &actor.MessageEnvelope{Header: header, Message: env.Message, Sender: env.Sender})
}
