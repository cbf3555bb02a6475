package peerman

import (
	"cmp"
	"errors"
	"slices"

	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/asynkron/protoactor-go/actor"
)

// gathering collects the snapshots of one GetPeerInfo request. It lives in
// peerman's goroutine: every answer re-enters the actor.
type gathering struct {
	reply   *actor.PID
	pending int
	got     []*peermanpb.PeerSnapshot
}

// gather answers GetPeerInfo: it asks every live Peer for a snapshot, each
// with its own timeout, and replies with a PeerInfoList ordered by peer_id
// once every Peer has answered or timed out. A Peer that does not answer
// in time (or has just stopped) is left out and logged. peerman keeps
// handling messages meanwhile.
func (pm *peerman) gather(ctx actor.Context) {
	reply := ctx.Sender()
	if reply == nil {
		return
	}
	if len(pm.peers) == 0 {
		ctx.Send(reply, &peermanpb.PeerInfoList{})
		return
	}
	g := &gathering{reply: reply, pending: len(pm.peers)}
	for _, e := range pm.peers {
		f := ctx.RequestFuture(e.pid, &peermanpb.GetPeerSnapshot{}, pm.cfg.GatherTimeout)
		ctx.ReenterAfter(f, func(res any, err error) {
			if snap, ok := res.(*peermanpb.PeerSnapshot); ok {
				g.got = append(g.got, snap)
			} else {
				level := pm.log.Debug // a Peer that stopped meanwhile
				if errors.Is(err, actor.ErrTimeout) {
					level = pm.log.Warn
				}
				level("peer left out of the peer list", "peer", uint64(e.id), "conn", uint64(e.connID),
					"addr", e.addr, "error", err, "answer", res)
			}
			g.pending--
			if g.pending == 0 {
				slices.SortFunc(g.got, func(a, b *peermanpb.PeerSnapshot) int {
					return cmp.Compare(a.GetPeerId(), b.GetPeerId())
				})
				ctx.Send(g.reply, &peermanpb.PeerInfoList{Peers: g.got})
			}
		})
	}
}
