package accounting

import (
	"testing"
	"time"
)

// BenchmarkReceivedPath is the accounting a Peer does per received
// message with CPU sampling rare: the measurement's wall-clock readings,
// the sampling decision, the traffic count and the cost.
func BenchmarkReceivedPath(b *testing.B) {
	p := NewPeer(PeerConfig{CPUEvery: 1 << 62})
	b.ReportAllocs()
	for b.Loop() {
		r := p.BeginRecv("ping", true)
		p.CountRecv(&r, "ping", 32)
		p.EndRecv(&r)
	}
}

// BenchmarkThreadCPUTime is the cost of one CPU clock reading.
func BenchmarkThreadCPUTime(b *testing.B) {
	for b.Loop() {
		ThreadCPUTime()
	}
}

// BenchmarkWallClock is the cost of one wall clock reading.
func BenchmarkWallClock(b *testing.B) {
	c := SystemClocks()
	var d time.Duration
	for b.Loop() {
		d += c.Wall()
	}
	_ = d
}

// BenchmarkReceivedPathEvery64 is BenchmarkReceivedPath with the CPU time
// of every 64th message measured.
func BenchmarkReceivedPathEvery64(b *testing.B) {
	p := NewPeer(PeerConfig{CPUEvery: 64})
	for b.Loop() {
		r := p.BeginRecv("ping", true)
		p.CountRecv(&r, "ping", 32)
		p.EndRecv(&r)
	}
}

// BenchmarkLockedCPU is one CPU-timed measurement: the thread lock and two
// CPU clock readings.
func BenchmarkLockedCPU(b *testing.B) {
	c := SystemClocks()
	for b.Loop() {
		m := c.Begin(true)
		c.End(m)
	}
}
