package evict

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/connman/netgroup"
)

// t0 is the scenarios' epoch; now is well after every connection.
var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// now is the time Select is asked at.
var now = t0.Add(24 * time.Hour)

// testKey is the fixed key of the scenarios.
var testKey = netgroup.KeyFrom([]byte("evict scenarios"))

// loopbackPeers returns n inbound candidates, IDs 1..n, all from loopback
// (one netgroup), peer i connected at t0+i seconds, so peer 1 is the oldest.
// None has a ping, a transaction or a block.
func loopbackPeers(n int) []Candidate {
	out := make([]Candidate, n)
	for i := range out {
		id := i + 1
		out[i] = Candidate{
			ID:        actors.ConnID(id),
			Addr:      netip.MustParseAddr(fmt.Sprintf("127.0.%d.%d", id/250, id%250+1)),
			Inbound:   true,
			Connected: t0.Add(time.Duration(id) * time.Second),
		}
	}
	return out
}

// byID returns a pointer to the candidate with id.
func byID(cs []Candidate, id int) *Candidate {
	for i := range cs {
		if cs[i].ID == actors.ConnID(id) {
			return &cs[i]
		}
	}
	panic(fmt.Sprintf("no candidate %d", id))
}
