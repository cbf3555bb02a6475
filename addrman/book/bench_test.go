package book

import (
	"math/rand/v2"
	"testing"
	"time"
)

// benchOffers is how many addresses the benchmarks offer the book. The
// tables hold at most 1024*64 + 256*64 = 81,920 entries, so no book has
// 100,000; this many offers bring it close to capacity (about 78,000).
const benchOffers = 400_000

// fillBook offers n random routable IPv4 addresses from many source groups
// to b at now and moves every goodEvery-th to tried.
func fillBook(b *Book, n, goodEvery int, seed uint64, now time.Time) {
	r := rand.New(rand.NewPCG(seed, seed))
	sources := make([]Addr, 512)
	for i := range sources {
		sources[i] = routableIPv4(r)
	}
	for i := range n {
		a := routableIPv4(r)
		b.Add([]Address{seen(a, now.Add(-time.Duration(r.IntN(72))*time.Hour))}, sources[i%len(sources)], 0, now)
		if i%goodEvery == 0 {
			b.Good(a, now)
		}
	}
}

func BenchmarkAdd(b *testing.B) {
	bk := newTestBook(1)
	fillBook(bk, benchOffers, 3, 1, t0)
	r := rand.New(rand.NewPCG(2, 2))
	fresh := make([]Address, 4096)
	for i := range fresh {
		fresh[i] = seen(routableIPv4(r), t0)
	}
	src := routableIPv4(r)
	entries := bk.Len()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		bk.Add(fresh[i%len(fresh):i%len(fresh)+1], src, 0, t0)
	}
	b.ReportMetric(float64(entries), "entries")
}

func BenchmarkSelect(b *testing.B) {
	bk := newTestBook(1)
	fillBook(bk, benchOffers, 3, 1, t0)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, ok := bk.Select(false, nil, t0); !ok {
			b.Fatal("Select failed")
		}
	}
	b.ReportMetric(float64(bk.Len()), "entries")
}

func BenchmarkGetAddr(b *testing.B) {
	bk := newTestBook(1)
	fillBook(bk, benchOffers, 3, 1, t0)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		bk.GetAddr(1000, 23, 0, t0)
	}
}

func TestFillReachesCapacity(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a large book")
	}
	bk := newTestBook(1)
	fillBook(bk, 100_000, 5, 1, t0)
	mustCheck(t, bk)
	if bk.Len() < 50_000 || bk.Len() > NewBucketCount*BucketSize+TriedBucketCount*BucketSize {
		t.Fatalf("filled book holds %d", bk.Len())
	}
	t.Logf("100,000 offers: %d entries, %d new, %d tried", bk.Len(), bk.Size(0, TableNew), bk.Size(0, TableTried))
}
