package sockman

import (
	"context"
	"net"
	"time"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
)

// dialed tells the sockman actor that a Dial connected.
type dialed struct {
	nc  net.Conn
	req *sockmanpb.Dial
}

// dial starts an asynchronous dial for msg. Failures go straight from the
// dialling goroutine to the manager as DialFailed; a connected socket goes
// back to the sockman actor, which spawns its connection actor and sends
// Opened.
func (s *sockman) dial(ctx actor.Context, msg *sockmanpb.Dial) {
	if msg.GetManager() == nil {
		s.log.Warn("Dial without a manager ignored", "address", msg.GetAddress())
		return
	}
	timeout := time.Duration(msg.GetTimeoutMs()) * time.Millisecond
	if timeout <= 0 {
		timeout = s.cfg.DialTimeout
	}
	system, self, in, parent := ctx.ActorSystem(), ctx.Self(), s.intake, s.dialCtx
	s.dials.Add(1)
	go func() {
		defer s.dials.Done()
		dctx, cancel := context.WithTimeout(parent, timeout)
		defer cancel()
		var d net.Dialer
		fail := func(err string) {
			system.Root.Send(msg.GetManager(), &sockmanpb.DialFailed{
				RequestId: msg.GetRequestId(),
				Address:   msg.GetAddress(),
				Error:     err,
			})
		}
		nc, err := d.DialContext(dctx, "tcp", msg.GetAddress())
		if err != nil {
			fail(err.Error())
			return
		}
		if !in.put(nc, func() { fail(errShuttingDown) }) {
			_ = nc.Close()
			fail(errShuttingDown)
			return
		}
		system.Root.Send(self, &dialed{nc: nc, req: msg})
	}()
}
