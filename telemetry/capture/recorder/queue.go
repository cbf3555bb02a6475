package recorder

import (
	"sync"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

// queue bounds the captured frames waiting in the recorder's mailbox by
// bytes and counts what it drops. It is shared by the mailbox (any sender's
// goroutine) and the actor; every field is safe for concurrent use.
type queue struct {
	limit   uint64
	pending atomic.Uint64
	dropped atomic.Uint64
	// hasDrops says perConn holds counts the actor has not taken yet.
	hasDrops atomic.Bool
	// unflushed says the actor buffered records since its last flush.
	unflushed atomic.Bool

	mu      sync.Mutex
	perConn map[actors.ConnID]uint64
}

// newQueue returns an empty queue bounded by limit bytes.
func newQueue(limit uint64) *queue {
	return &queue{limit: limit, perConn: make(map[actors.ConnID]uint64)}
}

// cost is what a frame is charged while it waits.
func cost(f *sockmanpb.CapturedFrame) uint64 { return uint64(f.GetWireSize()) + frameOverhead }

// admit reserves room for f, or counts it dropped and reports false. A
// frame larger than the limit is admitted into an empty queue, so that no
// size of message is never capturable.
func (q *queue) admit(f *sockmanpb.CapturedFrame) bool {
	c := cost(f)
	for {
		p := q.pending.Load()
		if p > 0 && p+c > q.limit {
			q.drop(actors.ConnID(f.GetConnId()))
			return false
		}
		if q.pending.CompareAndSwap(p, p+c) {
			return true
		}
	}
}

// drop counts one dropped frame of conn.
func (q *queue) drop(conn actors.ConnID) {
	q.dropped.Add(1)
	q.mu.Lock()
	q.perConn[conn]++
	q.mu.Unlock()
	q.hasDrops.Store(true)
}

// release frees the room of a frame handed to the actor.
func (q *queue) release(f *sockmanpb.CapturedFrame) { q.pending.Add(^(cost(f) - 1)) }

// takeDrops returns the drops per connection counted since the last call,
// or nil when there are none (one atomic load).
func (q *queue) takeDrops() map[actors.ConnID]uint64 {
	if !q.hasDrops.Load() {
		return nil
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.hasDrops.Store(false)
	if len(q.perConn) == 0 {
		return nil
	}
	out := q.perConn
	q.perConn = make(map[actors.ConnID]uint64)
	return out
}

// capturedFrame returns the CapturedFrame in msg, unwrapping an envelope.
func capturedFrame(msg any) (*sockmanpb.CapturedFrame, bool) {
	f, ok := actor.UnwrapEnvelopeMessage(msg).(*sockmanpb.CapturedFrame)
	return f, ok
}

// mailbox is the recorder's mailbox: unbounded for every message but
// CapturedFrame, which must fit in the queue or is dropped.
type mailbox struct {
	inner actor.Mailbox
	q     *queue
}

// PostUserMessage queues msg, or drops a CapturedFrame that does not fit.
func (m *mailbox) PostUserMessage(msg interface{}) {
	if f, ok := capturedFrame(msg); ok && !m.q.admit(f) {
		return
	}
	m.inner.PostUserMessage(msg)
}

// PostSystemMessage queues a system message.
func (m *mailbox) PostSystemMessage(msg interface{}) { m.inner.PostSystemMessage(msg) }

// RegisterHandlers registers the actor's invoker and dispatcher.
func (m *mailbox) RegisterHandlers(invoker actor.MessageInvoker, dispatcher actor.Dispatcher) {
	m.inner.RegisterHandlers(invoker, dispatcher)
}

// Start starts the mailbox.
func (m *mailbox) Start() { m.inner.Start() }

// UserMessageCount returns the number of queued user messages.
func (m *mailbox) UserMessageCount() int { return m.inner.UserMessageCount() }

// releaser frees a frame's room once the actor has handled it.
type releaser struct {
	q    *queue
	post func(msg any) // posts a user message to the same mailbox
}

// MailboxStarted does nothing.
func (r *releaser) MailboxStarted() {}

// MessagePosted does nothing: room is reserved by the mailbox.
func (r *releaser) MessagePosted(interface{}) {}

// MailboxEmpty asks the actor to flush its buffered records when it has
// buffered any since the last flush; the flush message itself leaves
// nothing to flush, so this never loops.
func (r *releaser) MailboxEmpty() {
	if r.q.unflushed.CompareAndSwap(true, false) && r.post != nil {
		r.post(flushNow{})
	}
}

// flushNow asks the recorder actor to write its buffered records.
type flushNow struct{}

// MessageReceived frees the room of a CapturedFrame the actor has handled.
func (r *releaser) MessageReceived(msg interface{}) {
	if f, ok := capturedFrame(msg); ok {
		r.q.release(f)
	}
}
