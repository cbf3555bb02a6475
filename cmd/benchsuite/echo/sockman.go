package echo

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/btcsuite/btcd/wire/v2"

	"github.com/actornode/actornode/sockman"
	"github.com/actornode/actornode/sockman/sockmanpb"
)

// pongOwner manages and owns every connection of a sockman actor and
// answers each ping Frame with a pong Send of the same nonce.
type pongOwner struct {
	conns map[uint64]*actor.PID
}

// Receive starts every opened connection with itself as owner and answers
// pings.
func (p *pongOwner) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *sockmanpb.Opened:
		p.conns[m.GetConnId()] = m.GetConn()
		ctx.Send(m.GetConn(), &sockmanpb.Start{ConnId: m.GetConnId(), Owner: ctx.Self()})
	case *sockmanpb.Frame:
		if m.GetCommand() == "ping" {
			ctx.Send(p.conns[m.GetConnId()], &sockmanpb.Send{ConnId: m.GetConnId(), Command: "pong", Payload: m.GetPayload()})
		}
	case *sockmanpb.Closed:
		delete(p.conns, m.GetConnId())
	}
}

// ServeSockman starts an actor system with a sockman actor listening on
// addr and a pong owner; it returns the bound address and a function that
// stops everything.
func ServeSockman(addr string, bn wire.BitcoinNet) (string, func(), error) {
	sys := actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.DiscardHandler)
	}))
	sm := sys.Root.Spawn(actor.PropsFromProducer(sockman.NewActor(sockman.Config{Net: bn})))
	owner := sys.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return &pongOwner{conns: map[uint64]*actor.PID{}} }))
	stop := func() {
		_ = sys.Root.StopFuture(sm).Wait()
		_ = sys.Root.StopFuture(owner).Wait()
		sys.Shutdown()
	}
	res, err := sys.Root.RequestFuture(sm, &sockmanpb.Listen{Address: addr, Manager: owner}, 30*time.Second).Result()
	if err != nil {
		stop()
		return "", nil, err
	}
	listening, ok := res.(*sockmanpb.Listening)
	if !ok {
		stop()
		return "", nil, fmt.Errorf("echo: sockman listen: %v", res)
	}
	return listening.GetBoundAddress(), stop, nil
}
