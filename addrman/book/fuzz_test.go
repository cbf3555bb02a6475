package book

import (
	"testing"
	"time"
)

// FuzzAddOps runs arbitrary operation sequences and checks the invariants
// after each step. The seeds run as unit tests under plain go test.
func FuzzAddOps(f *testing.F) {
	f.Add([]byte{0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 4, 0, 0})
	f.Add([]byte{0, 7, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 1, 30, 0, 1, 200, 1, 201, 1, 202, 7, 6})
	f.Add([]byte{0, 0, 250, 0, 0, 30, 1, 250, 0, 0, 251, 0, 0, 30, 1, 251, 7, 8, 200, 200, 2, 250, 0, 6, 10, 0})
	f.Add([]byte{8, 255, 255, 5, 0, 23, 4, 1, 0, 10, 3})
	pool := opPool(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			data = data[:4096]
		}
		r := &opRunner{t: t, b: newTestBook(1), pool: pool, now: t0.Add(time.Hour), data: data}
		r.run()
		roundTripEqual(t, r.b)
	})
}
