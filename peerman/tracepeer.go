package peerman

import (
	"time"

	"github.com/actornode/actornode/peerman/peercore"
	"github.com/actornode/actornode/telemetry/peerfilter"
)

// newTracePeer describes spec's peer the way tracing and the peer filter see
// it; the user agent is unknown until the peer's version arrives.
func newTracePeer(spec peerSpec) peerfilter.Peer {
	return peerfilter.Peer{
		ID:       spec.id,
		ConnID:   spec.connID,
		Addr:     parseAddrPort(spec.remote),
		Inbound:  spec.connType.IsInbound(),
		ConnType: spec.connType.String(),
	}
}

// TracePeer tells the tracing middleware which peer this Peer actor talks
// to (it implements trace.PeerIdentified). It runs on the actor's own
// goroutine, between messages, and does not allocate: the description is
// built when the actor is, and the user agent is copied in once the
// protocol core has accepted the peer's version.
func (p *peer) TracePeer() peerfilter.Peer {
	if p.tracePeer.UserAgent == "" && p.ready && p.state.Handshake() != peercore.AwaitingVersion {
		p.tracePeer.UserAgent = p.state.Snapshot(time.Time{}).UserAgent
	}
	return p.tracePeer
}
