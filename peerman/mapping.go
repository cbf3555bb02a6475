package peerman

import (
	"github.com/actornode/actornode/peerman/peercore"
	"github.com/actornode/actornode/peerman/peermanpb"
)

// coreConnType returns peercore's connection type for t; ok is false for
// CONNECTION_TYPE_UNSPECIFIED and unknown values.
func coreConnType(t peermanpb.ConnectionType) (peercore.ConnType, bool) {
	switch t {
	case peermanpb.ConnectionType_CONNECTION_TYPE_INBOUND:
		return peercore.ConnInbound, true
	case peermanpb.ConnectionType_CONNECTION_TYPE_OUTBOUND_FULL_RELAY:
		return peercore.ConnOutboundFullRelay, true
	case peermanpb.ConnectionType_CONNECTION_TYPE_BLOCK_RELAY_ONLY:
		return peercore.ConnBlockRelayOnly, true
	case peermanpb.ConnectionType_CONNECTION_TYPE_MANUAL:
		return peercore.ConnManual, true
	case peermanpb.ConnectionType_CONNECTION_TYPE_FEELER:
		return peercore.ConnFeeler, true
	case peermanpb.ConnectionType_CONNECTION_TYPE_ADDR_FETCH:
		return peercore.ConnAddrFetch, true
	}
	return peercore.ConnTypeUnset, false
}

// protoReason returns the boundary's reason for a peercore reason, and
// DISCONNECT_REASON_UNSPECIFIED for one it does not know.
func protoReason(r peercore.DisconnectReason) peermanpb.DisconnectReason {
	switch r {
	case peercore.ReasonHandshakeTimeout:
		return peermanpb.DisconnectReason_DISCONNECT_REASON_HANDSHAKE_TIMEOUT
	case peercore.ReasonSelfConnection:
		return peermanpb.DisconnectReason_DISCONNECT_REASON_SELF_CONNECTION
	case peercore.ReasonDuplicateVersion:
		return peermanpb.DisconnectReason_DISCONNECT_REASON_DUPLICATE_VERSION
	case peercore.ReasonObsoleteVersion:
		return peermanpb.DisconnectReason_DISCONNECT_REASON_OBSOLETE_VERSION
	case peercore.ReasonMissingServices:
		return peermanpb.DisconnectReason_DISCONNECT_REASON_MISSING_SERVICES
	case peercore.ReasonNegotiationAfterVerack:
		return peermanpb.DisconnectReason_DISCONNECT_REASON_NEGOTIATION_AFTER_VERACK
	case peercore.ReasonPingTimeout:
		return peermanpb.DisconnectReason_DISCONNECT_REASON_PING_TIMEOUT
	case peercore.ReasonInactivity:
		return peermanpb.DisconnectReason_DISCONNECT_REASON_INACTIVITY
	case peercore.ReasonMalformedMessage:
		return peermanpb.DisconnectReason_DISCONNECT_REASON_MALFORMED_MESSAGE
	case peercore.ReasonOversizedMessage:
		return peermanpb.DisconnectReason_DISCONNECT_REASON_OVERSIZED_MESSAGE
	case peercore.ReasonFeelerDone:
		return peermanpb.DisconnectReason_DISCONNECT_REASON_FEELER_DONE
	case peercore.ReasonAddrFetchDone:
		return peermanpb.DisconnectReason_DISCONNECT_REASON_ADDR_FETCH_DONE
	}
	return peermanpb.DisconnectReason_DISCONNECT_REASON_UNSPECIFIED
}
