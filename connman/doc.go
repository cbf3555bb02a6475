// Package connman owns the node's connections as Bitcoin connections: which
// addresses we listen on, whom we dial and redial, how many connections of
// each direction and type we hold, which inbound peer to evict when slots
// run out, and bans and discouraged addresses.
//
// It never reads or writes a socket (sockman does), never parses a Bitcoin
// message and never reads a Peer's state (peerman and its Peer actors own
// that): it learns everything through messages, peers' properties through
// the PeerSnapshot messages Peer actors publish.
//
// # Its view
//
// connman is the manager of every connection: sockman sends it Opened and
// Closed. For each connection it keeps a record: ConnID, connection type,
// remote and local address, since when, the Peer actor's PeerID and PID once
// PeerStarted names them, the latest PeerSnapshot (for eviction), and
// whether it already asked for the close. Besides: its listeners, the manual
// targets (p2p.connect, p2p.addnode, addnode RPC) with their redial state,
// the ban list and the discouraged addresses.
//
// # A connection's path
//
// Inbound: a banned address is closed at once (Close REQUESTED "banned",
// counted in ConnectionCounts). A discouraged address is accepted only
// while more than one inbound slot is free, and is then evicted first.
// Inbound slots are maxconnections minus the automatic outbound slots (8
// full-relay, 2 block-relay-only, 1 feeler), never below zero; when they are
// full, package evict picks a victim from the records and latest snapshots
// (Core's SelectNodeToEvict): the victim is closed ("evicted: ...") and the
// newcomer accepted, or, when every peer is protected, the newcomer is
// closed ("no_slot: ..."). An accepted connection goes to peerman as
// AttachPeer; the Peer actor takes it over by sending sockman Start itself.
//
// Outbound: every Dial carries a request id; its Opened becomes an
// AttachPeer of the type the dial was for (MANUAL for p2p.connect,
// p2p.addnode and the addnode RPC, as Core). Manual targets are redialled
// after a DialFailed or a Closed, 1 s after the first failure, doubling up
// to 30 s, with a log line saying why and when; a connection that lasted a
// minute starts the schedule over. A non-empty p2p.connect means only those
// peers.
//
// # Automatic outbound connections
//
// With Config.Addrman set and p2p.connect empty, connman keeps 8
// full-relay and 2 block-relay-only outbound connections (Config's slot
// values) to addresses addrman selects, and opens feelers. The loop is
// driven by timer messages from the injected Clock: a round runs every
// 500 ms while a slot is free, the pause doubling up to 10 s after rounds
// that found nothing to dial; with every slot taken it idles until an
// automatic connection or dial ends, or a feeler is due. Feelers are due
// after exponentially distributed delays (mean 2 minutes, drawn from
// Config.Rand), and only once the persistent slots are full, as in Core.
//
// A round sends addrman ResolveCollisions, then asks (RequestFuture and
// ReenterAfter, never blocking, one question at a time) for an address:
// for a feeler SelectTriedCollision first, so that a feeler tests the tried
// entry a pending collision would evict (one we are connected to is marked
// Good instead), then Select with new_only; otherwise Select. Only IPv4 and
// IPv6 are asked for. package outbound decides the type (full-relay slots
// first, then block-relay-only, then a due feeler) and the netgroup rule:
// persistent outbound connections (manual ones included, as in Core) hold
// their network group, and a full-relay or block-relay-only dial never goes
// to a group already held; manual dials and feelers are not restricted.
// An address is also skipped when we are connected to or dialling its IP
// (in either direction), when it is banned or discouraged, when it is a
// manual peer, when it is one of our listening addresses, or when it lacks
// the services the connection needs (network and witness; any full node
// for a feeler); a round asks up to 100 times. Dials in flight count for
// slots and groups. The AttachPeer types are OUTBOUND_FULL_RELAY,
// BLOCK_RELAY_ONLY and FEELER; the Peer ends a feeler after the version
// exchange (FEELER_DONE). Not done (Core has them): the extra
// block-relay-only and full-relay connections of stale-tip detection,
// anchors, the bad-port and recently-tried filters (Selected carries no
// last-try time), and addr-fetch connections.
//
// # What addrman hears (the privacy rule)
//
// addrman never learns which peers are connected now. connman reports, for
// outbound connections only (inbound ones are never reported):
//   - Attempt{address, count_failure} when a dial fails or a connection
//     closes before its handshake; count_failure is set, as in Core, only
//     once persistent outbound connections reach two network groups (and
//     never for manual peers), so an offline node does not mark its whole
//     address book as failing;
//   - SetServices{address, services} and Good{address} when the first
//     PeerSnapshot with handshake_done arrives (Core records both as an
//     outbound peer's version arrives), or, for a feeler, Good when its
//     Peer ends it with FEELER_DONE;
//   - Connected{address} when a handshaken full-relay or manual connection
//     closes, and at no other time: never for block-relay-only connections
//     (their existence must leave no trace in addresses we relay, so that
//     nobody can find them), never for feelers (they never count as
//     connected, as in Core).
//
// Manual peers are reported as in Core, by the IP address their name
// resolved to; a manual peer known only by a host name that never
// connected is not reported.
//
// Disconnects are messages: a Peer sends DisconnectPeer and connman sends
// the connection Close{REQUESTED, "<reason>: <detail>"}; a misbehaving peer
// also has its address discouraged (never noban or manual peers, never local
// addresses, which are only disconnected). connman watches every Peer actor
// named by PeerStarted and closes the connection of one that terminates
// while its connection is open ("peer_actor_failed"). The record goes when
// sockman's Closed arrives; peerman updates its own view from the same
// Closed, and may still finish work for a peer connman already counts as
// gone.
//
// Bans (setban, listbanned, clearbanned) are addresses or CIDR subnets with
// an expiry, kept in Config.BanFile (Core's banlist.json shape, written
// atomically) and enforced on accept and on dial; setban add also
// disconnects the connected peers it covers. A corrupt ban file is logged
// with its path, renamed with a .corrupt-<time> suffix, and the node starts
// with no bans.
//
// # Restarts
//
// connman is restarted by the root supervisor after a panic. The new
// instance reloads the bans from the file (every change is written at once,
// so none is lost) and redials the manual targets. Its view of connections
// starts empty and is rebuilt from the events that follow: connections
// opened before the restart are not counted (Closed, snapshots and
// disconnect requests for them are ignored, and addrman hears nothing of
// them) until they close, so inbound and automatic outbound slots may be
// briefly over-committed, and a manual peer still connected from before
// may be dialled a second time. The automatic loop starts over, with a new
// feeler delay; answers addrman gives the failed instance are ignored. Discouragements are forgotten.
// sockman does not answer a second Listen for an address it already listens
// on with the existing listener (it fails with "address already in use"),
// so the listeners, which keep delivering to connman's unchanged PID, are
// remembered across restarts by the producer NewActor returns, together
// with the Dial request counter (an Opened for a dial of the failed
// instance is closed, never mistaken for a new one) and the eviction key.
package connman
