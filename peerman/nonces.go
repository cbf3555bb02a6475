package peerman

import (
	"sync"

	"github.com/actornode/actornode/actors"
)

// nonceSet holds the nonces of the version messages our outbound Peers
// sent, so that an inbound Peer can recognise a connection to ourselves. It
// is the only state shared between Peer actors: peerman creates it and
// drops a Peer's entry when that Peer terminates; an outbound Peer adds its
// own nonce before sending its version and removes it when it stops;
// inbound Peers only read it. It is safe for concurrent use.
type nonceSet struct {
	mu     sync.RWMutex
	owner  map[uint64]actors.PeerID
	byPeer map[actors.PeerID]uint64
}

// newNonceSet returns an empty set.
func newNonceSet() *nonceSet {
	return &nonceSet{owner: make(map[uint64]actors.PeerID), byPeer: make(map[actors.PeerID]uint64)}
}

// add records nonce as the version nonce of peer, replacing any earlier one.
func (s *nonceSet) add(peer actors.PeerID, nonce uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.byPeer[peer]; ok {
		delete(s.owner, old)
	}
	s.byPeer[peer] = nonce
	s.owner[nonce] = peer
}

// remove forgets peer's nonce, if it has one.
func (s *nonceSet) remove(peer actors.PeerID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.byPeer[peer]; ok {
		delete(s.byPeer, peer)
		if s.owner[n] == peer {
			delete(s.owner, n)
		}
	}
}

// contains reports whether nonce is one of our outbound version nonces.
func (s *nonceSet) contains(nonce uint64) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.owner[nonce]
	return ok
}

// len returns the number of nonces held.
func (s *nonceSet) len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.owner)
}
