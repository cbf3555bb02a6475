package loadgen

import (
	"sync"
	"sync/atomic"
	"time"
)

// HandshakeResult is the outcome of a Handshakes run.
type HandshakeResult struct {
	// Completed counts connections whose handshake finished (the node's
	// version and verack both arrived).
	Completed int
	// Failed counts connections that failed to dial or to handshake.
	Failed int
	// Elapsed is the wall time of the whole run, closes included.
	Elapsed time.Duration
	// Latency summarises each completed connection's dial-to-verack time.
	Latency Latency
	// FirstError is the first failure seen, if any.
	FirstError error
}

// Rate returns completed handshakes per second of Elapsed.
func (r HandshakeResult) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Completed) / r.Elapsed.Seconds()
}

// Handshakes opens n connections to t, at most concurrency at a time (1
// when not positive); each completes the handshake and is closed at once.
func Handshakes(t Target, n, concurrency int) HandshakeResult {
	concurrency = max(1, min(concurrency, n))
	var next atomic.Int64
	var mu sync.Mutex
	res := HandshakeResult{}
	samples := make([]time.Duration, 0, n)
	var wg sync.WaitGroup
	start := time.Now()
	for range concurrency {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				began := time.Now()
				c, err := t.Open()
				took := time.Since(began)
				if c != nil {
					_ = c.Close()
				}
				mu.Lock()
				if err != nil {
					res.Failed++
					if res.FirstError == nil {
						res.FirstError = err
					}
				} else {
					res.Completed++
					samples = append(samples, took)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.Latency = Summarize(samples)
	return res
}
