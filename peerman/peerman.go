package peerman

import (
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/telemetry/accounting"
	"github.com/asynkron/protoactor-go/actor"
)

// NewActor returns the producer of the peerman actor configured by cfg.
// Every actor it produces (a restart produces a new one) shares one PeerID
// counter, so PeerIDs start at 1 and are never reused within the process.
// The node builds peerman's Props with actors.NewStopOnFailure as the
// supervisor strategy, so a failing Peer actor is stopped, never restarted.
func NewActor(cfg Config) actor.Producer {
	cfg = cfg.withDefaults()
	ids := new(atomic.Uint64)
	return func() actor.Actor { return newPeerman(&cfg, ids) }
}

// peerEntry is peerman's record of one live Peer actor.
type peerEntry struct {
	id     actors.PeerID
	pid    *actor.PID
	connID actors.ConnID
	addr   string
	// addrRelay and addrV2 are what the Peer last reported about address
	// relay (see addrRelayState).
	addrRelay, addrV2 bool
	// final is set once the Peer's PeerFinal arrived: its traffic is in
	// the departed table and it is asked for no more stats.
	final bool
}

// peerman is the actor that spawns and supervises the Peer actors. It keeps
// only their PIDs; each Peer's state is its own.
type peerman struct {
	cfg    *Config
	log    *slog.Logger
	ids    *atomic.Uint64
	nonces *nonceSet
	peers  map[actors.PeerID]*peerEntry
	byPID  map[string]actors.PeerID
	key    relayKey
	// departed sums the traffic of every Peer whose PeerFinal arrived.
	departed accounting.NetMsgTable
	// netGathers are the GetNetMsgStats in progress.
	netGathers map[*netGathering]struct{}
	// capture is the selection of new peers captured from their first
	// message (SetCaptureSelection).
	capture captureSelection
}

// newPeerman returns a peerman with no Peers.
func newPeerman(cfg *Config, ids *atomic.Uint64) *peerman {
	return &peerman{
		cfg:    cfg,
		log:    cfg.Logger,
		ids:    ids,
		nonces: newNonceSet(),
		peers:  make(map[actors.PeerID]*peerEntry),
		byPID:  make(map[string]actors.PeerID),
		key:    newRelayKey(cfg.Random),

		netGathers: make(map[*netGathering]struct{}),
		capture:    newCaptureSelection(cfg.InitialCapture, cfg.Logger),
	}
}

// Receive handles one message.
func (pm *peerman) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		pm.log.Debug("peerman started")
	case *peermanpb.AttachPeer:
		pm.attach(ctx, m)
	case *peermanpb.GetPeerInfo:
		pm.gather(ctx)
	case *peermanpb.GetPeerStats:
		pm.gatherStats(ctx, m)
	case *peermanpb.GetNetMsgStats:
		pm.gatherNetMsgStats(ctx)
	case *peermanpb.PeerFinal:
		pm.onFinal(m)
	case *peermanpb.PingPeers:
		for _, e := range pm.peers {
			ctx.Send(e.pid, &peermanpb.SendPingNow{})
		}
		ctx.Respond(&peermanpb.PingPeersDone{Peers: uint32(len(pm.peers))})
	case *peermanpb.SetCaptureSelection:
		pm.capture = newCaptureSelection(m, pm.log)
	case *addrRelayState:
		pm.setAddrRelay(m)
	case *relayAddrs:
		pm.relay(ctx, m)
	case *actor.Terminated:
		pm.terminated(m)
	case *actor.Stopping:
		pm.log.Debug("peerman stopping", "peers", len(pm.peers))
	}
}

// attach gives a connection its PeerID and Peer actor and reports it to
// connman with PeerStarted. A request it cannot serve is answered with
// DisconnectPeer, so that the connection is not left without an owner.
func (pm *peerman) attach(ctx actor.Context, m *peermanpb.AttachPeer) {
	connman := pm.cfg.Connman
	if connman == nil {
		connman = ctx.Sender()
	}
	refuse := func(detail string) {
		pm.log.Warn("AttachPeer refused", "conn", m.GetConnId(), "addr", m.GetRemoteAddr(), "detail", detail)
		if connman != nil {
			ctx.Send(connman, &peermanpb.DisconnectPeer{ConnId: m.GetConnId(), Detail: detail,
				Reason: peermanpb.DisconnectReason_DISCONNECT_REASON_UNSPECIFIED})
		}
	}
	ct, ok := coreConnType(m.GetConnectionType())
	switch {
	case m.GetConn() == nil:
		refuse("AttachPeer without a connection PID")
		return
	case !ok:
		refuse(fmt.Sprintf("unknown connection type %s", m.GetConnectionType()))
		return
	}
	spec := peerSpec{
		id:        actors.PeerID(pm.ids.Add(1)),
		connID:    actors.ConnID(m.GetConnId()),
		conn:      m.GetConn(),
		connman:   connman,
		connType:  ct,
		protoType: m.GetConnectionType(),
		remote:    m.GetRemoteAddr(),
		local:     m.GetLocalAddr(),
		noban:     m.GetNoban(),
	}
	if ns := m.GetOpenedUnixNano(); ns != 0 {
		spec.opened = time.Unix(0, ns)
	}
	spec.captureSink = pm.capture.sinkFor(newTracePeer(spec))
	cfg, nonces := pm.cfg, pm.nonces
	props := cfg.PeerProps(func() actor.Actor { return newPeer(spec, cfg, nonces) })
	pid, err := ctx.SpawnNamed(props, "peer-"+spec.id.String())
	if err != nil {
		refuse(fmt.Sprintf("spawning the Peer actor: %v", err))
		return
	}
	pm.peers[spec.id] = &peerEntry{id: spec.id, pid: pid, connID: spec.connID, addr: spec.remote}
	pm.byPID[pid.GetId()] = spec.id
	pm.log.Debug("peer attached", "peer", uint64(spec.id), "conn", uint64(spec.connID), "addr", spec.remote,
		"conn_type", ct.String(), "peers", len(pm.peers))
	if connman != nil {
		ctx.Send(connman, &peermanpb.PeerStarted{ConnId: uint64(spec.connID), PeerId: uint64(spec.id), Peer: pid})
	}
}

// terminated drops a Peer that stopped (its connection closed) or was
// stopped after a failure, together with its version nonce.
func (pm *peerman) terminated(m *actor.Terminated) {
	id, ok := pm.byPID[m.GetWho().GetId()]
	if !ok {
		return
	}
	e := pm.peers[id]
	delete(pm.byPID, m.GetWho().GetId())
	delete(pm.peers, id)
	pm.nonces.remove(id)
	pm.log.Debug("peer actor terminated", "peer", uint64(id), "conn", uint64(e.connID), "addr", e.addr,
		"peers", len(pm.peers))
}
