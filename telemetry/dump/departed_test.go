package dump

import "testing"

func TestDepartedForgetsTheOldestWhenFull(t *testing.T) {
	d := newDeparted(3)
	for _, id := range []uint64{1, 2, 3, 2} {
		d.add(id)
	}
	if !d.has(1) || !d.has(2) || !d.has(3) || d.has(4) {
		t.Fatal("set of three lost an id or gained one")
	}
	d.add(4)
	if d.has(1) || !d.has(2) || !d.has(3) || !d.has(4) {
		t.Fatal("adding a fourth id did not forget exactly the oldest")
	}
	d.add(5)
	d.add(6)
	if d.has(2) || d.has(3) || !d.has(4) || !d.has(5) || !d.has(6) || len(d.set) != 3 {
		t.Fatalf("after wrapping: %v", d.set)
	}
}
