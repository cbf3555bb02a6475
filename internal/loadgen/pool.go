package loadgen

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/btcsuite/btcd/wire/v2"
)

// Target says where the load goes.
type Target struct {
	// Addr is the node's P2P address, host:port.
	Addr string
	// Net is the network magic (wire.TestNet for regtest).
	Net wire.BitcoinNet
	// Timeout bounds one dial, one handshake and one ping; 30 s when zero.
	Timeout time.Duration
}

// timeout returns the target's timeout or the default.
func (t Target) timeout() time.Duration {
	if t.Timeout <= 0 {
		return 30 * time.Second
	}
	return t.Timeout
}

// Open dials the target and completes the handshake.
func (t Target) Open() (*Conn, error) {
	c, err := Dial(t.Addr, t.Net, t.timeout())
	if err != nil {
		return nil, err
	}
	if err := c.Handshake(t.timeout()); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

// Pool is a set of handshaken connections to one target.
type Pool struct {
	// Conns are the open connections.
	Conns []*Conn
	// Elapsed is how long opening them all took.
	Elapsed time.Duration
}

// OpenPool opens n handshaken connections to t, at most concurrency at a
// time (1 when not positive). On any failure it closes what it opened and
// returns the first error.
func OpenPool(t Target, n, concurrency int) (*Pool, error) {
	concurrency = max(1, min(concurrency, n))
	conns := make([]*Conn, n)
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range concurrency {
		wg.Go(func() {
			for i := range next {
				conns[i], errs[i] = t.Open()
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	p := &Pool{Elapsed: time.Since(start)}
	for i, c := range conns {
		if c != nil {
			p.Conns = append(p.Conns, c)
		} else if err := errs[i]; err != nil {
			_ = p.Close()
			return nil, fmt.Errorf("loadgen: connection %d of %d: %w", i+1, n, err)
		}
	}
	return p, nil
}

// Close closes every connection of the pool.
func (p *Pool) Close() error {
	var errs []error
	for _, c := range p.Conns {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
