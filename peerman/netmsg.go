package peerman

import (
	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/telemetry/accounting"
	"github.com/asynkron/protoactor-go/actor"
)

// netGathering is one GetNetMsgStats in progress: the live Peers'
// traffic as it arrives, and the Peers whose PeerFinal arrived meanwhile,
// whose live answer is dropped because their final record is already in
// peerman's departed table.
type netGathering struct {
	live     map[actors.PeerID]*peermanpb.PeerStats
	departed map[actors.PeerID]bool
}

// connTypeName returns Core's name of a connection type, "unknown" for an
// unknown one.
func connTypeName(t peermanpb.ConnectionType) string {
	ct, ok := coreConnType(t)
	if !ok {
		return "unknown"
	}
	return ct.String()
}

// addTraffic adds one peer's by_type to a table under its network and
// connection type.
func addTraffic(t *accounting.NetMsgTable, s *peermanpb.PeerStats) {
	t.AddPeer(s.GetPeer().GetNetwork(), connTypeName(s.GetPeer().GetConnectionType()), s.GetByType())
}

// onFinal records a departed Peer's last PeerStats: its traffic joins the
// departed table, which GetNetMsgStats adds to the live Peers' traffic, and
// the Peer is no longer asked for stats.
func (pm *peerman) onFinal(m *peermanpb.PeerFinal) {
	s := m.GetStats()
	if s == nil {
		return
	}
	id := peerIDOf(s)
	if e, ok := pm.peers[id]; ok {
		if e.final {
			return
		}
		e.final = true
	}
	addTraffic(&pm.departed, s)
	for g := range pm.netGathers {
		g.departed[id] = true
	}
}

// gatherNetMsgStats answers GetNetMsgStats: the live Peers' traffic
// (asked for without their connection's figures) plus the departed table,
// by direction, network, connection type and message type.
func (pm *peerman) gatherNetMsgStats(ctx actor.Context) {
	reply := ctx.Sender()
	if reply == nil {
		return
	}
	g := &netGathering{live: make(map[actors.PeerID]*peermanpb.PeerStats), departed: make(map[actors.PeerID]bool)}
	pm.netGathers[g] = struct{}{}
	pm.askLive(ctx, &getPeerStats{all: true, trafficOnly: true}, "the message stats", func(e *peerEntry, res any) bool {
		s, ok := res.(*peermanpb.PeerStats)
		if ok {
			g.live[e.id] = s
		}
		return ok
	}, func() {
		delete(pm.netGathers, g)
		var t accounting.NetMsgTable
		t.Merge(&pm.departed)
		for id, s := range g.live {
			if !g.departed[id] {
				addTraffic(&t, s)
			}
		}
		ctx.Send(reply, &peermanpb.NetMsgStats{Entries: t.Entries()})
	})
}
