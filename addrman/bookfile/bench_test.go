package bookfile

import (
	"testing"
)

// fullBook is as full as the tables allow: 1024*64 new and 256*64 tried
// slots hold at most 81,920 addresses, so no valid book has 100,000.
func fullBook(tb testing.TB) []byte {
	tb.Helper()
	return Encode(buildBook(400_000, 3, 20, pcg(1)))
}

func BenchmarkDecode(b *testing.B) {
	data := fullBook(b)
	dec, err := Decode(data, pcg(1))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := Decode(data, pcg(1)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(dec.Len()), "entries")
}

func BenchmarkEncode(b *testing.B) {
	bk := buildBook(400_000, 3, 20, pcg(1))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		Encode(bk)
	}
	b.ReportMetric(float64(bk.Len()), "entries")
}
