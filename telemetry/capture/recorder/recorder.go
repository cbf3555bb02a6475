package recorder

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/sockman/sockmanpb"
	"github.com/actornode/actornode/telemetry/capture"
	"github.com/actornode/actornode/telemetry/capture/capturepb"
	"github.com/actornode/actornode/telemetry/peerfilter"
)

// sessionRetries is how many later start seconds are tried when a peer's
// session directory name is taken (a session stopped and started again
// within one second).
const sessionRetries = 5

// Recorder is a configured capture recorder: the producer of its actor and
// the mailbox that actor must be spawned with. Both share the bounded queue,
// which outlives restarts of the actor.
type Recorder struct {
	cfg Config
	q   *queue
}

// New validates cfg and returns the recorder.
func New(cfg Config) (*Recorder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	return &Recorder{cfg: cfg, q: newQueue(cfg.QueueBytes)}, nil
}

// Producer returns the producer of the recorder actor. A restarted actor
// starts with the configured selection, no sessions and no known peers.
func (r *Recorder) Producer() actor.Producer {
	return func() actor.Actor { return newActor(r.cfg, r.q) }
}

// Mailbox returns the recorder's mailbox: captured frames beyond
// Config.QueueBytes are dropped and counted, nothing else is.
func (r *Recorder) Mailbox() actor.MailboxProducer {
	return func() actor.Mailbox {
		rel := &releaser{q: r.q}
		m := &mailbox{inner: actor.Unbounded(rel)(), q: r.q}
		rel.post = m.inner.PostUserMessage
		return m
	}
}

// Props returns Props with the recorder's producer and mailbox, then opts.
func (r *Recorder) Props(opts ...actor.PropsOption) *actor.Props {
	return actor.PropsFromProducer(r.Producer(), append([]actor.PropsOption{actor.WithMailbox(r.Mailbox())}, opts...)...)
}

// livePeer is what the recorder knows of one connected peer.
type livePeer struct {
	id      actors.PeerID
	conn    actors.ConnID
	connPID *actor.PID
	addr    string
	inbound bool
	ctype   string
	start   time.Time
	ua      string
	tapped  bool // we believe the connection is tapped with us
}

// filterPeer is how the selection sees p.
func (p *livePeer) filterPeer() peerfilter.Peer {
	fp := peerfilter.Peer{ID: p.id, ConnID: p.conn, Inbound: p.inbound, ConnType: p.ctype, UserAgent: p.ua}
	if ap, err := netip.ParseAddrPort(p.addr); err == nil {
		fp.Addr = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return fp
}

// session is an open capture session of one connection.
type session struct {
	peer    *livePeer
	w       *capture.SessionWriter
	stopped bool // the session writes nothing more (limit or error)
}

// recorderActor is the capture actor.
type recorderActor struct {
	cfg   Config
	q     *queue
	log   *slog.Logger
	self  *actor.PID
	store *capture.Store

	selection string             // the selection's source, "" for none
	filter    *peerfilter.Filter // nil for none
	failed    bool
	lastErr   string

	peers    map[actors.ConnID]*livePeer
	sessions map[actors.ConnID]*session

	opened, closed, records, bytes, droppedUnattributed uint64
}

// newActor returns a recorder actor with the configured selection.
func newActor(cfg Config, q *queue) *recorderActor {
	a := &recorderActor{
		cfg: cfg, q: q, log: cfg.Logger,
		peers:    make(map[actors.ConnID]*livePeer),
		sessions: make(map[actors.ConnID]*session),
	}
	a.setSelection(cfg.Filter)
	return a
}

// Receive handles one message.
func (a *recorderActor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.start(ctx)
	case *sockmanpb.CapturedFrame:
		a.onFrame(ctx, m)
	case flushNow:
		a.flush(ctx)
	case *peermanpb.PeerConnected:
		a.onConnected(ctx, m)
	case *peermanpb.PeerHandshaken:
		a.onHandshaken(ctx, m)
	case *peermanpb.PeerDisconnected:
		a.onDisconnected(m)
	case *capturepb.StartCapture:
		a.onStart(ctx, m)
	case *capturepb.StopCapture:
		a.onStop(ctx, m)
	case *capturepb.ListCaptures:
		a.flush(ctx) // the answer counts what is in the files
		if ctx.Sender() != nil {
			ctx.Respond(a.list())
		}
	case *actor.Stopping, *actor.Restarting:
		a.closeAll()
	}
}

// start opens the store. It sends peerman nothing: peerman may not be
// spawned yet (the node starts telemetry first) and gets the initial
// selection from its own config; a disagreement is corrected per peer on
// PeerConnected.
func (a *recorderActor) start(ctx actor.Context) {
	a.self = ctx.Self()
	if a.filter != nil && !a.openStore() {
		a.failed = true
		a.setSelection("")
		return
	}
	if a.filter != nil {
		a.log.Info("message capture on", "filter", a.selection, "dir", a.cfg.Root)
	}
}

// openStore opens the store once; false after logging the root's error.
func (a *recorderActor) openStore() bool {
	if a.store != nil {
		return true
	}
	s, err := capture.NewStore(a.cfg.Root, capture.StoreOptions{
		MaxSessionBytes: a.cfg.MaxSessionBytes,
		MaxTotalBytes:   a.cfg.MaxTotalBytes,
		Buffered:        true,
	})
	if err != nil {
		a.rootError(err)
		return false
	}
	a.store = s
	return true
}

// rootError records and logs an error on the capture root.
func (a *recorderActor) rootError(err error) {
	a.lastErr = err.Error()
	a.log.Error("message capture stopped: capture directory unusable", "error", err, "path", a.cfg.Root)
}

// setSelection makes src the selection; src must parse.
func (a *recorderActor) setSelection(src string) {
	a.selection, a.filter = "", nil
	if src != "" {
		if f, err := peerfilter.Parse(src); err == nil {
			a.selection, a.filter = f.String(), f
		}
	}
}

// tellPeerman sends peerman the selection for new peers.
func (a *recorderActor) tellPeerman(ctx actor.Context) {
	if a.cfg.Peerman == nil {
		return
	}
	msg := &peermanpb.SetCaptureSelection{}
	if a.filter != nil {
		msg.Filter, msg.Sink = a.selection, a.self
	}
	ctx.Send(a.cfg.Peerman, msg)
}

// selected reports whether p is in the selection.
func (a *recorderActor) selected(p *livePeer) bool {
	return a.filter != nil && a.filter.Match(p.filterPeer())
}

// onConnected records a new peer and opens its session when selected,
// correcting the tap its Peer set if it disagrees.
func (a *recorderActor) onConnected(ctx actor.Context, m *peermanpb.PeerConnected) {
	p := &livePeer{
		id:      actors.PeerID(m.GetPeerId()),
		conn:    actors.ConnID(m.GetConnId()),
		connPID: m.GetConn(),
		addr:    m.GetAddr(),
		inbound: m.GetInbound(),
		ctype:   connTypeName(m.GetConnectionType()),
		start:   time.Unix(0, m.GetTimeUnixNano()),
		tapped:  m.GetCaptureSink() != nil && m.GetCaptureSink().Equal(a.self),
	}
	if m.GetTimeUnixNano() == 0 {
		p.start = a.cfg.Clock.Now()
	}
	a.peers[p.conn] = p
	if a.selected(p) {
		a.openSession(ctx, p, p.start)
	} else {
		a.untap(ctx, p)
	}
}

// onHandshaken records the peer's user agent and applies the selection
// again, now that the user agent is known.
func (a *recorderActor) onHandshaken(ctx actor.Context, m *peermanpb.PeerHandshaken) {
	p, ok := a.peers[actors.ConnID(m.GetConnId())]
	if !ok {
		return
	}
	p.ua = m.GetUserAgent()
	if s, ok := a.sessions[p.conn]; ok {
		var err error
		a.tally(s, func() error { err = s.w.SetUserAgent(p.ua); return err })
		if err != nil {
			a.sessionFailed(ctx, s, err)
		}
	}
	a.apply(ctx, p)
}

// onDisconnected closes the peer's session with the disconnect time.
func (a *recorderActor) onDisconnected(m *peermanpb.PeerDisconnected) {
	conn := actors.ConnID(m.GetConnId())
	if _, ok := a.peers[conn]; !ok {
		return
	}
	a.takeDrops()
	end := a.cfg.Clock.Now()
	if ns := m.GetTimeUnixNano(); ns != 0 {
		end = time.Unix(0, ns)
	}
	if s, ok := a.sessions[conn]; ok {
		a.closeSession(s, end)
	}
	delete(a.peers, conn)
}

// apply opens or closes p's session to match the selection.
func (a *recorderActor) apply(ctx actor.Context, p *livePeer) {
	_, has := a.sessions[p.conn]
	switch sel := a.selected(p); {
	case sel && !has:
		a.openSession(ctx, p, a.cfg.Clock.Now())
	case !sel && has:
		a.untap(ctx, p)
		a.closeSession(a.sessions[p.conn], a.cfg.Clock.Now())
	}
}

// openSession opens a session for p starting at start and taps its
// connection. An error on the root stops all capture.
func (a *recorderActor) openSession(ctx actor.Context, p *livePeer, start time.Time) {
	if a.failed || !a.openStore() {
		a.failAll(ctx)
		return
	}
	id := capture.Identity{
		Peer: p.id, Addr: p.addr, Direction: capture.ConnOutbound, ConnectionType: p.ctype,
		UserAgent: p.ua, Start: start,
	}
	if p.inbound {
		id.Direction = capture.ConnInbound
	}
	var (
		w   *capture.SessionWriter
		err error
	)
	for i := 0; i <= sessionRetries; i++ {
		if w, err = a.store.Open(id); !errors.Is(err, capture.ErrSessionExists) {
			break
		}
		id.Start = id.Start.Add(time.Second)
	}
	if err != nil {
		var addrErr bool
		if _, aerr := capture.AddrDir(p.addr); aerr != nil {
			addrErr = true
		}
		if addrErr || errors.Is(err, capture.ErrSessionExists) {
			// A problem of this peer's name, not of the root.
			a.lastErr = err.Error()
			a.log.Warn("capture session not opened", "peer", uint64(p.id), "addr", p.addr, "error", err)
			a.untap(ctx, p)
			return
		}
		a.rootError(err)
		a.failAll(ctx)
		return
	}
	a.sessions[p.conn] = &session{peer: p, w: w}
	a.opened++
	if !p.tapped {
		ctx.Send(p.connPID, &sockmanpb.SetCapture{ConnId: uint64(p.conn), Sink: a.self})
		p.tapped = true
	}
	a.log.Debug("capture session opened", "peer", uint64(p.id), "addr", p.addr, "dir", w.Dir())
}

// untap removes p's tap if it has one.
func (a *recorderActor) untap(ctx actor.Context, p *livePeer) {
	if !p.tapped {
		return
	}
	ctx.Send(p.connPID, &sockmanpb.SetCapture{ConnId: uint64(p.conn)})
	p.tapped = false
}

// closeSession finalises s at end and forgets it.
func (a *recorderActor) closeSession(s *session, end time.Time) {
	delete(a.sessions, s.peer.conn)
	a.closed++
	var err error
	a.tally(s, func() error { err = s.w.Close(end); return err })
	if err != nil && !s.stopped {
		a.lastErr = err.Error()
		a.log.Error("capture session not closed cleanly", "error", err, "path", s.w.Dir())
	}
}

// closeAll closes every session (the actor is stopping).
func (a *recorderActor) closeAll() {
	a.takeDrops()
	now := a.cfg.Clock.Now()
	for _, s := range a.sessions {
		a.closeSession(s, now)
	}
}

// failAll stops all capture after an error on the root: the selection
// becomes empty, every tap is removed and every session closed.
func (a *recorderActor) failAll(ctx actor.Context) {
	a.failed = true
	a.setSelection("")
	a.tellPeerman(ctx)
	now := a.cfg.Clock.Now()
	for _, p := range a.peers {
		a.untap(ctx, p)
		if s, ok := a.sessions[p.conn]; ok {
			a.closeSession(s, now)
		}
	}
}

// onFrame appends one captured frame to its session.
func (a *recorderActor) onFrame(ctx actor.Context, f *sockmanpb.CapturedFrame) {
	a.takeDrops()
	s, ok := a.sessions[actors.ConnID(f.GetConnId())]
	if !ok || s.stopped {
		return
	}
	rec := capture.Record{Time: time.Unix(0, f.GetTimeUnixNano()), Command: f.GetCommand(), Payload: f.GetPayload()}
	dir := capture.Recv
	if f.GetSent() {
		dir = capture.Sent
	}
	var err error
	a.tally(s, func() error { err = s.w.Write(dir, rec); return err })
	if s.w.Pending() {
		a.q.unflushed.Store(true)
	}
	switch {
	case err == nil:
	case errors.Is(err, capture.ErrSessionLimit):
		s.stopped = true
		a.untap(ctx, s.peer)
		a.log.Info("capture session reached its size limit", "peer", uint64(s.peer.id), "path", s.w.Dir(),
			"max_session_bytes", a.cfg.MaxSessionBytes)
	case s.w.Err() != nil:
		a.sessionFailed(ctx, s, err)
	default:
		// An invalid record (a command capture cannot store): skipped,
		// the session goes on.
		a.log.Debug("captured frame not stored", "peer", uint64(s.peer.id), "command", f.GetCommand(), "error", err)
	}
}

// flush writes every session's buffered records. The mailbox asks for it
// when it runs empty, so records reach the files in batches while frames
// keep coming and at once when they stop.
func (a *recorderActor) flush(ctx actor.Context) {
	for _, s := range a.sessions {
		if s.stopped || !s.w.Pending() {
			continue
		}
		var err error
		a.tally(s, func() error { err = s.w.Flush(); return err })
		if err != nil {
			a.sessionFailed(ctx, s, err)
		}
	}
}

// tally runs op on s's writer and adds the records and bytes it put in the
// files to the recorder's totals: buffered records count once written.
func (a *recorderActor) tally(s *session, op func() error) {
	before := s.w.Index()
	_ = op()
	after := s.w.Index()
	a.records += after.RecvRecords + after.SentRecords - before.RecvRecords - before.SentRecords
	a.bytes += after.Bytes - before.Bytes
}

// sessionFailed stops a session after a write error: one log line, the
// tap removed, the error kept for ListCaptures.
func (a *recorderActor) sessionFailed(ctx actor.Context, s *session, err error) {
	if s.stopped {
		return
	}
	s.stopped = true
	a.untap(ctx, s.peer)
	a.lastErr = err.Error()
	a.log.Error("capture session stopped by a write error", "error", err, "path", s.w.Dir(), "peer", uint64(s.peer.id))
}

// takeDrops credits the queue's drops to their sessions.
func (a *recorderActor) takeDrops() {
	drops := a.q.takeDrops()
	for conn, n := range drops {
		s, ok := a.sessions[conn]
		if !ok {
			a.droppedUnattributed += n
			continue
		}
		first := s.w.Index().DroppedRecords == 0
		s.w.AddDropped(n)
		if first {
			a.log.Warn("capture queue full: records dropped", "peer", uint64(s.peer.id), "path", s.w.Dir(), "dropped", n)
			var err error
			a.tally(s, func() error { err = s.w.SyncIndex(); return err })
			if err != nil {
				a.log.Debug("index not updated", "error", err, "path", s.w.Dir())
			}
		}
	}
}

// onStart widens the selection by m's filter.
func (a *recorderActor) onStart(ctx actor.Context, m *capturepb.StartCapture) {
	src := strings.TrimSpace(m.GetFilter())
	f, err := peerfilter.Parse(src)
	if err != nil {
		a.reply(ctx, fmt.Errorf("capture filter: %w", err))
		return
	}
	if a.failed {
		a.failed = false
		if a.store == nil && !a.openStore() {
			a.failAll(ctx)
			a.reply(ctx, errors.New(a.lastErr))
			return
		}
	}
	switch {
	case a.filter == nil:
		a.setSelection(f.String())
	default:
		a.setSelection("(" + a.selection + ") or (" + f.String() + ")")
	}
	a.changed(ctx)
	a.reply(ctx, nil)
}

// onStop narrows the selection by m's filter; an empty filter stops all.
func (a *recorderActor) onStop(ctx actor.Context, m *capturepb.StopCapture) {
	src := strings.TrimSpace(m.GetFilter())
	switch {
	case src == "":
		a.setSelection("")
	default:
		f, err := peerfilter.Parse(src)
		if err != nil {
			a.reply(ctx, fmt.Errorf("capture filter: %w", err))
			return
		}
		if a.filter != nil {
			a.setSelection("(" + a.selection + ") and not (" + f.String() + ")")
		}
	}
	a.changed(ctx)
	a.reply(ctx, nil)
}

// changed applies a new selection to every connected peer and peerman.
func (a *recorderActor) changed(ctx actor.Context) {
	a.tellPeerman(ctx)
	for _, p := range a.peers {
		a.apply(ctx, p)
	}
	a.log.Info("message capture selection changed", "filter", a.selection)
}

// reply answers a StartCapture or StopCapture.
func (a *recorderActor) reply(ctx actor.Context, err error) {
	if ctx.Sender() == nil {
		return
	}
	r := &capturepb.CaptureReply{List: a.list()}
	if err != nil {
		r.Error = err.Error()
	}
	ctx.Respond(r)
}

// connTypeName is getpeerinfo's name of a connection type.
func connTypeName(t peermanpb.ConnectionType) string {
	if t == peermanpb.ConnectionType_CONNECTION_TYPE_UNSPECIFIED {
		return ""
	}
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(t.String(), "CONNECTION_TYPE_")), "_", "-")
}
