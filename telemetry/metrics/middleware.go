package metrics

import (
	"context"
	"reflect"
	"sync"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// options are the measurement options of one label set.
type options struct {
	record []metric.RecordOption
	add    []metric.AddOption
}

// typeLabels are the label sets of one message type: one, or for a Bitcoin
// message one per known command plus OtherCommand. Immutable once built.
type typeLabels struct {
	plain     options
	byCommand map[string]options
}

// labels caches the measurement options of one subsystem, so that a
// handled message allocates nothing: a lock-free lookup by type, then (for
// Bitcoin messages) a read of an immutable map.
type labels struct {
	m     *Metrics
	sub   actors.Subsystem
	types sync.Map // reflect.Type -> *typeLabels
}

// wireCommand returns the command of a Bitcoin message, and whether msg is
// one.
func wireCommand(msg any) (string, bool) {
	switch m := msg.(type) {
	case *sockmanpb.Frame:
		return m.GetCommand(), true
	case *sockmanpb.Send:
		return m.GetCommand(), true
	case *sockmanpb.FrameDropped:
		return m.GetCommand(), true
	}
	return "", false
}

// of returns the options of msg's label set.
func (l *labels) of(msg any) options {
	rt := reflect.TypeOf(msg)
	v, ok := l.types.Load(rt)
	if !ok {
		v, _ = l.types.LoadOrStore(rt, l.build(msg))
	}
	tl := v.(*typeLabels)
	cmd, wire := wireCommand(msg)
	if !wire {
		return tl.plain
	}
	if o, ok := tl.byCommand[cmd]; ok {
		return o
	}
	return tl.byCommand[OtherCommand]
}

// build makes the label sets of msg's type.
func (l *labels) build(msg any) *typeLabels {
	name := l.m.names.Of(msg).Short
	mk := func(command string) options {
		kv := []attribute.KeyValue{
			attribute.String(LabelSubsystem, string(l.sub)),
			attribute.String(LabelMessage, name),
		}
		if command != "" {
			kv = append(kv, attribute.String(LabelCommand, command))
		}
		set := attribute.NewSet(kv...)
		return options{
			record: []metric.RecordOption{metric.WithAttributeSet(set)},
			add:    []metric.AddOption{metric.WithAttributeSet(set)},
		}
	}
	if _, wire := wireCommand(msg); !wire {
		return &typeLabels{plain: mk("")}
	}
	tl := &typeLabels{byCommand: make(map[string]options, len(knownCommands)+1)}
	for cmd := range knownCommands {
		tl.byCommand[cmd] = mk(cmd)
	}
	tl.byCommand[OtherCommand] = mk(OtherCommand)
	return tl
}

// ReceiveMiddleware returns the receive middleware that records the handler
// duration of every message handled by the actors of subsystem sub (put it
// in actors.Chain.Receive), or nil when metrics are disabled. A panicking
// handler is counted in NameHandlerPanics and its duration recorded; the
// panic continues to the supervisor untouched.
func (m *Metrics) ReceiveMiddleware(sub actors.Subsystem) actor.ReceiverMiddleware {
	if !m.Enabled() {
		return nil
	}
	l := &labels{m: m, sub: sub}
	return func(next actor.ReceiverFunc) actor.ReceiverFunc {
		return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
			start := time.Now()
			finished := false
			defer func() {
				o := l.of(env.Message)
				m.duration.Record(context.Background(), time.Since(start).Seconds(), o.record...)
				if !finished {
					m.panics.Add(context.Background(), 1, o.add...)
				}
			}()
			next(c, env)
			finished = true
		}
	}
}
