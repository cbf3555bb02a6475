package peerman

import (
	"log/slog"

	"github.com/actornode/actornode/peerman/peermanpb"
	"github.com/actornode/actornode/telemetry/peerfilter"
	"github.com/asynkron/protoactor-go/actor"
)

// captureSelection is peerman's copy of the capture recorder's selection:
// which new peers are tapped for capture before their first message. The
// recorder stays the authority; it corrects any peer attached while its
// selection was on the way (see PeerConnected.capture_sink).
type captureSelection struct {
	filter *peerfilter.Filter
	sink   *actor.PID
}

// newCaptureSelection parses m; a filter that does not parse selects no
// peer and is logged.
func newCaptureSelection(m *peermanpb.SetCaptureSelection, log *slog.Logger) captureSelection {
	if m.GetSink() == nil || m.GetFilter() == "" {
		return captureSelection{}
	}
	f, err := peerfilter.Parse(m.GetFilter())
	if err != nil {
		log.Warn("capture selection refused", "filter", m.GetFilter(), "error", err)
		return captureSelection{}
	}
	return captureSelection{filter: f, sink: m.GetSink()}
}

// sinkFor returns the sink to tap a new peer's connection with, or nil.
func (s captureSelection) sinkFor(p peerfilter.Peer) *actor.PID {
	if s.sink == nil || !s.filter.Match(p) {
		return nil
	}
	return s.sink
}
