package trace

import "math/rand/v2"

// RootSampler decides whether a root message (one that carries no trace
// context) of a ratio-sampled Tracer starts a trace. It is called
// concurrently from every actor and must not block.
type RootSampler interface {
	SampleRoot() bool
}

// ratioSampler says yes with probability ratio, independently each time.
type ratioSampler struct{ ratio float64 }

// SampleRoot draws from the runtime's per-thread generator: no lock, no
// allocation.
func (s ratioSampler) SampleRoot() bool { return rand.Float64() < s.ratio }
