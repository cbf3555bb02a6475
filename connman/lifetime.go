package connman

import (
	"sort"
	"sync"

	"github.com/actornode/actornode/connman/netgroup"
)

// lifetime is what survives a restart of the connman actor: it belongs to
// the producer returned by NewActor, not to one actor instance. It holds
// only facts that outlive a failure: which listeners sockman opened for us
// (sockman keeps them, and answers a second Listen on the same address with
// ListenFailed), the next Dial request id (so an answer to a dial of the
// failed instance is never mistaken for a new one) and the eviction key.
type lifetime struct {
	mu        sync.Mutex
	asked     map[string]bool   // Listen sent, by configured address
	listening map[string]string // bound address, by configured address
	requests  uint64
	key       netgroup.Key
}

// newLifetime returns the shared state of one NewActor producer.
func newLifetime(key netgroup.Key) *lifetime {
	return &lifetime{asked: map[string]bool{}, listening: map[string]string{}, key: key}
}

// askListen reports whether Listen should be sent for addr, and records
// that it is.
func (l *lifetime) askListen(addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.asked[addr] {
		return false
	}
	l.asked[addr] = true
	return true
}

// listened records that addr is bound to bound.
func (l *lifetime) listened(addr, bound string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.listening[addr] = bound
}

// listenFailed forgets addr.
func (l *lifetime) listenFailed(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.asked, addr)
	delete(l.listening, addr)
}

// bound returns the bound addresses, sorted.
func (l *lifetime) bound() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.listening))
	for _, b := range l.listening {
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}

// nextRequest returns a Dial request id never used before by this producer.
func (l *lifetime) nextRequest() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.requests++
	return l.requests
}
