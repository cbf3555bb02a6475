package dump

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actornode/actornode/actors"
	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/telemetry/peerfilter"
)

// NewActor validates cfg and returns the producer of the dump actor. Every
// actor it produces (a restart produces a new one) reopens the file and
// starts its counts afresh.
func NewActor(cfg Config) (actor.Producer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	filter, _ := parseFilter(cfg.Filter)
	return func() actor.Actor { return newDumper(cfg, filter) }, nil
}

// tick is the timer message that a periodic dump is due; d names the actor
// instance that set the timer, so a restarted actor ignores an old one.
type tick struct{ d *dumper }

// dumper is the dump actor.
type dumper struct {
	cfg    Config
	log    *slog.Logger
	filter *peerfilter.Filter // nil selects every peer
	w      *Writer            // nil until opened; kept (closed) after a failure for its counts
	timer  actors.Timer

	enabled    bool
	lastErr    string
	pending    bool // a GetPeerStats is unanswered
	failing    bool // the last GetPeerStats failed
	warnedDrop bool // a dropped record was logged
	departed   *departed

	periodic, final, dropped        uint64
	filteredFinals, duplicateFinals uint64
	stalePeriodic, skippedTicks     uint64
	failedRequests                  uint64
}

// newDumper returns a dump actor that has not opened its file yet.
func newDumper(cfg Config, filter *peerfilter.Filter) *dumper {
	return &dumper{
		cfg:      cfg,
		log:      cfg.Logger,
		filter:   filter,
		departed: newDeparted(departedCapacity),
	}
}

// Receive implements actor.Actor.
func (d *dumper) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		d.start(ctx)
	case *actor.Stopping, *actor.Restarting:
		d.stop()
	case *tick:
		d.onTick(ctx, m)
	case *peermanpb.PeerFinal:
		d.onFinal(m)
	case *GetStatus:
		if ctx.Sender() != nil {
			ctx.Respond(d.status())
		}
	}
}

// start opens the file and sets the first timer; a file that cannot be
// opened stops dumping (the actor keeps answering).
func (d *dumper) start(ctx actor.Context) {
	w, err := OpenWriter(WriterConfig{Dir: d.cfg.Dir, MaxBytes: d.cfg.MaxBytes, MaxFiles: d.cfg.MaxFiles})
	if err != nil {
		d.disable(err)
		return
	}
	d.w = w
	d.enabled = true
	if cut := w.Stats().Repaired; cut > 0 {
		d.log.Warn("cut off a torn last record left by a crash", "file", w.Path(), "bytes", cut)
	}
	d.log.Info("peer stats dumps started", "file", w.Path(), "interval", d.cfg.Interval,
		"filter", d.cfg.Filter, "maxbytes", d.cfg.MaxBytes, "maxfiles", d.cfg.MaxFiles)
	d.schedule(ctx)
}

// stop cancels the timer and syncs and closes the file.
func (d *dumper) stop() {
	d.stopTimer()
	if d.enabled {
		d.enabled = false
		if err := d.w.Close(); err != nil {
			d.log.Error("closing the peer stats dump failed", "file", d.w.Path(), "error", err)
		}
	}
}

// schedule sets the timer of the next periodic dump.
func (d *dumper) schedule(ctx actor.Context) {
	sys, self := ctx.ActorSystem(), ctx.Self()
	m := &tick{d: d}
	d.timer = d.cfg.Clock.AfterFunc(d.cfg.Interval, func() { sys.Root.Send(self, m) })
}

// stopTimer cancels the pending timer, if any.
func (d *dumper) stopTimer() {
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
}

// onTick sets the next timer, syncs the final records written since the
// last tick and asks peerman for the selected peers' stats, unless the
// previous question is still pending.
func (d *dumper) onTick(ctx actor.Context, m *tick) {
	if m.d != d || !d.enabled {
		return
	}
	d.schedule(ctx)
	if err := d.w.Sync(); err != nil {
		d.disable(err)
		return
	}
	if d.cfg.Peerman == nil {
		return
	}
	if d.pending {
		d.skippedTicks++
		d.log.Debug("periodic dump skipped: peerman has not answered the previous one")
		return
	}
	d.pending = true
	f := ctx.RequestFuture(d.cfg.Peerman, &peermanpb.GetPeerStats{Filter: d.cfg.Filter}, d.cfg.RequestTimeout)
	ctx.ReenterAfter(f, func(res any, err error) {
		d.pending = false
		d.onStats(res, err)
	})
}

// onStats writes one periodic record per peer of peerman's answer, then
// syncs.
func (d *dumper) onStats(res any, err error) {
	if !d.enabled {
		return
	}
	list, ok := res.(*peermanpb.PeerStatsList)
	switch {
	case err != nil:
		d.requestFailed(err)
		return
	case !ok:
		d.requestFailed(fmt.Errorf("unexpected answer %T", res))
		return
	case list.GetError() != "":
		d.requestFailed(errors.New(list.GetError()))
		return
	}
	if d.failing {
		d.failing = false
		d.log.Info("peerman answers periodic dumps again")
	}
	now := d.cfg.Clock.Now()
	for _, s := range list.GetPeers() {
		if d.departed.has(s.GetPeer().GetPeerId()) {
			d.stalePeriodic++
			continue
		}
		if !d.write(NewRecord(KindPeriodic, now, s)) {
			return
		}
		d.periodic++
	}
	if err := d.w.Sync(); err != nil {
		d.disable(err)
	}
}

// requestFailed counts a GetPeerStats that brought no stats; the first of
// a run of failures is logged as a warning.
func (d *dumper) requestFailed(err error) {
	d.failedRequests++
	if d.failing {
		d.log.Debug("periodic dump got no stats", "error", err)
		return
	}
	d.failing = true
	d.log.Warn("periodic dump got no stats from peerman", "error", err)
}

// onFinal writes a departed peer's final record when the filter selects
// it. Final records are not synced one by one: the next tick (or the
// actor's stop) syncs them.
func (d *dumper) onFinal(m *peermanpb.PeerFinal) {
	s := m.GetStats()
	if !d.enabled {
		d.dropped++
		return
	}
	if id := s.GetPeer().GetPeerId(); id != 0 {
		if d.departed.has(id) {
			d.duplicateFinals++
			return
		}
		d.departed.add(id)
	}
	if d.filter != nil && !d.filter.Match(filterPeer(s)) {
		d.filteredFinals++
		return
	}
	if d.write(NewRecord(KindFinal, d.cfg.Clock.Now(), s)) {
		d.final++
	}
}

// write appends one record and reports whether the caller may go on. A
// record that cannot be encoded or is too large is dropped; any other
// error stops dumping.
func (d *dumper) write(r Record) bool {
	line, err := EncodeRecord(r)
	if err == nil {
		err = d.w.Append(line)
	}
	if err == nil {
		return true
	}
	d.dropped++
	if d.w.Err() != nil || errors.Is(err, ErrClosed) {
		d.disable(err)
		return false
	}
	if !d.warnedDrop {
		d.warnedDrop = true
		d.log.Warn("peer stats record dropped (later drops are only counted)", "peer", r.Peer.ID,
			"kind", r.Kind, "bytes", len(line), "maxbytes", d.cfg.MaxBytes, "error", err)
	}
	return true
}

// disable stops dumping after err: the timer is cancelled, the file closed,
// and one error line logged. The actor keeps answering GetStatus and
// counts what it drops.
func (d *dumper) disable(err error) {
	if d.lastErr != "" {
		return
	}
	d.enabled = false
	d.lastErr = err.Error()
	d.stopTimer()
	if d.w != nil {
		_ = d.w.Close()
	}
	d.log.Error("peer stats dumps stopped; the node goes on without them",
		"dir", d.cfg.Dir, "error", err)
}

// status reports the actor's state.
func (d *dumper) status() *Status {
	s := &Status{
		Enabled:         d.enabled,
		Dir:             d.cfg.Dir,
		File:            filepath.Join(d.cfg.Dir, FileName),
		Filter:          d.cfg.Filter,
		Interval:        d.cfg.Interval,
		LastError:       d.lastErr,
		Periodic:        d.periodic,
		Final:           d.final,
		Dropped:         d.dropped,
		FilteredFinals:  d.filteredFinals,
		DuplicateFinals: d.duplicateFinals,
		StalePeriodic:   d.stalePeriodic,
		SkippedTicks:    d.skippedTicks,
		FailedRequests:  d.failedRequests,
	}
	if d.w != nil {
		ws := d.w.Stats()
		s.Bytes = ws.Bytes
		s.Rotations = ws.Rotations
		s.Repaired = ws.Repaired
	}
	return s
}
