package sockman

import (
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/asynkron/protoactor-go/actor"
)

// conn is the state one connection shares between its actor, its read loop
// and its write loop. Fields above mu never change after the write loop
// starts.
type conn struct {
	id         actors.ConnID
	nc         net.Conn
	dir        sockmanpb.Direction
	remote     string
	local      string
	opened     time.Time
	manager    *actor.PID
	self       *actor.PID // the connection actor; set before the loops start
	system     *actor.ActorSystem
	cfg        *Config
	log        *slog.Logger
	queue      *sendQueue
	recv       *recvBudget
	stats      counters
	owner      atomic.Pointer[actor.PID]
	capture    atomic.Pointer[actor.PID] // the capture sink; nil when capture is off
	noSelfStop atomic.Bool               // the actor is stopping, or its parent will stop it

	mu      sync.Mutex
	closing bool
	reading bool
	reason  sockmanpb.CloseReason
	detail  string
	loops   sync.WaitGroup // the read and write loops
	done    chan struct{}  // closed once Closed has been delivered
}

// newConn wraps an open socket. The caller spawns the actor, sets self and
// calls startWriter.
func newConn(id actors.ConnID, nc net.Conn, dir sockmanpb.Direction, manager *actor.PID, system *actor.ActorSystem, cfg *Config) *conn {
	c := &conn{
		id:      id,
		nc:      nc,
		dir:     dir,
		remote:  nc.RemoteAddr().String(),
		local:   nc.LocalAddr().String(),
		opened:  cfg.Clock.Now(),
		manager: manager,
		system:  system,
		cfg:     cfg,
		queue:   newSendQueue(cfg.MaxSendQueue),
		recv:    newRecvBudget(cfg.MaxRecvBuffer, cfg.MaxRecvFrames),
		done:    make(chan struct{}),
	}
	c.stats.totals = cfg.totals
	c.log = cfg.Logger.With("conn_id", uint64(id), "remote", c.remote)
	return c
}

// startWriter starts the write loop.
func (c *conn) startWriter() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing {
		return
	}
	c.loops.Add(1)
	go c.writeLoop()
}

// startReader starts the read loop unless it already runs or the connection
// is closing.
func (c *conn) startReader() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing || c.reading {
		return
	}
	c.reading = true
	c.loops.Add(1)
	go c.readLoop()
}

// beginClose starts the close sequence with reason and detail and reports
// whether this call started it; later calls change nothing. It never blocks:
// the socket is closed at once and the receive budget released (which ends
// both loops, even a read loop paused by flow control) and a goroutine
// delivers Closed once both loops have exited.
func (c *conn) beginClose(reason sockmanpb.CloseReason, detail string) bool {
	c.mu.Lock()
	if c.closing {
		c.mu.Unlock()
		return false
	}
	c.closing = true
	c.reason, c.detail = reason, detail
	c.mu.Unlock()
	_ = c.nc.Close()
	c.queue.close()
	c.recv.close()
	go c.finish()
	return true
}

// finish waits for both loops, delivers the single Closed to the owner and
// the manager, and stops the connection actor. Frames sent by the read loop
// therefore always reach the owner before Closed.
func (c *conn) finish() {
	c.loops.Wait()
	msg := &sockmanpb.Closed{
		ConnId:       uint64(c.id),
		Reason:       c.reason,
		Detail:       c.detail,
		TimeUnixNano: c.cfg.Clock.Now().UnixNano(),
		Stats:        c.snapshot(),
	}
	c.log.Debug("connection closed", "reason", c.reason.String(), "detail", c.detail)
	owner := c.owner.Load()
	if owner != nil {
		c.system.Root.Send(owner, msg)
	}
	if c.manager != nil && !c.manager.Equal(owner) {
		c.system.Root.Send(c.manager, msg)
	}
	if !c.noSelfStop.Load() {
		c.system.Root.Stop(c.self)
	}
	close(c.done)
}

// snapshot returns the connection's current statistics.
func (c *conn) snapshot() *sockmanpb.ConnStats {
	s := c.stats.snapshot(c.id, c.opened, c.queue)
	s.RecvUnackedBytes, s.RecvPaused, s.RecvPauses = c.recv.stats()
	return s
}

// opened returns the Opened event announcing the connection.
func (c *conn) openedMsg(requestID uint64) *sockmanpb.Opened {
	return &sockmanpb.Opened{
		ConnId:       uint64(c.id),
		RequestId:    requestID,
		Direction:    c.dir,
		RemoteAddr:   c.remote,
		LocalAddr:    c.local,
		Conn:         c.self,
		TimeUnixNano: c.opened.UnixNano(),
	}
}
