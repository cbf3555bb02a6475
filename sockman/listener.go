package sockman

import (
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
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
	// address is the address the Listen asked for.
	address string
	ln      net.Listener
	// manager receives Opened for accepted connections; a repeated Listen
	// for the same address replaces it, so it is read atomically.
	manager atomic.Pointer[actor.PID]
	done    chan struct{} // closed when the accept loop has exited
}

// listenRegistry remembers, across restarts of the sockman actor, every
// address it listens on (the bound address, so a ":0" listener keeps its
// port) and the manager to tell.
type listenRegistry struct {
	mu    sync.Mutex
	specs []listenSpec
}

// listenSpec is one requested listener: the address asked for, the address
// bound (reused on restart, so a ":0" listener keeps its port) and the
// manager.
type listenSpec struct {
	requested, bound string
	manager          *actor.PID
}

func (r *listenRegistry) add(spec listenSpec) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.specs = append(r.specs, spec)
}

func (r *listenRegistry) all() []listenSpec {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]listenSpec(nil), r.specs...)
}

// relisten reopens, after a restart, every listener an earlier instance had,
// telling each manager with Listening or ListenFailed.
func (s *sockman) relisten(ctx actor.Context) {
	for _, spec := range s.cfg.listens.all() {
		ln, err := net.Listen("tcp", spec.bound)
		if err != nil {
			s.log.Error("listening again after restart failed", "address", spec.bound, "error", err)
			ctx.Send(spec.manager, &sockmanpb.ListenFailed{Address: spec.requested, Error: err.Error()})
			continue
		}
		s.startListener(ctx, spec.requested, ln, spec.manager)
		s.log.Info("listening again after restart", "address", spec.bound)
		ctx.Send(spec.manager, &sockmanpb.Listening{Address: spec.requested, BoundAddress: ln.Addr().String()})
	}
}

// startListener records ln and starts its accept loop.
func (s *sockman) startListener(ctx actor.Context, address string, ln net.Listener, manager *actor.PID) *listener {
	l := &listener{address: address, ln: ln, done: make(chan struct{})}
	l.manager.Store(manager)
	s.listeners = append(s.listeners, l)
	go l.acceptLoop(s.intake, ctx.ActorSystem(), ctx.Self(), s.log)
	return l
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
	// A repeated Listen (a restarted manager asks again) keeps the listener
	// and moves it to the new manager.
	for _, l := range s.listeners {
		if l.address == msg.GetAddress() || l.ln.Addr().String() == msg.GetAddress() {
			l.manager.Store(msg.GetManager())
			reply(&sockmanpb.Listening{Address: msg.GetAddress(), BoundAddress: l.ln.Addr().String()})
			return
		}
	}
	ln, err := net.Listen("tcp", msg.GetAddress())
	if err != nil {
		s.log.Warn("listen failed", "address", msg.GetAddress(), "error", err)
		reply(&sockmanpb.ListenFailed{Address: msg.GetAddress(), Error: err.Error()})
		return
	}
	s.startListener(ctx, msg.GetAddress(), ln, msg.GetManager())
	s.cfg.listens.add(listenSpec{requested: msg.GetAddress(), bound: ln.Addr().String(), manager: msg.GetManager()})
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
		system.Root.Send(sockmanPID, &accepted{nc: nc, manager: l.manager.Load()})
	}
}
