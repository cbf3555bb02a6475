package peercore

// DisconnectReason says why the core ended a connection. It also types the
// Misbehaving output. String returns a stable snake_case name suitable for
// logs and metric labels.
type DisconnectReason uint8

// The disconnect reasons; doc.go explains when each is used.
const (
	// ReasonNone is the zero value: not disconnected.
	ReasonNone DisconnectReason = iota
	// ReasonHandshakeTimeout: version/verack not completed in time.
	ReasonHandshakeTimeout
	// ReasonSelfConnection: an inbound peer presented our own nonce.
	ReasonSelfConnection
	// ReasonDuplicateVersion: a second version message.
	ReasonDuplicateVersion
	// ReasonObsoleteVersion: protocol version below MinPeerProtocolVersion.
	ReasonObsoleteVersion
	// ReasonMissingServices: an outbound peer lacks RequiredServices.
	ReasonMissingServices
	// ReasonNegotiationAfterVerack: wtxidrelay or sendaddrv2 after verack.
	ReasonNegotiationAfterVerack
	// ReasonPingTimeout: no pong within PingTimeout.
	ReasonPingTimeout
	// ReasonInactivity: nothing sent or nothing received for
	// InactivityTimeout.
	ReasonInactivity
	// ReasonMalformedMessage: a known message failed to decode.
	ReasonMalformedMessage
	// ReasonOversizedMessage: a message exceeded an entry-count limit.
	ReasonOversizedMessage
	// ReasonFeelerDone: a feeler connection did its job.
	ReasonFeelerDone
	// ReasonAddrFetchDone: an addr-fetch connection delivered addresses.
	ReasonAddrFetchDone
)

var reasonNames = [...]string{
	ReasonNone:                   "none",
	ReasonHandshakeTimeout:       "handshake_timeout",
	ReasonSelfConnection:         "self_connection",
	ReasonDuplicateVersion:       "duplicate_version",
	ReasonObsoleteVersion:        "obsolete_version",
	ReasonMissingServices:        "missing_services",
	ReasonNegotiationAfterVerack: "negotiation_after_verack",
	ReasonPingTimeout:            "ping_timeout",
	ReasonInactivity:             "inactivity",
	ReasonMalformedMessage:       "malformed_message",
	ReasonOversizedMessage:       "oversized_message",
	ReasonFeelerDone:             "feeler_done",
	ReasonAddrFetchDone:          "addr_fetch_done",
}

// String returns the reason's stable snake_case name.
func (r DisconnectReason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "unknown"
}

// IgnoreReason says why a known message was dropped without effect. Core
// drops these silently (a debug log line); the actor may count or log them.
type IgnoreReason uint8

// The ignore reasons.
const (
	// IgnoreBeforeVersion: any message but version before version.
	IgnoreBeforeVersion IgnoreReason = iota + 1
	// IgnoreBeforeVerack: a non-negotiation message between version and
	// verack.
	IgnoreBeforeVerack
	// IgnoreRedundantVerack: a second verack.
	IgnoreRedundantVerack
	// IgnoreOldVersion: a message the common protocol version does not
	// allow (wtxidrelay below 70016).
	IgnoreOldVersion
	// IgnoreDuplicateNegotiation: a second wtxidrelay.
	IgnoreDuplicateNegotiation
	// IgnoreAddrRelayDisabled: addr, addrv2 or getaddr on a
	// block-relay-only connection.
	IgnoreAddrRelayDisabled
	// IgnoreGetAddrFromOutbound: getaddr from a peer we connected to (Core
	// answers inbound peers only, against fingerprinting).
	IgnoreGetAddrFromOutbound
	// IgnoreRepeatedGetAddr: a second getaddr on the connection.
	IgnoreRepeatedGetAddr
	// IgnorePongUnsolicited: a pong while no ping is outstanding.
	IgnorePongUnsolicited
	// IgnorePongNonceMismatch: a pong whose nonce is not the outstanding
	// one; the ping stays outstanding.
	IgnorePongNonceMismatch
	// IgnorePongNonceZero: a pong with nonce zero; it cancels the
	// outstanding ping without a measurement, as in Core.
	IgnorePongNonceZero
	// IgnorePongTimingMishap: a matching pong that appears to arrive
	// before its ping was sent (the clock went back).
	IgnorePongTimingMishap
	// IgnoreFeeFilterOutOfRange: a feefilter outside [0, MaxMoney].
	IgnoreFeeFilterOutOfRange
	// IgnoreCmpctVersion: a sendcmpct with a version other than 2.
	IgnoreCmpctVersion
)

var ignoreNames = [...]string{
	0:                          "none",
	IgnoreBeforeVersion:        "before_version",
	IgnoreBeforeVerack:         "before_verack",
	IgnoreRedundantVerack:      "redundant_verack",
	IgnoreOldVersion:           "old_version",
	IgnoreDuplicateNegotiation: "duplicate_negotiation",
	IgnoreAddrRelayDisabled:    "addr_relay_disabled",
	IgnoreGetAddrFromOutbound:  "getaddr_from_outbound",
	IgnoreRepeatedGetAddr:      "repeated_getaddr",
	IgnorePongUnsolicited:      "pong_unsolicited",
	IgnorePongNonceMismatch:    "pong_nonce_mismatch",
	IgnorePongNonceZero:        "pong_nonce_zero",
	IgnorePongTimingMishap:     "pong_timing_mishap",
	IgnoreFeeFilterOutOfRange:  "feefilter_out_of_range",
	IgnoreCmpctVersion:         "sendcmpct_version",
}

// String returns the reason's stable snake_case name.
func (r IgnoreReason) String() string {
	if int(r) < len(ignoreNames) {
		return ignoreNames[r]
	}
	return "unknown"
}
