package trace

import "github.com/actornode/actornode/telemetry/peerfilter"

// PeerIdentified is implemented by actors that talk to one peer (the Peer
// actor, a connection actor). The receive middleware calls TracePeer on the
// actor to fill a span's peer attributes and to apply the peer filter, so it
// must be cheap, must not allocate and must return what the actor knows now
// (the user agent once the version arrived, say). It is called on the
// actor's own goroutine, between messages.
type PeerIdentified interface {
	TracePeer() peerfilter.Peer
}

// HandlerErrorReporter is implemented by actors whose handlers can fail
// without panicking. The receive middleware calls HandlerError after a
// traced message was handled and records a non-nil error on its span. The
// actor returns the error of the message just handled: it clears the value
// at the start of each Receive.
type HandlerErrorReporter interface {
	HandlerError() error
}
