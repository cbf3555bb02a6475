package connman

import (
	"log/slog"
	"net/netip"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/actors/actorspb"
	"github.com/actornode/actornode/connman/banlist"
	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/connman/netgroup"
	"github.com/actornode/actornode/connman/outbound"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

// NewActor returns the producer of the connman actor. Every actor it
// produces (a restart produces a new one) shares the listeners already
// opened, the Dial request counter and the eviction key; everything else
// starts afresh, bans reloaded from Config.BanFile.
func NewActor(cfg Config) actor.Producer {
	cfg = cfg.withDefaults()
	key := netgroup.NewKey()
	if cfg.EvictionKey != nil {
		key = netgroup.KeyFrom(cfg.EvictionKey)
	}
	life := newLifetime(key)
	return func() actor.Actor { return newConnman(cfg, life) }
}

// connmanActor is the connection manager.
type connmanActor struct {
	cfg         Config
	log         *slog.Logger
	life        *lifetime
	limits      outbound.Limits
	noban       []netip.Prefix
	view        *view
	bans        *banlist.List
	discouraged *banlist.Discouraged
	targets     map[string]*target
	dials       map[uint64]*dialIntent
	auto        *autoDialer // nil when automatic outbound is off
}

// newConnman returns a connman actor with an empty view.
func newConnman(cfg Config, life *lifetime) *connmanActor {
	return &connmanActor{
		cfg:         cfg,
		log:         cfg.Logger,
		life:        life,
		limits:      cfg.limits(),
		noban:       cfg.noBanSubnets(),
		view:        newView(),
		bans:        banlist.New(),
		discouraged: banlist.NewDiscouraged(0, 0),
		targets:     map[string]*target{},
		dials:       map[uint64]*dialIntent{},
	}
}

// Receive implements actor.Actor.
func (a *connmanActor) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *actor.Started:
		a.start(ctx)
	case *actor.Stopping, *actor.Restarting:
		a.stopTimers()
		a.stopAuto()
	case *sockmanpb.Listening:
		a.log.Info("listening for peers", "address", msg.GetAddress(), "bound", msg.GetBoundAddress())
		a.life.listened(msg.GetAddress(), msg.GetBoundAddress())
	case *sockmanpb.ListenFailed:
		a.log.Error("cannot listen for peers", "address", msg.GetAddress(), "error", msg.GetError())
		a.life.listenFailed(msg.GetAddress())
		if a.cfg.Node != nil {
			ctx.Send(a.cfg.Node, &actorspb.Fatal{Subsystem: string(actors.SubsystemConnman),
				Reason: "cannot listen on " + msg.GetAddress() + ": " + msg.GetError()})
		}
	case *sockmanpb.Opened:
		if msg.GetDirection() == sockmanpb.Direction_DIRECTION_INBOUND {
			a.accept(ctx, msg)
		} else {
			a.outboundOpened(ctx, msg)
		}
	case *sockmanpb.DialFailed:
		a.dialFailed(ctx, msg)
	case *sockmanpb.Closed:
		a.closed(ctx, msg)
	case *peermanpb.PeerStarted:
		a.peerStarted(ctx, msg)
	case *peermanpb.PeerSnapshot:
		if r := a.view.conns[actors.ConnID(msg.GetConnId())]; r != nil {
			r.snap = msg
			a.snapshotSeen(ctx, r, msg)
		}
	case *peermanpb.DisconnectPeer:
		a.disconnectPeer(ctx, msg)
	case *actor.Terminated:
		a.peerTerminated(ctx, msg)
	case *redialDue:
		a.redial(ctx, msg)
	case *autoTick:
		a.onAutoTick(ctx, msg)
	case *feelerTick:
		a.onFeelerTick(ctx, msg)
	default:
		a.command(ctx, msg)
	}
}

// start loads the bans, opens the listeners not already open and starts
// dialling the manual peers and, with an addrman and no p2p.connect,
// automatic outbound peers.
func (a *connmanActor) start(ctx actor.Context) {
	a.loadBans()
	for _, addr := range a.cfg.Listen {
		if a.life.askListen(addr) {
			ctx.Request(a.cfg.Sockman, &sockmanpb.Listen{Address: addr, Manager: ctx.Self()})
		}
	}
	a.startTargets(ctx)
	a.startAuto(ctx)
	a.log.Debug("connman started", "inbound_slots", a.limits.Inbound(), "bans", a.bans.Len(),
		"connect", len(a.cfg.Connect), "addnode", len(a.cfg.AddNode), "automatic_outbound", a.auto != nil)
}

// command answers the queries and commands of connmanpb.
func (a *connmanActor) command(ctx actor.Context, msg any) {
	switch m := msg.(type) {
	case *connmanpb.GetConnectionCounts:
		ctx.Respond(a.view.counts())
	case *connmanpb.GetListenAddrs:
		ctx.Respond(&connmanpb.ListenAddrs{Bound: a.life.bound()})
	case *connmanpb.AddNode:
		ctx.Respond(a.addNode(ctx, m))
	case *connmanpb.DisconnectNode:
		ctx.Respond(a.disconnectNode(ctx, m))
	case *connmanpb.SetBan:
		ctx.Respond(a.setBan(ctx, m))
	case *connmanpb.ListBanned:
		ctx.Respond(a.listBanned())
	case *connmanpb.ClearBanned:
		ctx.Respond(a.clearBanned())
	}
}

// isNoBan reports whether addr has the noban permission.
func (a *connmanActor) isNoBan(addr netip.Addr) bool {
	for _, p := range a.noban {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
