package download

import (
	"testing"
	"time"
)

// BenchmarkStep syncs 100k blocks from 8 peers: the lowest block in flight
// arrives, is stored, and (depending on the case) a new Need follows every
// block or every 64 blocks. It reports the cost per block of all the
// Steps involved.
func BenchmarkStep(b *testing.B) {
	for _, bc := range []struct {
		name      string
		needEvery int32
	}{{"need-every-block", 1}, {"need-every-64", 64}} {
		b.Run(bc.name, func(b *testing.B) { benchSync(b, bc.needEvery) })
	}
}

func benchSync(b *testing.B, needEvery int32) {
	const (
		blocks = 100_000
		peers  = 8
		window = DefaultWindow
	)
	chain := refs(1, blocks, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		owner := make([]PeerID, blocks+1)
		now := t0
		s := New(Config{})
		var out []Output
		record := func() {
			for _, o := range out {
				switch o := o.(type) {
				case Request:
					for _, r := range o.Blocks {
						owner[r.Height] = o.Peer
					}
				default:
					b.Fatalf("unexpected output %s", describe([]Output{o}))
				}
			}
		}
		for p := PeerID(1); p <= peers; p++ {
			s, out = Step(s, PeerUp{Peer: p, BestHeight: blocks}, now)
			record()
		}
		s, out = Step(s, Need{Blocks: chain[:window]}, now)
		record()
		for h := int32(1); h <= blocks; h++ {
			now = now.Add(time.Millisecond)
			ref := chain[h-1]
			if owner[h] == 0 {
				b.Fatalf("block %d never requested", h)
			}
			s, out = Step(s, Received{Peer: owner[h], Hash: ref.Hash}, now)
			record()
			s, out = Step(s, Stored{Hash: ref.Hash}, now)
			record()
			if h%needEvery == 0 {
				s, out = Step(s, Need{Blocks: chain[h:min(int(h)+window, blocks)]}, now)
				record()
			}
		}
		if s.InFlightTotal() != 0 {
			b.Fatalf("%d blocks still in flight", s.InFlightTotal())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/blocks, "ns/block")
}
