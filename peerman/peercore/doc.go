// Package peercore is the pure protocol core of one Bitcoin peer: the
// version/verack handshake, negotiation, keepalive pings, the protocol
// timers, the per-message sanity limits and the peer's side of address
// relay (the addr token bucket, getaddr rules), as a state machine
//
//	New(cfg, now)          -> (State, []Output, error)
//	Step(state, input, now) -> (State, []Output)
//
// The same state, input and time always give the same result, apart from
// the randomness drawn from the injected Config.Nonces.
//
// # What it owns
//
// One peer's protocol state (State) and its read-only view (PeerInfo, from
// State.Snapshot), shaped after Core's getpeerinfo. State is a plain value
// without slices, maps or pointers of its own: copying it copies everything
// except the injected Nonces and SelfNonce.
//
// # What it never touches
//
// Sockets and frame encoding (the actor encodes Send outputs with
// wire.WriteMessageN and the given protocol version, and counts bytes),
// actors and goroutines, clocks (time is an argument; the actor sends a Tick
// every second), other peers' state (self-connection detection goes through
// the injected SelfNonce; relay targets are chosen by the actor), the
// address book (accepted addresses are handed on as AddrReceived; the
// getaddr answer comes back as SendAddrs) and chain state (inv, headers and
// the like are handed on as Other outputs). It uses addrman/book only for
// its pure address type, wire conversions and routability rule.
//
// # Inputs and outputs
//
// Inputs: Received (a frame's command and payload; the core decodes it with
// btcd's wire package), Tick, SendPing (RPC ping), SetFeeFilter,
// EnableSendHeaders and SendAddrs (addresses to send the peer). Outputs:
// Send, Disconnect, Misbehaving (always followed by Disconnect; never for
// manual peers), HandshakeDone, Changed (the snapshot changed, apart from
// LastSend/LastRecv/PingWait and the address counters), Unknown (unknown
// command, to be counted under "*other*"), Ignored (a known message
// dropped, with an IgnoreReason), AddrReceived (addresses for the address
// manager), RelayAddrs (addresses to relay to other peers), GetAddrRequest
// (an inbound peer's first getaddr) and Other (a decoded message for later
// subsystems). After a Disconnect nothing more is sent: the rest of that
// Step's sends are dropped and later Steps return no outputs.
//
// # Rules (Bitcoin Core's, unless noted)
//
// Our version: protocol 70016, our services, timestamp now, addr_recv the
// remote address with its services if known (else 0), addr_from the zero
// address with our services, a random nonce kept for self-connection
// detection, our user agent and start height, and relay=false on
// block-relay-only and feeler connections (or when Config.Relay is false).
// Outbound connections send it in New; inbound ones after the peer's.
//
// The peer's version is checked in this order: a second version
// disconnects (duplicate_version; current Core only ignores it); an
// undecodable one, including a user agent over 256 bytes, is misbehaviour
// (malformed_message); an outbound-full-relay, block-relay-only or
// addr-fetch peer lacking RequiredServices is disconnected
// (missing_services; inbound, manual and feeler peers are exempt, as Core's
// ExpectServicesFromConn); a version below 31800 is disconnected
// (obsolete_version); an inbound peer presenting one of our nonces is
// ourselves (self_connection; Core only checks inbound peers). Then:
// inbound sends our version; wtxidrelay and sendaddrv2 if the common version
// is at least 70016; verack; getaddr on outbound connections that relay
// addresses (all but block-relay-only, feelers included, as in Core); and a
// feeler is disconnected right there (feeler_done), after its version, as
// Core does, without waiting for verack.
//
// Before version every message but version is ignored (Ignored
// before_version), verack included. Between version and verack only
// wtxidrelay, sendaddrv2 and verack are processed; the rest is ignored
// (before_verack). wtxidrelay or sendaddrv2 after verack disconnects
// (negotiation_after_verack). Their payload must be empty. A second verack
// is ignored.
//
// On verack the connection is established: sendcmpct(announce=false,
// version=2) if the common version is at least 70014, then HandshakeDone,
// then in the same Step the first ping and our feefilter. sendheaders is
// sent once after EnableSendHeaders, the moment Core picks (the peer's
// chain has enough work), which the chain subsystem will report; until then
// it is never sent. feefilter (Config.MinFeeFilter, default 1000 sat/kvB)
// is sent after the handshake if the common version is at least 70013,
// except to block-relay-only and feeler peers and when we do not want
// transactions; then it is re-checked at intervals jittered uniformly over
// [FeeFilterInterval/2, 3*FeeFilterInterval/2) and re-sent only when
// SetFeeFilter changed it, as Core re-sends only changes.
//
// Keepalive: a ping with a random non-zero nonce right after the handshake
// and then PingInterval after the previous one while none is outstanding;
// SendPing sends one in the same Step (or right after the handshake, if
// that is not complete yet), replacing any outstanding ping. A pong with the outstanding nonce records the round
// trip (LastPing, MinPing); nonce zero cancels the ping; other nonces and
// unsolicited pongs are ignored and counted (BadPongs). A ping is answered
// with a pong carrying its nonce (only above protocol 60000, as Core).
//
// Timers, checked on every Step once HandshakeTimeout has passed since the
// connection began (Core's InactivityCheck): nothing received or nothing
// sent at all -> handshake_timeout; nothing sent, or nothing received, for
// InactivityTimeout -> inactivity; no verack yet -> handshake_timeout; a
// ping outstanding for PingTimeout -> ping_timeout. Deadlines are strict:
// the connection survives at exactly the deadline and ends after it.
//
// Limits after the handshake: addr/addrv2 over 1000 entries, inv/getdata
// over 50000, headers over 2000 are misbehaviour (oversized_message);
// getheaders/getblocks with a locator over 101 hashes only disconnect
// (oversized_message), as Core does. Counts are read before decoding so an
// oversized message is not mistaken for a garbled one. Any known message
// that fails to decode, exceeds its type's payload limit or has trailing
// bytes (version excepted: its trailing fields are optional by design) is
// misbehaviour (malformed_message); Core only logs decode failures, but we
// choose to end such peers. Misbehaviour from a manual peer only disconnects
// (Core does not even disconnect those). On block-relay-only connections
// addr, addrv2 and getaddr are ignored (addr_relay_disabled); getaddr is
// passed on only from inbound peers and only once.
//
// # Address relay
//
// Addresses are exchanged with a peer (AddrRelayEnabled, Core's
// m_addr_relay_enabled) once we sent it getaddr (outbound connections but
// block-relay-only, at its version) or it sent addr, addrv2 or, inbound,
// getaddr; never on block-relay-only connections. Incoming addresses are
// rate-limited by a token bucket per peer: it starts with one token at the
// connection's start (room for a self-announcement), earns 0.1 token per
// second up to 1000 (refilled, by the time passed, whenever an addr or
// addrv2 message arrives; a bucket at or above 1000 does not refill), and
// gains 1000 when we send getaddr, which may take it above 1000 so that the
// answer is accepted. The entries of a message are processed in random
// order (drawn from Nonces): with a token one is spent, without one the
// entry is dropped and counted in AddrRateLimited. Of the rest, addresses
// advertising neither NODE_NETWORK nor NODE_NETWORK_LIMITED are skipped;
// the others count in AddrProcessed, and a time at or before 100000000 or
// more than 10 minutes ahead is replaced by now minus 5 days. Routable ones
// go out in one AddrReceived (Solicited while our getaddr is outstanding,
// which a message of fewer than 1000 entries ends). If the message had at
// most 10 entries and was unsolicited, those stamped within the last 10
// minutes also go out in RelayAddrs. An addr-fetch connection is ended
// (addr_fetch_done) by a message of more than one entry. Entries btcd
// cannot decode (addrv2 I2P and CJDNS, which it skips) are not seen at all;
// entries that do not convert (Tor v2) spend a token and count as
// processed but go nowhere.
//
// getaddr from an inbound peer enables relay; the first is reported as
// GetAddrRequest, later ones are ignored (repeated_getaddr), and getaddr
// from outbound peers is ignored (getaddr_from_outbound), as in Core.
// SendAddrs sends its addresses at once in one addrv2 message if the peer
// sent sendaddrv2, else in one addr message, keeping those the form can
// carry (addr: IPv4 and IPv6 only; btcd's addrv2 encoder: no I2P or
// CJDNS), at most 1000; nothing is sent before the handshake or while
// relay is not enabled. Core instead queues addresses and sends them on a
// randomised timer, filtering those the peer already knows; this core has
// no such queue.
//
// # Disconnect reasons
//
//	handshake_timeout         no complete version/verack within HandshakeTimeout (60 s)
//	self_connection           an inbound peer sent one of our own version nonces
//	duplicate_version         a second version message
//	obsolete_version          peer protocol version below 31800
//	missing_services          an outbound peer lacks RequiredServices
//	negotiation_after_verack  wtxidrelay or sendaddrv2 after verack
//	ping_timeout              no pong within PingTimeout (20 min)
//	inactivity                nothing sent or nothing received for InactivityTimeout (20 min)
//	malformed_message         a known message failed to decode (with Misbehaving)
//	oversized_message         a message over an entry-count limit (with Misbehaving, except locators)
//	feeler_done               a feeler connection completed its check
//	addr_fetch_done           an addr-fetch connection delivered more than one address
package peercore
