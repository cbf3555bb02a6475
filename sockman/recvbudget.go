package sockman

import "sync"

// recvBudget bounds the wire bytes one connection has delivered to a
// flow-controlled owner and the owner has not yet acknowledged (Consumed).
// The read loop is its only waiter: it counts what it delivers and, before
// reading the next frame, waits while the count is at or above the limit.
// The connection actor switches it on (Start{flow_control}), credits it
// (Consumed) and closes it (close sequence); each of those wakes the read
// loop, which then looks again.
type recvBudget struct {
	mu      sync.Mutex
	limit   uint64
	on      bool // the current owner opted in to flow control
	unacked uint64
	// frameLimit and frames bound the unacknowledged frames the same way.
	frameLimit uint64
	frames     uint64
	paused     bool
	pauses     uint64
	closed     bool
	wake       chan struct{} // holds a token when the waiter should look again
}

// newRecvBudget returns a switched-off budget of limit wire bytes and
// frameLimit frames.
func newRecvBudget(limit, frameLimit int) *recvBudget {
	return &recvBudget{limit: uint64(limit), frameLimit: uint64(frameLimit), wake: make(chan struct{}, 1)}
}

// signal wakes the waiter, or leaves a token for its next wait.
func (b *recvBudget) signal() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// setOwner switches flow control on or off for a new owner and restarts the
// count: bytes delivered to a previous owner are not the new one's to
// acknowledge.
func (b *recvBudget) setOwner(flowControl bool) {
	b.mu.Lock()
	b.on, b.unacked, b.frames = flowControl, 0, 0
	b.mu.Unlock()
	b.signal()
}

// delivered counts one frame of size wire bytes handed to the owner (only
// under flow control).
func (b *recvBudget) delivered(size uint32) {
	b.mu.Lock()
	if b.on {
		b.unacked += uint64(size)
		b.frames++
	}
	b.mu.Unlock()
}

// consumed credits bytes and frames acknowledged by the owner; more than
// is owed clears the count.
func (b *recvBudget) consumed(bytes, frames uint64) {
	b.mu.Lock()
	b.unacked -= min(bytes, b.unacked)
	b.frames -= min(frames, b.frames)
	b.mu.Unlock()
	b.signal()
}

// close ends every present and future wait.
func (b *recvBudget) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.signal()
}

// wait blocks while flow control is on and the unacknowledged bytes or
// frames are at or above their limit. It returns false when the budget was closed (the
// connection is closing) and true when reading may go on.
func (b *recvBudget) wait() bool {
	for {
		b.mu.Lock()
		switch {
		case b.closed:
			b.paused = false
			b.mu.Unlock()
			return false
		case !b.on || (b.unacked < b.limit && b.frames < b.frameLimit):
			b.paused = false
			b.mu.Unlock()
			return true
		}
		if !b.paused {
			b.paused = true
			b.pauses++
		}
		b.mu.Unlock()
		<-b.wake
	}
}

// stats returns the unacknowledged bytes, whether reading is paused and how
// often it was.
func (b *recvBudget) stats() (unacked uint64, paused bool, pauses uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.unacked, b.paused, b.pauses
}
