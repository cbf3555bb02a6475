package connman

import (
	"log/slog"
	"sort"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/actors/actorspb"
	"github.com/actornode/actornode/connman/connmanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

// Config configures the connman actor.
type Config struct {
	// Listen lists host:port addresses to accept peers on.
	Listen []string
	// Sockman is the sockman actor.
	Sockman *actor.PID
	// Node is the root supervisor, told when a listener cannot be opened.
	Node *actor.PID
	// Clock stamps connection records.
	Clock actors.Clock
	// Logger is connman's logger.
	Logger *slog.Logger
}

// NewActor returns the producer of the connman actor.
func NewActor(cfg Config) actor.Producer {
	if cfg.Clock == nil {
		cfg.Clock = actors.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return func() actor.Actor { return &connmanActor{cfg: cfg, view: newView()} }
}

type connmanActor struct {
	cfg  Config
	view *view
}

// Receive implements actor.Actor.
func (a *connmanActor) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *actor.Started:
		for _, addr := range a.cfg.Listen {
			ctx.Request(a.cfg.Sockman, &sockmanpb.Listen{Address: addr, Manager: ctx.Self()})
		}
	case *sockmanpb.Listening:
		a.cfg.Logger.Info("listening for peers", "address", msg.GetAddress(), "bound", msg.GetBoundAddress())
		a.view.listening(msg.GetAddress(), msg.GetBoundAddress())
	case *sockmanpb.ListenFailed:
		a.cfg.Logger.Error("cannot listen for peers", "address", msg.GetAddress(), "error", msg.GetError())
		ctx.Send(a.cfg.Node, &actorspb.Fatal{Subsystem: string(actors.SubsystemConnman), Reason: "cannot listen on " + msg.GetAddress() + ": " + msg.GetError()})
	case *sockmanpb.Opened:
		a.view.opened(msg, a.cfg.Clock.Now())
		a.cfg.Logger.Debug("connection opened", "conn", msg.GetConnId(), "remote", msg.GetRemoteAddr(), "direction", msg.GetDirection().String())
		// Until peerman takes connections over, connman owns their frames.
		ctx.Send(msg.GetConn(), &sockmanpb.Start{ConnId: msg.GetConnId(), Owner: ctx.Self()})
	case *sockmanpb.Frame:
		a.view.frame(actors.ConnID(msg.GetConnId()))
	case *sockmanpb.Closed:
		a.view.closed(actors.ConnID(msg.GetConnId()))
		a.cfg.Logger.Debug("connection closed", "conn", msg.GetConnId(), "reason", msg.GetReason().String(), "detail", msg.GetDetail())
	case *connmanpb.GetConnectionCounts:
		ctx.Respond(a.view.counts())
	case *connmanpb.GetListenAddrs:
		ctx.Respond(&connmanpb.ListenAddrs{Bound: a.view.boundAddrs()})
	}
}

// record is connman's view of one connection.
type record struct {
	direction sockmanpb.Direction
	remote    string
	since     time.Time
	conn      *actor.PID
	frames    uint64
}

// view is connman's own state, touched only by its actor.
type view struct {
	conns     map[actors.ConnID]*record
	listeners map[string]string
}

func newView() *view {
	return &view{conns: map[actors.ConnID]*record{}, listeners: map[string]string{}}
}

func (v *view) listening(addr, bound string) { v.listeners[addr] = bound }

func (v *view) opened(m *sockmanpb.Opened, now time.Time) {
	v.conns[actors.ConnID(m.GetConnId())] = &record{direction: m.GetDirection(), remote: m.GetRemoteAddr(), since: now, conn: m.GetConn()}
}

func (v *view) frame(id actors.ConnID) {
	if r, ok := v.conns[id]; ok {
		r.frames++
	}
}

func (v *view) closed(id actors.ConnID) { delete(v.conns, id) }

func (v *view) counts() *connmanpb.ConnectionCounts {
	c := &connmanpb.ConnectionCounts{}
	for _, r := range v.conns {
		c.Total++
		if r.direction == sockmanpb.Direction_DIRECTION_INBOUND {
			c.Inbound++
		} else {
			c.Outbound++
		}
	}
	return c
}

func (v *view) boundAddrs() []string {
	out := make([]string, 0, len(v.listeners))
	for _, b := range v.listeners {
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}
