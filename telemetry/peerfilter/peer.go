package peerfilter

import (
	"net/netip"

	"github.com/actornode/actornode/actors"
)

// Connection types accepted by the type= term, with Bitcoin Core's names.
const (
	ConnTypeInbound           = "inbound"
	ConnTypeOutboundFullRelay = "outbound-full-relay"
	ConnTypeBlockRelayOnly    = "block-relay-only"
	ConnTypeManual            = "manual"
	ConnTypeFeeler            = "feeler"
	ConnTypeAddrFetch         = "addr-fetch"
)

// connTypes lists the connection types accepted by type=, in the order
// error messages show them.
var connTypes = [...]string{
	ConnTypeManual, ConnTypeInbound, ConnTypeOutboundFullRelay,
	ConnTypeBlockRelayOnly, ConnTypeFeeler, ConnTypeAddrFetch,
}

// Peer is what a filter sees of one peer. Zero fields are "unknown": an
// unknown user agent is the empty string, an unknown id is 0 (no id= term
// matches it) and an invalid Addr matches no addr= term.
type Peer struct {
	// ID is the peer's session id; 0 when the caller has none (a socket
	// actor, say).
	ID actors.PeerID
	// ConnID is the peer's connection id. The filter language has no term
	// for it; it travels with the Peer so that tracing can report it.
	ConnID actors.ConnID
	// Addr is the remote address and port.
	Addr netip.AddrPort
	// Inbound says the peer connected to us.
	Inbound bool
	// ConnType is one of the ConnType constants, or empty when unknown.
	ConnType string
	// UserAgent is the user agent from the peer's version message, empty
	// until the version arrived.
	UserAgent string
}

// Direction returns "inbound" or "outbound".
func (p Peer) Direction() string {
	if p.Inbound {
		return "inbound"
	}
	return "outbound"
}
