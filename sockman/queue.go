package sockman

import "sync"

// outMsg is one message waiting to be written. Its header is built by the
// write loop, so the checksum is computed off the connection actor.
type outMsg struct {
	command string
	payload []byte
}

// wireSize returns the bytes the message occupies on the wire.
func (m outMsg) wireSize() uint64 { return HeaderSize + uint64(len(m.payload)) }

// pushResult says what happened to a pushed message.
type pushResult int

const (
	// pushed: the message was queued.
	pushed pushResult = iota
	// pushFull: queuing it would exceed the byte limit; it was not queued.
	pushFull
	// pushClosed: the queue is closed; the message was discarded.
	pushClosed
)

// sendQueue is one connection's queue of unwritten messages, bounded in wire
// bytes. The connection actor pushes; the write loop drains. Bytes count as
// queued until the write loop has handed them to the socket writer.
type sendQueue struct {
	mu     sync.Mutex
	items  []outMsg
	bytes  uint64 // queued plus taken-but-unwritten wire bytes
	msgs   uint64
	limit  uint64
	closed bool
	ready  chan struct{} // holds a token while items may be waiting
	done   chan struct{} // closed by close
}

// newSendQueue returns an empty queue holding at most limit wire bytes.
func newSendQueue(limit int) *sendQueue {
	return &sendQueue{limit: uint64(limit), ready: make(chan struct{}, 1), done: make(chan struct{})}
}

// push queues m unless the queue is closed or m would take it over its
// limit. A message pushed into an empty queue is always accepted, so one
// message larger than the limit can still be sent.
func (q *sendQueue) push(m outMsg) pushResult {
	size := m.wireSize()
	q.mu.Lock()
	switch {
	case q.closed:
		q.mu.Unlock()
		return pushClosed
	case q.bytes > 0 && q.bytes+size > q.limit:
		q.mu.Unlock()
		return pushFull
	}
	q.items = append(q.items, m)
	q.bytes += size
	q.msgs++
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return pushed
}

// take moves every queued message into dst (which should be empty) and
// returns it. Their bytes stay counted until written reports them.
func (q *sendQueue) take(dst []outMsg) []outMsg {
	q.mu.Lock()
	dst, q.items = q.items, dst[:0]
	q.mu.Unlock()
	return dst
}

// written removes one written message of size wire bytes from the counts.
func (q *sendQueue) written(size uint64) {
	q.mu.Lock()
	q.bytes -= size
	q.msgs--
	q.mu.Unlock()
}

// size returns the wire bytes and messages queued and not yet written.
func (q *sendQueue) size() (bytes, msgs uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.bytes, q.msgs
}

// close discards what is queued and wakes the write loop for good.
func (q *sendQueue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.closed = true
	clear(q.items)
	q.items = nil
	close(q.done)
}
