package blockstore

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/btcsuite/btcd/chainhash/v2"
)

// benchBlock returns a block-shaped buffer of size bytes whose header is
// made unique by n; Put only hashes the header, so the body is filler.
func benchBlock(buf []byte, n int) chainhash.Hash {
	binary.LittleEndian.PutUint64(buf[0:8], uint64(n))
	return headerHash(buf)
}

// BenchmarkPutFlush measures appending blocks and making them durable,
// flushing after every block or every 100 blocks. Run with
// -benchtime=Nx to bound the disk used (N times the block size).
func BenchmarkPutFlush(b *testing.B) {
	for _, size := range []int{250, 1 << 20} {
		for _, every := range []int{1, 100} {
			b.Run(fmt.Sprintf("size=%d/flush-every=%d", size, every), func(b *testing.B) {
				s, err := Open(b.TempDir(), Options{Net: testNet})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				raw := make([]byte, size)
				for i := range raw {
					raw[i] = byte(i * 7)
				}
				b.SetBytes(int64(size))
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					h := benchBlock(raw, i)
					if _, err := s.Put(h, int32(i), raw); err != nil {
						b.Fatal(err)
					}
					if (i+1)%every == 0 {
						if err := s.Flush(); err != nil {
							b.Fatal(err)
						}
					}
				}
				if err := s.Flush(); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "blocks/s")
			})
		}
	}
}

// BenchmarkGet measures reading stored blocks back (from the page cache).
func BenchmarkGet(b *testing.B) {
	for _, size := range []int{250, 1 << 20} {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			s, err := Open(b.TempDir(), Options{Net: testNet})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			raw := make([]byte, size)
			var hashes []chainhash.Hash
			for i := 0; i < 64; i++ {
				h := benchBlock(raw, i)
				if _, err := s.Put(h, int32(i), raw); err != nil {
					b.Fatal(err)
				}
				hashes = append(hashes, h)
			}
			if err := s.Flush(); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.Get(hashes[i%len(hashes)]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "blocks/s")
		})
	}
}
