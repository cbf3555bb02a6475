package connman

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/connman/evict"
	"github.com/actornode/actornode/connman/netgroup"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

// Service bits that make a peer a useful block source for eviction.
const (
	serviceNetwork        = 1 << 0
	serviceWitness        = 1 << 3
	serviceNetworkLimited = 1 << 10
)

// accept decides about a new inbound connection: refused when banned,
// refused when discouraged and slots are (almost) full, accepted after
// evicting a peer when slots are full, refused when nobody can be evicted.
func (a *connmanActor) accept(ctx actor.Context, m *sockmanpb.Opened) {
	now := a.cfg.Clock.Now()
	addr, _ := netgroup.ParseHostPort(m.GetRemoteAddr())
	noban := addr.IsValid() && a.isNoBan(addr)
	if addr.IsValid() && !noban && a.bans.Banned(addr, now) {
		a.view.stats.banned++
		a.refuse(ctx, m, peermanpb.DisconnectReason_DISCONNECT_REASON_BANNED, "")
		return
	}
	discouraged := addr.IsValid() && !noban && a.discouraged.Has(addr, now)
	inUse, slots := a.view.inboundInUse(), a.limits.Inbound()
	if discouraged && inUse+1 >= slots {
		a.view.stats.discouraged++
		a.refuse(ctx, m, peermanpb.DisconnectReason_DISCONNECT_REASON_DISCOURAGED, "inbound slots almost full")
		return
	}
	if inUse >= slots {
		victim, ok := evict.Select(a.candidates(), now, a.life.key)
		if !ok {
			a.view.stats.noSlot++
			a.refuse(ctx, m, peermanpb.DisconnectReason_DISCONNECT_REASON_NO_SLOT, "inbound slots full and no peer to evict")
			return
		}
		a.view.stats.evicted++
		a.closeConn(ctx, a.view.conns[victim], peermanpb.DisconnectReason_DISCONNECT_REASON_EVICTED,
			"inbound slots full, making room for "+m.GetRemoteAddr())
	}
	r := a.newRecord(m, peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND, now)
	r.noban = noban
	r.preferEvict = discouraged
	a.view.add(r)
	a.attach(ctx, r, m)
}

// refuse closes a connection that never entered the view.
func (a *connmanActor) refuse(ctx actor.Context, m *sockmanpb.Opened, reason peermanpb.DisconnectReason, detail string) {
	text := closeDetail(reason, detail)
	ctx.Send(m.GetConn(), &sockmanpb.Close{ConnId: m.GetConnId(), Reason: sockmanpb.CloseReason_CLOSE_REASON_REQUESTED, Detail: text})
	a.log.Info("inbound connection refused", "conn_id", m.GetConnId(), "remote", m.GetRemoteAddr(), "reason", text)
}

// newRecord returns the view's record of an opened connection.
func (a *connmanActor) newRecord(m *sockmanpb.Opened, t peermanpb.ConnectionType, now time.Time) *record {
	addr, _ := netgroup.ParseHostPort(m.GetRemoteAddr())
	return &record{
		id:       actors.ConnID(m.GetConnId()),
		conn:     m.GetConn(),
		connType: t,
		remote:   m.GetRemoteAddr(),
		local:    m.GetLocalAddr(),
		addr:     addr,
		since:    now,
	}
}

// attach hands an accepted connection to peerman.
func (a *connmanActor) attach(ctx actor.Context, r *record, m *sockmanpb.Opened) {
	if a.cfg.Peerman == nil {
		a.closeConn(ctx, r, peermanpb.DisconnectReason_DISCONNECT_REASON_UNSPECIFIED, "no peerman to take the connection")
		return
	}
	opened := m.GetTimeUnixNano()
	if opened == 0 {
		opened = r.since.UnixNano()
	}
	ctx.Send(a.cfg.Peerman, &peermanpb.AttachPeer{
		ConnId:         uint64(r.id),
		Conn:           r.conn,
		ConnectionType: r.connType,
		RemoteAddr:     r.remote,
		LocalAddr:      r.local,
		OpenedUnixNano: opened,
		Noban:          r.noban,
	})
	a.log.Debug("connection attached", "conn_id", uint64(r.id), "remote", r.remote, "connection_type", r.connType.String())
}

// candidates builds the eviction candidates from the view and the latest
// snapshots. Connections already closing are left out.
func (a *connmanActor) candidates() []evict.Candidate {
	out := make([]evict.Candidate, 0, len(a.view.conns))
	for _, r := range a.view.conns {
		if !r.closing {
			out = append(out, candidateOf(r))
		}
	}
	return out
}

// candidateOf is what eviction knows about r.
func candidateOf(r *record) evict.Candidate {
	c := evict.Candidate{
		ID:          r.id,
		Addr:        r.addr,
		IsLocal:     r.addr.IsValid() && netgroup.IsLocal(r.addr),
		Inbound:     r.inbound(),
		NoBan:       r.noban,
		Connected:   r.since,
		PreferEvict: r.preferEvict,
	}
	s := r.snap
	if s == nil {
		return c
	}
	if s.GetMinpingUs() >= 0 {
		c.MinPing = time.Duration(s.GetMinpingUs()) * time.Microsecond
	}
	if s.GetLastBlockUnix() > 0 {
		c.LastBlock = time.Unix(s.GetLastBlockUnix(), 0)
	}
	if s.GetLastTransactionUnix() > 0 {
		c.LastTx = time.Unix(s.GetLastTransactionUnix(), 0)
	}
	c.RelayTxs = s.GetRelaytxes()
	c.RelevantServices = relevantServices(s.GetServices())
	c.NoBan = c.NoBan || s.GetNoban()
	switch n := netgroup.Network(s.GetNetwork()); n {
	case netgroup.NetOnion, netgroup.NetI2P, netgroup.NetCJDNS:
		c.Network = n
	}
	return c
}

// relevantServices reports whether services make a peer a block source
// worth protecting: witness plus full or limited (pruned) network service.
func relevantServices(s uint64) bool {
	return s&serviceWitness != 0 && s&(serviceNetwork|serviceNetworkLimited) != 0
}
