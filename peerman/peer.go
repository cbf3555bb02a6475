package peerman

import (
	"log/slog"
	"net/netip"
	"time"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/peerman/peercore"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/actornode/actornode/telemetry/accounting"
	"github.com/actornode/actornode/telemetry/peerfilter"
	"github.com/asynkron/protoactor-go/actor"
)

// peerTick is the message a Peer's timer sends it every TickInterval.
type peerTick struct{}

// peerSpec is what peerman tells a new Peer about its connection.
type peerSpec struct {
	id        actors.PeerID
	connID    actors.ConnID
	conn      *actor.PID
	connman   *actor.PID
	connType  peercore.ConnType
	protoType peermanpb.ConnectionType
	remote    string
	local     string
	opened    time.Time
	noban     bool
	// captureSink, when set, is tapped on the connection before Start.
	captureSink *actor.PID
}

// peer is the Peer actor of one connection: a thin adapter that feeds
// frames, ticks and requests to its peercore.State and carries out the
// outputs. Everything in it belongs to its own goroutine except cfg (read
// only) and nonces (the shared self-connection set).
type peer struct {
	spec   peerSpec
	cfg    *Config
	nonces *nonceSet
	log    *slog.Logger

	state   peercore.State
	ready   bool      // peercore.New succeeded
	lastNow time.Time // the time of the last Step, to keep Step times monotonic
	timer   actors.Timer

	acct          *accounting.Peer  // traffic always; the rest unless Config.NoAccounting
	clocks        accounting.Clocks // handler wall and CPU time
	framesHandled uint64            // Frames and FrameDropped handled, for the mailbox depth
	finalSent     bool              // PeerFinal went out
	unacked       uint64            // handled wire bytes not yet acknowledged to sockman
	unackedFrames uint64            // handled frames not yet acknowledged to sockman
	closed        *sockmanpb.Closed
	disconnecting bool
	ignored       uint64
	unknown       uint64
	others        uint64
	relayTold     addrRelayState // what peerman was last told about address relay

	tracePeer peerfilter.Peer // what TracePeer reports; the user agent is filled in once known
	goneSent  bool            // PeerDisconnected went out

	frame *sockmanpb.Frame // the frame being handled, for forwarding raw chain payloads
}

// newPeer returns the Peer actor for spec.
func newPeer(spec peerSpec, cfg *Config, nonces *nonceSet) *peer {
	return &peer{
		spec:   spec,
		cfg:    cfg,
		nonces: nonces,
		log: cfg.Logger.With("peer", uint64(spec.id), "conn", uint64(spec.connID), "addr", spec.remote,
			"conn_type", spec.connType.String()),
		acct: accounting.NewPeer(accounting.PeerConfig{
			TxTimeout:    cfg.TxRequestTimeout,
			BlockTimeout: cfg.BlockRequestTimeout,
			CPUEvery:     cfg.HandlerCPUEvery,
		}),
		relayTold: addrRelayState{id: spec.id},
		tracePeer: newTracePeer(spec),
	}
}

// Receive handles one message.
func (p *peer) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		p.start(ctx)
	case peerTick:
		p.onTick(ctx)
	case *sockmanpb.Frame:
		p.onFrame(ctx, m)
	case *sockmanpb.FrameDropped:
		if p.forMe(m.GetConnId()) {
			p.framesHandled++
			p.acct.Count(accounting.Recv, OtherCommand, uint64(m.GetWireSize()))
			p.log.Debug("frame dropped by sockman", "command", m.GetCommand(), "reason", m.GetReason())
			p.handled(ctx, uint64(m.GetWireSize()))
		}
	case *sockmanpb.Closed:
		p.onClosed(ctx, m)
	case *peermanpb.SendPingNow:
		p.step(ctx, peercore.SendPing{}, p.cfg.Clock.Now())
	case *peermanpb.GetPeerSnapshot:
		p.onSnapshotRequest(ctx)
	case *getPeerStats:
		p.onStatsRequest(ctx, m)
	case *queueAddrs:
		p.step(ctx, peercore.SendAddrs{Addrs: m.addrs}, p.cfg.Clock.Now())
	case *peermanpb.SendMessage:
		p.sendRaw(ctx, m)
	case *peermanpb.RequestDisconnect:
		p.requestDisconnect(ctx, m.GetReason(), m.GetDetail(), m.GetMisbehaving() && !p.spec.noban)
	case *actor.Stopping:
		p.sendFinal(ctx, nil)
		p.announceGone(ctx, nil)
		p.stopTimer()
		p.nonces.remove(p.spec.id)
		p.log.Debug("peer actor stopping", "received_ignored", p.ignored, "received_unknown", p.unknown,
			"received_other", p.others)
	}
}

// start announces the Peer to the watchers, taps the connection for
// capture when peerman selected it, takes ownership of the connection, with
// flow control (see handled), starts the protocol core and arms the tick. An
// outbound Peer registers its version nonce before the version is sent, so
// that our own inbound side can recognise it.
func (p *peer) start(ctx actor.Context) {
	p.announceConnected(ctx)
	if p.spec.captureSink != nil {
		ctx.Send(p.spec.conn, &sockmanpb.SetCapture{ConnId: uint64(p.spec.connID), Sink: p.spec.captureSink})
	}
	ctx.Send(p.spec.conn, &sockmanpb.Start{ConnId: uint64(p.spec.connID), Owner: ctx.Self(), FlowControl: true})
	now := p.cfg.Clock.Now()
	state, out, err := peercore.New(p.coreConfig(), now)
	if err != nil {
		p.log.Error("starting the protocol core failed", "error", err)
		p.requestDisconnect(ctx, peermanpb.DisconnectReason_DISCONNECT_REASON_UNSPECIFIED, err.Error(), false)
		return
	}
	p.state, p.ready, p.lastNow = state, true, now
	if !p.spec.connType.IsInbound() {
		p.nonces.add(p.spec.id, state.OurNonce())
	}
	p.log.Debug("peer started")
	p.perform(ctx, out, now)
	p.armTick(ctx)
}

// coreConfig builds the peercore configuration of this connection.
func (p *peer) coreConfig() peercore.Config {
	c := p.cfg
	return peercore.Config{
		ConnType:          p.spec.connType,
		OurServices:       c.OurServices,
		RequiredServices:  c.RequiredServices,
		UserAgent:         c.UserAgent,
		ProtocolVersion:   c.ProtocolVersion,
		StartHeight:       c.StartHeight(),
		Relay:             c.Relay,
		LocalAddr:         parseAddrPort(p.spec.local),
		RemoteAddr:        parseAddrPort(p.spec.remote),
		HandshakeTimeout:  c.HandshakeTimeout,
		InactivityTimeout: c.InactivityTimeout,
		PingInterval:      c.PingInterval,
		PingTimeout:       c.PingTimeout,
		SelfNonce:         p.nonces.contains,
	}
}

// parseAddrPort parses "host:port"; anything else gives the invalid
// AddrPort, which peercore treats as unknown.
func parseAddrPort(s string) netip.AddrPort {
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// armTick schedules the next tick.
func (p *peer) armTick(ctx actor.Context) {
	self, root := ctx.Self(), ctx.ActorSystem().Root
	p.timer = p.cfg.Clock.AfterFunc(TickInterval, func() { root.Send(self, peerTick{}) })
}

// stopTimer cancels the pending tick, if any.
func (p *peer) stopTimer() {
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
}

// onTick acknowledges the handled bytes of the last tick, lets the core
// evaluate its timers, then re-arms the tick.
func (p *peer) onTick(ctx actor.Context) {
	p.ackHandled(ctx)
	if p.closed != nil || !p.ready {
		return
	}
	now := p.cfg.Clock.Now()
	if p.accounting() {
		p.acct.Expire(now)
	}
	p.step(ctx, peercore.Tick{}, now)
	p.armTick(ctx)
}

// onFrame counts a received frame and feeds it to the core. Unknown
// commands are counted under OtherCommand, as Core does; once the core has
// disconnected (it then reports nothing), a command never counted before is
// counted there too, so a peer cannot grow the map after its disconnect.
// Its bytes are acknowledged to sockman once it is handled. With
// accounting on, the handling (the core's Step and carrying out its
// outputs, replies included) is timed and charged to the same key.
func (p *peer) onFrame(ctx actor.Context, m *sockmanpb.Frame) {
	if !p.forMe(m.GetConnId()) {
		return
	}
	size := uint64(m.GetWireSize())
	p.framesHandled++
	defer p.handled(ctx, size)
	if !p.ready {
		p.acct.Count(accounting.Recv, OtherCommand, size)
		return
	}
	cmd := m.GetCommand()
	rc := p.acct.BeginRecv(cmd, p.accounting())
	defer p.acct.EndRecv(&rc)
	now := p.frameTime(m.GetRecvTimeUnixNano())
	wasDown, _ := p.state.Disconnected()
	var out []peercore.Output
	p.state, out = peercore.Step(p.state, peercore.Received{Command: cmd, Payload: m.GetPayload()}, now)
	p.lastNow = now
	p.frame = m
	defer func() { p.frame = nil }()
	key := cmd
	if hasUnknown(out) || (wasDown && !p.acct.Traffic().Has(accounting.Recv, key)) {
		key = OtherCommand
	}
	p.acct.CountRecv(&rc, key, size)
	p.perform(ctx, out, now)
}

// accounting reports whether the costly part of per-peer accounting
// (handler timing, inventory counters, request tracking) is on.
func (p *peer) accounting() bool { return !p.cfg.NoAccounting }

// frameTime is the time a frame is fed to the core: when sockman read it
// (Core measures pings from the receive time too), but never later than
// now and never before the previous Step, so the core's clock only moves
// forward.
func (p *peer) frameTime(recvUnixNano int64) time.Time {
	now := p.cfg.Clock.Now()
	t := now
	if recvUnixNano != 0 {
		if rt := time.Unix(0, recvUnixNano); rt.Before(now) {
			t = rt
		}
	}
	if t.Before(p.lastNow) {
		t = p.lastNow
	}
	return t
}

// hasUnknown reports whether the core reported the frame's command as
// unknown.
func hasUnknown(out []peercore.Output) bool {
	for _, o := range out {
		if _, ok := o.(peercore.Unknown); ok {
			return true
		}
	}
	return false
}

// step feeds one input to the core at now and carries out its outputs.
func (p *peer) step(ctx actor.Context, in peercore.Input, now time.Time) {
	if !p.ready || p.closed != nil {
		return
	}
	if now.Before(p.lastNow) {
		now = p.lastNow
	}
	var out []peercore.Output
	p.state, out = peercore.Step(p.state, in, now)
	p.lastNow = now
	p.perform(ctx, out, now)
}

// onClosed records the connection's final figures and stops the Peer: the
// connection is gone, and a Peer is never reused.
func (p *peer) onClosed(ctx actor.Context, m *sockmanpb.Closed) {
	if !p.forMe(m.GetConnId()) || p.closed != nil {
		return
	}
	p.closed = m
	p.stopTimer()
	p.log.Info("connection closed", "reason", m.GetReason().String(), "detail", m.GetDetail(),
		"bytes_sent", m.GetStats().GetBytesSent(), "bytes_recv", m.GetStats().GetBytesRecv())
	p.sendFinal(ctx, m.GetStats())
	p.announceGone(ctx, m)
	ctx.Stop(ctx.Self())
}

// forMe reports whether a sockman message is about this Peer's connection.
func (p *peer) forMe(connID uint64) bool {
	if connID == uint64(p.spec.connID) {
		return true
	}
	p.log.Warn("message for another connection ignored", "got_conn", connID)
	return false
}
