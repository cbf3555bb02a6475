package peercore

// ConnType says why a connection exists. The names are the connection_type
// strings of Core's getpeerinfo.
type ConnType uint8

// The connection types. The zero value is invalid so that a forgotten field
// is caught by New.
const (
	// ConnTypeUnset is the invalid zero value.
	ConnTypeUnset ConnType = iota
	// ConnInbound is a connection the peer opened.
	ConnInbound
	// ConnOutboundFullRelay is an automatic outbound connection relaying
	// blocks, transactions and addresses.
	ConnOutboundFullRelay
	// ConnBlockRelayOnly is an automatic outbound connection relaying only
	// blocks: no transactions, no addresses.
	ConnBlockRelayOnly
	// ConnManual is an outbound connection the operator asked for
	// (addnode/connect). It is never punished for misbehaviour.
	ConnManual
	// ConnFeeler is a short outbound connection that only tests that an
	// address is reachable; it ends once the peer's version is processed.
	ConnFeeler
	// ConnAddrFetch is a short outbound connection made to fetch addresses.
	ConnAddrFetch
)

var connTypeNames = [...]string{
	ConnTypeUnset:         "unset",
	ConnInbound:           "inbound",
	ConnOutboundFullRelay: "outbound-full-relay",
	ConnBlockRelayOnly:    "block-relay-only",
	ConnManual:            "manual",
	ConnFeeler:            "feeler",
	ConnAddrFetch:         "addr-fetch",
}

// String returns Core's name for the connection type.
func (c ConnType) String() string {
	if int(c) < len(connTypeNames) {
		return connTypeNames[c]
	}
	return "unknown"
}

// IsInbound reports whether the peer opened the connection.
func (c ConnType) IsInbound() bool { return c == ConnInbound }

// valid reports whether c is one of the defined types other than unset.
func (c ConnType) valid() bool { return c > ConnTypeUnset && c <= ConnAddrFetch }

// expectsServices reports whether the peer must offer RequiredServices
// (Core's CNode::ExpectServicesFromConn).
func (c ConnType) expectsServices() bool {
	return c == ConnOutboundFullRelay || c == ConnBlockRelayOnly || c == ConnAddrFetch
}

// relaysAddrs reports whether addresses are exchanged on the connection
// (Core's SetupAddressRelay: everything but block-relay-only).
func (c ConnType) relaysAddrs() bool { return c != ConnBlockRelayOnly }

// punishable reports whether misbehaviour may be reported for the peer.
func (c ConnType) punishable() bool { return c != ConnManual }
