package sockman

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
)

// errShuttingDown is the DialFailed error of a dial that connected while
// sockman was stopping.
const errShuttingDown = "sockman is shutting down"

// NewActor returns the producer of the sockman actor configured by cfg.
// Every actor it produces (a restart produces a new one) shares one ConnID
// counter, so ConnIDs start at 1 and are never reused within the process,
// the node-wide byte totals, and the list of requested listeners: a
// restarted sockman listens again on every address it listened on and tells
// each listener's manager with a fresh Listening.
// Spawn it once per node; connection actors are spawned as its children.
func NewActor(cfg Config) actor.Producer {
	cfg = cfg.withDefaults()
	cfg.totals = &netTotals{}
	cfg.listens = &listenRegistry{}
	ids := new(atomic.Uint64)
	return func() actor.Actor { return newSockman(cfg, ids) }
}

// sockman is the actor owning every listener and connection of the node.
type sockman struct {
	cfg       Config
	log       *slog.Logger
	ids       *atomic.Uint64
	intake    *intake
	listeners []*listener
	conns     map[string]*conn // by connection actor PID id
	dialCtx   context.Context
	stopDials context.CancelFunc
	dials     sync.WaitGroup
}

// newSockman returns a sockman actor with no sockets.
func newSockman(cfg Config, ids *atomic.Uint64) *sockman {
	dialCtx, stopDials := context.WithCancel(context.Background())
	return &sockman{
		cfg:       cfg,
		log:       cfg.Logger,
		ids:       ids,
		intake:    newIntake(),
		conns:     make(map[string]*conn),
		dialCtx:   dialCtx,
		stopDials: stopDials,
	}
}

// Receive handles one message.
func (s *sockman) Receive(ctx actor.Context) {
	switch msg := ctx.Message().(type) {
	case *actor.Started:
		s.relisten(ctx)
	case *sockmanpb.Listen:
		s.listen(ctx, msg)
	case *sockmanpb.GetNetTotals:
		ctx.Respond(s.cfg.totals.message(s.cfg.Clock.Now()))
	case *sockmanpb.Dial:
		s.dial(ctx, msg)
	case *accepted:
		if s.intake.take(msg.nc) {
			s.open(ctx, msg.nc, sockmanpb.Direction_DIRECTION_INBOUND, msg.manager, 0)
		}
	case *dialed:
		if s.intake.take(msg.nc) {
			s.open(ctx, msg.nc, sockmanpb.Direction_DIRECTION_OUTBOUND, msg.req.GetManager(), msg.req.GetRequestId())
		}
	case *actor.Terminated:
		delete(s.conns, msg.GetWho().GetId())
	case *actor.Stopping:
		s.shutdown()
	case *actor.Restarting:
		s.shutdown()
	}
}

// open gives a new socket its ConnID and connection actor, starts its write
// loop and announces it to manager with Opened.
func (s *sockman) open(ctx actor.Context, nc net.Conn, dir sockmanpb.Direction, manager *actor.PID, requestID uint64) {
	id := actors.ConnID(s.ids.Add(1))
	c := newConn(id, nc, dir, manager, ctx.ActorSystem(), &s.cfg)
	props := s.cfg.ConnProps(func() actor.Actor { return &connActor{c: c} })
	pid, err := ctx.SpawnNamed(props, "conn-"+id.String())
	if err != nil {
		s.log.Error("spawning connection actor failed", "conn_id", uint64(id), "error", err)
		_ = nc.Close()
		if dir == sockmanpb.Direction_DIRECTION_OUTBOUND {
			ctx.Send(manager, &sockmanpb.DialFailed{RequestId: requestID, Address: c.remote,
				Error: fmt.Sprintf("spawning connection actor: %v", err)})
		}
		return
	}
	c.self = pid
	s.conns[pid.GetId()] = c
	c.startWriter()
	c.log.Debug("connection opened", "direction", dir.String(), "local", c.local)
	ctx.Send(manager, c.openedMsg(requestID))
}

// shutdown closes every listener, dial and connection (reason SHUTDOWN) and
// waits, at most StopWait in total, for their goroutines to exit and for
// every Closed to be delivered. The wait uses the wall clock on purpose: it
// bounds real goroutines, not protocol time.
func (s *sockman) shutdown() {
	s.stopDials()
	for _, l := range s.listeners {
		_ = l.ln.Close()
	}
	s.intake.closeAll()
	for _, c := range s.conns {
		// The actor system stops the children once this handler returns.
		c.noSelfStop.Store(true)
		c.beginClose(sockmanpb.CloseReason_CLOSE_REASON_SHUTDOWN, "sockman stopping")
	}
	deadline := time.NewTimer(s.cfg.StopWait)
	defer deadline.Stop()
	wait := func(what string, done <-chan struct{}) bool {
		select {
		case <-done:
			return true
		case <-deadline.C:
			s.log.Warn("stop wait expired", "waiting_for", what)
			return false
		}
	}
	for _, l := range s.listeners {
		if !wait("listener "+l.ln.Addr().String(), l.done) {
			return
		}
	}
	dialsDone := make(chan struct{})
	go func() { s.dials.Wait(); close(dialsDone) }()
	if !wait("dials", dialsDone) {
		return
	}
	for _, c := range s.conns {
		if !wait("connection "+c.id.String(), c.done) {
			return
		}
	}
	s.listeners = nil
}
