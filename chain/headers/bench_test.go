package headers

import (
	"runtime"
	"testing"
	"time"

	"github.com/btcsuite/btcd/chaincfg/v2"
	"github.com/btcsuite/btcd/wire/v2"
)

// mineChain returns count regtest headers extending genesis, one second
// apart, without adding them to any tree.
func mineChain(b *testing.B, count int) []wire.BlockHeader {
	b.Helper()
	g := chaincfg.RegressionNetParams.GenesisBlock.Header
	prev, ts := g.BlockHash(), g.Timestamp
	out := make([]wire.BlockHeader, count)
	for i := range out {
		ts = ts.Add(time.Second)
		out[i] = mine(b, &prev, ts, 0x207fffff, 0)
		prev = out[i].BlockHash()
	}
	return out
}

// BenchmarkAddHeaders measures AddHeaders on a linear chain, in messages of
// 2000 headers, and reports the heap retained per node.
func BenchmarkAddHeaders(b *testing.B) {
	hs := mineChain(b, b.N)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	tr := New(&chaincfg.RegressionNetParams)
	for start := 0; start < len(hs); start += 2000 {
		end := min(start+2000, len(hs))
		if _, err := tr.AddHeaders(hs[start:end], farFuture); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	if tr.Len() != b.N+1 {
		b.Fatalf("len %d", tr.Len())
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(b.N), "heapB/node")
	runtime.KeepAlive(tr)
}

// BenchmarkAncestor measures Ancestor lookups across a long chain.
func BenchmarkAncestor(b *testing.B) {
	const length = 200_000
	hs := mineChain(b, length)
	tr := New(&chaincfg.RegressionNetParams)
	for start := 0; start < len(hs); start += 2000 {
		if _, err := tr.AddHeaders(hs[start:min(start+2000, len(hs))], farFuture); err != nil {
			b.Fatal(err)
		}
	}
	tip := tr.Tip()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if tip.Ancestor(int32((i*7919)%length)) == nil {
			b.Fatal("nil ancestor")
		}
	}
}
