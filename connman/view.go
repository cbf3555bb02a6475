package connman

import (
	"net/netip"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// record is connman's view of one connection.
type record struct {
	id       actors.ConnID
	conn     *actor.PID
	connType peermanpb.ConnectionType
	remote   string
	local    string
	addr     netip.Addr // remote IP; invalid when remote is not an IP literal
	since    time.Time
	noban    bool
	// preferEvict marks a discouraged address accepted into a free slot.
	preferEvict bool
	// target is the manual target this connection serves, if any.
	target *target
	peerID actors.PeerID
	peer   *actor.PID
	// snap is the latest PeerSnapshot, read-only.
	snap *peermanpb.PeerSnapshot
	// closing is set once Close was sent; the record stays until Closed.
	closing bool
	// report is what addrman may hear about this connection.
	report addrReport
}

// inbound reports whether the peer opened the connection.
func (r *record) inbound() bool {
	return r.connType == peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND
}

// view is connman's own state of connections, touched only by its actor.
type view struct {
	conns  map[actors.ConnID]*record
	byPeer map[string]actors.ConnID // by Peer actor PID
	stats  refusals
}

// refusals counts connections connman turned away or evicted.
type refusals struct {
	banned, discouraged, noSlot, evicted uint64
}

func newView() *view {
	return &view{conns: map[actors.ConnID]*record{}, byPeer: map[string]actors.ConnID{}}
}

// pidKey identifies a PID in maps.
func pidKey(p *actor.PID) string { return p.GetAddress() + "/" + p.GetId() }

// add records r.
func (v *view) add(r *record) { v.conns[r.id] = r }

// remove forgets the connection and returns its record, nil if unknown.
func (v *view) remove(id actors.ConnID) *record {
	r := v.conns[id]
	if r == nil {
		return nil
	}
	delete(v.conns, id)
	if r.peer != nil {
		delete(v.byPeer, pidKey(r.peer))
	}
	return r
}

// inboundInUse counts inbound connections not already being closed.
func (v *view) inboundInUse() int {
	n := 0
	for _, r := range v.conns {
		if r.inbound() && !r.closing {
			n++
		}
	}
	return n
}

// counts answers GetConnectionCounts.
func (v *view) counts() *connmanpb.ConnectionCounts {
	c := &connmanpb.ConnectionCounts{
		RefusedBanned:      v.stats.banned,
		RefusedDiscouraged: v.stats.discouraged,
		RefusedNoSlot:      v.stats.noSlot,
		Evicted:            v.stats.evicted,
	}
	for _, r := range v.conns {
		c.Total++
		if r.inbound() {
			c.Inbound++
		} else {
			c.Outbound++
		}
	}
	return c
}
