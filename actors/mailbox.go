package actors

import (
	"fmt"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
)

// Mailbox kinds accepted in config (actors.<name>.mailbox.kind).
const (
	// MailboxUnbounded never drops and never blocks a sender.
	MailboxUnbounded = "unbounded"
	// MailboxDropping holds at most Size user messages; a message posted to a
	// full mailbox is dropped and counted. It never blocks a sender: the
	// blocking bounded mailbox of protoactor can freeze a cycle of actors.
	MailboxDropping = "dropping"
)

// Settings are one actor's runtime settings, taken from config.Actor.
type Settings struct {
	// MailboxKind is MailboxUnbounded or MailboxDropping.
	MailboxKind string
	// MailboxSize bounds a dropping mailbox.
	MailboxSize int
	// Throughput is how many messages the dispatcher handles before yielding.
	Throughput int
}

// MailboxCounters are the live figures of one or more mailboxes. All fields
// are safe for concurrent use; pass the same counters to several Props to
// aggregate them.
type MailboxCounters struct {
	// Posted counts user messages accepted into the mailbox.
	Posted atomic.Uint64
	// Received counts user messages handed to the actor.
	Received atomic.Uint64
	// Dropped counts user messages refused because the mailbox was full.
	Dropped atomic.Uint64
}

// Depth returns the number of user messages accepted and not yet handled.
func (c *MailboxCounters) Depth() uint64 {
	r := c.Received.Load()
	p := c.Posted.Load()
	if p < r {
		return 0
	}
	return p - r
}

// mailboxProducer builds the protoactor mailbox for s, counting into c.
func mailboxProducer(s Settings, c *MailboxCounters) (actor.MailboxProducer, error) {
	meter := &counterMiddleware{c: c}
	switch s.MailboxKind {
	case "", MailboxUnbounded:
		return actor.Unbounded(meter), nil
	case MailboxDropping:
		if s.MailboxSize < 1 {
			return nil, fmt.Errorf("dropping mailbox needs size >= 1, got %d", s.MailboxSize)
		}
		size := uint64(s.MailboxSize)
		return func() actor.Mailbox {
			d := &droppingMailbox{size: size, c: c}
			d.inner = actor.Unbounded(&pendingMiddleware{d: d}, meter)()
			return d
		}, nil
	default:
		return nil, fmt.Errorf("unknown mailbox kind %q (want %q or %q)", s.MailboxKind, MailboxUnbounded, MailboxDropping)
	}
}

// counterMiddleware counts posted and received user messages.
type counterMiddleware struct{ c *MailboxCounters }

func (m *counterMiddleware) MailboxStarted() {}

func (m *counterMiddleware) MessagePosted(msg interface{}) {
	if isSystemMessage(msg) {
		return
	}
	m.c.Posted.Add(1)
}

func (m *counterMiddleware) MessageReceived(msg interface{}) {
	if isSystemMessage(msg) {
		return
	}
	m.c.Received.Add(1)
}

func (m *counterMiddleware) MailboxEmpty() {}

// droppingMailbox wraps an unbounded mailbox and refuses user messages once
// size of them are pending. It drops the newest message (the one being
// posted), so what is already queued keeps its order.
type droppingMailbox struct {
	inner   actor.Mailbox
	size    uint64
	pending atomic.Uint64
	c       *MailboxCounters
}

func (d *droppingMailbox) PostUserMessage(msg interface{}) {
	if d.pending.Add(1) > d.size {
		d.pending.Add(^uint64(0))
		d.c.Dropped.Add(1)
		return
	}
	d.inner.PostUserMessage(msg)
}

func (d *droppingMailbox) PostSystemMessage(msg interface{}) { d.inner.PostSystemMessage(msg) }

func (d *droppingMailbox) RegisterHandlers(invoker actor.MessageInvoker, dispatcher actor.Dispatcher) {
	d.inner.RegisterHandlers(invoker, dispatcher)
}

func (d *droppingMailbox) Start() { d.inner.Start() }

func (d *droppingMailbox) UserMessageCount() int { return d.inner.UserMessageCount() }

// pendingMiddleware releases a dropping mailbox's slot when a user message is
// handed to the actor.
type pendingMiddleware struct{ d *droppingMailbox }

func (m *pendingMiddleware) MailboxStarted()               {}
func (m *pendingMiddleware) MessagePosted(msg interface{}) {}
func (m *pendingMiddleware) MailboxEmpty()                 {}
func (m *pendingMiddleware) MessageReceived(msg interface{}) {
	if !isSystemMessage(msg) {
		m.d.pending.Add(^uint64(0))
	}
}

func isSystemMessage(msg interface{}) bool {
	_, ok := msg.(actor.SystemMessage)
	return ok
}
