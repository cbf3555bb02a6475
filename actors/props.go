package actors

import (
	"github.com/asynkron/protoactor-go/actor"
)

// Chain is the middleware every actor of the node is built with. Tracing
// (telemetry) fills the first slot of each list; later middleware runs inside
// it. Middleware is attached to each Props separately: protoactor's
// propagator helper configures a shared Props and re-runs middleware once per
// spawned child, which the race detector flags.
type Chain struct {
	// Tracing wraps every handler; nil leaves the slot empty.
	Tracing actor.ReceiverMiddleware
	// TracingSend wraps every send (to inject trace context into envelope
	// headers); nil leaves the slot empty.
	TracingSend actor.SenderMiddleware
	// Receive runs inside Tracing, in order; nil entries are skipped.
	Receive []actor.ReceiverMiddleware
	// Send runs inside TracingSend, in order; nil entries are skipped.
	Send []actor.SenderMiddleware
}

// receivers returns the receive middleware in order, nil entries left out:
// a disabled telemetry component hands out nil middleware, and protoactor
// would call a nil entry.
func (c Chain) receivers() []actor.ReceiverMiddleware {
	var out []actor.ReceiverMiddleware
	if c.Tracing != nil {
		out = append(out, c.Tracing)
	}
	for _, m := range c.Receive {
		if m != nil {
			out = append(out, m)
		}
	}
	return out
}

// senders returns the send middleware in order, nil entries left out.
func (c Chain) senders() []actor.SenderMiddleware {
	var out []actor.SenderMiddleware
	if c.TracingSend != nil {
		out = append(out, c.TracingSend)
	}
	for _, m := range c.Send {
		if m != nil {
			out = append(out, m)
		}
	}
	return out
}

// NewProps builds the Props of one actor from its producer, its runtime
// settings and the node's middleware chain. counters receives the mailbox
// figures; nil allocates private counters. Extra options (a supervisor
// strategy for the actor's children, say) are applied last.
func NewProps(producer actor.Producer, s Settings, chain Chain, counters *MailboxCounters, extra ...actor.PropsOption) (*actor.Props, error) {
	if counters == nil {
		counters = &MailboxCounters{}
	}
	mb, err := mailboxProducer(s, counters)
	if err != nil {
		return nil, err
	}
	throughput := s.Throughput
	if throughput < 1 {
		throughput = 300
	}
	opts := []actor.PropsOption{
		actor.WithMailbox(mb),
		actor.WithDispatcher(actor.NewDefaultDispatcher(throughput)),
	}
	if r := chain.receivers(); len(r) > 0 {
		opts = append(opts, actor.WithReceiverMiddleware(r...))
	}
	if s := chain.senders(); len(s) > 0 {
		opts = append(opts, actor.WithSenderMiddleware(s...))
	}
	opts = append(opts, extra...)
	return actor.PropsFromProducer(producer, opts...), nil
}
