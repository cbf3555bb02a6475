package bookfile

import (
	"bytes"
	"testing"
	"time"

	"github.com/actornode/actornode/addrman/book"
)

func TestRoundTripGivesAnEqualBook(t *testing.T) {
	src := &switchRand{r: pcg(1)}
	orig := buildBook(6000, 4, 20, src)
	mustCheck(t, orig)
	if orig.Size(0, book.TableTried) == 0 || len(orig.Collisions()) == 0 || orig.Size(book.NetTorV3, book.TableAll) == 0 {
		t.Fatalf("test book too plain: %d tried, %d collisions", orig.Size(0, book.TableTried), len(orig.Collisions()))
	}
	data := Encode(orig)

	// Both books continue from the same random state.
	src.r = pcg(99)
	dec, err := Decode(data, pcg(99))
	if err != nil {
		t.Fatal(err)
	}
	mustCheck(t, dec)
	if !bytes.Equal(Encode(dec), data) {
		t.Fatal("re-encoding the decoded book gives other bytes")
	}
	if dec.Key() != orig.Key() || dec.Len() != orig.Len() {
		t.Fatal("key or size differs")
	}
	for _, n := range append(book.Networks(), 0) {
		for _, tb := range []book.Table{book.TableNew, book.TableTried} {
			if dec.Size(n, tb) != orig.Size(n, tb) {
				t.Errorf("Size(%v, %v): %d vs %d", n, tb, dec.Size(n, tb), orig.Size(n, tb))
			}
		}
	}
	for i := range 300 {
		newOnly := i%3 == 0
		var nets []book.NetworkID
		if i%5 == 0 {
			nets = []book.NetworkID{book.NetTorV3, book.NetCJDNS}
		}
		a, okA := orig.Select(newOnly, nets, t0)
		b, okB := dec.Select(newOnly, nets, t0)
		if a != b || okA != okB {
			t.Fatalf("Select %d differs: %+v vs %+v", i, a, b)
		}
	}
	ga, gb := orig.GetAddr(1000, 23, 0, t0), dec.GetAddr(1000, 23, 0, t0)
	if len(ga) != len(gb) {
		t.Fatalf("GetAddr sizes %d vs %d", len(ga), len(gb))
	}
	for i := range ga {
		if ga[i] != gb[i] {
			t.Fatalf("GetAddr differs at %d", i)
		}
	}
	ca, okA := orig.SelectTriedCollision()
	cb, okB := dec.SelectTriedCollision()
	if ca != cb || okA != okB {
		t.Fatal("SelectTriedCollision differs")
	}
	// The books keep evolving identically.
	later := t0.Add(time.Hour)
	orig.ResolveCollisions(later)
	dec.ResolveCollisions(later)
	if !bytes.Equal(Encode(orig), Encode(dec)) {
		t.Fatal("books diverge after ResolveCollisions")
	}
}

func TestRoundTripEmptyBook(t *testing.T) {
	b := book.New(testKey(), pcg(1))
	data := Encode(b)
	if len(data) != headerSize+1+checksumSize {
		t.Errorf("empty file of %d bytes", len(data))
	}
	dec, err := Decode(data, pcg(1))
	if err != nil {
		t.Fatal(err)
	}
	if dec.Len() != 0 || dec.Key() != testKey() {
		t.Fatal("empty book changed")
	}
}
