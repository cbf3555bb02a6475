package sockman

import (
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
)

// accepted tells the sockman actor that a listener accepted nc.
type accepted struct {
	nc      net.Conn
	manager *actor.PID
}

// listener is one open listening socket and its accept loop.
type listener struct {
	ln      net.Listener
	manager *actor.PID
	done    chan struct{} // closed when the accept loop has exited
}

// listen opens a listener for msg and replies to the sender (or, when the
// Listen was sent without a sender, to its manager).
func (s *sockman) listen(ctx actor.Context, msg *sockmanpb.Listen) {
	replyTo := ctx.Sender()
	if replyTo == nil {
		replyTo = msg.GetManager()
	}
	reply := func(m any) {
		if replyTo != nil {
			ctx.Send(replyTo, m)
		}
	}
	if msg.GetManager() == nil {
		reply(&sockmanpb.ListenFailed{Address: msg.GetAddress(), Error: "Listen has no manager"})
		return
	}
	ln, err := net.Listen("tcp", msg.GetAddress())
	if err != nil {
		s.log.Warn("listen failed", "address", msg.GetAddress(), "error", err)
		reply(&sockmanpb.ListenFailed{Address: msg.GetAddress(), Error: err.Error()})
		return
	}
	l := &listener{ln: ln, manager: msg.GetManager(), done: make(chan struct{})}
	s.listeners = append(s.listeners, l)
	go l.acceptLoop(s.intake, ctx.ActorSystem(), ctx.Self(), s.log)
	s.log.Info("listening", "address", msg.GetAddress(), "bound", ln.Addr().String())
	reply(&sockmanpb.Listening{Address: msg.GetAddress(), BoundAddress: ln.Addr().String()})
}

// acceptLoop accepts until the listener is closed, handing each socket to
// the sockman actor. Temporary errors (such as running out of file
// descriptors) are retried with a growing pause.
func (l *listener) acceptLoop(in *intake, system *actor.ActorSystem, sockmanPID *actor.PID, log *slog.Logger) {
	defer close(l.done)
	var pause time.Duration
	for {
		nc, err := l.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			log.Warn("accept failed", "error", err, "retry_in", pause)
			time.Sleep(pause)
			continue
		}
		pause = 0
		if !in.put(nc, nil) {
			_ = nc.Close()
			continue
		}
		system.Root.Send(sockmanPID, &accepted{nc: nc, manager: l.manager})
	}
}
