package sockman

import (
	"net"
	"sync"
)

// intake holds sockets that a goroutine (accept loop or dial) has opened and
// handed to the sockman actor but that the actor has not yet taken. If the
// actor stops first, closeAll closes them, so no socket outlives sockman.
type intake struct {
	mu      sync.Mutex
	closed  bool
	pending map[net.Conn]func()
}

// newIntake returns an open, empty intake.
func newIntake() *intake { return &intake{pending: make(map[net.Conn]func())} }

// put registers nc and reports whether the intake is still open; when it is
// not, the caller must close nc itself. onDrop, if not nil, is called should
// closeAll close nc before the actor takes it.
func (in *intake) put(nc net.Conn, onDrop func()) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return false
	}
	in.pending[nc] = onDrop
	return true
}

// take removes nc and reports whether it was still pending (false means
// closeAll has already closed it).
func (in *intake) take(nc net.Conn) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	_, ok := in.pending[nc]
	delete(in.pending, nc)
	return ok
}

// closeAll closes every pending socket and refuses further ones.
func (in *intake) closeAll() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.closed = true
	for nc, onDrop := range in.pending {
		_ = nc.Close()
		if onDrop != nil {
			onDrop()
		}
	}
	clear(in.pending)
}
