package evict

import (
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/connman/netgroup"
)

// fromBytes builds up to 60 candidates from fuzz input, 8 bytes each.
func fromBytes(data []byte) []Candidate {
	var cs []Candidate
	nets := []netgroup.Network{"", netgroup.NetOnion, netgroup.NetI2P, netgroup.NetCJDNS}
	for i := 0; i+8 <= len(data) && len(cs) < 60; i += 8 {
		b := data[i : i+8]
		c := Candidate{
			ID:               actors.ConnID(len(cs) + 1),
			Addr:             netip.AddrFrom4([4]byte{b[0] % 4, b[1] % 3, 1, byte(len(cs))}),
			Network:          nets[b[2]%4],
			IsLocal:          b[2]&0x10 != 0,
			Inbound:          b[3]%5 != 0,
			NoBan:            b[3]%7 == 0,
			Connected:        t0.Add(time.Duration(b[4]) * time.Minute),
			MinPing:          time.Duration(b[5]%8) * time.Millisecond,
			RelayTxs:         b[6]&1 != 0,
			RelevantServices: b[6]&2 != 0,
			BloomFilter:      b[6]&4 != 0,
			PreferEvict:      b[6]&8 != 0,
		}
		if b[2]&0x20 == 0 {
			c.Addr = netip.AddrFrom4([4]byte{byte(b[0]%4) + 1, b[1] % 3, 1, byte(len(cs))})
		}
		if b[7]&3 != 0 {
			c.LastTx = t0.Add(time.Duration(b[7]>>2) * time.Minute)
		}
		if b[7]&0xc != 0 {
			c.LastBlock = t0.Add(time.Duration(b[7]>>4) * time.Minute)
		}
		cs = append(cs, c)
	}
	return cs
}

// checkProperties asserts what must hold for every input.
func checkProperties(t *testing.T, cs []Candidate, seed uint64) {
	t.Helper()
	got, ok := Select(cs, now, testKey)
	eligible := 0
	for _, c := range cs {
		if c.Inbound && !c.NoBan {
			eligible++
		}
	}
	if eligible <= ProtectByNetgroup+ProtectByPing+ProtectByTx+ProtectByBlock && ok {
		t.Fatalf("evicted %d with only %d eligible candidates", got, eligible)
	}
	if eligible > ProtectByNetgroup+ProtectByPing+ProtectByTx+ProtectBlockRelayOnly+ProtectByBlock && !ok {
		t.Fatalf("nobody evicted among %d eligible candidates", eligible)
	}
	if ok {
		var victim *Candidate
		for i := range cs {
			if cs[i].ID == got {
				victim = &cs[i]
			}
		}
		switch {
		case victim == nil:
			t.Fatalf("evicted %d, not a candidate", got)
		case !victim.Inbound:
			t.Fatalf("evicted outbound %d", got)
		case victim.NoBan:
			t.Fatalf("evicted noban %d", got)
		}
	}
	// Same input in another order, same key: same answer.
	shuffled := append([]Candidate(nil), cs...)
	r := rand.New(rand.NewPCG(seed, 1))
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	got2, ok2 := Select(shuffled, now, testKey)
	if got2 != got || ok2 != ok {
		t.Fatalf("order changed the answer: %d,%v then %d,%v", got, ok, got2, ok2)
	}
}

func FuzzSelect(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 5, 20, 21, 29, 40, 60} {
		b := make([]byte, 8*n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkProperties(t, fromBytes(data), uint64(len(data)))
	})
}

func TestSelectProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for round := 0; round < 2000; round++ {
		b := make([]byte, 8*r.IntN(61))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		checkProperties(t, fromBytes(b), uint64(round))
	}
}
