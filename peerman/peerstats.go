package peerman

import (
	"cmp"
	"errors"
	"slices"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/telemetry/peerfilter"
	"github.com/asynkron/protoactor-go/actor"
)

// askLive sends req to every live Peer (one whose PeerFinal has not
// arrived), each with its own GatherTimeout, and calls answer with each
// answer as it re-enters peerman, then done once every Peer has answered
// or timed out. A Peer that does not answer is logged and left out; with
// no live Peer, done runs at once.
func (pm *peerman) askLive(ctx actor.Context, req any, what string,
	answer func(e *peerEntry, res any) bool, done func()) {
	pending := 0
	for _, e := range pm.peers {
		if !e.final {
			pending++
		}
	}
	if pending == 0 {
		done()
		return
	}
	for _, e := range pm.peers {
		if e.final {
			continue
		}
		f := ctx.RequestFuture(e.pid, req, pm.cfg.GatherTimeout)
		ctx.ReenterAfter(f, func(res any, err error) {
			if !answer(e, res) {
				level := pm.log.Debug // a Peer that stopped meanwhile
				if errors.Is(err, actor.ErrTimeout) {
					level = pm.log.Warn
				}
				level("peer left out of "+what, "peer", uint64(e.id), "conn", uint64(e.connID),
					"addr", e.addr, "error", err, "answer", res)
			}
			pending--
			if pending == 0 {
				done()
			}
		})
	}
}

// gatherStats answers GetPeerStats: the filter (peerfilter language, empty
// selects every peer) is parsed here, and a filter that does not parse is
// answered with its error, which names the column. Every live Peer is
// asked; each matches the filter against its own identity (the user agent
// is only known to it) and answers its PeerStats or notSelected. The list
// is ordered by peer id.
func (pm *peerman) gatherStats(ctx actor.Context, m *peermanpb.GetPeerStats) {
	reply := ctx.Sender()
	if reply == nil {
		return
	}
	req := &getPeerStats{all: m.GetFilter() == ""}
	if !req.all {
		f, err := peerfilter.Parse(m.GetFilter())
		if err != nil {
			ctx.Send(reply, &peermanpb.PeerStatsList{Error: err.Error()})
			return
		}
		req.filter = f
	}
	var got []*peermanpb.PeerStats
	pm.askLive(ctx, req, "the peer stats", func(_ *peerEntry, res any) bool {
		switch r := res.(type) {
		case *peermanpb.PeerStats:
			got = append(got, r)
			return true
		case *notSelected:
			return true
		}
		return false
	}, func() {
		slices.SortFunc(got, func(a, b *peermanpb.PeerStats) int {
			return cmp.Compare(a.GetPeer().GetPeerId(), b.GetPeer().GetPeerId())
		})
		ctx.Send(reply, &peermanpb.PeerStatsList{Peers: got})
	})
}

// peerIDOf returns the peer id a PeerStats is about.
func peerIDOf(s *peermanpb.PeerStats) actors.PeerID {
	return actors.PeerID(s.GetPeer().GetPeerId())
}
