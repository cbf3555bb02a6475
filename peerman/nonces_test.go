package peerman

import (
	"sync"
	"testing"

	"github.com/actornode/actornode/actors"
)

func TestNonceSet(t *testing.T) {
	s := newNonceSet()
	s.add(1, 100)
	s.add(2, 200)
	if !s.contains(100) || !s.contains(200) || s.contains(300) {
		t.Fatal("contains after add")
	}
	s.add(1, 101) // a Peer's nonce is replaced, not accumulated
	if s.contains(100) || !s.contains(101) || s.len() != 2 {
		t.Fatalf("after replace: len %d", s.len())
	}
	s.remove(1)
	s.remove(1) // twice is harmless
	s.remove(3) // unknown is harmless
	if s.contains(101) || !s.contains(200) || s.len() != 1 {
		t.Fatalf("after remove: len %d", s.len())
	}
}

func TestNonceSetConcurrent(t *testing.T) {
	s := newNonceSet()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := actors.PeerID(i + 1)
			for n := range 1000 {
				s.add(id, uint64(i*1000+n+1))
				_ = s.contains(uint64(n))
			}
			s.remove(id)
		}()
	}
	wg.Wait()
	if s.len() != 0 {
		t.Fatalf("%d nonces left", s.len())
	}
}
