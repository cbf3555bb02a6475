package book

import (
	"math/rand/v2"
	"testing"

	"github.com/btcsuite/btcd/addrmgr"
	"github.com/btcsuite/btcd/wire/v2"
)

// BenchmarkCompareBtcd runs Add and Select on actornode's book and on btcd's
// addrmgr (v0.26.2) in one run, both filled with the same offers, so their
// ratio can be quoted (docs/benchmarks.md). btcd's manager is driven
// through its exported API; it keeps its own locks and global randomness.
func BenchmarkCompareBtcd(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 7))
	sources := make([]*wire.NetAddressV2, 512)
	for i := range sources {
		sources[i] = mustV2(b, seen(routableIPv4(r), t0))
	}
	offers := make([]*wire.NetAddressV2, benchOffers)
	for i := range offers {
		offers[i] = mustV2(b, seen(routableIPv4(r), t0))
	}
	fresh := make([]*wire.NetAddressV2, 4096)
	for i := range fresh {
		fresh[i] = mustV2(b, seen(routableIPv4(r), t0))
	}

	ours := newTestBook(1)
	for i, o := range offers {
		a, _ := FromNetAddressV2(o)
		s, _ := FromNetAddressV2(sources[i%len(sources)])
		ours.Add([]Address{a}, s.Addr, 0, t0)
	}
	theirs := addrmgr.New(b.TempDir(), nil)
	for i, o := range offers {
		theirs.AddAddress(o, sources[i%len(sources)])
	}
	b.Logf("entries: actornode %d, btcd %d", ours.Len(), theirs.NumAddresses())

	freshOurs := make([]Address, len(fresh))
	for i, f := range fresh {
		freshOurs[i], _ = FromNetAddressV2(f)
	}
	src, _ := FromNetAddressV2(sources[0])

	b.Run("add/actornode", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			ours.Add(freshOurs[i%len(freshOurs):i%len(freshOurs)+1], src.Addr, 0, t0)
		}
		b.ReportMetric(float64(ours.Len()), "entries")
	})
	b.Run("add/btcd", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			theirs.AddAddress(fresh[i%len(fresh)], sources[0])
		}
		b.ReportMetric(float64(theirs.NumAddresses()), "entries")
	})
	b.Run("select/actornode", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, ok := ours.Select(false, nil, t0); !ok {
				b.Fatal("Select found nothing")
			}
		}
	})
	b.Run("select/btcd", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if theirs.GetAddress() == nil {
				b.Fatal("GetAddress found nothing")
			}
		}
	})
}

func mustV2(b *testing.B, a Address) *wire.NetAddressV2 {
	v2, err := a.NetAddressV2()
	if err != nil {
		b.Fatal(err)
	}
	return v2
}
