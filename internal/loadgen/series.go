package loadgen

import (
	"fmt"
	"time"
)

// PingSeries sends warmup untimed pings and then n timed ones over c, one
// at a time (each waits for its pong), and summarises the n round trips.
// Each nonce is fresh and every pong must carry its ping's nonce.
func PingSeries(c *Conn, n, warmup int, t Target) (Latency, error) {
	samples := make([]time.Duration, 0, n)
	for i := range warmup + n {
		rtt, err := c.Ping(randomNonce(), t.timeout())
		if err != nil {
			return Latency{}, fmt.Errorf("loadgen: ping %d: %w", i+1, err)
		}
		if i >= warmup {
			samples = append(samples, rtt)
		}
	}
	return Summarize(samples), nil
}
