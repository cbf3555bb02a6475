package book

import (
	"errors"
	"math/rand/v2"
	"testing"
)

func TestRestoreRefusesImpossibleSnapshots(t *testing.T) {
	a := MustParseAddr("1.2.3.4:8333")
	c := MustParseAddr("8.8.4.4:8333")
	rec := func(addr Addr, buckets ...uint16) Record {
		return Record{Address: seen(addr, t0), NewBuckets: buckets}
	}
	badSource := rec(a, 1)
	badSource.Source = Addr{Net: NetIPv4, Host: [32]byte{31: 1}}
	negative := rec(a, 1)
	negative.Attempts = -1
	triedWithBuckets := rec(a, 1)
	triedWithBuckets.Tried = true
	cases := []struct {
		name   string
		s      Snapshot
		record int
	}{
		{"malformed address", Snapshot{Records: []Record{rec(Addr{Net: 9}, 1)}}, 0},
		{"malformed source", Snapshot{Records: []Record{badSource}}, 0},
		{"duplicate", Snapshot{Records: []Record{rec(a, 1), rec(a, 2)}}, 1},
		{"negative attempts", Snapshot{Records: []Record{negative}}, 0},
		{"tried with buckets", Snapshot{Records: []Record{triedWithBuckets}}, 0},
		{"no table", Snapshot{Records: []Record{rec(a)}}, 0},
		{"nine refs", Snapshot{Records: []Record{rec(a, 1, 2, 3, 4, 5, 6, 7, 8, 9)}}, 0},
		{"bucket out of range", Snapshot{Records: []Record{rec(a, NewBucketCount)}}, 0},
		{"repeated bucket", Snapshot{Records: []Record{rec(a, 3, 3)}}, 0},
		{"collision out of range", Snapshot{Records: []Record{rec(a, 1)}, Collisions: []int{1}}, -1},
		{"repeated collision", Snapshot{Records: []Record{rec(a, 1), rec(c, 1)}, Collisions: []int{1, 1}}, -1},
		{"too many collisions", Snapshot{Records: []Record{rec(a, 1)}, Collisions: make([]int, 11)}, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.s.Key = testKey()
			_, err := Restore(tc.s, rand.New(rand.NewPCG(1, 1)))
			var re *RestoreError
			if !errors.As(err, &re) || re.Record != tc.record {
				t.Fatalf("Restore error %v, want a RestoreError for record %d", err, tc.record)
			}
		})
	}
}

func TestSnapshotIsCanonical(t *testing.T) {
	b := newTestBook(6)
	fillBook(b, 3000, 5, 6, t0)
	for range 50 {
		b.GetAddr(10, 0, 0, t0) // reshuffles the random order
	}
	s := b.Snapshot()
	for i, rec := range s.Records {
		if info, ok := b.Lookup(rec.Address.Addr); !ok || info.Tried != rec.Tried || info.NewRefs != len(rec.NewBuckets) {
			t.Fatalf("record %d disagrees with the book", i)
		}
		for j := 1; j < len(rec.NewBuckets); j++ {
			if rec.NewBuckets[j-1] >= rec.NewBuckets[j] {
				t.Fatalf("record %d buckets not ascending: %v", i, rec.NewBuckets)
			}
		}
	}
	roundTripEqual(t, b)
}
