package recorder

import (
	"cmp"
	"slices"

	"github.com/actornode/actornode/telemetry/capture/capturepb"
)

// list describes the recorder's state, sessions ordered by peer id.
func (a *recorderActor) list() *capturepb.CaptureList {
	a.takeDrops()
	out := &capturepb.CaptureList{
		Enabled:             a.filter != nil && a.selection != "none",
		Filter:              a.selection,
		Root:                a.cfg.Root,
		SessionsOpened:      a.opened,
		SessionsClosed:      a.closed,
		Records:             a.records,
		Bytes:               a.bytes,
		DroppedRecords:      a.q.dropped.Load(),
		DroppedUnattributed: a.droppedUnattributed,
		QueueBytes:          a.q.pending.Load(),
		QueueLimit:          a.q.limit,
		Failed:              a.failed,
		LastError:           a.lastErr,
	}
	for _, s := range a.sessions {
		idx := s.w.Index()
		out.Sessions = append(out.Sessions, &capturepb.CaptureSession{
			PeerId:         uint64(s.peer.id),
			ConnId:         uint64(s.peer.conn),
			Addr:           s.peer.addr,
			Dir:            s.w.Dir(),
			StartUnixNano:  idx.Start.UnixNano(),
			RecvRecords:    idx.RecvRecords,
			SentRecords:    idx.SentRecords,
			Bytes:          idx.Bytes,
			DroppedRecords: idx.DroppedRecords,
			Truncated:      idx.TruncatedByLimit,
			Error:          idx.Error,
			Recording:      !s.stopped,
		})
	}
	slices.SortFunc(out.Sessions, func(x, y *capturepb.CaptureSession) int { return cmp.Compare(x.PeerId, y.PeerId) })
	return out
}
